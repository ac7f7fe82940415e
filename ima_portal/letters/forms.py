from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class LetterRequestForm(FlaskForm):
    """The rules (domain/letters.check_request) say what is missing or wrong, beside each
    field; the form only reads what was typed."""
    passport_name = StringField(_l("Name as in the passport"), validators=[Length(max=200)],
                                description=_l("Exactly as the passport writes it, in its "
                                               "own script and order."))
    nationality = StringField(_l("Nationality"), validators=[Length(max=120)])
    passport_number = StringField(_l("Passport number"), validators=[Length(max=40)],
                                  render_kw={"autocomplete": "off", "spellcheck": "false"})
    passport_expiry = DateField(_l("Passport expires on"), validators=[Optional()],
                                description=_l("Optional."))
    date_of_birth = DateField(_l("Date of birth"), validators=[Optional()])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Length(max=300)])
