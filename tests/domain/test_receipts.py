"""What a receipt says (the years a dues payment covers, its language) and who may see it."""
from __future__ import annotations

import pytest

from ima_portal.domain.receipts import (
    ReceiptStatus,
    credit_cents,
    may_see,
    receipt_language,
    status,
    years_covered,
)
from ima_portal.domain.roles import Role

YEARS = [2019, 2020, 2021, 2022]


@pytest.mark.parametrize(("before", "amount", "years"), [
    (0, 50_00, (2019,)),
    (0, 150_00, (2019, 2020, 2021)),
    (50_00, 100_00, (2020, 2021)),
    (25_00, 50_00, (2019, 2020)),       # finishes 2019, starts 2020
    (150_00, 100_00, (2022,)),          # the rest is credit
    (200_00, 50_00, ()),                # all credit
    (0, 0, ()),
])
def test_a_dues_payment_covers_the_oldest_unpaid_years_after_what_was_paid_before(
        before, amount, years):
    assert years_covered(YEARS, 50_00, before, amount) == years


def test_what_goes_beyond_the_reckoned_years_is_credit():
    assert credit_cents(YEARS, 50_00, 150_00, 100_00) == 50_00
    assert credit_cents(YEARS, 50_00, 0, 100_00) == 0
    assert credit_cents(YEARS, 50_00, 250_00, 50_00) == 50_00
    assert credit_cents([], 50_00, 0, 30_00) == 30_00


def test_the_receipts_language_is_the_organizations_then_its_secretariats_then_english():
    langs = ["en", "id", "es", "fr"]
    assert receipt_language("fr", "es", langs) == "fr"
    assert receipt_language(None, "es", langs) == "es"
    assert receipt_language(None, None, langs) == "en"
    assert receipt_language("de", "xx", langs) == "en"


def test_the_chapter_secretariat_and_the_global_secretariat_see_a_receipt_no_one_else():
    assert may_see(Role.SECRETARIAT, 3, 3)
    assert not may_see(Role.SECRETARIAT, 4, 3)
    assert may_see(Role.ADMIN, None, 3)
    assert not may_see(Role.CHAIR, None, 3)
    assert not may_see(Role.CHAIR, 3, 3)


def test_a_voided_payments_receipt_is_voided():
    assert status(True) is ReceiptStatus.VOIDED
    assert status(False) is ReceiptStatus.VALID
