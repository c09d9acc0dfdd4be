"""Account rules: sign-in, passwords, one-time tokens, API tokens.

Functions take a session, flush, never commit: the request or job commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from jobcenter.accounts.models import ApiToken, OneTimeToken, TokenPurpose, User
from jobcenter.accounts.secrets import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    hash_secret,
    needs_rehash,
    new_secret,
    verify_password,
)
from jobcenter.core import audit, clock
from jobcenter.core.enums import Locale, Role
from jobcenter.core.errors import DomainError

API_TOKEN_PREFIX = "jc_"  # noqa: S105 (a public prefix)
# Longer than any token we issue; anything longer is not worth hashing.
MAX_TOKEN_LENGTH = 200
# At most one reset mail a minute per account, however many times someone asks.
RESET_RESEND_INTERVAL = timedelta(minutes=1)


# --- signing in with a password ----------------------------------------------------------


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    ).first()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the e-mail and password match an active account, else None."""
    user = find_user_by_email(session, email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = clock.now()
    session.flush()
    return user


def record_failed_login(session: Session, email: str) -> None:
    """Audit a refused sign-in. Neither the password nor the whole address is kept:
    the domain is enough to see an attack on one organisation; the account, if it
    exists, is the event's object."""
    user = find_user_by_email(session, email)
    detail: dict[str, object] = {"email_domain": email.strip().rpartition("@")[2].lower()[:100]}
    if user is not None and not user.is_active:
        detail["reason"] = "inactive"
    audit.record("login_failed", user, actor_id=None, detail=detail)
    session.flush()


def record_login(session: Session, user: User, method: str) -> None:
    """Audit a sign-in: method is "password", "password_reset" or "sign_in_link"."""
    participant = user.participant if user.role == Role.PARTICIPANT else None
    audit.record(
        "login",
        user,
        actor_id=user.id,
        participant_id=participant.id if participant else None,
        detail={"method": method},
    )
    session.flush()


# --- passwords ---------------------------------------------------------------------------


def password_problems(password: str) -> list[str]:
    """What is wrong with a new password, in words for the user (empty if fine)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(_("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    if password and not password.strip():
        problems.append(_("The password cannot be only spaces."))
    return problems


def set_password(session: Session, user: User, password: str) -> None:
    """New password; every session of the user is signed out (the caller may sign the
    current device in again)."""
    problems = password_problems(password)
    if problems:
        raise DomainError(" ".join(problems), field="password", status=422)
    user.password_hash = hash_password(password)
    user.session_version += 1
    session.flush()


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """The user changes their own password; the current one proves it is them."""
    if not user.password_hash or not verify_password(user.password_hash, current):
        raise DomainError(
            _("Your current password is not right."), field="current_password", status=422
        )
    set_password(session, user, new)
    audit.record("password_changed", user, actor_id=user.id)
    session.flush()


def sign_out_everywhere(session: Session, user: User) -> None:
    """Ends every session and remembered device of the user."""
    user.session_version += 1
    audit.record("signed_out_everywhere", user, actor_id=user.id)
    session.flush()


def set_locale(session: Session, user: User, locale: str) -> None:
    try:
        user.locale = Locale(locale)
    except ValueError:
        raise DomainError(_("Choose one of the languages."), field="locale", status=422) from None
    session.flush()


# --- one-time tokens ---------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    """A new one-time token: the row, and the secret that exists only in this object."""

    token: OneTimeToken
    secret: str

    @property
    def expires_at(self) -> datetime:
        return self.token.expires_at


def _revoke_unused(session: Session, user: User, purpose: str) -> int:
    """Earlier unused tokens of this purpose stop working (they count as used)."""
    return session.execute(
        sa.update(OneTimeToken)
        .where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=clock.now())
        .execution_options(synchronize_session="fetch")
    ).rowcount


def _issue(
    session: Session, user: User, purpose: str, valid_for: timedelta, created_by: User | None
) -> IssuedToken:
    _revoke_unused(session, user, purpose)
    secret = new_secret(32)
    now = clock.now()
    token = OneTimeToken(
        user_id=user.id,
        purpose=purpose,
        token_hash=hash_secret(secret),
        created_at=now,
        expires_at=now + valid_for,
        created_by_id=created_by.id if created_by else None,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token, secret)


def find_valid_token(session: Session, secret: str, purpose: str) -> OneTimeToken | None:
    """The token for this secret if it can still be used, else None (unknown, used,
    expired, or its account closed: the caller cannot tell which, nor can anyone else)."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    token = session.scalars(
        sa.select(OneTimeToken).where(
            OneTimeToken.token_hash == hash_secret(secret), OneTimeToken.purpose == purpose
        )
    ).first()
    if token is None or token.used_at is not None or token.expires_at <= clock.now():
        return None
    if not token.user.is_active:
        return None
    return token


def _consume(session: Session, secret: str, purpose: str) -> OneTimeToken:
    """Mark the token used, exactly once even if two requests race for it."""
    token = find_valid_token(session, secret, purpose)
    if token is not None:
        used = session.execute(
            sa.update(OneTimeToken)
            .where(OneTimeToken.id == token.id, OneTimeToken.used_at.is_(None))
            .values(used_at=clock.now())
            .execution_options(synchronize_session="fetch")
        ).rowcount
        if used == 1:
            session.flush()
            return token
    raise DomainError(_("This link does not work any more."), status=410)


