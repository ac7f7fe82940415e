"""Statements through the portal's pages: drafting, autosave and conflicts, the chair's
decisions and the sign-off bound to the exact text, translations, comments, mail, scope,
and hostile text coming out inert. Every test runs on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ima_portal.audit.models import AuditEntry
from ima_portal.domain.statements import Action, State, canonical_content
from ima_portal.extensions import mail
from ima_portal.statements import operations, queries
from ima_portal.statements.content import revision_content, revision_values
from ima_portal.statements.models import SignOff, Statement, StatementRevision
from tests.factories import statement_values


@pytest.fixture
def people(make):
    chapter = make.chapter("IMA-USA", name="IMA USA")
    other = make.chapter("IMA-Kenya", name="IMA Kenya", country="Kenya", region="africa")
    return {
        "chapter": chapter, "other_chapter": other,
        "sec": make.user("secretariat", chapter=chapter, name="Maria Santos"),
        "sec2": make.user("secretariat", chapter=chapter, name="Rosa Lim"),
        "other": make.user("secretariat", chapter=other, name="Wanjiru Kamau"),
        "chair": make.user("chair", name="Ana Reyes"),
        "admin": make.user("admin", name="Li Wen"),
    }




def form_data(**fields) -> dict:
    values = statement_values(**fields)
    values["issued_on"] = values["issued_on"].isoformat() if values["issued_on"] else ""
    return values


def revisions(st) -> list[StatementRevision]:
    return list(StatementRevision.query.filter_by(statement_id=st.id).order_by(
        StatementRevision.number))


def reload(st) -> Statement:
    from ima_portal.extensions import db
    db.session.expire_all()
    return db.session.get(Statement, st.id)


# ---- drafting ----------------------------------------------------------------------------------

def test_a_secretariat_drafts_a_statement_of_its_chapter(people, as_user, db):
    client = as_user(people["sec"])
    page = client.get("/statements/new")
    assert page.status_code == 200
    assert 'value="IMA chairperson"' in page.text  # the default reference line
    response = client.post("/statements/new", data={
        "issuer": str(people["chapter"].id), "language": "en",
        **form_data(headline="May Day: workers unite!", hashtags="MayDay #IMA")})
    assert response.status_code == 303
    st = db.session.scalar(select(Statement))
    assert response.headers["Location"].endswith(f"/statements/{st.id}/edit")
    assert st.state is State.DRAFT and st.issuer_chapter_id == people["chapter"].id
    (rev,) = revisions(st)
    assert (rev.number, rev.headline, rev.hashtags) == (1, "May Day: workers unite!",
                                                         "#MayDay #IMA")
    assert rev.author_id == people["sec"].id
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "statement.create"))


def test_a_secretariat_cannot_issue_for_the_alliance_or_another_chapter(people, as_user, db):
    client = as_user(people["sec"])
    for issuer in ("alliance", str(people["other_chapter"].id)):
        response = client.post("/statements/new", data={"issuer": issuer, "language": "en",
                                                        **form_data()})
        assert response.status_code == 422
        assert "Not a valid choice" in response.text
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 0


def test_bad_input_is_shown_beside_its_field_and_nothing_typed_is_lost(people, as_user, db):
    client = as_user(people["sec"])
    response = client.post("/statements/new", data={
        "issuer": str(people["chapter"].id), "language": "en",
        **form_data(headline="", hashtags="#good #bad-tag! #2022",
                    body="A long body the writer must not lose, with accents: é ñ ç.")})
    assert response.status_code == 422
    html = response.text
    feedback = re.search(r'id="headline-feedback">(.*?)</div>', html, re.S).group(1)
    assert "Write the headline." in feedback
    feedback = re.search(r'id="hashtags-feedback">(.*?)</div>', html, re.S).group(1)
    assert "#bad-tag!" in feedback and "#2022" in feedback
    assert "A long body the writer must not lose, with accents: é ñ ç." in html
    assert 'value="#good #bad-tag! #2022"' in html
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 0


def test_the_chair_does_not_draft(people, as_user):
    client = as_user(people["chair"])
    assert client.get("/statements/new").status_code == 403
    assert client.post("/statements/new", data={"issuer": "alliance", "language": "en",
                                                **form_data()}).status_code == 403


# ---- autosave and conflicts --------------------------------------------------------------------

def autosave(client, st, base, **fields):
    return client.post(f"/statements/{st.id}/edit", htmx=True,
                       data={"base_revision": str(base), **form_data(**fields)})


def test_autosave_keeps_a_revision_and_moves_the_editor_to_it(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["sec"])
    first = st.current_revision_id
    response = autosave(client, st, first, body="A new paragraph.\n\nAnd another.")
    assert response.status_code == 200
    assert "revision 2" in response.text
    st = reload(st)
    assert st.current.number == 2 and st.current.body == "A new paragraph.\n\nAnd another."
    # The editor's next save builds on revision 2 (swapped in out of band).
    assert re.search(rf'id="base_revision" value="{st.current_revision_id}" hx-swap-oob',
                     response.text)
    # The same text again: no new revision.
    again = autosave(client, st, st.current_revision_id, body="A new paragraph.\n\nAnd another.")
    assert again.status_code == 200 and "All changes saved" in again.text
    assert len(revisions(st)) == 2


def test_autosave_with_an_error_saves_nothing_and_says_where(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["sec"])
    response = autosave(client, st, st.current_revision_id, headline="", hashtags="#no-dash")
    assert response.status_code == 422
    assert "Not saved yet" in response.text
    assert re.search(r'id="headline-feedback" hx-swap-oob="true"><small class="error">',
                     response.text)
    assert "#no-dash" in re.search(r'id="hashtags-feedback" hx-swap-oob="true">(.*?)</div>',
                                   response.text, re.S).group(1)
    assert len(revisions(st)) == 1


def test_a_stale_save_is_refused_and_both_texts_are_kept(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], body="The first text.")
    opened = st.current_revision_id
    maria, rosa = as_user(people["sec"]), as_user(people["sec2"])
    assert autosave(rosa, st, opened, body="Rosa's text.").status_code == 200

    response = autosave(maria, st, opened, body="Maria's text.")
    assert response.status_code == 409
    assert "someone else changed this statement" in response.text
    assert "Rosa Lim saved revision 2" in response.text
    assert "<del>Rosa</del>" in response.text and "<ins>Maria</ins>" in response.text
    st = reload(st)
    assert st.current.body == "Rosa's text."  # not overwritten
    kept = [r for r in revisions(st) if r.conflict]
    assert [r.body for r in kept] == ["Maria's text."]  # not lost either
    # The autosave repeating the same text adds nothing more.
    autosave(maria, st, opened, body="Maria's text.")
    assert len([r for r in revisions(st) if r.conflict]) == 1

    # Without JavaScript: the editor page again, with Maria's text in the field.
    page = maria.post(f"/statements/{st.id}/edit",
                      data={"base_revision": str(opened), **form_data(body="Maria's text.")})
    assert page.status_code == 409
    assert "Maria&#39;s text.</textarea>" in page.text
    # She chooses to keep hers: it becomes the current text, Rosa's stays in the history.
    theirs = reload(st).current_revision_id
    done = maria.post(f"/statements/{st.id}/edit", data={
        "base_revision": str(opened), "overwrite_base": str(theirs),
        **form_data(body="Maria's text.")})
    assert done.status_code == 303
    st = reload(st)
    assert st.current.body == "Maria's text." and not st.current.conflict
    assert "Rosa's text." in [r.body for r in revisions(st)]


def test_the_live_preview_renders_what_is_typed_without_saving(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["sec"])
    response = client.post(f"/statements/{st.id}/preview", htmx=True, data=form_data(
        headline="Preview headline", body="Some **bold** words, *día*.",
        issued_on=date(2023, 5, 1)))
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.text and "<em>día</em>" in response.text
    assert "Hong Kong, May 1, 2023" in response.text
    assert len(revisions(st)) == 1


def test_the_date_line_is_written_in_the_statements_language(people, as_user, make):
    st = make.statement(people["admin"], language="es", issued_on=date(2022, 12, 18))
    page = as_user(people["admin"]).get(f"/statements/{st.id}")
    assert "Hong Kong, 18 de diciembre de 2022" in page.text
    assert '<article class="statement" lang="es">' in page.text


# ---- the workflow ------------------------------------------------------------------------------

def act(client, st, action, **data):
    return client.post(f"/statements/{st.id}/actions/{action}", data=data)


def test_a_submitted_statement_is_read_only_to_its_authors(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["sec"])
    assert act(client, st, "submit").status_code == 303
    st = reload(st)
    assert st.state is State.SUBMITTED and st.submitted_by_id == people["sec"].id
    assert client.get(f"/statements/{st.id}/edit").status_code == 302
    response = autosave(client, st, st.current_revision_id, body="Typed while it was submitted.")
    assert response.status_code == 409 and "with the chair" in response.text
    assert "kept as revision 2 (not applied)" in response.text
    st = reload(st)
    assert st.current.number == 1 and st.state is State.SUBMITTED  # the text is unchanged
    kept = revisions(st)[-1]
    assert kept.conflict and kept.body == "Typed while it was submitted."  # and not lost
    # Without JavaScript: the editor again, with the text as typed.
    page = client.post(f"/statements/{st.id}/edit", data={
        "base_revision": str(st.current_revision_id), **form_data(body="Typed again.")})
    assert page.status_code == 409 and "Typed again.</textarea>" in page.text
    page = client.get(f"/statements/{st.id}")
    assert f'href="/statements/{st.id}/edit"' not in page.text


def confirm_and_sign_off(client, st, **data):
    """The sign-off's two steps, as the chair's browser takes them without script: the
    confirmation (which must name the text's SHA-256), then "Sign off" with what it
    showed."""
    page = client.get(f"/statements/{st.id}/sign-off?revision_id={st.current_revision_id}")
    assert page.status_code == 200
    shown = re.search(r'name="content_sha256" value="([0-9a-f]{64})"', page.text).group(1)
    assert shown in page.text.split('name="content_sha256"')[0]  # named, not only hidden
    return act(client, st, "approve", revision_id=str(st.current_revision_id),
               content_sha256=shown, **data)


def test_the_chair_approves_the_exact_text(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    chair = as_user(people["chair"])
    with mail.record_messages() as outbox:
        response = confirm_and_sign_off(chair, st)
    assert response.status_code == 303
    st = reload(st)
    assert st.state is State.APPROVED
    sign_off = db.session.scalar(select(SignOff))
    expected = hashlib.sha256(canonical_content(revision_content(st.current))).hexdigest()
    assert (sign_off.revision_id, sign_off.chair_id) == (st.current_revision_id,
                                                        people["chair"].id)
    assert sign_off.content_sha256 == expected == st.current.content_sha256
    page = chair.get(f"/statements/{st.id}")
    assert "Signed off by Ana Reyes" in page.text and expected in page.text
    (message,) = outbox
    assert message.recipients == [people["sec"].email]
    assert message.subject.startswith("Approved:")


def test_approving_a_revision_other_than_the_current_one_is_refused(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    response = act(as_user(people["chair"]), st, "approve",
                   revision_id=str(st.current_revision_id + 99),
                   content_sha256=st.current.content_sha256)
    assert response.status_code == 422
    assert "The statement changed since you confirmed it" in response.text
    assert reload(st).state is State.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 0


@pytest.mark.parametrize("state", ["approved", "published"])
def test_an_edit_after_approval_leaves_the_sign_off_with_the_old_text(people, as_user, make,
                                                                       db, state):
    st = make.statement(people["sec"], chapter=people["chapter"], state=state)
    signed = st.current
    signed_hash = signed.content_sha256
    client = as_user(people["sec"])
    page = client.get(f"/statements/{st.id}/edit")
    assert "Saving a change makes a new draft" in page.text
    response = client.post(f"/statements/{st.id}/edit", data={
        "base_revision": str(signed.id), **form_data(body="A changed text.")})
    assert response.status_code == 303
    st = reload(st)
    assert st.state is State.DRAFT
    assert st.current.number == 2 and queries.sign_off_of(st.current) is None
    old = queries.sign_off_of(queries.revision(st, 1))
    assert old is not None and old.content_sha256 == signed_hash
    assert queries.revision(st, 1).body != "A changed text."
    detail = client.get(f"/statements/{st.id}")
    assert "Revision 1 was signed off by the chair; this text (revision 2) is not." in detail.text
    assert "Signed off by" not in detail.text
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "statement.edit"))
    assert "sign-off of revision 1 stays with that text" in audit.summary


def test_one_sign_off_per_revision_is_a_database_rule(people, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="approved")
    db.session.add(SignOff(statement_id=st.id, revision_id=st.current_revision_id,
                           chair_id=people["chair"].id, content_sha256="0" * 64))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_requesting_changes_needs_a_comment_which_reaches_the_author(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    chair = as_user(people["chair"])
    base = {"origin": "queue", "revision_id": str(st.current_revision_id)}
    response = chair.post(f"/statements/{st.id}/actions/request_changes", htmx=True,
                          data={**base, "text": "  "})
    assert response.status_code == 422
    assert "Say what should change" in response.text
    assert reload(st).state is State.SUBMITTED
    with mail.record_messages() as outbox:
        response = chair.post(f"/statements/{st.id}/actions/request_changes", htmx=True,
                              data={**base, "text": "Shorten the second paragraph."})
    assert response.status_code == 200 and "Sent back for changes" in response.text
    st = reload(st)
    assert st.state is State.CHANGES_REQUESTED
    page = as_user(people["sec"]).get(f"/statements/{st.id}")
    assert "Shorten the second paragraph." in page.text
    (message,) = outbox
    assert message.recipients == [people["sec"].email]
    assert "Shorten the second paragraph." in message.body
    # Editing sends it back to draft; then it can be submitted again.
    sec = as_user(people["sec"])
    autosave(sec, st, st.current_revision_id, body="Shorter now.")
    assert reload(st).state is State.DRAFT
    assert act(sec, st, "submit").status_code == 303


def test_submitting_notifies_the_chair_by_a_mail_written_to_a_folder(people, as_user, make,
                                                                    app, tmp_path):
    app.config["MAIL_FOLDER"] = str(tmp_path / "mail")
    st = make.statement(people["sec"], chapter=people["chapter"],
                        headline="Legalization for all!")
    act(as_user(people["sec"]), st, "submit")
    (written,) = (tmp_path / "mail").iterdir()
    text = written.read_text()
    assert "Subject: For sign-off: Legalization for all!" in text
    assert f"To: {people['chair'].email}" in text
    assert "/statements/queue#statement-" in text


def test_the_global_secretariat_cannot_approve(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    response = act(as_user(people["admin"]), st, "approve",
                   revision_id=str(st.current_revision_id),
                   content_sha256=st.current.content_sha256)
    assert response.status_code == 422 and "Only the chair" in response.text
    assert as_user(people["admin"]).get(f"/statements/{st.id}/sign-off").status_code == 403
    assert reload(st).state is State.SUBMITTED


def test_withdrawing_needs_a_reason_and_keeps_the_record(people, as_user, make, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="published")
    client = as_user(people["sec"])
    response = act(client, st, "withdraw", text="")
    assert response.status_code == 422 and "Give the reason" in response.text
    assert act(client, st, "withdraw", text="The event was cancelled.").status_code == 303
    st = reload(st)
    assert st.state is State.WITHDRAWN and st.withdrawn_reason == "The event was cancelled."
    page = client.get(f"/statements/{st.id}")
    assert "The event was cancelled." in page.text
    assert autosave(client, st, st.current_revision_id, body="x").status_code == 409


def test_every_transition_leaves_an_audit_entry(people, make, db):
    make.statement(people["sec"], chapter=people["chapter"], state="published")
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"statement.create", "statement.submit", "statement.approve",
            "statement.publish"} <= actions


# ---- the chair's queue -------------------------------------------------------------------------

def test_the_queue_lists_submitted_statements_oldest_first(people, as_user, make):
    first = make.statement(people["sec"], chapter=people["chapter"], headline="First in",
                           state="submitted")
    make.statement(people["sec"], chapter=people["chapter"], headline="A draft")
    second = make.statement(people["admin"], headline="Second in", state="submitted")
    page = as_user(people["chair"]).get("/statements/queue")
    assert page.status_code == 200
    assert page.text.index("First in") < page.text.index("Second in")
    assert "A draft" not in page.text
    assert f'id="statement-{first.id}"' in page.text and f'id="statement-{second.id}"' in page.text
    assert as_user(people["sec"]).get("/statements/queue").status_code == 403


def test_compare_shows_a_word_diff_against_the_last_approved_revision(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"], state="approved",
                        body="We demand regular status for all.")
    sec = as_user(people["sec"])
    autosave(sec, st, st.current_revision_id, body="We demand full regular status for all.")
    act(sec, st, "submit")
    response = as_user(people["chair"]).hx_get(f"/statements/{st.id}/compare")
    assert response.status_code == 200
    assert "compared with revision 1, the last one the chair signed off" in response.text
    assert "We demand <ins>full </ins>regular status" in response.text


# ---- translations ------------------------------------------------------------------------------

def test_translations_one_per_language_linked_from_the_original(people, as_user, make, db):
    original = make.statement(people["admin"], state="published")
    client = as_user(people["admin"])
    response = client.post(f"/statements/{original.id}/translations", data={"language": "es"})
    assert response.status_code == 303
    spanish = db.session.scalar(select(Statement).where(Statement.language == "es"))
    assert spanish.original_id == original.id and spanish.state is State.DRAFT
    again = client.post(f"/statements/{original.id}/translations", data={"language": "es"},
                        follow_redirects=True)
    assert "already has a translation in Español" in again.text
    assert db.session.scalar(select(func.count()).select_from(Statement)) == 2
    page = client.get(f"/statements/{original.id}")
    assert re.search(rf'Translation: <a href="/statements/{spanish.id}"[^>]*>Español</a>',
                     page.text)


def test_the_database_refuses_a_second_translation_in_one_language(people, make, db):
    original = make.statement(people["admin"])
    for _ in range(2):
        db.session.add(Statement(original_id=original.id, language="fr", state=State.DRAFT))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_translation_is_out_of_date_when_its_original_changes(people, as_user, make, db):
    original = make.statement(people["admin"])
    translation = operations.create_translation(people["admin"], original, "fr")
    db.session.commit()
    client = as_user(people["admin"])
    assert "out of date" not in client.get("/statements/").text
    autosave(client, original, original.current_revision_id, body="A corrected original.")
    assert "out of date" in client.get("/statements/").text
    assert "Out of date" in client.get(f"/statements/{translation.id}").text
    translation = reload(translation)
    seen = reload(original).current_revision_id  # what the translator's editor showed
    editor = client.get(f"/statements/{translation.id}/edit").text
    assert f'name="source_revision" value="{seen}"' in editor
    # The original changes again while the translator works: ticking the box means the
    # text the translator saw, so the translation stays out of date.
    autosave(client, original, seen, body="Corrected twice.")
    response = autosave(client, translation, translation.current_revision_id,
                        body="Un texte corrigé.", source_up_to_date="y",
                        source_revision=str(seen))
    assert 'id="source-check" class="field" hx-swap-oob="true"' in response.text  # unticked
    assert "out of date" in client.get("/statements/").text
    translation = reload(translation)
    autosave(client, translation, translation.current_revision_id, body="Un texte corrigé 2.",
             source_up_to_date="y", source_revision=str(reload(original).current_revision_id))
    assert "out of date" not in client.get("/statements/").text


# ---- comments ----------------------------------------------------------------------------------

def test_comments_are_added_in_place(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["chair"])
    empty = client.post(f"/statements/{st.id}/comments", htmx=True, data={"body": ""})
    assert empty.status_code == 422 and "This field is required." in empty.text
    response = client.post(f"/statements/{st.id}/comments", htmx=True,
                           data={"body": "Line one.\nLine two <b>not bold</b>."})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="comments"')
    assert "Line two &lt;b&gt;not bold&lt;/b&gt;." in response.text
    assert "Ana Reyes" in response.text


# ---- the list ----------------------------------------------------------------------------------

def test_the_list_searches_and_filters(people, as_user, make):
    make.statement(people["sec"], chapter=people["chapter"], headline="May Day march",
                   occasion="workers_day")
    make.statement(people["admin"], headline="Día del Migrante", language="es",
                   state="submitted")
    make.statement(people["other"], chapter=people["other_chapter"], headline="Kenya draft")
    client = as_user(people["admin"])

    def headlines(**args):
        page = client.hx_get("/statements/", query_string=args)
        return set(re.findall(r'lang="\w+">([^<]+)</a>', page.text))

    assert headlines() == {"May Day march", "Día del Migrante", "Kenya draft"}
    assert headlines(q="march") == {"May Day march"}
    assert headlines(state="submitted") == {"Día del Migrante"}
    assert headlines(language="es") == {"Día del Migrante"}
    assert headlines(issuer="alliance") == {"Día del Migrante"}
    assert headlines(issuer=str(people["other_chapter"].id)) == {"Kenya draft"}
    assert headlines(occasion="workers_day") == {"May Day march"}
    mine = as_user(people["sec"]).get("/statements/").text
    assert "May Day march" in mine and "Kenya draft" not in mine
    assert "Día del Migrante" not in mine  # the alliance's, not yet approved


# ---- scope -------------------------------------------------------------------------------------

STATEMENT_URLS = [
    ("get", "/statements/{id}"), ("get", "/statements/{id}/edit"),
    ("post", "/statements/{id}/edit"), ("post", "/statements/{id}/preview"),
    ("get", "/statements/{id}/compare"), ("get", "/statements/{id}/revisions/1"),
    ("post", "/statements/{id}/comments"), ("post", "/statements/{id}/actions/submit"),
    ("post", "/statements/{id}/actions/withdraw"), ("post", "/statements/{id}/translations"),
]


@pytest.mark.parametrize("method,url", STATEMENT_URLS)
def test_another_chapters_statement_is_invisible_by_url(people, as_user, make, method, url):
    st = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["other"])
    response = getattr(client, method)(url.format(id=st.id),
                                       **({"data": form_data()} if method == "post" else {}))
    assert response.status_code == 404
    assert reload(st).state is State.DRAFT and len(revisions(st)) == 1


@pytest.mark.parametrize("url", ["/statements/{id}", "/statements/{id}/revisions/1"])
def test_an_alliance_draft_is_invisible_to_chapters(people, as_user, make, url):
    st = make.statement(people["admin"])
    assert as_user(people["sec"]).get(url.format(id=st.id)).status_code == 404


def test_an_approved_alliance_statement_is_readable_but_its_history_is_not(people, as_user,
                                                                            make):
    st = make.statement(people["admin"], state="approved")
    client = as_user(people["sec"])
    page = client.get(f"/statements/{st.id}")
    assert page.status_code == 200 and "Migrants are not commodities!" in page.text
    assert "Revisions" not in page.text and "Comments" not in page.text
    assert f'href="/statements/{st.id}/edit"' not in page.text
    assert client.get(f"/statements/{st.id}/revisions/1").status_code == 404
    assert client.get(f"/statements/{st.id}/compare").status_code == 404


# ---- settings ----------------------------------------------------------------------------------

def test_the_global_secretariat_sets_the_default_reference_line(people, as_user):
    client = as_user(people["admin"])
    bad = client.post("/statements/settings", data={"reference_name": "", "paper_size": "A4",
                                                    "reference_title": "IMA chairperson"})
    assert bad.status_code == 422 and "Enter the name printed under the statement" in bad.text
    assert client.post("/statements/settings", data={
        "reference_name": "Ana Reyes", "reference_title": "IMA chairperson",
        "paper_size": "Letter"}).status_code == 303
    assert 'value="Ana Reyes"' in client.get("/statements/new").text
    assert as_user(people["sec"]).get("/statements/settings").status_code == 403


# ---- hostile text ------------------------------------------------------------------------------

def live_markup(html: str) -> list:
    """What a browser would run or fetch from the page's own markup: event attributes,
    javascript: links, scripts other than the portal's own, frames, remote images."""
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name.startswith("on"):
                    found.append((tag, name, value))
                if name in ("href", "src") and (value or "").strip().lower().startswith(
                        ("javascript:", "http://evil", "//evil")):
                    found.append((tag, name, value))
            if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
                found.append((tag, attrs))
            if tag in ("iframe", "object", "embed", "svg"):
                found.append((tag, attrs))

    Parser().feed(html)
    return found


XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'><svg onload=alert(3)>'


def test_hostile_text_in_every_field_comes_out_inert(people, as_user, make, db):
    fields = {name: f"{name} {XSS}" for name in (
        "partners", "headline", "subheadlines", "dateline_place", "slogans",
        "reference_name", "reference_title")}
    body = (f"Text {XSS}\n\n[click](javascript:alert(4)) "
            "![remote](http://evil.example/x.png) <iframe src=//evil.example></iframe>\n\n"
            '<a href="#" onclick="alert(5)">raw link</a>')
    st = make.statement(people["sec"], chapter=people["chapter"], body=body, **fields)
    sec = as_user(people["sec"])
    sec.post(f"/statements/{st.id}/comments", data={"body": f"Comment {XSS}"})
    autosave(sec, st, st.current_revision_id, body=body + "\n\nMore.", **fields)
    act(sec, st, "submit")
    chair = as_user(people["chair"])
    pages = [
        sec.get("/statements/"), sec.get(f"/statements/{st.id}"),
        sec.post(f"/statements/{st.id}/preview", htmx=True,
                 data=form_data(body=body, **fields)),
        chair.get("/statements/queue"), chair.hx_get(f"/statements/{st.id}/compare"),
        chair.get(f"/statements/{st.id}/revisions/2?compare=1"),
        chair.get(f"/statements/{st.id}/revisions/1"),
    ]
    st = reload(st)
    with mail.record_messages() as outbox:
        act(chair, st, "request_changes", text=f"Comment {XSS}",
            revision_id=str(st.current_revision_id))
    (message,) = outbox
    assert "\n" not in message.subject  # one header line
    assert message.html is None  # plain text: nothing in it is ever run
    pages.append(sec.get(f"/statements/{st.id}/edit"))  # changes requested: editable
    pages.append(autosave(sec, st, st.current_revision_id - 1, body=f"Mine {XSS}", **fields))
    assert pages[-1].status_code == 409
    pages[-1].status_code = 200
    for response in pages:
        html = response.text
        assert response.status_code == 200, response.request.path
        assert "<script>alert" not in html, response.request.path
        assert live_markup(html) == [], response.request.path
        assert "http://evil.example" not in html or "&lt;" in html, response.request.path
    detail = pages[1].text
    assert "headline &lt;script&gt;alert(1)&lt;/script&gt;" in detail
    assert "Comment &lt;script&gt;" in detail
    assert 'src="http://evil.example' not in detail


def test_home_pages_count_the_statements_waiting(people, as_user, make):
    make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    make.statement(people["sec"], chapter=people["chapter"])
    make.statement(people["other"], chapter=people["other_chapter"])
    chair = as_user(people["chair"]).get("/").text
    assert re.search(r'data-count="statements-submitted">1<', chair)
    assert "waits for your sign-off" in chair
    assert re.search(r'data-count="statements-draft">2<', chair)
    mine = as_user(people["sec"]).get("/").text
    assert re.search(r'data-count="statements-draft">1<', mine)  # not Kenya's


# ---- races and the database's own guards ------------------------------------------------------

def in_other_request(app, work):
    """Runs `work()` in an application context of its own (its own database session, as a
    second request at the same moment would) and commits it."""
    from ima_portal.extensions import db
    with app.app_context():
        work()
        db.session.commit()
        db.session.remove()


def test_a_publish_decided_on_a_stale_page_cannot_publish_an_unsigned_edit(people, make, app,
                                                                           db):
    """Request B loaded the approved statement; request A's edit commits first (a new,
    unsigned draft). B's publish must see A's result, not publish the unsigned text."""
    st = make.statement(people["sec"], chapter=people["chapter"], state="approved")
    stale = db.session.get(Statement, st.id)
    assert stale.state is State.APPROVED

    def edit():
        fresh = db.session.get(Statement, st.id)
        values = revision_values(fresh.current)
        values["body"] = "Changed after the sign-off."
        assert operations.save(people["sec"], fresh, values,
                             base_revision_id=fresh.current_revision_id).saved
    in_other_request(app, edit)

    decision = operations.transition(db.session.merge(people["sec"]), stale, Action.PUBLISH)
    db.session.commit()
    assert not decision
    st = reload(st)
    assert st.state is State.DRAFT and queries.sign_off_of(st.current) is None


def test_approve_and_request_changes_at_once_give_one_decision(people, make, app, db):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    stale = db.session.get(Statement, st.id)
    rev = stale.current_revision_id

    def send_back():
        fresh = db.session.get(Statement, st.id)
        assert operations.transition(people["chair"], fresh, Action.REQUEST_CHANGES,
                                   text="Not yet.")
    in_other_request(app, send_back)

    decision = operations.transition(db.session.merge(people["chair"]), stale, Action.APPROVE,
                                   revision_id=rev)
    db.session.commit()
    assert not decision
    assert reload(st).state is State.CHANGES_REQUESTED
    assert db.session.scalar(select(func.count()).select_from(SignOff)) == 0


def test_two_saves_from_one_page_at_once_are_not_a_conflict_with_oneself(people, as_user,
                                                                         make):
    """Leaving a field autosaves while "Save and close" posts the same text from the same
    page: the second finds its text already saved, and says so."""
    st = make.statement(people["sec"], chapter=people["chapter"])
    client = as_user(people["sec"])
    opened = st.current_revision_id
    assert autosave(client, st, opened, body="Typed just before closing.").status_code == 200
    response = client.post(f"/statements/{st.id}/edit", data={
        "base_revision": str(opened), "close": "1", **form_data(body="Typed just before closing.")})
    assert response.status_code == 303
    assert not any(r.conflict for r in revisions(st))
    assert len(revisions(st)) == 2


def test_a_hand_made_base_revision_is_a_conflict_not_an_error(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"])
    response = autosave(as_user(people["sec"]), st, 99999, body="Other text.")
    assert response.status_code == 409
    assert reload(st).current.number == 1


@pytest.mark.parametrize("sql", ["UPDATE statement_revisions SET body = 'forged'",
                                 "DELETE FROM statement_revisions",
                                 "UPDATE statement_sign_offs SET content_sha256 = 'x'",
                                 "DELETE FROM statement_sign_offs"])
def test_signed_text_and_sign_offs_cannot_be_changed_in_the_database(people, make, db, sql):
    from sqlalchemy import text as sql_text
    from sqlalchemy.exc import DatabaseError
    make.statement(people["sec"], chapter=people["chapter"], state="approved")
    with pytest.raises(DatabaseError, match="never edited or deleted"):
        db.session.execute(sql_text(sql))
    db.session.rollback()


def test_submitting_a_page_older_than_the_text_is_refused(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"])
    seen = st.current_revision_id
    autosave(as_user(people["sec2"]), st, seen, body="Rosa's later text.")
    response = act(as_user(people["sec"]), st, "submit", revision_id=str(seen))
    assert response.status_code == 422 and "The text changed since you opened" in response.text
    assert reload(st).state is State.DRAFT


# ---- forms keep what was typed ----------------------------------------------------------------

def test_a_headline_on_two_lines_is_refused_beside_the_field(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"])
    response = autosave(as_user(people["sec"]), st, st.current_revision_id,
                        headline="Line one\r\nBcc: someone@example.org")
    assert response.status_code == 422
    assert "Keep this on one line." in re.search(
        r'id="headline-feedback" hx-swap-oob="true">(.*?)</div>', response.text, re.S).group(1)


def test_a_refused_decision_without_javascript_keeps_the_comment(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"], state="submitted")
    long_comment = "Too long. " * 500
    response = as_user(people["chair"]).post(
        f"/statements/{st.id}/actions/request_changes",
        data={"origin": "queue", "revision_id": str(st.current_revision_id),
              "text": long_comment})
    assert response.status_code == 422
    item = response.text[response.text.index(f'id="statement-{st.id}"'):]
    assert "Field cannot be longer than 4000 characters." in item
    assert long_comment.strip() in item


def test_a_withdrawal_without_reason_says_so_beside_the_reason(people, as_user, make):
    st = make.statement(people["sec"], chapter=people["chapter"])
    response = act(as_user(people["sec"]), st, "withdraw", text="")
    assert response.status_code == 422
    feedback = re.search(r'id="withdraw-text-feedback">(.*?)</div>', response.text, re.S)
    assert "Give the reason" in feedback.group(1)


def test_a_chapter_reading_an_alliance_statement_sees_only_the_translations_it_may_open(
        people, as_user, make, db):
    original = make.statement(people["admin"], state="approved")
    draft = operations.create_translation(people["admin"], original, "fr")
    db.session.commit()
    page = as_user(people["sec"]).get(f"/statements/{original.id}").text
    assert f'/statements/{draft.id}"' not in page


PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
       "awAAAABJRU5ErkJggg==")


def test_images_only_from_the_portal_or_inline(people, as_user, make):
    import base64

    from ima_portal.statements.markdown import render_markdown
    fake = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><text>HIDDEN CLAUSE'
                            b'</text></svg>').decode()
    html = str(render_markdown(
        f"![a](/static/img/logo.svg) ![b](/static/../admin/users) "
        f"![c](//evil.example/x.png) ![d](data:image/png;base64,{PNG}) "
        f"![e](data:image/png;base64,{fake}) ![f](data:image/svg+xml;base64,{fake})"))
    assert 'src="/static/img/logo.svg"' in html and f'src="data:image/png;base64,{PNG}"' in html
    assert "/admin/users" not in html and "evil.example" not in html
    images = re.findall(r"<img [^>]*>", html)
    assert not any(fake in img for img in images)  # an SVG passed off as a PNG: refused


def test_the_live_markup_check_itself():
    assert live_markup('<img src=x onerror=alert(1)>')
    assert live_markup('<a href="javascript:alert(1)">x</a>')
    assert live_markup("<script>alert(1)</script>")
    assert not live_markup('<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=x</p>'
                           '<input value="&lt;img src=x onerror=alert(2)&gt;">'
                           '<script src="/static/js/portal.js"></script>')


def test_a_body_is_rendered_once_and_a_large_one_is_not_kept():
    """The Markdown of a body is kept once rendered (issue 15), in a bounded store: a body
    too large to keep (a pasted picture) is rendered each time instead."""
    from ima_portal.statements import markdown

    markdown._kept.cache_clear()
    small = "We stand with **the farmworkers** of the valley."
    assert markdown.render_markdown(small) is markdown.render_markdown(small)
    assert markdown._kept.cache_info().hits == 1
    large = "x" * (markdown.KEPT_BODY_CHARS + 1)
    assert markdown.render_markdown(large) == markdown.render_markdown(large)
    assert markdown._kept.cache_info().currsize == 1          # only the small one kept
    for i in range(markdown.KEPT_BODIES + 10):
        markdown.render_markdown(f"Body {i}")
    assert markdown._kept.cache_info().currsize == markdown.KEPT_BODIES
