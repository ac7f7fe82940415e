from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, EqualTo, Length

from ..domain.languages import NAMES as LANGUAGE_NAMES
from ..forms import choices, common_timezones

# What to do, rather than "This field is required."
SIGN_IN_EMAIL = _l("Enter the e-mail address you sign in with.")
PASSWORD = _l("Enter your password.")
NEW_PASSWORD = _l("Choose a new password.")
CONFIRM_PASSWORD = _l("Type the new password again.")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(SIGN_IN_EMAIL), Length(max=254)],
                       render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(_l("Password"), validators=[DataRequired(PASSWORD), Length(max=256)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in on this device for two weeks"))


class ConfirmPasswordForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(PASSWORD), Length(max=256)],
                             render_kw={"autocomplete": "current-password", "autofocus": True})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password."))],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField(_l("New password"),
                                 validators=[DataRequired(NEW_PASSWORD)],
                                 description=_l("At least 12 characters. A few words together "
                                                "are easy to remember and hard to guess."),
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(CONFIRM_PASSWORD),
                                        EqualTo("new_password",
                                                message=_l("The two new passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class CodeForm(FlaskForm):
    """The second step of a sign-in, or the confirmation of a new authenticator app."""
    code = StringField(_l("Code"), validators=[DataRequired(_l("Type the code.")),
                                               Length(max=20)],
                       description=_l("The 6 digits your authenticator app shows now, or one "
                                      "of your recovery codes."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text",
                                  "autofocus": True, "spellcheck": "false"})


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(SIGN_IN_EMAIL), Length(max=254)],
                       render_kw={"autocomplete": "username", "autofocus": True})


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(NEW_PASSWORD)],
                                 description=_l("At least 12 characters. A few words together "
                                                "are easy to remember and hard to guess."),
                                 render_kw={"autocomplete": "new-password", "autofocus": True})
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(CONFIRM_PASSWORD),
                                        EqualTo("new_password",
                                                message=_l("The two new passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class PreferencesForm(FlaskForm):
    """The account's language (interface and mails) and time zone (times shown in it)."""
    language = SelectField(_l("Language"), validators=[DataRequired(_l("Choose a language."))],
                           validate_choice=False)
    timezone = SelectField(_l("Time zone"), validators=[DataRequired(_l("Choose a time zone."))],
                           validate_choice=False,
                           description=_l("Dates and times are shown in this zone."))

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = choices((code, LANGUAGE_NAMES.get(code, code))
                                        for code in languages)
        self.timezone.choices = choices((zone, zone) for zone in common_timezones())

    def validate_language(self, field):
        if field.data not in {choice.value for choice in self.language.choices}:
            raise ValidationError(_l("Choose one of the languages in the list."))

    def validate_timezone(self, field):
        if field.data not in {choice.value for choice in self.timezone.choices}:
            raise ValidationError(_l("Choose a time zone from the list, such as "
                                     "Asia/Jakarta."))
