from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, Optional

from ..domain.common import whole_number
from ..domain.statements import LANGUAGES, Occasion, parse_hashtags
from ..forms import REQUIRED, choices

BODY_MAX = 30_000
# The line printed under a statement: what to type when it is left empty.
REFERENCE_NAME = _l("Enter the name printed under the statement, such as the chair's.")
REFERENCE_TITLE = _l("Enter the title printed under the name, such as IMA chairperson.")


def _hashtags(form, field):
    _tags, problems = parse_hashtags(field.data or "")
    if problems:
        raise ValidationError(gettext(
            "Not a hashtag: %(tags)s. A hashtag is letters, digits and underscores, "
            "without spaces or punctuation, and not only digits (such as #MigrantsDay).",
            tags=", ".join(problems)))


def _single_line(form, field):
    if field.data and ("\n" in field.data or "\r" in field.data):
        raise ValidationError(gettext("Keep this on one line."))


def _max_lines(count: int, each: int):
    def check(form, field):
        rows = [r for r in (field.data or "").splitlines() if r.strip()]
        if len(rows) > count:
            raise ValidationError(gettext("At most %(num)d lines.", num=count))
        if any(len(r.strip()) > each for r in rows):
            raise ValidationError(gettext("Each line may have at most %(num)d characters.",
                                          num=each))
    return check


class StatementForm(FlaskForm):
    """The editor. On a new statement, also the issuing body and the language."""

    issuer = SelectField(_l("Issued by"), validate_choice=True)
    language = SelectField(_l("Language"), choices=choices(LANGUAGES.items()))
    partners = TextAreaField(
        _l("Partner organizations"), validators=[Optional(), _max_lines(30, 200)],
        description=_l("For a joint statement: one organization a line."))
    headline = StringField(_l("Headline"), validators=[DataRequired(_l("Write the headline.")),
                                                   Length(max=300),
                                                   _single_line],
                           description=_l("Often a slogan."))
    subheadlines = TextAreaField(_l("Sub-headlines"), validators=[Optional(),
                                                                   _max_lines(5, 300)],
                                 description=_l("Optional; one a line."))
    occasion = SelectField(_l("Occasion"), choices=choices(
        (o.value, _l(o.label)) for o in Occasion))
    dateline_place = StringField(_l("Date line: place"),
                                 validators=[Optional(), Length(max=120), _single_line],
                                 description=_l("Such as Hong Kong."))
    issued_on = DateField(_l("Date line: date"), validators=[Optional()])
    body = TextAreaField(_l("Body"), validators=[DataRequired(_l("Write the statement's text.")),
                                                 Length(max=BODY_MAX)],
                         description=_l("Paragraphs separated by a blank line. **bold**, "
                                        "*italic*, [a link](https://…), lists with “- ”."))
    slogans = TextAreaField(_l("Closing slogans"), validators=[Optional(), _max_lines(10, 300)],
                            description=_l("One a line."))
    hashtags = StringField(_l("Hashtags"), validators=[Optional(), Length(max=600), _hashtags],
                           description=_l("Separated by spaces, such as #MigrantsDay "
                                          "#JunkTheWar."))
    reference_name = StringField(_l("Reference: name"),
                                 validators=[DataRequired(REFERENCE_NAME), Length(max=120),
                                             _single_line])
    reference_title = StringField(_l("Reference: title"),
                                  validators=[DataRequired(REFERENCE_TITLE), Length(max=120),
                                              _single_line])
    source_up_to_date = BooleanField(_l("This translation now follows the original's "
                                        "current text"))
    base_revision = HiddenField()
    # A translation: the original's revision shown when the editor opened (what "now
    # follows the original" means).
    source_revision = HiddenField()

    CONTENT = ("partners", "headline", "subheadlines", "occasion", "dateline_place",
               "issued_on", "body", "slogans", "hashtags", "reference_name",
               "reference_title")

    def values(self) -> dict:
        return {name: self[name].data for name in self.CONTENT}

    def base_revision_id(self) -> int | None:
        return whole_number(self.base_revision.data)

    def source_revision_id(self) -> int | None:
        return whole_number(self.source_revision.data)


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(REQUIRED), Length(max=4000)])


class DecisionForm(FlaskForm):
    """The chair's decision, or a withdrawal: the comment or reason where one is needed."""

    text = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])
    revision_id = HiddenField()
    # Signing off: the SHA-256 the confirmation showed (what the chair signs).
    content_sha256 = HiddenField()


class SettingsForm(FlaskForm):
    reference_name = StringField(_l("Name"), validators=[DataRequired(REFERENCE_NAME),
                                                         Length(max=120)],
                                 description=_l("The chair's name, as printed."))
    reference_title = StringField(_l("Title"), validators=[DataRequired(REFERENCE_TITLE),
                                                           Length(max=120)],
                                  description=_l("Such as IMA chairperson."))
    paper_size = SelectField(_l("Paper for printed statements"),
                             choices=choices([("A4", "A4"), ("Letter", _l("US Letter"))]),
                             description=_l("The default when a statement is exported to "
                                            "PDF; the exporter may choose the other."))
