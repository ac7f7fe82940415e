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


# ---- bounded cost (issue 14): the steps are counted, the result coarsens, never lies ----

from ima_portal.statements import diff as diff_module  # noqa: E402


def rebuilds(segments, old, new):
    return ("".join(s.text for s in segments if s.op != "added") == old
            and "".join(s.text for s in segments if s.op != "removed") == new)


@given(old=words, new=words, budget=st.integers(min_value=0, max_value=400))
def test_any_budget_still_rebuilds_both_texts(old, new, budget):
    old_text, new_text = " ".join(old), " ".join(new)
    assert rebuilds(word_diff(old_text, new_text, budget=budget), old_text, new_text)


@given(old=words, new=words)
def test_the_shortest_edit_is_found_when_the_budget_allows(old, new):
    """Myers finds a minimal script: the words kept are a longest common subsequence."""
    a, b = diff_module.tokens(" ".join(old)), diff_module.tokens(" ".join(new))
    runs = diff_module._myers(a, b, diff_module._Budget(10**9))
    kept = sum(len(diff_module.tokens(same)) for same, _, _ in runs)
    # the length of a longest common subsequence, by dynamic programming
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = (table[i + 1][j + 1] + 1 if a[i] == b[j]
                           else max(table[i + 1][j], table[i][j + 1]))
    # tokens of a kept run may join differently ("a" "b" → "ab" is impossible for \w+
    # runs split by spaces, so counting the run's tokens counts the kept tokens)
    assert kept == table[0][0]


def test_the_adversarial_compare_of_the_probe_spends_at_most_its_budget():
    """'a ' repeated against 'a. ' repeated made difflib take seconds at 1,200
    characters and minutes at 3,000; the body allows 30,000. Here the steps are
    counted: the comparison stops within its budget and still says what changed."""
    old, new = "a " * 15_000, "a. " * 10_000
    budget = diff_module._Budget(diff_module.STEP_BUDGET)
    assert diff_module._myers(diff_module.tokens(old), diff_module.tokens(new),
                              budget) is None
    # a pass over the diagonals may overspend by at most one pass's snakes
    assert budget.left > -(len(old) + len(new))
    runs = diff_module._middle(old, new, diff_module.STEP_BUDGET)
    assert "".join(r[0] + r[1] for r in runs) == old
    assert "".join(r[0] + r[2] for r in runs) == new
    segments = word_diff(old, new)
    assert rebuilds(segments, old, new)
    assert any(s.op == "removed" for s in segments) and any(s.op == "added" for s in segments)


def test_over_the_budget_changed_lines_show_whole_and_the_rest_stays_the_same():
    old = "First line stays\nthe second one changes a lot here\nlast line stays\n"
    new = "First line stays\nsomething entirely different now\nlast line stays\n"
    # no budget for words in the middle, some for lines, none left for the changed line
    budget = diff_module._Budget(0)
    assert diff_module._myers(diff_module.tokens(old), diff_module.tokens(new),
                              budget) is None
    runs = diff_module._middle(old, new, 40)
    assert ("First line stays\n", "", "") in runs
    assert ("last line stays\n", "", "") in runs
    assert ("", "the second one changes a lot here\n",
            "something entirely different now\n") in runs


def test_with_no_budget_at_all_the_change_is_one_replacement_beside_the_common_ends():
    segments = [(s.op, s.text) for s in word_diff("Workers unite for migrants now",
                                                  "Workers stand with the caravan now",
                                                  budget=0)]
    assert segments == [("same", "Workers "), ("removed", "unite for migrants"),
                        ("added", "stand with the caravan"), ("same", " now")]
