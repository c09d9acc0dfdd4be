"""Sign-in and sign-out, password reset, participants' sign-in links, and "My account".

Views parse the form, call one operation, commit once and render. Secrets (reset and
sign-in tokens) appear only in the URL the person was given and in the page that
shows a new link; they are never logged, flashed or kept in the session cookie.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFError

from jobcenter.accounts import operations
from jobcenter.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    EmailSignInLinkForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    RemindersForm,
    ResetPasswordForm,
)
from jobcenter.accounts.models import TokenPurpose
from jobcenter.accounts.secrets import MIN_PASSWORD_LENGTH
from jobcenter.core import audit
from jobcenter.core.authz import get_visible, require_roles
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, problem, wants_problem_json
from jobcenter.core.i18n import LANGUAGE_CHOSEN_SIGNED_OUT
from jobcenter.extensions import db, limiter
from jobcenter.participants.models import Participant

bp = Blueprint("accounts", __name__)

ROLE_LABELS = {
    Role.UNIT_CONTACT: _l("Unit contact"),
    Role.INSTRUCTOR: _l("Instructor"),
    Role.PARTICIPANT: _l("Participant"),
    Role.MANAGER: _l("Manager"),
    Role.ADMIN: _l("Administrator"),
}


@bp.context_processor
def _account_template_globals() -> dict[str, object]:
    return {"min_password_length": MIN_PASSWORD_LENGTH}


def role_label(role: Role) -> str:
    return str(ROLE_LABELS.get(role, role))


def safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    home = url_for("home.index")
    if not target or len(target) > 2000:
        return home
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return home  # browsers read "/\evil.example" as "//evil.example"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return home
    return target


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _not_redirect(response) -> bool:
    """Only refused attempts count against the limit: a group signing in at 9 o'clock
    from one office network must not lock itself out."""
    return response.status_code != 302


def _sign_in(user, *, remember: bool, method: str) -> None:
    login_user(user, remember=remember)
    session.permanent = True
    operations.record_login(db.session, user, method)
    # A language picked on the sign-in page is what the person wants: it becomes the
    # account's language instead of being replaced by the one saved earlier.
    chosen = session.get("locale")
    if session.pop(LANGUAGE_CHOSEN_SIGNED_OUT, False) and chosen in current_app.config["LANGUAGES"]:
        operations.set_locale(db.session, user, chosen)


def _had_remember_cookie() -> bool:
    name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return name in request.cookies


def _form_status(form) -> int:
    return 422 if form.errors else 200


def _add_domain_error(form, exc: DomainError, default_field: str) -> None:
    name = exc.field if exc.field in form else default_field
    form[name].errors = [*form[name].errors, exc.message]


# --- errors that belong to signing in ----------------------------------------------------


@bp.app_errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    if wants_problem_json():
        return problem(400, _("Bad request"), _("The form's security token is missing or old."))
    return render_template("accounts/csrf_error.html"), 400


@bp.errorhandler(429)
def too_many_attempts(exc):
    return render_template("accounts/too_many_attempts.html"), 429


# --- sign in and out ---------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_not_redirect)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            operations.record_failed_login(db.session, form.email.data)
            db.session.commit()
            # One message whatever was wrong: the page must not reveal who has an account.
            form.password.errors.append(_("The e-mail address or password is wrong."))
        else:
            _sign_in(user, remember=form.remember.data, method="password")
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form), _form_status(form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        audit.record("logout", user, actor_id=user.id)
        db.session.commit()
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


# --- forgotten password ------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        operations.request_password_reset(db.session, form.email.data)
        db.session.commit()
        # The same answer whether or not the address has an account.
        return render_template("accounts/forgot_password_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form), _form_status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if operations.find_valid_token(db.session, token, TokenPurpose.PASSWORD_RESET) is None:
        return render_template("accounts/reset_link_invalid.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = operations.reset_password(db.session, token, form.password.data)
        except DomainError as exc:
            db.session.rollback()
            if exc.status == 410:
                return render_template("accounts/reset_link_invalid.html"), 410
            _add_domain_error(form, exc, "password")
        else:
            if current_user.is_authenticated:
                logout_user()
            _sign_in(user, remember=False, method="password_reset")
            db.session.commit()
            flash(
                _("Your new password is saved. You are signed in, and signed out elsewhere."),
                "success",
            )
            return redirect(url_for("home.index"))
    return render_template("accounts/reset_password.html", form=form), _form_status(form)


# --- one-time sign-in links for participants ---------------------------------------------


def _qr_data_uri(url: str) -> str:
    qr = segno.make(url, error="m")
    return qr.svg_data_uri(scale=6, border=4, dark="#000000", light="#ffffff")


def _render_new_link(participant: Participant, issued_secret: str, expires_at, **extra):
    url = operations.sign_in_link_url(issued_secret)
    return render_template(
        "accounts/sign_in_link_created.html",
        participant=participant,
        link=url,
        qr=_qr_data_uri(url),
        expires_at=expires_at,
        email_form=EmailSignInLinkForm(token=issued_secret),
        **extra,
    )


@bp.route("/participants/<int:participant_id>/sign-in-link", methods=["GET", "POST"])
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def sign_in_link(participant_id: int):
    participant = get_visible(Participant, participant_id, current_user)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            issued = operations.create_sign_in_link(db.session, participant, current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(url_for("accounts.sign_in_link", participant_id=participant.id))
        db.session.commit()
        return _render_new_link(participant, issued.secret, issued.expires_at)
    audit.record("sign_in_link_page_viewed", participant, participant_id=participant.id)
    db.session.commit()
    return render_template(
        "accounts/sign_in_link.html",
        participant=participant,
        form=form,
        active=operations.active_sign_in_link(db.session, participant.user),
        valid_days=current_app.config["SIGN_IN_LINK_DAYS"],
    )


@bp.post("/participants/<int:participant_id>/sign-in-link/email")
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def email_sign_in_link(participant_id: int):
    participant = get_visible(Participant, participant_id, current_user)
    form = EmailSignInLinkForm()
    if not form.validate_on_submit():
        flash(_("Make a new sign-in link first."), "error")
        return redirect(url_for("accounts.sign_in_link", participant_id=participant.id))
    secret = form.token.data
    try:
        operations.email_sign_in_link(db.session, participant, secret, current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("accounts.sign_in_link", participant_id=participant.id))
    db.session.commit()
    token = operations.find_valid_token(db.session, secret, TokenPurpose.SIGN_IN)
    return _render_new_link(
        participant, secret, token.expires_at, emailed_to=participant.user.email
    )


@bp.route("/sign-in/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_not_redirect)
def sign_in_with_link(token: str):
    found = operations.find_valid_token(db.session, token, TokenPurpose.SIGN_IN)
    if found is None:
        return render_template("accounts/sign_in_link_invalid.html"), 410
    if current_user.is_authenticated and current_user.id == found.user_id:
        return redirect(url_for("home.index"))  # already signed in: keep the link unused
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            user = operations.sign_in_with_link(db.session, token)
        except DomainError:
            db.session.rollback()
            return render_template("accounts/sign_in_link_invalid.html"), 410
        if current_user.is_authenticated:
            logout_user()
        # A remembered device: the participant stays signed in on their own phone.
        _sign_in(user, remember=True, method="sign_in_link")
        db.session.commit()
        return redirect(url_for("home.index"))
    return render_template("accounts/sign_in_confirm.html", form=form, person=found.user)


# --- my account --------------------------------------------------------------------------


def _render_profile(status: int = 200, **forms):
    user = current_user
    language_form = forms.get("language_form") or LanguageForm(locale=str(user.locale))
    password_form = forms.get("password_form") or ChangePasswordForm()
    reminders_form = forms.get("reminders_form") or RemindersForm(
        reminders_enabled=user.reminders_enabled
    )
    return (
        render_template(
            "accounts/profile.html",
            user=user,
            role=role_label(user.role),
            language_form=language_form,
            password_form=password_form if user.password_hash else None,
            everywhere_form=ConfirmForm(),
            reminders_form=reminders_form,
            has_calendar_feed=user.role in (Role.PARTICIPANT, Role.INSTRUCTOR, Role.UNIT_CONTACT)
            and "calendar.subscribe" in current_app.view_functions,
        ),
        status,
    )


@bp.get("/account")
@login_required
def profile():
    return _render_profile()


@bp.post("/account/language")
@login_required
def change_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return _render_profile(422, language_form=form)
    operations.set_locale(db.session, current_user, form.locale.data)
    db.session.commit()
    session["locale"] = form.locale.data
    flash(_("Your language is saved."), "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/account/reminders")
@login_required
def change_reminders():
    from jobcenter.notifications.reminders import set_reminders

    form = RemindersForm()
    if not form.validate_on_submit():
        return _render_profile(422, reminders_form=form)
    set_reminders(db.session, current_user._get_current_object(), form.reminders_enabled.data)
    db.session.commit()
    if form.reminders_enabled.data:
        flash(_("You will get a reminder the day before each shift."), "success")
    else:
        flash(_("You will not get reminders before shifts."), "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/account/password")
@login_required
@limiter.limit(_login_limit, deduct_when=_not_redirect)
def change_password():
    user = current_user._get_current_object()
    if not user.password_hash:
        return redirect(url_for("accounts.profile"))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            operations.change_password(
                db.session, user, form.current_password.data, form.password.data
            )
        except DomainError as exc:
            db.session.rollback()
            _add_domain_error(form, exc, "current_password")
        else:
            remember = _had_remember_cookie()
            db.session.commit()
            login_user(user, remember=remember)  # this device stays signed in
            flash(
                _("Your password is changed. You were signed out on your other devices."),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    return _render_profile(422, password_form=form)


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    user = current_user._get_current_object()
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _render_profile(422)
    remember = _had_remember_cookie()
    operations.sign_out_everywhere(db.session, user)
    db.session.commit()
    login_user(user, remember=remember)
    flash(_("You were signed out on all your other devices."), "success")
    return redirect(url_for("accounts.profile"))
