"""Races against a real threaded server (SQLite, WAL, busy timeout)."""
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request


def test_simultaneous_guesses_get_at_most_the_limit_checked(live_server, make):
    """Attempts are recorded before the password is checked: of many guesses sent at the
    same moment to a real threaded server, at most the limit (5) are checked."""
    email = make.user().email
    base = live_server.base_url
    openers = []
    for _ in range(12):
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(base + "/login").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        openers.append((opener, token))
    statuses, barrier = [], threading.Barrier(len(openers))

    def guess(opener, token):
        data = urllib.parse.urlencode({"email": email, "password": "a wrong guess",
                                       "csrf_token": token}).encode()
        barrier.wait()
        try:
            statuses.append(opener.open(base + "/login", data=data).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=guess, args=pair) for pair in openers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 12 and set(statuses) <= {401, 429}
    assert statuses.count(401) <= 5 and statuses.count(429) >= 7
