"""A statement as it reads: one shape for a saved revision and for the editor's live
preview, so the page, the preview and the PDF show the same thing; and the texts a reader
compares between two revisions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from ..domain.statements import LANGUAGE_SHORT, LANGUAGES, Occasion, lines, parse_hashtags
from .content import revision_values
from .diff import FieldDiff, field_diffs
from .markdown import render_markdown
from .models import SignOff, Statement, StatementComment, StatementRevision

# The words a statement itself carries, in the statement's own language (not the
# reader's): they are part of the text that is printed and circulated.
STATEMENT_WORDS = {
    "en": {"reference": "Reference", "translation": "Translation", "with": "with",
           "signed": "Signed off by %(name)s on %(date)s", "code": "Verification code",
           "check": "Check this copy at", "page": "Page", "of": "of",
           "draft": "Not signed off by the chair", "withdrawn": "Withdrawn"},
    "es": {"reference": "Referencia", "translation": "Traducción", "with": "con",
           "signed": "Aprobado por %(name)s el %(date)s", "code": "Código de verificación",
           "check": "Verifique esta copia en", "page": "Página", "of": "de",
           "draft": "Sin la aprobación de la presidencia", "withdrawn": "Retirada"},
    "fr": {"reference": "Référence", "translation": "Traduction", "with": "avec",
           "signed": "Approuvé par %(name)s le %(date)s", "code": "Code de vérification",
           "check": "Vérifiez cet exemplaire sur", "page": "Page", "of": "sur",
           "draft": "Non approuvé par la présidence", "withdrawn": "Retirée"},
    "id": {"reference": "Referensi", "translation": "Terjemahan", "with": "bersama",
           "signed": "Disetujui oleh %(name)s pada %(date)s", "code": "Kode verifikasi",
           "check": "Periksa salinan ini di", "page": "Halaman", "of": "dari",
           "draft": "Belum disetujui oleh ketua", "withdrawn": "Ditarik"},
}


@dataclass(frozen=True)
class StatementView:
    issuer_name: str
    partners: list[str]
    language: str
    headline: str
    subheadlines: list[str]
    dateline: str
    body_html: Markup
    slogans: list[str]
    hashtags: list[str]
    reference_name: str
    reference_title: str

    @property
    def language_name(self) -> str:
        return LANGUAGES.get(self.language, self.language)

    @property
    def words(self) -> dict[str, str]:
        return STATEMENT_WORDS.get(self.language, STATEMENT_WORDS["en"])

    @property
    def reference_line(self) -> str:
        parts = [p for p in (self.reference_name, self.reference_title) if p]
        return ", ".join(parts)


def dateline(place: str, issued_on: date | None, language: str) -> str:
    """"Hong Kong, 18 December 2022", with the month in the statement's language."""
    when = format_date(issued_on, format="long", locale=language) if issued_on else ""
    return ", ".join(p for p in (place.strip(), when) if p)


def view_of(values: dict, *, issuer_name: str, language: str) -> StatementView:
    tags, _problems = parse_hashtags(values.get("hashtags") or "")
    return StatementView(
        issuer_name=issuer_name, partners=lines(values.get("partners")), language=language,
        headline=(values.get("headline") or "").strip(),
        subheadlines=lines(values.get("subheadlines")),
        dateline=dateline(values.get("dateline_place") or "", values.get("issued_on"),
                          language),
        body_html=render_markdown(values.get("body") or ""),
        slogans=lines(values.get("slogans")), hashtags=tags,
        reference_name=(values.get("reference_name") or "").strip(),
        reference_title=(values.get("reference_title") or "").strip())


def view_of_revision(rev: StatementRevision) -> StatementView:
    return view_of(revision_values(rev), issuer_name=rev.issuer_name, language=rev.language)


def language_links(statement: Statement, visible=lambda s: True
                   ) -> list[tuple[str, Statement]]:
    """The other language versions of `statement` as (short language name, statement):
    the original first, then the translations by language; only those `visible` says the
    reader may open."""
    original = statement.original or statement
    family = [original, *original.translations]
    return [(LANGUAGE_SHORT.get(s.language, s.language), s) for s in family
            if s.id != statement.id and visible(s)]


def signed_on(sign_off: SignOff, language: str) -> str:
    """The day of the sign-off where the chair signed it (their time zone)."""
    try:
        zone = ZoneInfo(sign_off.chair.timezone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return format_date(sign_off.signed_at.astimezone(zone).date(), format="long",
                       locale=language)


# ---- comparing revisions ----------------------------------------------------------------

# The fields a comparison shows, in order, with their labels.
COMPARED_FIELDS = {
    "issuer": "Issued by", "partners": "Partner organizations", "headline": "Headline",
    "subheadlines": "Sub-headlines", "occasion": "Occasion", "dateline": "Date line",
    "body": "Body", "slogans": "Closing slogans", "hashtags": "Hashtags",
    "reference": "Reference",
}


def compared_texts(rev: StatementRevision | None) -> dict[str, str]:
    """A revision's fields as the texts a reader compares (empty when there is none)."""
    if rev is None:
        return {}
    view = view_of_revision(rev)
    return {"issuer": rev.issuer_name, "partners": rev.partners, "headline": rev.headline,
            "subheadlines": rev.subheadlines, "occasion": _(Occasion.label_of(rev.occasion)),
            "dateline": view.dateline, "body": rev.body, "slogans": rev.slogans,
            "hashtags": rev.hashtags, "reference": view.reference_line}


@dataclass(frozen=True)
class SinceDecision:
    """What the chair's queue shows beside a statement submitted again: the revision the
    chair last decided on (`basis`: "sent_back" or "approved"), the chair's comment when
    it was sent back, the fields that changed since (word by word) and those that did
    not (folded away)."""
    basis: str
    old: StatementRevision
    comment: StatementComment | None
    changed: list[FieldDiff]
    unchanged: list[FieldDiff]

    @property
    def unchanged_labels(self) -> list[str]:
        return [d.label for d in self.unchanged]


def since_decision(basis: str, old: StatementRevision, new: StatementRevision,
                   comment: StatementComment | None = None) -> SinceDecision:
    diffs = field_diffs(compared_texts(old), compared_texts(new), COMPARED_FIELDS)
    return SinceDecision(
        basis=basis, old=old, comment=comment,
        changed=[d for d in diffs if d.changed],
        unchanged=[d for d in diffs if not d.changed
                   and "".join(s.text for s in d.segments).strip()])
