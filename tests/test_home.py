import re

import pytest

from .query_count import count_queries


def count(html: str, name: str) -> str:
    return re.search(rf'data-count="{name}">([^<]+)<', html).group(1).strip()


def test_global_secretariat_home_counts_what_exists(client, make, login_as):
    login_as("admin")
    make.chapter("IMA-USA")
    make.chapter("IMA-Kenya", region="africa")
    make.user(name="Sec One")  # makes a third chapter
    make.user(active=False)    # a fourth chapter, an inactive secretariat
    client.post("/logout")
    client.post("/login", data={"email": "nobody@example.org", "password": "nope nope"})
    login_as("admin")
    html = client.get("/").get_data(as_text=True)
    assert count(html, "chapters") == "4"
    assert count(html, "regions-with-chapters") == "2 / 7"
    assert count(html, "secretariat-accounts") == "1"
    assert count(html, "failed-logins") == "1"
    assert "Recent activity" in html


def test_chair_home_has_no_admin_figures(client, make, login_as):
    login_as("chair")
    make.chapter()
    html = client.get("/").get_data(as_text=True)
    assert count(html, "chapters") == "1"
    assert 'data-count="failed-logins"' not in html and "Recent activity" not in html


def test_secretariat_home_shows_its_own_team_only(client, make, login_as):
    usa, canada = make.chapter("IMA-USA"), make.chapter("IMA-Canada")
    make.user(chapter=usa, name="Colleague Here")
    make.user(chapter=canada, name="Someone Elsewhere")
    login_as("secretariat", chapter=usa, name="Me Myself")
    html = client.get("/").get_data(as_text=True)
    assert count(html, "team") == "2"
    assert "Colleague Here" in html and "Someone Elsewhere" not in html
    assert "IMA-USA" in html


def test_navigation_follows_the_role(client, login_as):
    login_as("secretariat")
    html = client.get("/").get_data(as_text=True)
    assert "My chapter" in html and "Accounts" not in html


# ---- what needs doing, per role ---------------------------------------------------------------

def _todo(html: str, item: str) -> str:
    """The to-do item `item` of the home (its text and links), or ''."""
    match = re.search(rf'<li class="todo-item[^"]*" data-todo="{item}">(.*?)</li>', html,
                      re.S)
    return match.group(1) if match else ""