# --- password reset ----------------------------------------------------------------------


def request_password_reset(session: Session, email: str) -> IssuedToken | None:
    """E-mail a one-time reset link to the account with this address, if there is one.

    The caller answers the same way whatever this returns, so nobody learns from the
    page whether an address has an account."""
    from jobcenter.notifications.mail import PASSWORD_RESET, absolute_url, queue_mail

    user = find_user_by_email(session, email)
    if user is None or not user.is_active or not user.email:
        return None
    latest = session.scalars(
        sa.select(OneTimeToken.created_at)
        .where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == TokenPurpose.PASSWORD_RESET,
        )
        .order_by(OneTimeToken.created_at.desc())
        .limit(1)
    ).first()
    if latest is not None and clock.now() - latest < RESET_RESEND_INTERVAL:
        return None  # a mail just went out; don't flood the inbox
    hours = int(current_app.config["PASSWORD_RESET_HOURS"])
    issued = _issue(
        session, user, TokenPurpose.PASSWORD_RESET, timedelta(hours=hours), created_by=None
    )
    queue_mail(
        session,
        user,
        PASSWORD_RESET,
        link=absolute_url("accounts.reset_password", token=issued.secret),
        expires_at=issued.expires_at,
    )
    audit.record("password_reset_requested", user, actor_id=None)
    session.flush()
    return issued


def reset_password(session: Session, secret: str, new_password: str) -> User:
    """Set a new password with a reset token; the token is used up, other reset links
    stop working, and every session of the user is signed out."""
    problems = password_problems(new_password)
    if problems:
        raise DomainError(" ".join(problems), field="password", status=422)
    token = _consume(session, secret, TokenPurpose.PASSWORD_RESET)
    user = token.user
    _revoke_unused(session, user, TokenPurpose.PASSWORD_RESET)
    set_password(session, user, new_password)
    audit.record("password_reset", user, actor_id=user.id)
    session.flush()
    return user


# --- sign-in links for participants ------------------------------------------------------


def active_sign_in_link(session: Session, user: User) -> OneTimeToken | None:
    """The participant's current unused, unexpired sign-in link, if any."""
    return session.scalars(
        sa.select(OneTimeToken)
        .where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == TokenPurpose.SIGN_IN,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.expires_at > clock.now(),
        )
        .order_by(OneTimeToken.created_at.desc())
        .limit(1)
    ).first()


def create_sign_in_link(session: Session, participant, created_by: User) -> IssuedToken:
    """A new single-use sign-in link for a participant; older unused ones stop working.

    The caller has already checked that `created_by` may see the participant."""
    user = participant.user
    if not user.is_active:
        raise DomainError(_("This person's account is closed."), status=409)
    days = int(current_app.config["SIGN_IN_LINK_DAYS"])
    issued = _issue(session, user, TokenPurpose.SIGN_IN, timedelta(days=days), created_by)
    audit.record(
        "sign_in_link_created",
        issued.token,
        actor_id=created_by.id,
        participant_id=participant.id,
        detail={"valid_days": days},
    )
    session.flush()
    return issued


def sign_in_link_url(secret: str) -> str:
    from jobcenter.notifications.mail import absolute_url

    return absolute_url("accounts.sign_in_with_link", token=secret)


def email_sign_in_link(session: Session, participant, secret: str, sent_by: User) -> None:
    """Send a just-created sign-in link to the participant's own e-mail address."""
    from jobcenter.notifications.mail import SIGN_IN_LINK, queue_mail

    user = participant.user
    if not user.email:
        raise DomainError(_("This person has no e-mail address."), status=409)
    token = find_valid_token(session, secret, TokenPurpose.SIGN_IN)
    if token is None or token.user_id != user.id:
        raise DomainError(
            _("This sign-in link does not work any more. Make a new one."), status=410
        )
    queue_mail(
        session,
        user,
        SIGN_IN_LINK,
        link=sign_in_link_url(secret),
        expires_at=token.expires_at,
    )
    audit.record("sign_in_link_emailed", token, actor_id=sent_by.id, participant_id=participant.id)
    session.flush()


def sign_in_with_link(session: Session, secret: str) -> User:
    """Use up a sign-in link; returns the participant's user to sign in."""
    token = _consume(session, secret, TokenPurpose.SIGN_IN)
    user = token.user
    user.last_login_at = clock.now()
    session.flush()
    return user


# --- API tokens --------------------------------------------------------------------------


def create_api_token(
    session: Session, user: User, name: str = "CLI", expires_in: timedelta | None = None
) -> tuple[ApiToken, str]:
    """Returns the row and the plain token, which is shown once and never stored."""
    secret = API_TOKEN_PREFIX + new_secret(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:10],
        token_hash=hash_secret(secret),
        expires_at=clock.now() + expires_in if expires_in else None,
    )
    session.add(token)
    session.flush()
    return token, secret


API_TOKEN_USE_PRECISION = timedelta(minutes=1)


def user_for_api_token(session: Session, secret: str) -> User | None:
    token = session.scalars(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))
    ).first()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= clock.now():
        return None
    if not token.user.is_active:
        return None
    # Written with the request's commit, at most once a minute: a busy integration
    # would otherwise turn every read into a write of this row.
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_USE_PRECISION:
        token.last_used_at = now
    return token.user
