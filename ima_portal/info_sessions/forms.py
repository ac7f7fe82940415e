"""Forms: scheduling sessions, the call link, cancelling, and the public sign-up."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..domain import info_sessions as rules
from ..forms import REQUIRED, MaxLength, choices, optional_int


def zone_choices() -> dict:
    """Every IANA zone, grouped by region (one <optgroup> each)."""
    return {region: [(z, z.replace("_", " ")) for z in zones]
            for region, zones in rules.zone_groups()}


def language_choices():
    return choices((code, _l(label)) for code, label in rules.LANGUAGES.items())


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ScheduleForm(FlaskForm):
    chapter_id = SelectField(_l("Chapter"), coerce=optional_int,
                             validators=[DataRequired(_l("Choose the chapter."))])
    assembly_id = SelectField(_l("Before the assembly"), coerce=optional_int,
                              validators=[Optional()])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=160)],
                        description=_l("Optional, such as “Info session on the 5th Global "
                                       "Assembly”."))
    day = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date."))])
    start_time = TimeField(_l("Starts at"), validators=[DataRequired(_l("Enter the time."))])
    end_time = TimeField(_l("Ends at"), validators=[DataRequired(_l("Enter the time."))])
    timezone = SelectField(_l("Time zone"), validators=[DataRequired(REQUIRED)],
                           description=_l("The date and times are read in this zone."))
    weeks = IntegerField(_l("Repeat weekly for"), default=1,
                         validators=[DataRequired(_l("Enter a number of weeks.")),
                                     NumberRange(1, rules.MAX_WEEKS,
                                                 _l("Repeat for 1 to %(max)s weeks."))],
                         description=_l("weeks (1: this date only)."))
    call_link = URLField(_l("Call link"), validators=[Optional(), Length(max=500)],
                         description=_l("https:// only. Optional now: you can add it later "
                                        "and mail it to everyone registered."))
    languages = MultiCheckboxField(_l("Languages offered"), default=["en"],
                                   validators=[DataRequired(_l("Choose at least one "
                                                               "language."))],
                                   description=_l("Interpretation into any of them is "
                                                  "offered on request."))
    capacity = IntegerField(_l("Capacity"), validators=[
        Optional(), NumberRange(1, 10000, _l("Enter a number of places, or leave it empty."))],
        description=_l("Optional: leave empty for no limit."))

    def __init__(self, *args, chapters=(), assemblies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.chapter_id.choices = choices((c.id, f"{c.code} · {c.name}") for c in chapters)
        self.assembly_id.choices = choices(
            [("", _l("— none (a general session) —"))]
            + [(a.id, a.name) for a in assemblies])
        self.timezone.choices = zone_choices()
        self.languages.choices = language_choices()


class CallLinkForm(FlaskForm):
    call_link = URLField(_l("Call link"), validators=[Optional(), Length(max=500)],
                         description=_l("https:// only."))


class CancelForm(FlaskForm):
    reason = StringField(_l("Reason (told to those registered)"),
                         validators=[Optional(), Length(max=300)])


class ZoneForm(FlaskForm):
    """The public page's time-zone choice (a GET form: no token)."""

    class Meta:
        csrf = False

    tz = SelectField(_l("Show the times in"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz.choices = zone_choices()


class SignupForm(FlaskForm):
    session_id = RadioField(_l("Session"), coerce=optional_int, validate_choice=False,
                            validators=[DataRequired(_l("Choose a session."))])
    name = StringField(_l("Your name"), validators=[DataRequired(REQUIRED), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(REQUIRED), MaxLength(254),
        Email(message=_l("Enter an e-mail address such as name@example.org."),
              check_deliverability=False)],
        description=_l("The confirmation, and the call link, are sent here."))
    organization = StringField(_l("Organization"), validators=[Optional(), Length(max=200)],
                               description=_l("Optional."))
    interpretation = SelectField(_l("Interpretation wanted"), validators=[Optional()])
    timezone = HiddenField()

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.session_id.choices = [(s.id, str(s.id)) for s in sessions]
        self.interpretation.choices = choices([("", _l("None"))] + [
            (code, _l(label)) for code, label in rules.LANGUAGES.items()])
