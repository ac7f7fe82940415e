"""Forms for keyboard and screen-reader users (issue 13): a refused form starts with an
error summary (how many problems, each a link to its field) that takes focus, the page
title starts with "Error:", messages say what to do, no attribute ever reads "None",
a refused way of taking part stays reachable with its reason, a swapped-in result marks
what takes focus, and only the result is announced (not whole regions).
On SQLite and PostgreSQL."""
from __future__ import annotations

import re

from . import test_assembly, test_fee_pages
from .test_assembly import URL, form
from .test_fee_pages import FUND

# The registration and fund worlds of those tests, as fixtures here.
world = test_assembly.world
w = test_fee_pages.w


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _summary(html: str) -> str:
    found = re.search(r'<div class="form-errors error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert found, "no error summary"
    return found.group(0)


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_a_refused_registration_starts_with_a_summary_that_links_every_error(world, as_user):
    client = as_user(world["sec"])
    page = client.get(URL)
    assert not _title(page.text).startswith("Error:")
    assert "error-summary" not in page.text

    response = client.post(URL, data=form(world["paid"], organization_id="", participation=None,
                                          full_name=""))
    assert response.status_code == 422
    html = response.text
    assert _title(html).startswith("Error: Register a delegate")
    summary = _summary(html)
    assert "There are 3 problems to fix" in summary
    assert 'role="alert"' in summary and "data-focus" in summary and 'tabindex="-1"' in summary
    # The summary comes before the form, and each item is a link to a field on the page.
    assert html.index("error-summary") < html.index('class="registration-form"')
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', summary)
    assert [text for _, text in links] == [
        "Organization: Choose the organization.",
        "Takes part as: Choose how this person takes part.",
        "Full name: Enter the delegate's full name."]
    assert {target for target, _ in links} <= _ids(html)
    # Beside the field too, and the field is marked invalid.
    feedback = re.search(r'id="full_name-feedback">(.*?)</div>', html, re.S).group(1)
    assert "Enter the delegate's full name." in feedback
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="full_name"', html) or \
        re.search(r'<input[^>]*id="full_name"[^>]*aria-invalid="true"', html)


def test_one_error_is_counted_in_the_singular(world, as_user):
    response = as_user(world["sec"]).post(URL, data=form(world["paid"], full_name=""))
    assert response.status_code == 422
    assert "There is 1 problem to fix" in _summary(response.text)


def test_no_attribute_reads_none(world, as_user):
    client = as_user(world["sec"])
    pages = [client.get(URL).text,
             client.post(URL, data=form(world["paid"], organization_id="", full_name="")).text,
             client.hx_get(f"/assemblies/5/participation?organization_id={world['paid'].id}").text]
    for html in pages:
        assert '="None"' not in html
        assert 'aria-invalid="false"' not in html
    # The organization field: described by its feedback, invalid only when refused.
    assert re.search(r'<select[^>]*aria-describedby="organization_id-feedback"', pages[0])
    assert not re.search(r'<select[^>]*id="organization_id"[^>]*aria-invalid', pages[0])
    assert re.search(r'<select[^>]*aria-invalid="true"[^>]*id="organization_id"', pages[1]) or \
        re.search(r'<select[^>]*id="organization_id"[^>]*aria-invalid="true"', pages[1])


def test_the_fund_page_grant_amount_never_reads_none(w, as_user):
    client = as_user(w["sec"])
    page = client.get(FUND)
    assert page.status_code == 200 and '="None"' not in page.text
    amount = re.search(r'<input[^>]*id="grant-amount"[^>]*>', page.text).group(0)
    assert 'aria-describedby="grant-amount-feedback grant-balance"' in amount
    assert "aria-invalid" not in amount
    refused = client.post(FUND + "/grants", data={"grant-amount": "", "grant-purpose": "fee"})
    assert refused.status_code in (400, 422) and '="None"' not in refused.text
    assert _title(refused.text).startswith("Error:")


def test_a_refused_way_of_taking_part_is_reachable_with_its_reason(world, as_user):
    client = as_user(world["sec"])
    html = client.hx_get(
        f"/assemblies/5/participation?organization_id={world['owing'].id}").text
    voting = re.search(r'<input type="radio"[^>]*value="voting"[^>]*>', html).group(0)
    assert not re.search(r"\sdisabled[\s>]", voting)  # Tab and arrows reach it
    assert 'aria-disabled="true"' in voting
    why = re.search(r'aria-describedby="([^"]+)"', voting).group(1)
    reason = re.search(rf'<small[^>]*id="{why}"[^>]*>(.*?)</small>', html, re.S).group(1)
    assert "Owes US$150 for 2020-2022" in reason and "Record the payment" in reason
    # The change of organization is announced once, politely (out of band into the
    # page's status next to the group).
    status = re.search(r'<div id="participation-status" hx-swap-oob="innerHTML">(.*?)</div>',
                       html, re.S).group(1)
    assert "The choices changed for Owing Workers." in status
    assert "Not open: Voting delegate" in status
    page = client.get(URL).text
    assert re.search(r'<div id="participation-status"[^>]*role="status"', page)


def test_a_refused_choice_sent_anyway_is_refused_beside_the_group(world, as_user):
    response = as_user(world["sec"]).post(URL, data=form(world["owing"]))
    assert response.status_code == 422
    feedback = re.search(r'id="participation-feedback">(.*?)</div>', response.text, re.S)
    assert "Owes US$150" in feedback.group(1)
    assert 'href="#participation-0"' in _summary(response.text)


def test_sign_in_messages_say_what_to_type(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert _title(response.text).startswith("Error:")
    summary = _summary(response.text)
    assert "E-mail: Enter the e-mail address you sign in with." in summary
    assert "Password: Enter your password." in summary
    assert "This field is required." not in response.text


def test_a_refused_payment_fragment_focuses_its_summary_and_a_recorded_one_its_message(
        world, as_user):
    client = as_user(world["sec"])
    url = f"/organizations/{world['owing'].id}/payments"
    refused = client.post(url, htmx=True, data={"amount": "", "currency": "USD",
                                                "paid_on": "2022-05-01", "channel": "chapter",
                                                "method": "bank"})
    assert refused.status_code == 422
    summary = _summary(refused.text)
    assert "data-focus" in summary and 'href="#amount"' in summary
    assert "Enter the amount paid, such as 50 or 50.00." in summary
    assert 'placeholder="50.00"' in refused.text  # the example matches the placeholder
    recorded = client.post(url, htmx=True, data={"amount": "100", "currency": "USD",
                                                 "paid_on": "2022-05-01", "channel": "chapter",
                                                 "method": "bank"})
    assert recorded.status_code == 200
    message = re.search(r'<div id="messages" hx-swap-oob="innerHTML">\s*<p([^>]*)>([^<]*)',
                        recorded.text)
    assert 'data-focus="message"' in message.group(1) and 'tabindex="-1"' in message.group(1)
    assert message.group(2) == "Payment of US$100 recorded."
    assert "error-summary" not in recorded.text


def test_results_are_announced_not_whole_regions(world, as_user):
    client = as_user(world["sec"])
    page = client.get("/dues-check?q=workers").text
    assert not re.search(r'id="dues-cards"[^>]*aria-live', page)
    cards = client.hx_get("/dues-check?q=workers").text
    assert re.search(r'<p[^>]*data-count="matches"[^>]*>2 organizations match.', cards)
    assert "aria-live" not in cards
    listing = client.hx_get("/organizations/?q=owing").text
    assert re.search(r'data-count="organizations">1 organization', listing)


def test_after_a_bulk_confirm_the_message_takes_focus_on_the_list(world, as_user, db):
    client = as_user(world["sec"])
    client.post(URL, data=form(world["paid"]))
    client.post(URL, data=form(world["paid"], full_name="Ramon Aquino", participation="observer"))
    ids = [str(r.id) for r in test_assembly.registrations(db)]
    listing = client.post("/assemblies/5/delegates/confirm", data={"ids": ids},
                          follow_redirects=True).text
    message = re.search(r'<p class="flash flash-success"([^>]*)>([^<]*)</p>', listing)
    assert message.group(2) == "2 registrations confirmed."
    assert 'data-focus="message"' in message.group(1) and 'tabindex="-1"' in message.group(1)
    # Only the first message takes focus; no field of the page has autofocus.
    assert listing.count("data-focus") == 1 and "autofocus" not in listing
