"""The statement workflow, tested directly: every (state, action, who) is allowed or
refused as the issue says; hashtags; the canonical content a sign-off binds."""
from datetime import date
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.roles import Role
from ima_portal.domain.statements import (
    CODE_ALPHABET,
    CONTENT_FIELDS,
    LANGUAGES,
    Action,
    Actor,
    Occasion,
    State,
    allowed_actions,
    canonical_content,
    code_display,
    content_hash,
    decide,
    edit_voids_sign_off,
    is_verification_code,
    may_create,
    may_decide,
    may_draft,
    may_see,
    may_see_history,
    may_translate,
    may_translate_into,
    missing_languages,
    new_verification_code,
    next_state,
    normalize_code,
    parse_hashtags,
)

OWN, OTHER = 7, 8
ACTORS = {
    "secretariat of the issuing chapter": Actor(Role.SECRETARIAT, OWN),
    "secretariat of another chapter": Actor(Role.SECRETARIAT, OTHER),
    "chair": Actor(Role.CHAIR),
    "global secretariat": Actor(Role.ADMIN),
}
AUTHORS = {"secretariat of the issuing chapter", "global secretariat"}

# The workflow, written out as a table: (action, who may take it, from which
# states, to which state).
WORKFLOW = {
    Action.EDIT: (AUTHORS, {State.DRAFT, State.CHANGES_REQUESTED, State.APPROVED,
                            State.PUBLISHED}, State.DRAFT),
    Action.SUBMIT: (AUTHORS, {State.DRAFT}, State.SUBMITTED),
    Action.APPROVE: ({"chair"}, {State.SUBMITTED}, State.APPROVED),
    Action.REQUEST_CHANGES: ({"chair"}, {State.SUBMITTED}, State.CHANGES_REQUESTED),
    Action.PUBLISH: (AUTHORS, {State.APPROVED}, State.PUBLISHED),
    Action.WITHDRAW: (AUTHORS | {"chair"}, set(State) - {State.WITHDRAWN}, State.WITHDRAWN),
}


@pytest.mark.parametrize("state,action,who", list(product(State, Action, ACTORS)))
def test_every_state_action_and_role(state, action, who):
    """A chapter statement (issued by chapter OWN): allowed exactly where the table says,
    with a reason a person can read otherwise."""
    roles, sources, target = WORKFLOW[action]
    decision = decide(action, state, ACTORS[who], OWN, text="A comment or reason.")
    expected = who in roles and state in sources
    assert decision.ok is expected, (state, action, who, decision.reason)
    if expected:
        assert next_state(action, state) is target
    else:
        assert decision.reason and len(decision.reason) > 20


@pytest.mark.parametrize("state,action", list(product(State, Action)))
def test_on_an_alliance_statement_no_chapter_secretariat_acts(state, action):
    for who in ("secretariat of the issuing chapter", "secretariat of another chapter"):
        assert not decide(action, state, ACTORS[who], None, text="x")
    expected_admin = action not in (Action.APPROVE, Action.REQUEST_CHANGES) and \
        state in WORKFLOW[action][1]
    assert decide(action, state, ACTORS["global secretariat"], None, text="x").ok is expected_admin


def test_the_global_secretariat_never_approves():
    decision = decide(Action.APPROVE, State.SUBMITTED, ACTORS["global secretariat"], None)
    assert not decision
    assert "Only the chair" in decision.reason


def test_submitted_statements_are_read_only_to_their_authors_until_the_chair_decides():
    decision = decide(Action.EDIT, State.SUBMITTED, ACTORS["secretariat of the issuing chapter"],
                      OWN)
    assert not decision
    assert "with the chair" in decision.reason


@pytest.mark.parametrize("action", [Action.REQUEST_CHANGES, Action.WITHDRAW])
@pytest.mark.parametrize("text", [None, "", "   \n "])
def test_request_changes_and_withdraw_need_a_text(action, text):
    who = ACTORS["chair"]
    state = State.SUBMITTED
    assert not decide(action, state, who, OWN, text=text)
    assert decide(action, state, who, OWN, text="Shorten the second paragraph.")


def test_next_state_refuses_an_impossible_transition():
    with pytest.raises(ValueError):
        next_state(Action.PUBLISH, State.DRAFT)


def test_editing_a_signed_text_leaves_its_sign_off_behind():
    assert edit_voids_sign_off(State.APPROVED) and edit_voids_sign_off(State.PUBLISHED)
    assert not edit_voids_sign_off(State.DRAFT)
    assert next_state(Action.EDIT, State.PUBLISHED) is State.DRAFT


def test_allowed_actions_of_the_chair_on_a_submitted_statement():
    assert set(allowed_actions(State.SUBMITTED, ACTORS["chair"], OWN)) == {
        Action.APPROVE, Action.REQUEST_CHANGES, Action.WITHDRAW}