def _chapter_world(make, db):
    from datetime import timedelta

    from ima_portal.db_types import utcnow
    from ima_portal.domain.assembly import RegistrationState
    from tests.letters_helpers import register
    usa, kenya = make.chapter("IMA-USA", name="IMA USA"), make.chapter(
        "IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    assembly = make.assembly(registration_deadline=utcnow() + timedelta(days=10))
    owing_here = make.organization(usa, "Farmworkers Owing Here")
    make.organization(usa, "Applicants Not Owing", status="applicant")
    owing_there = make.organization(kenya, "Nairobi Owing There")
    make.payment(owing_here, 50, reference="usa-1")            # through the chapter
    make.payment(owing_here, 50, reference="usa-2", channel="global")  # not the chapter's
    make.payment(owing_there, 50, reference="kenya-1")
    register(db, assembly, owing_here, "Pat Pending", state=RegistrationState.PENDING)
    register(db, assembly, owing_here, "Connie Confirmed")
    register(db, assembly, owing_there, "Kenyan Pending", state=RegistrationState.PENDING)
    return {"usa": usa, "kenya": kenya, "assembly": assembly, "here": owing_here,
            "there": owing_there}


def test_secretariat_home_leads_with_what_its_chapter_needs_done(client, make, login_as,
                                                                  db):
    w = _chapter_world(make, db)
    sec = login_as("secretariat", chapter=w["usa"], name="Maria Santos")
    other = make.user("secretariat", chapter=w["kenya"])
    make.statement(sec, chapter=w["usa"], state="changes_requested",
                   headline="Our sent back statement")
    make.statement(other, chapter=w["kenya"], state="changes_requested",
                   headline="Their sent back statement")
    html = client.get("/").get_data(as_text=True)
    todo = html[html.index('id="todo-heading"'):html.index('class="cards"')]
    assert html.index("What needs doing") < html.index("Your chapter's secretariat")
    owing = _todo(todo, "owing")
    assert "1 member organization owes dues, so it may not vote." in owing
    assert 'href="/organizations/?standing=owing"' in owing
    pending = _todo(todo, "pending")
    assert "1 delegate registration awaits confirmation." in pending
    assert f'href="/assemblies/{w["assembly"].number}/delegates/?state=pending"' in pending
    unremitted = _todo(todo, "unremitted")
    assert ("1 payment received by your chapter (US$50) is not yet remitted to the global "
            "secretariat.") in unremitted
    assert f'href="/organizations/{w["here"].id}#dues"' in unremitted
    assert "Farmworkers Owing Here: 1 to remit" in unremitted
    deadline = _todo(todo, "deadline")
    assert re.search(r"Registration for 5th Global Assembly closes on .+: in (9|10) days\.",
                     deadline)
    assert "Soon:" in deadline and 'href="/assembly/"' in deadline
    sent_back = _todo(todo, "sent_back")
    assert "1 statement was sent back by the chair for changes." in sent_back
    assert 'href="/statements/?state=changes_requested"' in sent_back
    # The near deadline and what it concerns come first.
    order = re.findall(r'data-todo="([a-z_]+)"', todo)
    assert order == ["deadline", "owing", "pending", "unremitted", "sent_back"]
    # Nothing of another chapter: its names, its organizations' ledgers, its counts.
    for theirs in ("Nairobi Owing There", "Kenyan Pending", "Their sent back statement",
                   f'/organizations/{w["there"].id}', "IMA-Kenya"):
        assert theirs not in html
    assert not _todo(todo, "letters") and not _todo(todo, "no_secretariat")


def test_secretariat_home_with_nothing_to_do_says_so(client, make, login_as):
    login_as("secretariat", chapter=make.chapter("IMA-USA"))
    html = client.get("/").get_data(as_text=True)
    assert "Nothing needs doing now" in html and 'data-todo="' not in html


def test_global_secretariat_home_leads_with_letters_chapters_and_held_accounts(
        client, make, login_as, db):
    from datetime import date

    from ima_portal.auth.models import LoginFailure
    from ima_portal.domain.letters import DocumentKind, LetterState
    from ima_portal.letters.models import IssuedDocument
    from tests.letters_helpers import register
    w = _chapter_world(make, db)
    make.user("secretariat", chapter=w["usa"])  # IMA-Kenya has no secretariat
    reg = register(db, w["assembly"], w["there"], "Needs A Letter")
    db.session.add(IssuedDocument(kind=DocumentKind.LETTER, registration_id=reg.id,
                                  assembly_id=w["assembly"].id, chapter_id=reg.chapter_id,
                                  state=LetterState.REQUESTED, holder_name="NEEDS, A LETTER",
                                  stay_from=date(2022, 11, 28), stay_to=date(2022, 12, 4)))
    locked = make.user("secretariat", chapter=w["usa"], email="held@example.org")
    db.session.add_all([LoginFailure(kind="account", key=locked.email) for _ in range(5)]
                       + [LoginFailure(kind="account", key="few@example.org")])
    db.session.commit()
    login_as("admin")
    html = client.get("/").get_data(as_text=True)
    letters = _todo(html, "letters")
    assert "1 visa invitation letter is requested: issue or refuse it." in letters
    assert 'href="/assemblies/5/letters/?state=requested"' in letters
    chapters = _todo(html, "no_secretariat")
    assert "1 chapter has no active secretariat account" in chapters
    assert f'href="/chapters/{w["kenya"].id}"' in chapters and "IMA-USA" not in chapters
    assert 'href="/admin/users/new"' in chapters
    held = _todo(html, "held")
    assert "1 account is held by the sign-in throttle" in held
    assert 'href="/admin/users"' in held
    # Every chapter's items, counted over all of them.
    assert "2 delegate registrations await confirmation." in _todo(html, "pending")
    assert "2 payments received by the chapters (US$100)" in _todo(html, "unremitted")
    assert "2 member organizations owe dues" in _todo(html, "owing")
    order = re.findall(r'data-todo="([a-z_]+)"', html)
    assert order[:2] == ["letters", "deadline"]  # pressing first


def test_chair_home_leads_with_the_statements_waiting_for_sign_off(client, make, login_as):
    usa = make.chapter("IMA-USA", name="IMA USA")
    sec = make.user("secretariat", chapter=usa)
    st = make.statement(sec, chapter=usa, state="submitted", headline="Waiting for you")
    make.statement(sec, chapter=usa, state="approved", headline="Already signed")
    login_as("chair")
    html = client.get("/").get_data(as_text=True)
    waiting = html[html.index('id="waiting-heading"'):html.index('class="cards"')]
    card = re.search(r'<li class="waiting-card"[^>]*>(.*?)</li>', waiting, re.S).group(1)
    assert "Waiting for you" in card and "IMA USA" in card
    assert "waiting for less than an hour" in card
    assert f'href="/statements/queue#statement-{st.id}"' in card
    assert "Already signed" not in waiting
    assert html.index("Waiting for your sign-off") < html.index('data-count="chapters"')


def test_chair_home_with_nothing_waiting_says_so(client, login_as):
    login_as("chair")
    assert "Nothing waits for your sign-off." in client.get("/").get_data(as_text=True)




@pytest.mark.parametrize("role", ["secretariat", "admin", "chair"])
def test_homes_make_as_many_queries_for_many_rows_as_for_few(client, make, login_as, db,
                                                            role):
    from ima_portal.domain.assembly import RegistrationState
    from tests.letters_helpers import register
    w = _chapter_world(make, db)
    sec = make.user("secretariat", chapter=w["usa"])
    login_as(role, **({"chapter": w["usa"]} if role == "secretariat" else {}))
    client.get("/")
    few = count_queries(db, lambda: client.get("/"))
    for n in range(6):
        org = make.organization(w["usa"], f"More Owing {n}")
        make.payment(org, 50, reference=f"more-{n}")
        register(db, w["assembly"], org, f"More Pending {n}", state=RegistrationState.PENDING)
        make.statement(sec, chapter=w["usa"], state="submitted", headline=f"Waiting {n}")
        make.chapter(f"IMA-X{n}")
    many = count_queries(db, lambda: client.get("/"))
    assert many == few


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_every_to_do_link_opens_the_page_where_it_is_done(client, make, login_as, db,
                                                           role):
    w = _chapter_world(make, db)
    sec = make.user("secretariat", chapter=w["usa"])
    make.statement(sec, chapter=w["usa"], state="changes_requested")
    login_as(role, **({"chapter": w["usa"]} if role == "secretariat" else {}))
    html = client.get("/").get_data(as_text=True)
    todo = html[html.index('id="todo-heading"'):html.index('class="cards"')]
    links = re.findall(r'<a href="([^"]+)"', todo)
    assert len(links) >= 5
    for href in links:
        response = client.get(href.split("#")[0], follow_redirects=True)
        assert response.status_code == 200, href
