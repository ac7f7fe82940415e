from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional

from ..auth import queries
from ..domain.roles import Role, role_needs_chapter
from ..forms import (
    REQUIRED,
    MaxLength,
    PasswordPolicy,
    chapter_choices,
    choices,
    common_timezones,
    optional_int,
)


class UserForm(FlaskForm):
    """Create or edit an account. `user_id` is the account being edited (None on create)."""

    email = EmailField(_l("E-mail"), validators=[
        DataRequired(REQUIRED), MaxLength(254),
        Email(message=_l("Enter an e-mail address such as name@example.org."),
              check_deliverability=False)])
    name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    role = SelectField(_l("Role"), choices=choices((r.value, _l(r.label)) for r in Role),
                       validators=[DataRequired(REQUIRED)])
    chapter_id = SelectField(_l("Chapter"), coerce=optional_int, validate_choice=True,
                             description=_l("Required for a chapter secretariat; the chair "
                                            "and the global secretariat see every chapter."))
    timezone = SelectField(_l("Time zone"), default="UTC",
                           description=_l("Times in the portal are shown in this zone."))
    password = PasswordField(_l("Temporary password"),
                             validators=[Optional(), PasswordPolicy("email", "name")],
                             description=_l("Leave empty to have one made up. The person "
                                            "chooses their own at the first sign-in."),
                             render_kw={"autocomplete": "new-password"})

    def __init__(self, *args, chapters=(), user_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id = user_id
        self.chapter_id.choices = chapter_choices(chapters)
        zones = common_timezones()
        current = kwargs.get("obj").timezone if kwargs.get("obj") is not None else None
        if current and current not in zones:
            zones = [current] + zones  # never changed behind the admin's back
        self.timezone.choices = choices((z, z) for z in zones)
        if user_id is not None:
            del self.password

    def validate_email(self, field):
        if field.data and queries.email_taken(field.data, except_id=self.user_id):
            raise ValidationError(_l("Another account already uses this e-mail address."))

    def validate_chapter_id(self, field):
        if (self.role.data in {r.value for r in Role}
                and role_needs_chapter(Role(self.role.data)) and field.data is None):
            raise ValidationError(_l("Choose the chapter this secretariat member works for."))

    @property
    def role_value(self) -> Role:
        return Role(self.role.data)
