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
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(b[j1:j2])))
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
