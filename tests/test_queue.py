"""The chair's queue and the sign-off in two steps, through the pages (SQLite and
PostgreSQL): the chair's earlier comment beside what changed since, the unchanged fields
folded; a refused request for changes answers with its form only; the confirmation names
the headline and the SHA-256; "Sign off" is refused without it or when the text changed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from ima_portal.audit.models import AuditEntry
from ima_portal.domain.statements import State
from ima_portal.extensions import db as _db
from ima_portal.statements import operations
from ima_portal.statements.content import revision_values
from ima_portal.statements.models import SignOff, Statement


@pytest.fixture
def people(make):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    return {"chapter": chapter,
            "sec": make.user("secretariat", chapter=chapter, name="Maria Santos"),
            "chair": make.user("chair", name="Ana Reyes"),
            "admin": make.user("admin", name="Li Wen")}


def reload(st) -> Statement:
    _db.session.expire_all()
    return _db.session.get(Statement, st.id)


def sent_back_and_resubmitted(make, people, **changes) -> Statement:
    """Submitted, sent back with the chair's comment, changed, submitted again."""
    st = make.statement(people["sec"], chapter=people["chapter"], state="changes_requested",
                        chair=people["chair"], headline="Unite for migrants",
                        hashtags="#MayDay #IMA")
    values = revision_values(st.current)
    values.update(changes)
    assert operations.save(people["sec"], st, values,
                           base_revision_id=st.current_revision_id).saved
    assert operations.submit(people["sec"], st)
    _db.session.commit()
    return st


def test_the_queue_shows_the_earlier_comment_beside_what_changed_and_folds_the_rest(
        people, make, as_user):
    st = sent_back_and_resubmitted(make, people, headline="Stand with the caravan")
    html = as_user(people["chair"]).get("/statements/queue").text
    item = html[html.index(f'id="statement-{st.id}"'):]
    assert "What changed since you sent back revision 1" in item
    comment = item[item.index('class="earlier-comment"'):item.index('class="since-diff"')]
    assert "Your comment on revision 1" in comment and "Shorter, please." in comment
    diff = item[item.index('class="since-diff"'):item.index('class="unchanged-fields"')]
    assert "<del>Unite for migrants</del>" in diff.replace("\n", "") or \
        ("<del>" in diff and "caravan</ins>" in diff)
    assert "Hashtags" not in diff  # unchanged: folded away, not shown in full
    folded = item[item.index('<details class="unchanged-fields">'):]
    summary = re.search(r"<summary>(.*?)</summary>", folded, re.S).group(1)
    assert summary.startswith("Unchanged: ") and "Hashtags" in summary
    assert "Headline" not in summary and "#MayDay #IMA" in folded


def test_a_first_submission_says_all_of_it_is_new(people, make, as_user):
    make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    html = as_user(people["chair"]).get("/statements/queue").text
    assert "First submission" in html and 'class="since"' not in html


def test_request_changes_without_a_comment_answers_with_the_form_only(people, make,
                                                                      as_user):
    st = sent_back_and_resubmitted(make, people, headline="Stand with the caravan")
    chair = as_user(people["chair"])
    response = chair.post(f"/statements/{st.id}/actions/request_changes", htmx=True,
                          data={"origin": "queue", "revision_id": str(st.current_revision_id),
                                "text": "  "})
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == f"#decision-{st.id}"
    assert response.headers["HX-Reswap"] == "outerHTML"
    html = response.text
    assert html.lstrip().startswith("<form") and 'class="since"' not in html  # diff stays
    field = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field and "data-focus" in field
    assert f'aria-describedby="decision-feedback-{st.id}"' in field
    feedback = html[html.index(f'id="decision-feedback-{st.id}"'):]
    assert "Say what should change" in feedback
    assert reload(st).state is State.SUBMITTED
    # Without JavaScript: the queue again, the diff still there, the error by the field.
    page = chair.post(f"/statements/{st.id}/actions/request_changes",
                      data={"origin": "queue", "revision_id": str(st.current_revision_id),
                            "text": ""})
    assert page.status_code == 422
    assert 'class="since"' in page.text and "Say what should change" in page.text


