"""Word-level differences between two texts, as segments a template escapes.

The cost is bounded whatever the input: the common beginning and end are set aside in
linear time, the middle is compared with Myers' algorithm (O((N+M)·D) for D changed
words) under a budget of steps. When the words' budget runs out, the middle is compared
line by line (a line that changed shows whole), and when that runs out too, the middle
shows as one removal and one addition. Either way the segments rebuild both texts, so
the reader still sees what changed; only its precision coarsens.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

# Words (any alphabet), runs of white space, and each other character on its own.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# Lines, each with its line break, for the coarser comparison.
_LINES = re.compile(r"[^\n]*\n|[^\n]+")
# Steps of each of the (at most three) comparisons of one diff.
STEP_BUDGET = 60_000


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "added", "removed"
    text: str


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text or "")


class _Budget:
    def __init__(self, steps: int) -> None:
        self.left = steps


# A run is (same, removed, added): either the same text in both, or a replacement.
Run = tuple[str, str, str]


def _myers(a: list[str], b: list[str], budget: _Budget) -> list[Run] | None:
    """The shortest edit script from `a` to `b` as runs, or None when it would take more
    steps than the budget has left (the steps taken are spent either way)."""
    n, m = len(a), len(b)
    offset = n + m + 1
    v = array("l", [0]) * (2 * offset + 1)
    trace: list[array] = []
    for d in range(n + m + 1):
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            budget.left -= 1 + (x - start)
            v[offset + k] = x
            if x >= n and y >= m:
                trace.append(v[offset - d:offset + d + 1])
                return _backtrack(trace, a, b)
        trace.append(v[offset - d:offset + d + 1])
        if budget.left < 0:
            return None
    return None  # not reached: d = n + m always ends the path


def _backtrack(trace: list[array], a: list[str], b: list[str]) -> list[Run]:
    x, y = len(a), len(b)
    steps: list[tuple[str, str]] = []  # ("=", token), ("-", token), ("+", token), reversed
    for d in range(len(trace) - 1, 0, -1):
        before = trace[d - 1]  # holds k = -(d-1) .. d-1 at index k + d - 1

        def reach(k: int, before=before, d=d) -> int:
            return before[k + d - 1]

        k = x - y
        if k == -d or (k != d and reach(k - 1) < reach(k + 1)):
            prev_k = k + 1
        else:
            prev_k = k - 1
        prev_x = reach(prev_k)
        prev_y = prev_x - prev_k
        while x > prev_x and y > prev_y:
            x -= 1
            y -= 1
            steps.append(("=", a[x]))
        if x == prev_x:
            y -= 1
            steps.append(("+", b[y]))
        else:
            x -= 1
            steps.append(("-", a[x]))
    while x > 0 and y > 0:
        x -= 1
        y -= 1
        steps.append(("=", a[x]))
    runs: list[list[str]] = []
    for op, token in reversed(steps):
        same = op == "="
        if not runs or bool(runs[-1][0]) != same:
            runs.append(["", "", ""])
        runs[-1][{"=": 0, "-": 1, "+": 2}[op]] += token
    return [(r[0], r[1], r[2]) for r in runs]


def _middle(old: str, new: str, steps: int) -> list[Run]:
    """The runs between the common beginning and end: by words, else by lines (changed
    lines then compared word by word while a budget lasts), else one replacement. Each of
    the three comparisons has `steps` to spend."""
    by_words = _myers(tokens(old), tokens(new), _Budget(steps))
    if by_words is not None:
        return by_words
    by_lines = _myers(_LINES.findall(old), _LINES.findall(new), _Budget(steps))
    if by_lines is None:
        return [("", old, new)]
    within_lines = _Budget(steps)
    runs: list[Run] = []
    for same, removed, added in by_lines:
        if same:
            runs.append((same, "", ""))
        else:
            runs.extend((within_lines.left > 0
                         and _myers(tokens(removed), tokens(added), within_lines))
                        or [("", removed, added)])
    return runs


def _trimmed(a: list[str], b: list[str]) -> tuple[int, int]:
    """How many tokens `a` and `b` share at their beginning and, after it, at their end."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def word_diff(old: str, new: str, *, budget: int = STEP_BUDGET) -> list[Segment]:
    """The segments that turn `old` into `new`: unchanged, removed and added runs of
    words. A replaced run gives its removed words, then the added ones."""
    a, b = tokens(old), tokens(new)
    head, tail = _trimmed(a, b)
    middle = _middle("".join(a[head:len(a) - tail]), "".join(b[head:len(b) - tail]),
                     budget)
    runs: list[Run] = [("".join(a[:head]), "", ""), *middle,
                       ("".join(a[len(a) - tail:]), "", "")]
    runs = [run for run in runs if any(run)]
    # A space alone between two changes joins them, so that "unite for migrants" →
    # "stand with the caravan" reads as one replacement.
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
        elif run[0] and merged and merged[-1][0]:
            merged[-1][0] += run[0]
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
