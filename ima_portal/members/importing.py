"""CSV import of organizations: every row checked and shown first, nothing written until
the user confirms, then every valid row in one transaction
(`operations.import_organizations`).

Columns (header names, any order, case-insensitive): name, country, membership (regular /
associate), status (applicant / active / suspended / left), status_since, joined_on
(YYYY-MM-DD), contact_person, email, phone, notes; and chapter (a chapter code) when the
global secretariat imports for several chapters."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email

from ..chapters.queries import all_chapters
from ..domain.dues import MembershipType, MemberStatus
from ..domain.names import name_key
from .models import ORGANIZATION_LIMITS
from .queries import find_duplicate

MAX_ROWS = 2000
KNOWN = ("name", "country", "membership", "status", "status_since", "joined_on",
         "contact_person", "email", "phone", "notes", "chapter")
REQUIRED = ("name", "country")


@dataclass
class ImportRow:
    line: int
    raw: dict[str, str]
    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Preview:
    rows: list[ImportRow]
    problems: list[str]          # about the file as a whole

    @property
    def valid(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]


def _date(text: str, label: str, row: ImportRow, *, today: date) -> date | None:
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        row.problems.append(f"{label}: “{text}” is not a date such as 2021-05-01")
        return None
    if value > today:
        row.problems.append(f"{label}: {text} is in the future")
    return value


def preview(text: str, *, fixed_chapter_id: int | None, today: date | None = None) -> Preview:
    """Reads and checks the CSV; writes nothing."""
    today = today or date.today()
    if "\x00" in text:
        return Preview([], ["The file holds a NUL character, which no spreadsheet writes in "
                            "text: save it again as CSV (UTF-8)."])
    try:
        return _preview(text, fixed_chapter_id=fixed_chapter_id, today=today)
    except csv.Error as error:
        # a cell over the csv module's 131,072 characters, a broken quote…
        return Preview([], [f"The file could not be read as CSV ({error}). Check that it "
                            "was saved as CSV and that no cell is longer than a page."])


def _preview(text: str, *, fixed_chapter_id: int | None, today: date) -> Preview:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower().replace(" ", "_") for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if not header:
        return Preview([], ["The file is empty."])
    if missing:
        return Preview([], [f"The header has no {', '.join(missing)} column. Expected columns: "
                            + ", ".join(KNOWN) + "."])
    if fixed_chapter_id is None and "chapter" not in header:
        return Preview([], ["Add a chapter column (a chapter code such as IMA-USA) to say "
                            "which chapter each organization belongs to."])
    reader.fieldnames = header
    chapters = {c.code.lower(): c for c in all_chapters()}
    seen: dict[tuple[int, str], int] = {}
    rows: list[ImportRow] = []
    for number, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            return Preview(rows, [f"Only the first {MAX_ROWS} rows are read; split the file."])
        raw = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(raw.values()):
            continue
        row = ImportRow(number, raw)
        rows.append(row)
        chapter = None
        if fixed_chapter_id is not None:
            if raw.get("chapter") and chapters.get(raw["chapter"].lower()) is not None \
                    and chapters[raw["chapter"].lower()].id != fixed_chapter_id:
                row.problems.append(f"chapter: {raw['chapter']} is not your chapter")
            chapter_id = fixed_chapter_id
        else:
            chapter = chapters.get(raw.get("chapter", "").lower())
            if chapter is None:
                row.problems.append(f"chapter: no chapter has the code “{raw.get('chapter', '')}”")
            chapter_id = chapter.id if chapter else None
        for column in REQUIRED:
            if not raw.get(column):
                row.problems.append(f"{column}: required")
        for column, limit in ORGANIZATION_LIMITS.items():
            if len(raw.get(column, "")) > limit:
                row.problems.append(f"{column}: longer than {limit:,} characters")
        membership = raw.get("membership", "").lower() or "regular"
        if membership not in {m.value for m in MembershipType}:
            row.problems.append(f"membership: “{raw['membership']}” is not regular or associate")
        status = raw.get("status", "").lower() or "active"
        if status not in {s.value for s in MemberStatus}:
            row.problems.append(f"status: “{raw['status']}” is not applicant, active, "
                                "suspended or left")
        joined_on = _date(raw.get("joined_on", ""), "joined_on", row, today=today)
        status_since = _date(raw.get("status_since", ""), "status_since", row, today=today)
        email = raw.get("email", "")
        if email:
            try:
                email = validate_email(email, check_deliverability=False).normalized.lower()
            except EmailNotValidError:
                row.problems.append(f"email: “{email}” is not an e-mail address")
        if raw.get("name") and chapter_id is not None:
            key = (chapter_id, name_key(raw["name"]))
            if key in seen:
                row.problems.append(f"name: the same as line {seen[key]}")
            else:
                seen[key] = number
                if find_duplicate(chapter_id, raw["name"]) is not None:
                    row.problems.append("name: this chapter already has an organization of "
                                        "this name")
        if row.ok:
            region_id = (chapter or _chapter_by_id(chapters, chapter_id)).region_id
            row.values = {"chapter_id": chapter_id, "name": raw["name"],
                          "country": raw["country"], "region_id": region_id,
                          "membership": MembershipType(membership),
                          "status": MemberStatus(status), "joined_on": joined_on,
                          "status_since": status_since or joined_on or today,
                          "contact_person": raw.get("contact_person", ""),
                          "email": email, "phone": raw.get("phone", ""),
                          "notes": raw.get("notes", "")}
    if not rows:
        return Preview([], ["The file has a header but no rows."])
    return Preview(rows, [])


def _chapter_by_id(chapters: dict, chapter_id: int):
    return next(c for c in chapters.values() if c.id == chapter_id)

