"""Form pieces shared by every area."""
from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation

from .domain import passwords
from .domain.common import whole_number


class MaxLength(Length):
    """`Length(max=…)` that stops the field's other checks when the value is too long
    (WTForms' own goes on to them): the e-mail check took 0.4 s of CPU on an address of
    200,000 characters, on a form anyone may post (the info-session sign-up)."""

    def __init__(self, max: int, message: str | None = None):
        super().__init__(max=max, message=message)

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError as error:
            raise StopValidation(str(error)) from None


def common_timezones() -> list[str]:
    """The time zones a person would pick from (Area/City), and UTC."""
    return list(_common_timezones())


@cache
def _common_timezones() -> tuple[str, ...]:
    # available_timezones() walks the whole tzdata tree (25-45 ms): once per process.
    skip = ("Etc/", "SystemV/", "posix/", "right/")
    return (*sorted(z for z in available_timezones() if "/" in z and not z.startswith(skip)),
            "UTC")


class PasswordPolicy:
    """WTForms validator: the rule of `domain.passwords`, against the e-mail and name
    fields of the same form when it has them."""

    def __init__(self, email_field: str | None = None, name_field: str | None = None,
                 email: str = "", name: str = ""):
        self.email_field, self.name_field = email_field, name_field
        self.email, self.name = email, name

    def __call__(self, form, field):
        email = getattr(form, self.email_field).data if self.email_field else self.email
        name = getattr(form, self.name_field).data if self.name_field else self.name
        found = passwords.problems(field.data or "", email=email or "", name=name or "")
        if found:
            raise ValidationError(" ".join(gettext(p) for p in found))


REQUIRED = _l("This field is required.")


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def chapter_choices(chapters) -> list[SelectChoice]:
    return choices([("", _l("— none —"))] + [(c.id, f"{c.code} · {c.name}") for c in chapters])


def optional_int(value):
    """Coerce for a select whose empty choice means None (an id beyond the databases'
    range is "not a valid choice", as any id not offered)."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    number = whole_number(str(value))
    if number is None:
        raise ValueError(value)
    return number


def bounded_int(value):
    """Coerce for a select of ids that always has a value."""
    number = optional_int(value)
    if number is None:
        raise ValueError(value)
    return number
