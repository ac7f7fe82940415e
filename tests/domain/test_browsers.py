import pytest
from hypothesis import given
from hypothesis import strategies as st

from ima_portal.domain.browsers import describe


@pytest.mark.parametrize("ua,label", [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0 Safari/537.36", "Chrome on Windows"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "Safari on iPhone"),
    ("Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
     "Firefox on Android"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "HeadlessChrome/130.0 Safari/537.36", "Headless Chrome on Linux"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0 Safari/537.36 Edg/120.0", "Edge on macOS"),
    ("curl/8.5.0", "curl 8.5.0"), ("", "Unknown browser")])
def test_a_browser_as_a_person_recognises_it(ua, label):
    assert describe(ua) == label


@given(st.text(max_size=300))
def test_any_user_agent_gives_a_short_label(ua):
    label = describe(ua)
    assert 0 < len(label) <= 61
