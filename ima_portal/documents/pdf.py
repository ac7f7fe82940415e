"""The one WeasyPrint service of the portal: HTML in, PDF out, with a URL fetcher that
reads nothing but the portal's own static files and `data:` URLs.

Documents refer to static files by absolute URLs on an origin that does not exist
(`STATIC_ORIGIN`); the fetcher maps them to files under `static/` and refuses every other
address: no network, no `file://`, no redirects, nothing outside `static/`."""
from __future__ import annotations

import hashlib
import mimetypes
import os
import queue
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .images import raster_data_url

STATIC_ORIGIN = "https://portal.invalid"  # .invalid: a name that can never resolve


class RefusedURL(ValueError):
    pass


@lru_cache(maxsize=64)
def _read_static(path: str, mtime: float) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


class PortalFetcher(URLFetcher):
    """Serves `STATIC_ORIGIN/static/<file>` from `static_folder` and `data:` URLs; refuses
    and records (`refused`) everything else."""

    def __init__(self, static_folder: str):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False,
                         fail_on_errors=False)
        self.static_folder = os.path.realpath(static_folder)
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.lower().startswith("data:"):
            if raster_data_url(url):
                return super().fetch(url, headers)
            self.refused.append(url[:60])
            raise RefusedURL("data: URLs may carry PNG, JPEG, GIF or WebP pictures only")
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == STATIC_ORIGIN and \
                parts.path.startswith("/static/") and not parts.query:
            relative = unquote(parts.path[len("/static/"):])
            path = os.path.realpath(os.path.join(self.static_folder, relative))
            if path.startswith(self.static_folder + os.sep) and os.path.isfile(path):
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=_read_static(path, os.path.getmtime(path)),
                                          headers={"Content-Type": content_type})
        self.refused.append(url)
        raise RefusedURL(f"documents may use only the portal's static files: {url}")


def static_url(path: str) -> str:
    """The address a document uses for `static/<path>`."""
    return f"{STATIC_ORIGIN}/static/{path.lstrip('/')}"


# Font configurations, kept and lent to one render at a time: WeasyPrint then decodes
# the bundled WOFF2 fonts once per configuration instead of on every render (about 1 s
# of a 1.1 s render). Any thread takes a free one; a new one is made only when all are
# in use at once.
_font_configs: queue.SimpleQueue[FontConfiguration] = queue.SimpleQueue()


def render_pdf(html: str, static_folder: str, *, fetcher: PortalFetcher | None = None) -> bytes:
    """The PDF of `html` (its title, author, keywords and language become the PDF's
    metadata). Only `fetcher` reaches outside the HTML string."""
    fetcher = fetcher or PortalFetcher(static_folder)
    document = HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher)
    try:
        config = _font_configs.get_nowait()
    except queue.Empty:
        config = FontConfiguration()
    try:
        return document.write_pdf(font_config=config)
    finally:
        _font_configs.put(config)


@lru_cache(maxsize=1)
def assets_digest(static_folder: str) -> str:
    """A fingerprint of the static files printed documents use (stylesheets, fonts,
    logo): part of a stored PDF's key, so that a new logo or layout makes new PDFs."""
    digest = hashlib.sha256()
    for relative in ("css/documents.css", "img/logo.svg"):
        with open(os.path.join(static_folder, relative), "rb") as handle:
            digest.update(handle.read())
    fonts = os.path.join(static_folder, "vendor", "fonts-noto-5.3.0")
    for name in sorted(os.listdir(fonts)):
        with open(os.path.join(fonts, name), "rb") as handle:
            digest.update(name.encode() + handle.read())
    return digest.hexdigest()