@pytest.mark.parametrize("who,issuer,state,expected", [
    ("secretariat of the issuing chapter", OWN, State.DRAFT, True),
    ("secretariat of another chapter", OWN, State.PUBLISHED, False),
    ("secretariat of the issuing chapter", None, State.DRAFT, False),
    ("secretariat of the issuing chapter", None, State.SUBMITTED, False),
    ("secretariat of the issuing chapter", None, State.APPROVED, True),
    ("secretariat of the issuing chapter", None, State.PUBLISHED, True),
    ("chair", OWN, State.DRAFT, True),
    ("global secretariat", OWN, State.WITHDRAWN, True),
])
def test_who_sees_what(who, issuer, state, expected):
    assert may_see(ACTORS[who], issuer, state) is expected


# ---- hashtags ------------------------------------------------------------------------------

def test_hashtags_are_normalized():
    tags, problems = parse_hashtags(
        "MigrantsDay, #IMD2022\n#migrantsday  #JunkTheWar;#Día_del_Migrante")
    assert tags == ["#MigrantsDay", "#IMD2022", "#JunkTheWar", "#Día_del_Migrante"]
    assert problems == []


@pytest.mark.parametrize("bad", ["#bad-tag", "#2022", "#", "#_x", "#a.b", "#" + "x" * 60,
                                 "#<script>"])
def test_bad_hashtags_are_named(bad):
    tags, problems = parse_hashtags(f"#Good {bad}")
    assert tags == ["#Good"]
    assert problems == [bad]


# ---- canonical content ------------------------------------------------------------------------

def content(**changes):
    fields = {"issuer": "International Migrants Alliance", "partners": [], "language": "es",
              "headline": "¡Los migrantes no somos mercancías!", "subheadlines": [],
              "occasion": "migrants_day", "dateline_place": "Hong Kong",
              "issued_on": date(2022, 12, 18), "body": "Línea uno.\n\nLínea dos.",
              "slogans": ["¡Viva!"], "hashtags": ["#MigrantsDay"],
              "reference_name": "Ana Reyes", "reference_title": "presidenta de la IMA"}
    fields.update(changes)
    return fields


def test_canonical_content_is_stable_and_complete():
    assert content_hash(content()) == content_hash(dict(reversed(list(content().items()))))
    assert len(content_hash(content())) == 64
    with pytest.raises(KeyError):
        canonical_content({k: v for k, v in content().items() if k != "headline"})
    assert set(CONTENT_FIELDS) == set(content())


def test_same_reading_text_same_hash():
    decomposed = "¡Los migrantes no somos mercanci\u0301as!"  # i + combining accent
    assert content_hash(content(headline=decomposed)) == content_hash(content())
    assert content_hash(content(body="Línea uno.\r\n\r\nLínea dos.")) == content_hash(content())


@given(field=st.sampled_from(["headline", "body", "dateline_place", "reference_name"]),
       position=st.integers(min_value=0, max_value=200), letter=st.characters(
           blacklist_categories=("Cs",), blacklist_characters="\r"))
def test_any_added_letter_changes_the_hash(field, position, letter):
    original = content()
    text = original[field]
    position = position % (len(text) + 1)
    changed = content(**{field: text[:position] + letter + text[position:]})
    import unicodedata
    if unicodedata.normalize("NFC", changed[field]) == unicodedata.normalize("NFC", text):
        return  # a combining mark that composes to the same letters reads the same
    assert content_hash(changed) != content_hash(original)


@pytest.mark.parametrize("name,value", [
    ("issuer", "IMA-USA"), ("language", "fr"), ("partners", ["Migrante"]),
    ("subheadlines", ["Une ligne"]), ("occasion", "other"), ("issued_on", date(2022, 12, 19)),
    ("slogans", []), ("hashtags", ["#IMD"]), ("reference_title", "IMA chairperson")])
def test_every_field_is_bound(name, value):
    assert content_hash(content(**{name: value})) != content_hash(content())


# ---- who may draft, decide, translate, read the history ------------------------------------

@pytest.mark.parametrize("who,expected", [
    ("secretariat of the issuing chapter", True), ("secretariat of another chapter", True),
    ("chair", False), ("global secretariat", True)])
def test_who_may_draft(who, expected):
    decision = may_draft(ACTORS[who])
    assert decision.ok is expected
    assert expected or "chair reviews" in decision.reason


@pytest.mark.parametrize("who,issuer,expected", [
    ("secretariat of the issuing chapter", OWN, True),
    ("secretariat of another chapter", OWN, False),
    ("secretariat of the issuing chapter", None, False),
    ("chair", OWN, False), ("chair", None, False),
    ("global secretariat", OWN, True), ("global secretariat", None, True)])
def test_who_may_draft_for_an_issuer(who, issuer, expected):
    decision = may_create(ACTORS[who], issuer)
    assert decision.ok is expected
    assert expected or len(decision.reason) > 20


@pytest.mark.parametrize("who", ACTORS)
def test_only_the_chair_decides(who):
    decision = may_decide(ACTORS[who])
    assert decision.ok is (who == "chair")
    assert decision.ok or "Only the chair" in decision.reason


