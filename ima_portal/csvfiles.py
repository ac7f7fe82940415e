"""CSV files for people's spreadsheets: each cell that a spreadsheet would read as a
formula (=, +, -, @, tab, carriage return) is quoted with a leading apostrophe; a plain
figure such as -200.00 stays a number."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def cell(value) -> str:
    text = "" if value is None else str(value)
    if NUMBER.match(text):
        return text
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(header: list[str], rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()
