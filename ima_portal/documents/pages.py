"""Words a printed document puts in its page margins, in the reader's language: CSS
`content` values built from a translated sentence whose placeholders become CSS counters,
so that translators see the whole sentence ("Page %(page)s of %(pages)s") and the
numbers are WeasyPrint's own."""
from __future__ import annotations

import re

from flask_babel import gettext
from markupsafe import Markup

# Private-use characters stand for the counters while the sentence is translated: no
# translation contains them.
_COUNTERS = {"\ue000": "counter(page)", "\ue001": "counter(pages)"}
_SPLIT = re.compile("([\ue000\ue001])")


def css_string(text: str) -> str:
    """`text` as a CSS string literal: quotes, backslashes, line breaks and `<` escaped
    (nothing in it can end the string or the `<style>` element)."""
    escaped = re.sub(r'["\\<>\n\r\f]', lambda m: f"\\{ord(m.group()):x} ", text)
    return f'"{escaped}"'


def counter_content(sentence: str) -> str:
    """A CSS `content` value from `sentence` with the counters' marks in it:
    'Page \\ue000 of \\ue001' -> '"Page " counter(page) " of " counter(pages)'."""
    parts = []
    for piece in _SPLIT.split(sentence):
        if piece in _COUNTERS:
            parts.append(_COUNTERS[piece])
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def page_counter(*before: str) -> Markup:
    """'Page 1 of 2' for the `@page` margin, in the reader's language, after the words
    `before` (the document's name, say), each followed by a middle dot: a CSS value to put
    after `content:` in a `<style>`."""
    words = counter_content(gettext("Page %(page)s of %(pages)s",
                                    page="\ue000", pages="\ue001"))
    lead = "".join(f"{part} · " for part in map(str, before))
    return Markup(f"{css_string(lead)} {words}" if lead else words)
