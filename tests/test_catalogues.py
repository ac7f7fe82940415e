"""The catalogues of id, es and fr (issue 12): every message translated, nothing fuzzy,
every placeholder kept; the glossary beside each; the portal speaks each language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "ima_portal" / "translations"
LANGUAGES = ["id", "es", "fr"]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def catalogue(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def template_ids() -> set:
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    cat = catalogue(lang)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id}
    assert template_ids() - ids == set(), "run pybabel update, then translate"
    untranslated = [m.id for m in cat if m.id and (
        not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    assert untranslated[:5] == [] and fuzzy[:5] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_placeholder_is_kept(lang):
    wrong = []
    for m in catalogue(lang):
        if not m.id:
            continue
        originals = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        expected = set().union(*(set(PLACEHOLDER.findall(o)) for o in originals))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # a singular form may leave the count out ("un seul"), never add a name
            if not found <= expected or (expected - {"%(num)d"}) - found:
                wrong.append((originals[0], string))
    assert wrong[:5] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_keeps_a_glossary(lang):
    text = (ROOT / "docs" / "glossary" / f"{lang}.md").read_text(encoding="utf-8")
    for word in ("dues", "chapter", "secretariat", "delegate", "voting roll", "sign-off",
                 "solidarity fund"):
        assert word in text.lower(), word


@pytest.mark.parametrize("lang,sign_in", [("id", "Masuk"), ("es", "Iniciar sesión"),
                                          ("fr", "Se connecter")])
def test_the_sign_in_page_speaks_each_language(client, lang, sign_in):
    page = client.get("/login", headers={"Accept-Language": lang})
    assert f'<html lang="{lang}"' in page.text
    assert f">{sign_in}</button>" in page.text
    assert ">Password" not in page.text  # the English label is gone