def test_the_confirmation_names_the_headline_and_the_sha256(people, make, as_user):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted",
                        headline="Junk the war, fund the people!")
    chair = as_user(people["chair"])
    digest = st.current.content_sha256
    # Without JavaScript: the queue's button posts the comment typed to the confirmation.
    page = chair.post(f"/statements/{st.id}/sign-off", data={
        "origin": "queue", "revision_id": str(st.current_revision_id),
        "text": "Well argued."})
    assert page.status_code == 200
    html = page.text
    assert "<h1>Confirm the sign-off</h1>" in html
    named = html[:html.index('<form method="post"', html.index("sign-off-confirm"))]
    assert "Junk the war, fund the people!" in named and digest in named
    assert "Well argued." in named
    assert f'name="content_sha256" value="{digest}"' in html
    assert f'name="revision_id" value="{st.current_revision_id}"' in html
    assert ">Sign off</button>" in html and ">Back</a>" in html
    assert reload(st).state is State.SUBMITTED  # showing it changes nothing
    # With HTMX: the fragment, in place of the queue's form.
    fragment = chair.post(f"/statements/{st.id}/sign-off", htmx=True, data={
        "origin": "queue", "revision_id": str(st.current_revision_id), "text": ""}).text
    assert fragment.lstrip().startswith("<section") and f'id="decision-{st.id}"' in fragment
    assert digest in fragment and "<h1" not in fragment and "data-focus" in fragment
    # A link (GET) shows it too.
    assert digest in chair.get(f"/statements/{st.id}/sign-off").text


def test_sign_off_is_refused_without_the_confirmation(people, make, as_user, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    chair = as_user(people["chair"])
    for extra in ({}, {"content_sha256": ""}):
        response = chair.post(f"/statements/{st.id}/actions/approve", data={
            "origin": "queue", "revision_id": str(st.current_revision_id), **extra})
        assert response.status_code == 422
        assert "Confirm the sign-off first" in response.text
    response = chair.post(f"/statements/{st.id}/actions/approve", htmx=True, data={
        "origin": "queue", "revision_id": str(st.current_revision_id)})
    assert response.status_code == 422 and "Confirm the sign-off first" in response.text
    assert 'role="alert"' in response.text
    assert reload(st).state is State.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 0


def test_sign_off_is_refused_when_the_text_changed_since_the_confirmation(people, make,
                                                                         as_user, db):
    """The chair opens the confirmation; meanwhile the statement is sent back (in another
    tab), edited and submitted again: the old confirmation signs nothing."""
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    chair = as_user(people["chair"])
    shown = {"origin": "queue", "revision_id": str(st.current_revision_id),
             "content_sha256": st.current.content_sha256}
    assert chair.get(f"/statements/{st.id}/sign-off").status_code == 200
    assert operations.request_changes(people["chair"], st, text="One more thing.")
    values = revision_values(st.current)
    values["body"] = "A body changed after the confirmation was shown."
    assert operations.save(people["sec"], st, values,
                           base_revision_id=st.current_revision_id).saved
    assert operations.submit(people["sec"], st)
    db.session.commit()
    response = chair.post(f"/statements/{st.id}/actions/approve", data=shown)
    assert response.status_code == 422
    assert "The statement changed since you confirmed it (someone edited it)" in response.text
    assert reload(st).state is State.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 0
    # A hash that is not the current text's, with the current revision: refused too.
    response = chair.post(f"/statements/{st.id}/actions/approve", htmx=True, data={
        **shown, "revision_id": str(reload(st).current_revision_id)})
    assert response.status_code == 422 and "changed since you confirmed it" in response.text
    # A confirmation opened on the old revision says so and offers no "Sign off".
    stale = chair.get(f"/statements/{st.id}/sign-off?revision_id={shown['revision_id']}")
    assert "The statement changed since you opened it" in stale.text
    assert ">Sign off</button>" not in stale.text


def test_signing_off_through_the_confirmation_signs_that_text_and_audits_it(
        people, make, as_user, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    chair = as_user(people["chair"])
    digest = st.current.content_sha256
    response = chair.post(f"/statements/{st.id}/actions/approve", htmx=True, data={
        "origin": "queue", "revision_id": str(st.current_revision_id),
        "content_sha256": digest, "text": ""})
    assert response.status_code == 200 and "Approved and signed off" in response.text
    assert digest in response.text
    st = reload(st)
    assert st.state is State.APPROVED
    sign_off = db.session.scalar(select(SignOff))
    assert sign_off.content_sha256 == digest and sign_off.revision_id == st.current_revision_id
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "statement.approve"))
    assert entry.details["confirmed_sha256"] == digest


def test_only_the_chair_reaches_the_confirmation(people, make, as_user):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    for who in ("sec", "admin"):
        assert as_user(people[who]).get(f"/statements/{st.id}/sign-off").status_code == 403


def test_back_brings_the_queue_item_with_the_comment_typed(people, make, as_user):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    chair = as_user(people["chair"])
    response = chair.hx_get(f"/statements/{st.id}/queue-item?text=Almost+there")
    assert response.status_code == 200
    assert f'id="statement-{st.id}"' in response.text and "Almost there</textarea>" in \
        response.text
    plain = chair.get(f"/statements/{st.id}/queue-item")
    assert plain.status_code == 303 and plain.headers["Location"].endswith(
        f"/statements/queue#statement-{st.id}")
