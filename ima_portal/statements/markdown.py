"""A statement's body: Markdown (markdown-it-py, CommonMark with raw HTML turned off)
rendered to HTML, then cleaned with an allow-list (nh3): no scripts, no event or style
attributes, no remote images, links only to http(s) and mail addresses."""
from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..documents.images import raster_data_url

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])

ALLOWED_TAGS = {"p", "br", "hr", "h2", "h3", "h4", "em", "strong", "s", "del", "ins", "a",
                "ul", "ol", "li", "blockquote", "code", "pre", "table", "thead", "tbody",
                "tr", "th", "td", "img", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                      "ol": {"start"}, "th": {"align"}, "td": {"align"}}
# Inline images only: pictures embedded in the text or the portal's own static files.
_STATIC_SRC = re.compile(r"^/static/[\w./-]+$")
_LINK_HREF = re.compile(r"^(https?:|mailto:|#)", re.I)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        value = value.strip()
        if value.lower().startswith("data:"):
            return value if raster_data_url(value) else None
        return value if _STATIC_SRC.match(value) and ".." not in value else None
    if tag == "a" and attribute == "href":
        return value if _LINK_HREF.match(value.strip()) else None
    return value


def clean_html(html: str) -> str:
    """`html` with only the allowed tags and attributes left."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     clean_content_tags={"script", "style"},
                     url_schemes={"http", "https", "mailto", "data"},
                     attribute_filter=_attribute_filter, link_rel="noopener noreferrer",
                     strip_comments=True)


# Bodies kept once rendered: at most 64, each at most 20,000 characters (a body with a
# picture pasted in is larger: rendered each time, so the editor's preview cannot fill a
# worker's memory with them).
KEPT_BODIES, KEPT_BODY_CHARS = 64, 20_000


def render_markdown(text: str) -> Markup:
    """The body as safe HTML. Headings in the body start at level 2 (the headline is 1).
    A text is rendered once and kept (the HTML depends on nothing else): a statement's
    page and the archive show the same few bodies again and again."""
    text = text or ""
    return _kept(text) if len(text) <= KEPT_BODY_CHARS else _rendered(text)


def _rendered(text: str) -> Markup:
    html = _markdown.render(text)
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    return Markup(clean_html(html))  # noqa: S704 (cleaned just above)


_kept = lru_cache(maxsize=KEPT_BODIES)(_rendered)
