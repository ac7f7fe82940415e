"""A browser's User-Agent as a person recognises it: "Firefox on Android"."""
from __future__ import annotations

import re

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
             ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))


def describe(user_agent: str) -> str:
    """"Chrome on Windows", "Safari on iPhone"; the first words of anything unknown."""
    ua = user_agent or ""
    browser = next((name for mark, name in _BROWSERS if mark in ua), None)
    system = next((name for mark, name in _SYSTEMS if mark in ua), None)
    if "HeadlessChrome" in ua:
        browser = "Headless Chrome"
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system or ""
    words = re.split(r"[\s/;()]+", ua.strip())
    return " ".join(w[:30] for w in words[:2] if w) or "Unknown browser"
