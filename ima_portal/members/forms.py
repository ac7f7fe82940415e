from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from ..domain.dues import MembershipType, MemberStatus
from ..domain.languages import NAMES as LANGUAGE_NAMES
from ..domain.money import CURRENCIES, parse_cents
from ..forms import REQUIRED, MaxLength, choices, optional_int
from . import queries
from .models import ORGANIZATION_LIMITS
from .operations import ELSEWHERE_REFERENCE

CHANNEL_LABELS = {"chapter": _l("Through the chapter"),
                  "global": _l("Directly to the global secretariat")}
METHOD_LABELS = {"paypal": _l("PayPal"), "venmo": _l("Venmo"), "bank": _l("Bank transfer"),
                 "cash": _l("Cash"), "other": _l("Other")}


def _not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(_l("This date is in the future."))


class OrganizationForm(FlaskForm):
    chapter_id = SelectField(_l("Chapter"), coerce=optional_int)
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter the organization's name.")),
        Length(max=ORGANIZATION_LIMITS["name"])])
    country = StringField(_l("Country"), validators=[
        DataRequired(_l("Enter the country where the organization is based.")),
        Length(max=ORGANIZATION_LIMITS["country"])])
    region_id = SelectField(_l("Region"), coerce=optional_int,
                            validators=[DataRequired(_l("Choose the region."))])
    membership = SelectField(_l("Membership"), choices=choices(
        (m.value, _l(m.label)) for m in MembershipType),
        description=_l("Regular members vote and may be voted into any position; associate "
                       "members take part but do not vote."))
    status = SelectField(_l("Status"), choices=choices(
        (s.value, _l(s.label)) for s in MemberStatus))
    status_since = DateField(_l("Status since"), default=date.today,
                             validators=[DataRequired(_l("Enter a date such as 2024-05-01.")),
                                         _not_in_future],
                             description=_l("When the status above took effect."))
    joined_on = DateField(_l("Joined on"), validators=[Optional(), _not_in_future],
                          description=_l("Dues are owed from the year it joined."))
    contact_person = StringField(_l("Contact person"), validators=[
        Optional(), Length(max=ORGANIZATION_LIMITS["contact_person"])])
    email = EmailField(_l("E-mail"), validators=[
        Optional(), MaxLength(254),
        Email(message=_l("Enter an e-mail address such as name@example.org."),
              check_deliverability=False)])
    phone = StringField(_l("Phone"), validators=[Optional(),
                                                 Length(max=ORGANIZATION_LIMITS["phone"])])
    notes = TextAreaField(_l("Notes"), validators=[Optional(),
                                                   Length(max=ORGANIZATION_LIMITS["notes"])])
    language = SelectField(_l("Language"), choices=[
        ("", _l("As its chapter"))] + list(LANGUAGE_NAMES.items()),
        validators=[Optional()],
        description=_l("The language of its receipts (by default its chapter secretariat's, "
                       "else English)."))

    def __init__(self, *args, chapters=(), regions=(), fixed_chapter_id: int | None = None,
                 organization_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization_id = organization_id
        self.fixed_chapter_id = fixed_chapter_id
        self.chapter_id.choices = choices((c.id, f"{c.code} · {c.name}") for c in chapters)
        self.region_id.choices = choices((r.id, _l(r.name)) for r in regions)
        if fixed_chapter_id is not None:
            self.chapter_id.data = fixed_chapter_id

    def validate_chapter_id(self, field):
        if self.fixed_chapter_id is not None:
            field.data = self.fixed_chapter_id
        elif field.data is None:
            raise ValidationError(_l("Choose the chapter."))

    def validate_name(self, field):
        chapter_id = self.fixed_chapter_id or self.chapter_id.data
        if not (field.data and chapter_id):
            return
        duplicate = queries.find_duplicate(chapter_id, field.data,
                                            except_id=self.organization_id)
        if duplicate is not None:
            field.error_link = (url_for("members.detail", organization_id=duplicate.id),
                                duplicate.name)
            raise ValidationError(_l("This chapter already has an organization of this name "
                                     "(whatever its capitals or accents):"))

    def values(self) -> dict:
        return {"name": self.name.data, "country": self.country.data.strip(),
                "region_id": self.region_id.data,
                "membership": MembershipType(self.membership.data),
                "status": MemberStatus(self.status.data),
                "joined_on": self.joined_on.data,
                "contact_person": (self.contact_person.data or "").strip(),
                "email": (self.email.data or "").strip().lower(),
                "phone": (self.phone.data or "").strip(), "notes": self.notes.data or "",
                "language": self.language.data or None}


class PaymentForm(FlaskForm):
    amount = StringField(_l("Amount"), validators=[
        DataRequired(_l("Enter the amount paid, such as 50 or 50.00."))],
                         render_kw={"inputmode": "decimal", "placeholder": "50.00"})
    currency = SelectField(_l("Currency"), default="USD",
                           choices=choices((c, c) for c in CURRENCIES))
    usd_amount = StringField(_l("Amount in US$"),
                             render_kw={"inputmode": "decimal"},
                             description=_l("When paid in another currency: what it came to "
                                            "in US dollars."))
    paid_on = DateField(_l("Paid on"), default=date.today,
                        validators=[DataRequired(_l("Enter a date such as 2024-05-01.")),
                                    _not_in_future])
    channel = SelectField(_l("Paid to"), choices=choices(CHANNEL_LABELS.items()))
    method = SelectField(_l("Method"), choices=choices(METHOD_LABELS.items()))
    reference = StringField(_l("Payer's reference"), validators=[Optional(), Length(max=120)],
                            description=_l("The transaction id or receipt number: the same "
                                           "reference cannot be recorded twice."))

    def validate_amount(self, field):
        cents = parse_cents(field.data or "")
        if cents is None or cents <= 0:
            raise ValidationError(_l("Enter an amount such as 50 or 50.00."))
        if cents > 100_000_00:
            raise ValidationError(_l("That is more than US$100,000: check the amount."))
        self.amount_cents = cents

    def validate_usd_amount(self, field):
        if self.currency.data == "USD":
            return
        cents = parse_cents(field.data or "")
        if cents is None or cents <= 0:
            raise ValidationError(_l("Paid in %(currency)s: enter what it came to in US "
                                     "dollars.", currency=self.currency.data))
        self.usd_cents = cents

    # The chapter whose records the user may see (None: every chapter); set by the view.
    # A reference already recorded in another chapter is refused without naming anything
    # of that chapter's records.
    viewer_scope: int | None = -1

    def validate_reference(self, field):
        existing = queries.existing_payment(self.method.data, field.data or "")
        if existing is not None and self.viewer_scope not in (
                None, existing.organization.chapter_id):
            raise ValidationError(_l(ELSEWHERE_REFERENCE))
        if existing is not None:
            field.error_link = (url_for("members.detail",
                                        organization_id=existing.organization_id),
                                existing.organization.name)
            raise ValidationError(_l("This reference was already recorded on %(date)s for:",
                                     date=format_date(existing.paid_on, "medium")))

    def values(self) -> dict:
        usd = self.amount_cents if self.currency.data == "USD" else self.usd_cents
        return {"amount_cents": self.amount_cents, "currency": self.currency.data,
                "usd_cents": usd, "paid_on": self.paid_on.data, "channel": self.channel.data,
                "method": self.method.data, "reference": self.reference.data or ""}


class VoidForm(FlaskForm):
    reason = StringField(_l("Why is it voided?"),
                         validators=[DataRequired(_l("Say why the payment is voided.")),
                                     Length(max=300)],
                         render_kw={"placeholder": _l("e.g. entered twice; wrong organization")})


class DuesPolicyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)],
                       description=_l("For example: 6th Global Assembly (2026)"))
    rate = StringField(_l("Yearly dues (US$)"), default="50",
                       validators=[DataRequired(REQUIRED)])
    first_year = IntegerField(_l("First dues year"), validators=[
        DataRequired(_l("Enter a year such as 2023.")),
        NumberRange(2000, 2100, message=_l("Enter a year between 2000 and 2100."))])
    last_year = IntegerField(_l("Last dues year"), validators=[
        DataRequired(_l("Enter a year such as 2026.")),
        NumberRange(2000, 2100, message=_l("Enter a year between 2000 and 2100."))],
        description=_l("The years an assembly reckons: those since the last assembly."))
    payments_from = DateField(_l("Payments count from"), validators=[
        DataRequired(_l("Enter a date such as 2022-12-04."))],
        description=_l("Payments made on or after this day count towards these years "
                       "(usually the day after the last assembly)."))
    make_current = BooleanField(_l("Use this policy for standing from now on"), default=True)

    def validate_rate(self, field):
        cents = parse_cents(field.data or "")
        if cents is None:
            raise ValidationError(_l("Enter an amount such as 50 or 50.00."))
        self.rate_cents = cents

    def validate_last_year(self, field):
        if field.data and self.first_year.data and field.data < self.first_year.data:
            raise ValidationError(_l("The last year cannot come before the first."))


class OrientationForm(FlaskForm):
    held_on = DateField(_l("Held on"), validators=[DataRequired(_l("Enter the day it was "
                                                                     "held."))])
    attended = StringField(_l("Who attended"), validators=[DataRequired(REQUIRED),
                                                           Length(max=300)],
                           description=_l("Names, from the organization and the chapter."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
