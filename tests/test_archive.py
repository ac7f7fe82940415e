"""The public archive of signed statements (issue 16): without signing in, the statements
the chair signed off and that were published, each with its verification code and
SHA-256; an index per language searched by words and year; Atom feeds a feed reader polls
cheaply; nothing unsigned, unpublished or private reachable."""
from __future__ import annotations

import re
from datetime import date

import feedparser
import pytest
from werkzeug.routing import BuildError

from ima_portal.statements import operations
from ima_portal.statements.content import revision_values


def _publish_translation(make, db, original, language: str, headline: str, **changes):
    admin = make.user("admin")
    chair = make.user("chair")
    translation = operations.create_translation(admin, original, language)
    values = revision_values(translation.current) | {"headline": headline, **changes}
    operations.save(admin, translation, values,
                    base_revision_id=translation.current_revision_id)
    operations.submit(admin, translation)
    operations.approve(chair, translation, revision_id=translation.current_revision_id)
    operations.publish(admin, translation)
    db.session.commit()
    return translation


@pytest.fixture
def archive(make, db):
    author = make.user("admin")
    published = make.statement(author, state="published",
                               headline="Migrants are not commodities!",
                               body="We salute the **migrants** of the world.",
                               issued_on=date(2022, 12, 18))
    older = make.statement(author, state="published", headline="Stop forced migration",
                           body="Forced migration must end.", issued_on=date(2021, 3, 8))
    approved = make.statement(author, state="approved", headline="Approved, not yet public")
    draft = make.statement(author, headline="A draft nobody may read",
                           body="Secret words of a draft.")
    spanish = _publish_translation(make, db, published, "es",
                                   "¡Los migrantes no somos mercancías!")
    return {"published": published, "older": older, "approved": approved, "draft": draft,
            "spanish": spanish}


def test_the_archive_lists_only_published_statements_without_signing_in(client, archive):
    page = client.get("/archive/")
    assert page.status_code == 200
    assert "Migrants are not commodities!" in page.text
    assert "Stop forced migration" in page.text
    assert "¡Los migrantes no somos mercancías!" in page.text
    assert "Approved, not yet public" not in page.text
    assert "A draft nobody may read" not in page.text
    assert "3 statements" in page.text
    english = client.get("/archive/en/")
    assert "Migrants are not commodities!" in english.text
    assert "¡Los migrantes no somos mercancías!" not in english.text
    assert client.get("/archive/xx/").status_code == 404


def test_searching_by_words_and_by_year(client, archive):
    found = client.get("/archive/en/?q=forced")
    assert "Stop forced migration" in found.text
    assert "Migrants are not commodities!" not in found.text
    assert "1 statement" in found.text
    by_year = client.get("/archive/en/?year=2022")
    assert "Migrants are not commodities!" in by_year.text
    assert "Stop forced migration" not in by_year.text
    nothing = client.get("/archive/?q=zzzz")
    assert "No published statement matches" in nothing.text
    # a hand-edited year is ignored, never an error page
    assert client.get("/archive/?year=twenty").status_code == 200


