"""The one WeasyPrint service of the portal: HTML in, PDF out, with a URL fetcher that
reads nothing but the portal's own static files and `data:` URLs.

Documents refer to static files by absolute URLs on an origin that does not exist
(`STATIC_ORIGIN`); the fetcher maps them to files under `static/` and refuses every other
address: no network, no `file://`, no redirects, nothing outside `static/`."""
from __future__ import annotations

import mimetypes
import os
import threading
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

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
            return super().fetch(url, headers)
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


_fonts = threading.local()


def font_config() -> FontConfiguration:
    """One font configuration per thread, kept: WeasyPrint decodes the bundled WOFF2 fonts
    once instead of on every render (about 1 s of a 1.1 s render)."""
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def render_pdf(html: str, static_folder: str, *, fetcher: PortalFetcher | None = None) -> bytes:
    """The PDF of `html` (its title, author, keywords and language become the PDF's
    metadata). Only `fetcher` reaches outside the HTML string."""
    fetcher = fetcher or PortalFetcher(static_folder)
    document = HTML(string=html, base_url=STATIC_ORIGIN + "/", url_fetcher=fetcher)
    return document.write_pdf(font_config=font_config())
