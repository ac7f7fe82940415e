"""The word diff the chair reads: it always rebuilds both texts, and groups a replaced
run of words into one removal and one addition."""
from hypothesis import given
from hypothesis import strategies as st

from ima_portal.statements.diff import field_diffs, word_diff

words = st.lists(st.sampled_from(["migrants", "workers", "unite", "for", "all", "día", "ça",
                                  ",", ".", "!", "\n\n"]), max_size=30)


@given(old=words, new=words)
def test_the_diff_rebuilds_both_texts(old, new):
    old_text, new_text = " ".join(old), " ".join(new)
    segments = word_diff(old_text, new_text)
    assert "".join(s.text for s in segments if s.op != "added") == old_text
    assert "".join(s.text for s in segments if s.op != "removed") == new_text


def test_a_replaced_run_of_words_reads_as_one_replacement():
    segments = [(s.op, s.text) for s in word_diff("Workers unite for migrants now",
                                                  "Workers stand with the caravan now")]
    assert segments == [("same", "Workers "), ("removed", "unite for migrants"),
                        ("added", "stand with the caravan"), ("same", " now")]


def test_field_diffs_say_which_fields_changed():
    diffs = field_diffs({"headline": "A", "body": "same"}, {"headline": "B", "body": "same"},
                        {"headline": "Headline", "body": "Body"})
    assert [(d.name, d.changed) for d in diffs] == [("headline", True), ("body", False)]