@pytest.mark.parametrize("who,issuer,expected", [
    ("secretariat of the issuing chapter", OWN, True),
    ("secretariat of another chapter", OWN, False),
    ("secretariat of the issuing chapter", None, False),
    ("chair", OWN, True), ("global secretariat", None, True)])
def test_who_reads_revisions_and_comments(who, issuer, expected):
    assert may_see_history(ACTORS[who], issuer) is expected


@pytest.mark.parametrize("who", ACTORS)
def test_translations_are_made_of_originals_by_their_authors(who):
    actor = ACTORS[who]
    assert may_translate(actor, OWN, is_translation=False).ok is (who in AUTHORS)
    of_translation = may_translate(actor, OWN, is_translation=True)
    assert not of_translation and "not a translation" in of_translation.reason


def test_missing_languages():
    assert missing_languages("en", []) == [c for c in LANGUAGES if c != "en"]
    assert missing_languages("en", ["fr", "id"]) == ["es"]
    assert missing_languages("es", ["en", "fr", "id"]) == []
    assert missing_languages("fr", [], is_translation=True) == []


@pytest.mark.parametrize("language,translated,expected", [
    ("fr", [], None), ("fr", ["id"], None),
    ("en", [], "other than the original"), ("xx", [], "other than the original"),
    ("fr", ["fr"], "already has a translation in Français")])
def test_which_translation_may_be_started(language, translated, expected):
    decision = may_translate_into(ACTORS["global secretariat"], None, is_translation=False,
                                  original_language="en", translated=translated,
                                  language=language)
    assert decision.ok is (expected is None)
    assert expected is None or expected in decision.message()
    refused = may_translate_into(ACTORS["secretariat of another chapter"], OWN,
                                 is_translation=False, original_language="en", translated=[],
                                 language="fr")
    assert not refused


# ---- labels ---------------------------------------------------------------------------------

@pytest.mark.parametrize("enum", [State, Action, Occasion])
def test_every_member_has_its_own_label(enum):
    labels = [member.label for member in enum]
    assert all(label and label != member.value for label, member in zip(labels, enum, strict=True))
    assert len(set(labels)) == len(labels)


def test_labels_keep_the_stored_values():
    assert State("changes_requested") is State.CHANGES_REQUESTED
    assert State.SUBMITTED == "submitted" and State.SUBMITTED.label == "Submitted to the chair"
    assert Occasion.label_of("migrants_day") == "International Migrants Day (18 December)"
    assert Occasion.label_of("no such occasion") == "no such occasion"


# ---- verification codes -----------------------------------------------------------------------

def test_new_codes_are_ten_unambiguous_characters():
    for _ in range(50):
        code = new_verification_code()
        assert is_verification_code(code) and set(code) <= set(CODE_ALPHABET)
    assert not set("01OI") & set(CODE_ALPHABET)
    assert new_verification_code(choice=lambda alphabet: alphabet[-1]) == "9" * 10


@given(code=st.text(alphabet=CODE_ALPHABET, min_size=10, max_size=10))
def test_a_printed_code_reads_back_as_stored(code):
    printed = code_display(code)
    assert printed == f"{code[:5]}-{code[5:]}"
    assert normalize_code(printed) == code
    assert normalize_code(f" {printed.lower()} ") == code
    assert normalize_code(printed.replace("-", " ")) == code


def test_codes_as_typed():
    assert normalize_code(None) == ""
    assert normalize_code("k7qmb–3xpa9") == "K7QMB3XPA9"
    assert not is_verification_code(normalize_code("K7QMB-3XPA"))
    assert code_display("SHORT") == "SHORT" and code_display(None) == ""


# ---- the sign-off's confirmation ----------------------------------------------------------

def test_a_sign_off_needs_the_confirmation_of_the_current_text():
    from ima_portal.domain.statements import sign_off_confirmed
    current = "a" * 64
    assert sign_off_confirmed(7, current, current_revision_id=7, current_sha256=current)
    assert sign_off_confirmed(7, current.upper(), current_revision_id=7,
                              current_sha256=current)  # as typed or copied
    missing = sign_off_confirmed(7, "", current_revision_id=7, current_sha256=current)
    assert not missing and "Confirm the sign-off first" in missing.reason
    assert not sign_off_confirmed(7, None, current_revision_id=7, current_sha256=current)
    for revision, digest in ((8, current), (7, "b" * 64), (None, current)):
        stale = sign_off_confirmed(revision, digest, current_revision_id=7,
                                   current_sha256=current)
        assert not stale and "changed since you confirmed it" in stale.reason


def test_the_archive_offers_the_pdf_only_while_it_prints_the_published_text():
    from ima_portal.domain.statements import archive_offers_pdf
    assert archive_offers_pdf(State.PUBLISHED, 7, 7)
    assert archive_offers_pdf(State.APPROVED, 7, 7)  # published, then re-approved as is
    assert not archive_offers_pdf(State.DRAFT, 8, 7)  # a revised text in preparation
    assert not archive_offers_pdf(State.SUBMITTED, 8, 7)
    assert not archive_offers_pdf(State.WITHDRAWN, 7, 7)
