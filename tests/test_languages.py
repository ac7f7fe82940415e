"""The interface's language (issue 12): the account's saved choice, then this browser's
choice, then Accept-Language, then English; the switcher in the header and on the sign-in
page; the `lang` attribute follows; the template of messages is never stale."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from ima_portal.auth.models import User

ROOT = Path(__file__).resolve().parent.parent


def lang_of(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.text).group(1)


def test_the_browser_language_then_english(client):
    assert lang_of(client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})) == "fr"
    assert lang_of(client.get("/login", headers={"Accept-Language": "de, id;q=0.5"})) == "id"
    assert lang_of(client.get("/login", headers={"Accept-Language": "de"})) == "en"


def test_the_switcher_on_the_sign_in_page_keeps_the_choice_for_this_browser(client):
    page = client.get("/login")
    assert 'name="language"' in page.text and ">Bahasa Indonesia<" in page.text
    chosen = client.post("/language", data={"language": "es", "next": "/login"})
    assert chosen.status_code == 303 and chosen.headers["Location"] == "/login"
    assert lang_of(client.get("/login", headers={"Accept-Language": "fr"})) == "es"
    assert client.post("/language", data={"language": "xx"}).status_code == 400
    # never elsewhere than this portal
    away = client.post("/language", data={"language": "fr", "next": "//evil.example/"})
    assert away.headers["Location"] == "/"


def test_the_accounts_choice_wins_and_is_saved(client, make, auth, db):
    user = make.user()
    auth.login(user)
    client.post("/language", data={"language": "fr", "next": "/"})
    db.session.refresh(user)
    assert user.language == "fr"
    other = client.application.test_client()
    other.post("/login", data={"email": user.email, "password": make.PASSWORD})
    assert lang_of(other.get("/", headers={"Accept-Language": "id"})) == "fr"


def test_the_account_page_saves_language_and_time_zone(client, make, auth, db):
    user = make.user()
    auth.login(user)
    page = client.get("/account")
    assert "Language and time zone" in page.text
    response = client.post("/account/preferences",
                           data={"language": "id", "timezone": "Asia/Jakarta"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.language, user.timezone) == ("id", "Asia/Jakarta")
    bad = client.post("/account/preferences", data={"language": "id", "timezone": "Mars/Base"})
    # the account now reads Indonesian: the message beside the field says what to do in it
    assert bad.status_code == 422 and "Pilih zona waktu dari daftar" in bad.text
    assert db.session.get(User, user.id).timezone == "Asia/Jakarta"


def test_the_template_of_messages_is_not_stale(tmp_path):
    """`make messages` keeps ima_portal/translations/messages.pot in step with the code:
    extracting again finds no message the committed template lacks, and none it has extra."""
    fresh = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_",
                    "-k", "NP_:1,2", "-o", str(fresh), "."],
                   cwd=ROOT, check=True, capture_output=True)

    def ids(path):
        with open(path, "rb") as handle:
            return {m.id if isinstance(m.id, str) else tuple(m.id)
                    for m in read_po(handle) if m.id}

    committed = ids(ROOT / "ima_portal" / "translations" / "messages.pot")
    extracted = ids(fresh)
    assert sorted(map(str, extracted - committed))[:10] == [], "run make messages"
    assert sorted(map(str, committed - extracted))[:10] == [], "run make messages"


def _mails(app) -> list:
    import email
    from email import policy
    folder = Path(app.config["MAIL_FOLDER"])
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted(folder.iterdir())] if folder.exists() else []


def test_mails_go_out_in_the_recipients_language(app, client, make, db):
    """A password reset asked from an English page reaches a French-speaking account in
    French; a statement submitted by an English-speaking secretariat reaches a
    Spanish-speaking chair in Spanish."""
    user = make.user(email="ana@example.org")
    user.language = "fr"
    chair = make.user("chair", email="chair@example.org")
    chair.language = "es"
    db.session.commit()
    before = len(_mails(app))
    client.post("/password/forgot", data={"email": "ana@example.org"})
    [reset] = _mails(app)[before:]
    assert reset["Subject"] == "Réinitialisez votre mot de passe du portail de l’IMA"
    assert "ouvrez ce lien" in reset.get_body(("plain",)).get_content()

    from ima_portal.statements import operations
    chapter = make.chapter()
    sec = make.user(chapter=chapter)
    statement = make.statement(sec, chapter=chapter, headline="Papers for all")
    before = len(_mails(app))
    operations.transition(sec, statement, "submit")
    db.session.commit()
    sent = [m for m in _mails(app)[before:] if m["To"] == "chair@example.org"]
    assert [m["Subject"] for m in sent] == ["Para visto bueno: Papers for all"]
    assert "envió una declaración" in sent[0].get_body(("plain",)).get_content()


def test_money_is_written_for_the_readers_language(app):
    """Issue 12: amounts follow the language (Babel's digits and separators), US$ kept."""
    from flask_babel import force_locale

    from ima_portal.web import usd
    with app.test_request_context():
        expected = {"en": "US$1,200", "id": "US$1.200", "es": "1.200\u00a0US$",
                    "fr": "1\u202f200\u00a0US$"}
        for lang, text in expected.items():
            with force_locale(lang):
                assert usd(1_200_00) == text, lang
                assert usd(12_50).endswith("US$") or usd(12_50).startswith("US$")
        with force_locale("fr"):
            assert usd(-50_00) == "-50\u00a0US$" and usd(12_50) == "12,50\u00a0US$"
        # Written once per language and kept: asked again after the others, still each
        # language's own.
        for lang, text in reversed(expected.items()):
            with force_locale(lang):
                assert usd(1_200_00) == text, lang


def test_a_day_is_written_for_the_readers_language_and_kept_per_language(app):
    """The `dateformat` filter writes a day once per language and format (issue 15)."""
    from datetime import date

    from flask import render_template_string
    from flask_babel import force_locale
    expected = {"en": "Nov 27, 2022", "fr": "27 nov. 2022", "es": "27 nov 2022",
                "id": "27 Nov 2022"}
    with app.test_request_context():
        for _ in range(2):
            for lang, text in expected.items():
                with force_locale(lang):
                    assert render_template_string("{{ d | dateformat }}",
                                                  d=date(2022, 11, 27)) == text, lang
        with force_locale("en"):
            assert render_template_string("{{ d | dateformat('long') }}",
                                          d=date(2022, 11, 27)) == "November 27, 2022"



def test_the_domains_reasons_read_in_the_readers_language_with_its_money(client, make, login_as,
                                                                         db):
    """An amount inside a reason the rules give (the dues check's "owes …") is written
    for the reader's language, and a voting delegate's flag (a reason kept with its
    parameters, not an English sentence) is translated on the delegates list."""
    from datetime import date

    from ima_portal.assembly.models import Registration
    from ima_portal.domain.assembly import Participation
    me = login_as()
    me.language = "fr"
    owing = make.organization(me.chapter, "Owing Center", joined_on=date(2020, 2, 2))
    assembly = make.assembly()
    db.session.add(Registration(
        assembly_id=assembly.id, organization_id=owing.id, chapter_id=me.chapter.id,
        full_name="Luz Dimasalang", participation=Participation.VOTING,
        arrival=date(2022, 11, 29), departure=date(2022, 12, 4)))
    db.session.commit()
    html = client.hx_get("/dues-check?q=owing").get_data(as_text=True)
    assert "Doit 150\u00a0US$ pour 2020-2022." in html, html
    assert "US$150" not in html
    listing = client.get(f"/assemblies/{assembly.number}/delegates/").get_data(as_text=True)
    listing = re.sub("[\u00a0\u202f]", " ", listing)  # French spacing before ":" and "US$"
    assert ("Doit 150 US$ pour 2020-2022 : pas de délégué·e votant·e tant que les "
            "cotisations ne sont pas payées.") in listing
    assert "Owes US$150" not in listing


def test_the_assemblys_usual_name_reads_in_the_readers_language(app):
    """Issue 12: "5th Global Assembly" is the usual name, not a name stored in English:
    each reader gets it with their grammar's ordinal; a name chosen otherwise is shown as
    the global secretariat typed it."""
    from types import SimpleNamespace

    from flask_babel import force_locale

    from ima_portal.web import assembly_name
    expected = {"en": ["1st Global Assembly", "5th Global Assembly"],
                "fr": ["1re Assemblée mondiale", "5e Assemblée mondiale"],
                "es": ["1.ª Asamblea Global", "5.ª Asamblea Global"],
                "id": ["Sidang Umum Global ke-1", "Sidang Umum Global ke-5"]}
    with app.test_request_context():
        for lang, names in expected.items():
            with force_locale(lang):
                assert [assembly_name(SimpleNamespace(number=n, name=default))
                        for n, default in ((1, "1st Global Assembly"),
                                           (5, "5th Global Assembly"))] == names, lang
                special = SimpleNamespace(number=6, name="Extraordinary Assembly 2025")
                assert assembly_name(special) == "Extraordinary Assembly 2025"


def test_one_style_for_moments_in_lists_and_messages(app, make, db):
    """Issue 12: a moment reads as the day everywhere reads ("Nov 27, 2022") and the time
    without seconds, in the reader's zone and language; a reason naming a moment uses it."""
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from ima_portal.web import say, when
    moment = datetime(2022, 11, 27, 15, 4, 9, tzinfo=UTC)
    with app.test_request_context():
        with force_locale("en"):
            assert when(moment) == "Nov 27, 2022, 3:04\u202fPM"
            assert say("Since %(when)s", when=moment) == "Since Nov 27, 2022, 3:04\u202fPM"
        with force_locale("fr"):
            assert when(moment) == "27 nov. 2022, 15:04"
        with force_locale("id"):
            assert when(moment) == "27 Nov 2022 15.04"
