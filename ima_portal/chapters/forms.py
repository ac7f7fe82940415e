from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Length, Regexp

from ..forms import REQUIRED, bounded_int, choices
from . import queries


class ChapterForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)],
                       description=_l("For example: International Migrants Alliance – USA"))
    code = StringField(_l("Short code"), validators=[
        DataRequired(REQUIRED), Length(max=32),
        Regexp(r"^[A-Za-z0-9][A-Za-z0-9-]*$",
               message=_l("Use letters, digits and hyphens, such as IMA-USA."))],
        description=_l("Letters, digits and hyphens, such as IMA-USA."))
    country = StringField(_l("Country"), validators=[DataRequired(REQUIRED), Length(max=80)])
    region_id = SelectField(_l("Region"), coerce=bounded_int, validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, regions=(), chapter_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.chapter_id = chapter_id
        self.region_id.choices = choices((r.id, _l(r.name)) for r in regions)

    def validate_code(self, field):
        if field.data and queries.code_taken(field.data, except_id=self.chapter_id):
            raise ValidationError(_l("Another chapter already has this code."))

    def validate_name(self, field):
        if field.data and queries.name_taken(field.data, except_id=self.chapter_id):
            raise ValidationError(_l("Another chapter already has this name."))
