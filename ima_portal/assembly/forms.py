from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from ..domain.assembly import INTERPRETATION_LANGUAGES, Participation
from ..domain.common import MAX_ID
from ..forms import REQUIRED, MaxLength, choices, optional_int


class RegistrationForm(FlaskForm):
    organization_id = SelectField(_l("Organization"), coerce=optional_int,
                                  validators=[DataRequired(_l("Choose the organization."))])
    participation = RadioField(_l("Takes part as"), choices=choices(
        (p.value, _l(p.label)) for p in Participation),
        validators=[DataRequired(_l("Choose how this person takes part."))])
    full_name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter the delegate's full name.")), Length(max=160)])
    email = EmailField(_l("E-mail"), validators=[
        Optional(), MaxLength(254),
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


class AssemblyForm(FlaskForm):
    """The global secretariat keeps an assembly's facts."""

    number = IntegerField(_l("Number"), validators=[DataRequired(REQUIRED),
                                                    NumberRange(min=1, max=99)],
                          description=_l("5 for the 5th Global Assembly."))
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=160)])
    city = StringField(_l("City"), validators=[DataRequired(REQUIRED), Length(max=80)])
    country = StringField(_l("Country"), validators=[DataRequired(REQUIRED), Length(max=80)])
    first_day = DateField(_l("First day"), validators=[DataRequired(_l("Enter a date."))])
    last_day = DateField(_l("Last day"), validators=[DataRequired(_l("Enter a date."))])
    arrive_by = DateField(_l("Recommended arrival"),
                          validators=[DataRequired(_l("Enter a date."))])
    leave_on = DateField(_l("Recommended departure"),
                         validators=[DataRequired(_l("Enter a date."))])
    nights_from = DateField(_l("First night the fee covers"),
                            validators=[DataRequired(_l("Enter a date."))])
    checkout_on = DateField(_l("Check-out (the covered nights end that morning)"),
                            validators=[DataRequired(_l("Enter a date."))])
    fee = StringField(_l("Fee per international participant (US$)"),
                      validators=[DataRequired(REQUIRED)])
    fee_covers = TextAreaField(_l("What the fee covers"),
                               validators=[Optional(), Length(max=1000)])
    registration_opens = DateField(_l("Registration opens"),
                                   validators=[DataRequired(_l("Enter a date."))])
    registration_deadline = DateField(_l("Registration deadline (last day)"),
                                      validators=[DataRequired(_l("Enter a date."))])
    dues_policy_id = SelectField(_l("Dues policy it reckons"), coerce=optional_int,
                                 validators=[DataRequired(REQUIRED)])

    def validate_fee(self, field):
        from ..domain.money import parse_cents
        self.fee_cents = parse_cents(field.data or "")
        if self.fee_cents is None:
            raise ValidationError(_l("Enter an amount in US dollars, such as 250 or 250.00."))

    DATE_FIELDS = ("first_day", "last_day", "arrive_by", "leave_on", "nights_from",
                   "checkout_on")

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then the rule of how the dates sit together
        (`domain.assembly.check_assembly_dates`), each message beside its field."""
        from flask_babel import gettext

        from ..domain.assembly import check_assembly_dates
        ok = super().validate(extra_validators)
        values = [self[name].data for name in self.DATE_FIELDS]
        if all(values):
            for name, reason in check_assembly_dates(*values).items():
                self[name].errors = [*self[name].errors, gettext(reason)]
                ok = False
        return ok

    def validate_registration_deadline(self, field):
        opens = self.registration_opens.data
        if opens and field.data and field.data < opens:
            raise ValidationError(_l("The deadline comes before registration opens."))


# ---- fees and the solidarity fund ----------------------------------------------------------------

AMOUNT_HELP = _l("In US dollars, such as 250 or 250.00.")
AMOUNT_ERROR = _l("Enter an amount in US dollars, such as 250 or 250.00.")


def _method_choices():
    from ..domain.fees import FEE_METHODS
    labels = {"bank": _l("Bank transfer"), "paypal": _l("PayPal"), "venmo": _l("Venmo"),
              "cash": _l("Cash"), "other": _l("Other")}
    return choices((m, labels[m]) for m in FEE_METHODS)


class AmountMixin:
    """An amount typed in dollars, kept as typed and read as integer cents (`cents`)."""

    cents: int | None = None

    def validate_amount(self, field):
        from ..domain.money import parse_cents
        self.cents = parse_cents(field.data or "")
        if self.cents is None or self.cents <= 0:
            raise ValidationError(AMOUNT_ERROR)


class PaymentForm(AmountMixin, FlaskForm):
    amount = StringField(_l("Amount (US$)"), validators=[DataRequired(AMOUNT_ERROR)],
                         description=AMOUNT_HELP)
    method = SelectField(_l("Paid by"), choices=_method_choices(),
                         validators=[DataRequired(_l("Choose how it was paid."))])
    paid_on = DateField(_l("Paid on"), validators=[DataRequired(_l("Enter a date."))])
    reference = StringField(_l("Reference"), validators=[Optional(), Length(max=120)],
                            description=_l("The bank's or PayPal's reference, a receipt "
                                           "number…"))


class ReasonForm(FlaskForm):
    """A void (entry_id) or a waiver: always with a reason."""
    entry_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Say why.")),
                                                   Length(max=300)])


class SettleForm(FlaskForm):
    decision = RadioField(_l("What was paid is"), choices=choices([
        ("refund", _l("Refunded")), ("credit", _l("Kept as credit"))]),
        validators=[DataRequired(_l("Choose one."))])
    reason = StringField(_l("Note"), validators=[Optional(), Length(max=300)])


class MarkPaidForm(FlaskForm):
    """The bulk action: several fees paid by one transfer."""
    reference = StringField(_l("Reference of the payment"),
                            validators=[DataRequired(REQUIRED), Length(max=120)])
    method = SelectField(_l("Paid by"), choices=_method_choices(),
                         validators=[DataRequired(REQUIRED)])
    paid_on = DateField(_l("Paid on"), validators=[DataRequired(_l("Enter a date."))])


class GoalForm(AmountMixin, FlaskForm):
    amount = StringField(_l("Goal (US$)"), validators=[DataRequired(REQUIRED)],
                         description=AMOUNT_HELP)


class PledgeForm(AmountMixin, FlaskForm):
    donor = StringField(_l("Donor"), validators=[DataRequired(REQUIRED), Length(max=160)])
    amount = StringField(_l("Amount (US$)"), validators=[DataRequired(REQUIRED)],
                         description=AMOUNT_HELP)
    promised_on = DateField(_l("Promised for"), validators=[Optional()])
    anonymous = BooleanField(_l("Anonymous (the name is seen by the chapter and the global "
                                "secretariat only)"))


class ReceiptForm(AmountMixin, FlaskForm):
    amount = StringField(_l("Amount (US$)"), validators=[DataRequired(REQUIRED)],
                         description=AMOUNT_HELP)
    received_on = DateField(_l("Received on"), validators=[DataRequired(_l("Enter a date."))])
    settles_id = SelectField(_l("Settles the pledge"), coerce=optional_int,
                             validators=[Optional()])
    donor = StringField(_l("Donor"), validators=[Optional(), Length(max=160)],
                        description=_l("Leave empty when it settles a pledge."))
    anonymous = BooleanField(_l("Anonymous"))


class GrantForm(AmountMixin, FlaskForm):
    registration_id = SelectField(_l("Delegate"), coerce=optional_int,
                                  validators=[DataRequired(_l("Choose a delegate."))])
    purpose = RadioField(_l("For"), choices=choices([("fee", _l("Registration fee")),
                                                     ("travel", _l("Travel"))]), default="fee",
                         validators=[DataRequired(_l("Choose one."))])
    amount = StringField(_l("Amount (US$)"), validators=[DataRequired(REQUIRED)])
