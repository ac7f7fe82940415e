"""Word-level differences between two texts (difflib), as segments a template escapes."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Words (any alphabet), runs of white space, and each other character on its own.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "added", "removed"
    text: str


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


def word_diff(old: str, new: str) -> list[Segment]:
    """The segments that turn `old` into `new`: unchanged, removed and added runs of
    words. A replaced run gives its removed words, then the added ones."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    # Runs of (same, removed, added) text; a space alone between two changes joins them,
    # so that "unite for migrants" → "stand with the caravan" reads as one replacement.
    runs: list[list[str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            runs.append([old_text, "", ""])
        else:
            runs.append(["", old_text, new_text])
    merged: list[list[str]] = []
    for index, run in enumerate(runs):
        between_changes = (run[0] and not run[0].strip() and 0 < index < len(runs) - 1
                           and merged and not merged[-1][0] and not runs[index + 1][0])
        if between_changes:
            merged[-1][1] += run[0]
            merged[-1][2] += run[0]
        elif not run[0] and merged and not merged[-1][0]:
            merged[-1][1] += run[1]
            merged[-1][2] += run[2]
        else:
            merged.append(list(run))
    segments: list[Segment] = []
    for same, removed, added in merged:
        if same:
            segments.append(Segment("same", same))
        if removed:
            segments.append(Segment("removed", removed))
        if added:
            segments.append(Segment("added", added))
    return segments


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.op != "same" for s in self.segments)


def field_diffs(old: dict[str, str], new: dict[str, str], labels: dict[str, str]
                ) -> list[FieldDiff]:
    """A word diff per field, in the order of `labels` (field name: label)."""
    return [FieldDiff(name, label, word_diff(old.get(name, ""), new.get(name, "")))
            for name, label in labels.items()]
