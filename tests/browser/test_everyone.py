"""Every signed-in page, for everyone (issue 13): on the demo data, for a chapter
secretariat, the chair and the global secretariat, the test signs in on a phone (375 x 800)
and visits every link of the header, then, one level deeper, the links in each of those
pages' `main`, one per kind of address (digits and chapter codes alike, the query left
out: /statements/4 and /statements/6?compare=5 are one kind). On each page:

- the page does not scroll sideways at 375 px, nor at 640 x 450 (1280 px at 200 % zoom),
  nor at 1280 px: `document.documentElement.scrollWidth` is at most the viewport's width;
- axe-core 4.10.2 (vendored, tests only) finds no violation of any impact, at 375 px.
  (axe runs once, on the phone layout: the markup is the same at every width, only the
  CSS differs, and the phone is where the menu, the folded filters and the stacked rows
  are; the widths are checked at all three sizes on the same page load.)

Downloads (links with `download`, .pdf/.csv/.zip), sign-out and forms are not followed.
Every role sees every page of the header; a deeper kind of page is checked once, for the
first role that reaches it (the secretariat first, whose pages are the most used on a
phone), which keeps the run near a minute on an idle machine (63 pages: 3 min 10 s with the
machine's two cores shared by five test runs). A failure lists every page that
failed, with its widths and its violations."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from ima_portal import demo
from ima_portal.extensions import db

from .pages import AXE, axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
SIZES = ((375, 800), (640, 450), (1280, 900))  # a phone, 1280 px at 200 % zoom, a laptop
SKIP = re.compile(r"\.(pdf|csv|zip)$|/logout$")
ROLES = {"secretariat": "secretariat.usa@example.org", "chair": "chair@example.org",
         "global secretariat": "admin@example.org"}


def kind_of(url: str) -> str:
    """One kind of page per path: numbers and chapter codes (a path segment starting with
    a capital) stand for any; the query is left out (a list filtered or paged is the same
    template, and the widths of its rows are checked on the list itself)."""
    path = urlsplit(url).path
    return re.sub(r"/[A-Z][^/]*", "/C", re.sub(r"\d+", "N", path))


def _links(page, selector: str, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        selector, "as => as.filter(a => !a.hasAttribute('download')).map(a => a.href)")
    found = []
    for href in hrefs:
        href = href.split("#")[0]
        if href.startswith(base + "/") and not SKIP.search(urlsplit(href).path) \
                and href not in found:
            found.append(href)
    return found


def _check(page, url: str, base: str) -> list[str]:
    """Opens `url` at 375 px; answers what is wrong with it (nothing: [])."""
    page.set_viewport_size(PHONE)
    response = page.goto(url)  # waits for the load event
    where = url[len(base):]
    if response is None or response.status >= 400:
        return [f"{where}: answered {response.status if response else 'nothing'}"]
    problems = []
    violations = axe_violations(page)
    if violations:
        problems.append(f"{where}: axe: " + "; ".join(violations))
    for width, height in SIZES:
        if page.viewport_size != {"width": width, "height": height}:  # 375 x 800 already
            page.set_viewport_size({"width": width, "height": height})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{where}: {scroll_width} px wide at {width} x {height}")
    return problems


@pytest.fixture
def demo_logins(live_server):
    logins = demo.seed()
    db.session.commit()
    return {login.email: login.password for login in logins}


def test_every_page_fits_a_phone_and_passes_axe(live_server, browser, demo_logins):
    base = live_server.base_url
    kinds: set[str] = set()  # the deeper pages' kinds already checked, for any role
    problems: list[str] = []
    visited = 0
    for role, email in ROLES.items():
        context = browser.new_context(viewport=PHONE, bypass_csp=True)
        # axe-core in every page of the context from the start, so that axe_violations()
        # finds it there (injecting it into each page took 0.2 s of the 1.3 s a page).
        context.add_init_script(path=AXE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            page.goto(base + "/login")
            page.get_by_label("E-mail").fill(email)
            page.get_by_label("Password").fill(demo_logins[email])
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(base + "/")
            assert page.evaluate("axe.version") == "4.10.2"  # the vendored one, from the start

            # The header's links (the menu folded or not, every one is in the page).
            menu = _links(page, "header a[href]", base)
            assert len(menu) >= 8, (role, menu)
            kinds |= {kind_of(url) for url in menu}
            deeper: list[str] = []
            for url in menu:
                problems += [f"{role} · {p}" for p in _check(page, url, base)]
                for link in _links(page, "main a[href]", base):
                    if kind_of(link) not in kinds:
                        kinds.add(kind_of(link))
                        deeper.append(link)
            for url in deeper:
                problems += [f"{role} · {p}" for p in _check(page, url, base)]
            visited += len(menu) + len(deeper)
        finally:
            context.close()
    assert not problems, (f"{len(problems)} problems on the {visited} pages visited:\n"
                          + "\n".join(problems))
