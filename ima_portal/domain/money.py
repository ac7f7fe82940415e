"""Money is integer cents, never floats."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CURRENCIES = ("USD", "CAD", "MXN", "PHP", "AUD", "EUR", "HKD", "KES", "LBP", "IDR", "GBP")

_AMOUNT = re.compile(r"^\s*(?:US)?\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*$")


def format_usd(cents: int) -> str:
    """US$150, US$12.50, -US$50 (whole dollars without decimals)."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    body = f"{dollars:,}" if rest == 0 else f"{dollars:,}.{rest:02d}"
    return f"{sign}US${body}"


class Usd(int):
    """An amount in cents handed to a message as a parameter: it reads as `format_usd` in
    English ("US$150") wherever it is formatted as text, and the web layer (`web.say`)
    writes it for the reader's language instead ("150 US$" in Français)."""

    def __str__(self) -> str:
        return format_usd(int(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Usd({int(self)})"


def plain_amount(cents: int) -> str:
    """Plain figures for spreadsheets and form fields: 150.00, -12.50 (integer
    arithmetic, never a float)."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}{dollars}.{rest:02d}"


def format_amount(cents: int, currency: str) -> str:
    if currency == "USD":
        return format_usd(cents)
    dollars, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{currency} {dollars:,}.{rest:02d}"


# The largest amount the ledgers hold in one entry: the databases' INTEGER of cents
# (US$21,474,836.47; in a currency of small units such as IDR, 21 million).
MAX_CENTS = 2**31 - 1


def parse_cents(text: str) -> int | None:
    """'50', '50.5', '1,200.00', 'US$50' -> cents; None when it is not an amount (or is
    larger than an entry may hold)."""
    match = _AMOUNT.match(text or "")
    if not match or len(match.group(1)) > 16:
        return None
    whole = match.group(1).replace(",", "")
    fraction = (match.group(2) or "0").ljust(2, "0")
    try:
        cents = int(Decimal(whole) * 100 + Decimal(fraction))
    except InvalidOperation:
        return None
    return cents if cents <= MAX_CENTS else None

