from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from ..domain.assembly import INTERPRETATION_LANGUAGES, PARTICIPATION_LABELS, Participation
from ..forms import REQUIRED, choices, optional_int


class RegistrationForm(FlaskForm):
    organization_id = SelectField(_l("Organization"), coerce=optional_int,
                                  validators=[DataRequired(_l("Choose the organization."))])
    participation = RadioField(_l("Takes part as"), choices=choices(
        (p.value, _l(PARTICIPATION_LABELS[p])) for p in Participation),
        validators=[DataRequired(_l("Choose how this person takes part."))])
    full_name = StringField(_l("Full name"), validators=[DataRequired(REQUIRED),
                                                         Length(max=160)])
    email = EmailField(_l("E-mail"), validators=[
        Optional(), Length(max=254),
        Email(message=_l("Enter an e-mail address such as name@example.org."),
              check_deliverability=False)],
        description=_l("Optional: many organizers register through the secretariat."))
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)],
                        description=_l("Optional."))
    delegation_lead = BooleanField(_l("Leads the chapter's delegation"))
    international = BooleanField(_l("International participant (pays the registration fee)"),
                                 default=True)
    arrival = DateField(_l("Arrival"), validators=[Optional()])
    departure = DateField(_l("Departure"), validators=[Optional()])
    accommodation = BooleanField(_l("Needs accommodation"), default=True)
    interpretation = SelectField(_l("Interpretation wanted"), choices=choices(
        [("", _l("None"))] + list(INTERPRETATION_LANGUAGES.items())))
    dietary = TextAreaField(_l("Dietary needs"), validators=[Optional(), Length(max=1000)])
    access_needs = TextAreaField(_l("Access needs"), validators=[Optional(), Length(max=1000)])
    offers_speaker = BooleanField(_l("Can speak in a panel or workshop"))
    offers_cultural = BooleanField(_l("Brings a cultural sharing"))
    offers_materials = BooleanField(_l("Brings campaign materials"))
    consent_list = BooleanField(_l("Agrees to appear in the participants list"))

    VALUES = ("full_name", "email", "phone", "participation", "delegation_lead",
              "international", "arrival", "departure", "accommodation", "interpretation",
              "dietary", "access_needs", "offers_speaker", "offers_cultural",
              "offers_materials", "consent_list")

    def values(self) -> dict:
        values = {name: self[name].data for name in self.VALUES}
        for name in ("email", "phone", "dietary", "access_needs", "full_name"):
            values[name] = (values[name] or "").strip()
        values["interpretation"] = values["interpretation"] or ""
        return values
