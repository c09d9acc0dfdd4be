"""Account forms. Labels and messages are translated at render time."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from jobcenter.accounts.secrets import MIN_PASSWORD_LENGTH
from jobcenter.core.i18n import LANGUAGE_NAMES

MAX_PASSWORD_LENGTH = 200


# Sign-in forms only look up an address, so they check its shape, not its domain:
# an organisation's internal domain must work too.
_ADDRESS_SHAPE = Regexp(
    r"^[^@\s]+@[^@\s]+$",
    message=_l("Check the e-mail address. It looks like name@example.com."),
)


def _email_field(autocomplete: str = "email") -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Length(max=254, message=_l("The e-mail address is too long.")),
            _ADDRESS_SHAPE,
        ],
        render_kw={"autocomplete": autocomplete, "spellcheck": "false"},
    )


def _not_only_spaces(_form, field) -> None:
    if field.data and not field.data.strip():
        raise ValidationError(_l("The password cannot be only spaces."))


def _new_password_fields(label):
    new = PasswordField(
        label,
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=MAX_PASSWORD_LENGTH,
                message=_l(
                    "Use %(min)d–%(max)d characters.",
                    min=MIN_PASSWORD_LENGTH,
                    max=MAX_PASSWORD_LENGTH,
                ),
            ),
            _not_only_spaces,
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Type the new password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return new, confirm


class LoginForm(FlaskForm):
    email = _email_field(autocomplete="username")
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("The password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields(_l("New password"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Enter your current password.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("The password is too long.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields(_l("New password"))


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language"),
        # Each language named in itself, marked with its language for screen readers.
        choices=[
            SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_NAMES.items()
        ],
        validators=[DataRequired(_l("Choose a language."))],
        validate_choice=True,
    )


class ConfirmForm(FlaskForm):
    """A button and the CSRF token: for actions that need no input."""


class EmailSignInLinkForm(FlaskForm):
    # The link just shown on the page, posted back so it can be e-mailed unchanged.
    token = HiddenField(validators=[DataRequired(), Length(max=200)])


class RemindersForm(FlaskForm):
    reminders_enabled = BooleanField(_l("Send me reminders the day before a shift"))
