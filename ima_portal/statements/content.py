"""A statement's text as the editor sends it, as a revision keeps it, and as a sign-off
binds it (no database access: plain values and the revision rows already loaded)."""
from __future__ import annotations

from ..domain.statements import lines, parse_hashtags
from .models import StatementRevision

# The text fields a revision keeps, as the editor sends them.
TEXT_FIELDS = ("partners", "headline", "subheadlines", "occasion", "dateline_place", "body",
               "slogans", "hashtags", "reference_name", "reference_title")


def normalized(values: dict) -> dict:
    """The editor's values as a revision keeps them: one item a line, hashtags with '#'
    and one space between, no trailing blanks."""
    out = {name: (values.get(name) or "").strip() for name in TEXT_FIELDS}
    for name in ("partners", "subheadlines", "slogans"):
        out[name] = "\n".join(lines(out[name]))
    tags, _problems = parse_hashtags(out["hashtags"])
    out["hashtags"] = " ".join(tags)
    out["body"] = out["body"].replace("\r\n", "\n")
    out["issued_on"] = values.get("issued_on")
    return out


def content_fields(issuer: str, language: str, values: dict) -> dict:
    """The fields a sign-off binds (see `domain.statements.CONTENT_FIELDS`)."""
    return {"issuer": issuer, "language": language,
            "partners": lines(values["partners"]), "headline": values["headline"],
            "subheadlines": lines(values["subheadlines"]), "occasion": values["occasion"],
            "dateline_place": values["dateline_place"], "issued_on": values["issued_on"],
            "body": values["body"], "slogans": lines(values["slogans"]),
            "hashtags": values["hashtags"].split(), "reference_name": values["reference_name"],
            "reference_title": values["reference_title"]}


def revision_values(rev: StatementRevision) -> dict:
    """A revision's fields as the editor holds them."""
    values = {name: getattr(rev, name) for name in TEXT_FIELDS}
    values["issued_on"] = rev.issued_on
    return values


def revision_content(rev: StatementRevision) -> dict:
    """The fields of `rev` that its sign-off binds."""
    return content_fields(rev.issuer_name, rev.language, revision_values(rev))
