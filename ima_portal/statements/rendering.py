"""A statement's body: Markdown (markdown-it-py, CommonMark with raw HTML turned off)
rendered to HTML, then cleaned with an allow-list (nh3): no scripts, no event or style
attributes, no remote images, links only to http(s) and mail addresses."""
from __future__ import annotations

import base64
import binascii
import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

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


# The first bytes of each raster format an embedded picture may have.
RASTER_SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
_DATA_URL = re.compile(r"^data:(image/[a-z]+);base64,([A-Za-z0-9+/=\s]+)$", re.I)


def raster_data_url(value: str) -> bool:
    """Is `value` a base64 data: URL of a PNG, JPEG, GIF or WebP picture whose bytes are
    what it says? (A "PNG" that is really SVG could carry text that a browser would not
    show but a PDF renderer would.)"""
    match = _DATA_URL.match(value.strip())
    if not match:
        return False
    kind = match.group(1).lower()
    try:
        head = base64.b64decode(re.sub(r"\s", "", match.group(2))[:64], validate=True)
    except (binascii.Error, ValueError):
        return False
    signatures = RASTER_SIGNATURES.get(kind, ())
    if kind == "image/webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return any(head.startswith(sig) for sig in signatures)


def clean_html(html: str) -> str:
    """`html` with only the allowed tags and attributes left."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     clean_content_tags={"script", "style"},
                     url_schemes={"http", "https", "mailto", "data"},
                     attribute_filter=_attribute_filter, link_rel="noopener noreferrer",
                     strip_comments=True)


def render_markdown(text: str) -> Markup:
    """The body as safe HTML. Headings in the body start at level 2 (the headline is 1)."""
    html = _markdown.render(text or "")
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    return Markup(clean_html(html))  # noqa: S704 (cleaned just above)