def test_a_published_statement_in_the_alliances_shape_with_its_proof(client, archive, db):
    statement = archive["published"]
    page = client.get(f"/archive/statements/{statement.id}")
    assert page.status_code == 200
    sign_off = statement.sign_offs[-1]
    assert sign_off.code_display in page.text
    assert sign_off.content_sha256 in page.text
    assert "<strong>migrants</strong>" in page.text
    assert "Reference: Ana Reyes, IMA chairperson" in page.text
    # the translation line links the published Spanish text, in the archive
    spanish = archive["spanish"]
    assert re.search(rf'Translation: <a href="/archive/statements/{spanish.id}"[^>]*>Español</a>',
                     page.text), page.text
    pdf = client.get(f"/archive/statements/{statement.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == "application/pdf"


def test_nothing_unpublished_is_reachable(client, archive):
    for name in ("approved", "draft"):
        statement = archive[name]
        assert client.get(f"/archive/statements/{statement.id}").status_code == 404
        assert client.get(f"/archive/statements/{statement.id}.pdf").status_code == 404
    assert client.get("/archive/statements/999999").status_code == 404


def test_a_withdrawn_statement_leaves_a_page_that_says_so(client, archive, make, db):
    statement = archive["older"]
    operations.withdraw(make.user("admin"), statement, text="Superseded")
    db.session.commit()
    page = client.get(f"/archive/statements/{statement.id}")
    assert page.status_code == 410
    assert "withdrew this statement on" in page.text
    assert "Forced migration must end." not in page.text
    assert client.get(f"/archive/statements/{statement.id}.pdf").status_code == 404
    assert "Stop forced migration" not in client.get("/archive/").text


def test_an_edited_statement_keeps_its_published_text_in_the_archive(client, archive, make,
                                                                     db):
    statement = archive["published"]
    admin = make.user("admin")
    values = revision_values(statement.current) | {"headline": "A new draft headline"}
    operations.save(admin, statement, values, base_revision_id=statement.current_revision_id)
    db.session.commit()
    page = client.get(f"/archive/statements/{statement.id}")
    assert "Migrants are not commodities!" in page.text
    assert "A new draft headline" not in page.text
    assert "A revised text is being prepared" in page.text
    # the PDF would print the draft: not offered until the new text is published
    assert client.get(f"/archive/statements/{statement.id}.pdf").status_code == 404


def test_the_atom_feeds_carry_the_signed_texts(client, archive):
    parsed = feedparser.parse(client.get("/archive/feed.atom").data)
    assert not parsed.bozo, parsed.bozo_exception
    titles = {entry.title for entry in parsed.entries}
    assert titles == {"Migrants are not commodities!", "Stop forced migration",
                      "¡Los migrantes no somos mercancías!"}
    english = feedparser.parse(client.get("/archive/en/feed.atom").data)
    assert {e.title for e in english.entries} == {"Migrants are not commodities!",
                                                  "Stop forced migration"}
    entry = next(e for e in english.entries if e.title == "Migrants are not commodities!")
    statement = archive["published"]
    assert entry.link.endswith(f"/archive/statements/{statement.id}")
    assert "<strong>migrants</strong>" in entry.content[0].value
    spanish = feedparser.parse(client.get("/archive/es/feed.atom").data)
    assert [e.title for e in spanish.entries] == ["¡Los migrantes no somos mercancías!"]


def test_a_feed_reader_polling_gets_not_modified(client, archive, make, db):
    first = client.get("/archive/feed.atom")
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get("/archive/feed.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get("/archive/feed.atom",
                       headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    # a new publication changes the feed: the old ETag no longer matches
    make.statement(make.user("admin"), state="published", headline="A new statement")
    changed = client.get("/archive/feed.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and b"A new statement" in changed.data


def test_nothing_but_the_archive_is_public_generated_from_the_url_map(app, client, archive):
    """Every GET route of the portal, with every id a statement has, asked without signing
    in: only the public pages answer, and no answer carries a word of a draft or of an
    approved but unpublished statement."""
    draft, approved = archive["draft"], archive["approved"]
    secrets = ["A draft nobody may read", "Secret words of a draft.",
               "Approved, not yet public"]
    ids = [s.id for s in archive.values()]
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        values_list = [{}]
        if rule.arguments:
            values_list = []
            for statement_id in ids:
                values = {}
                for argument in rule.arguments:
                    if argument in (rule.defaults or {}):
                        continue
                    converter = rule._converters[argument].__class__.__name__
                    values[argument] = statement_id if "Integer" in converter else "x"
                values_list.append(values)
        for values in values_list:
            try:
                url = rule.build(values, append_unknown=False)[1]
            except (BuildError, ValueError):  # arguments these values do not fit
                continue
            response = client.get(url)
            checked += 1
            if not getattr(view, "is_public", False):
                assert response.status_code in (302, 401, 403, 404), (url, response.status_code)
                continue
            for secret in secrets:
                assert secret.encode() not in response.data, (url, secret)
    assert checked > 50
    assert draft.id and approved.id
