from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField
from wtforms.validators import DataRequired, Email

from ..forms import REQUIRED, MaxLength


class PersonForm(FlaskForm):
    email = EmailField(_l("E-mail address of the person"), validators=[
        DataRequired(REQUIRED), MaxLength(254),
        Email(message=_l("Enter an e-mail address such as name@example.org."))])


class EraseForm(PersonForm):
    confirm = BooleanField(_l("I have checked that the request comes from this person, and "
                              "I understand what is kept"),
                           validators=[DataRequired(_l("Tick this to confirm."))])
