from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.languages import NAMES, choose

ALL = ["en", "id", "es", "fr"]
codes = st.sampled_from([None, "en", "id", "es", "fr", "de", ""])


def test_the_order_of_preference():
    assert choose(ALL, saved="fr", chosen="es", browser="id") == "fr"
    assert choose(ALL, saved=None, chosen="es", browser="id") == "es"
    assert choose(ALL, saved=None, chosen=None, browser="id") == "id"
    assert choose(ALL, saved=None, chosen=None, browser=None) == "en"
    assert choose(ALL, saved="de", chosen="xx", browser=None) == "en"


@given(saved=codes, chosen=codes, browser=codes)
def test_always_an_available_language(saved, chosen, browser):
    assert choose(ALL, saved=saved, chosen=chosen, browser=browser) in ALL
    assert choose(["en"], saved=saved, chosen=chosen, browser=browser) == "en"


def test_every_language_is_named_in_itself():
    assert set(NAMES) == set(ALL) and NAMES["id"] == "Bahasa Indonesia"
