"""Web addresses: fetch a page (or a PDF, a .docx) over HTTP(S) with a timeout and a size limit.

The standard library's ``urllib`` is enough: one GET, redirects followed, the body read up to the
byte limit + 1 so a huge or endless answer is refused without being held. What comes back is read
as the file it is (``Content-Type`` first, then the bytes themselves), so a URL gives the same
document as the saved file would.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .. import __version__
from ..errors import UnreadableFile

TIMEOUT_S = 20.0  # connect and each read; a news page answers in a second or two
USER_AGENT = f"xling/{__version__} (article comparison; +https://pypi.org/project/xling/)"
URL = re.compile(r"^https?://", re.IGNORECASE)
SUFFIX_FOR_TYPE = {
    "text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "text/plain": ".txt", "text/markdown": ".md",
}  # fmt: skip
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    """What a server sent for ``url``: the body, the suffix of the file it is (``.html``, ``.pdf``...) and a name."""

    url: str
    data: bytes
    suffix: str
    name: str


def is_url(value: object) -> bool:
    return isinstance(value, str) and bool(URL.match(value.strip()))


def fetch(url: str, *, max_bytes: int, timeout: float = TIMEOUT_S) -> Fetched:
    """GET ``url``. Raises :class:`UnreadableFile` naming the URL when it cannot be had within the limits."""
    url = url.strip()
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/pdf,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise UnreadableFile(url, f"the page is {int(declared):,} bytes, over the limit of {max_bytes:,} (raise it with --max-bytes)")
            data = _read_bounded(response, max_bytes, url)
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
            final = response.geturl()
    except UnreadableFile:
        raise
    except urllib.error.HTTPError as exc:
        raise UnreadableFile(url, f"the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise UnreadableFile(url, f"no answer within {timeout:g} s") from None
        raise UnreadableFile(url, f"cannot be reached ({reason}); is the network up and the address right?") from None
    except TimeoutError:
        raise UnreadableFile(url, f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise UnreadableFile(url, f"cannot be fetched ({exc})") from None
    if charset and content_type.startswith("text/") and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        data = _as_utf8(data, charset)
    return Fetched(url=final, data=data, suffix=_suffix(content_type, final), name=name_for(final))


def _read_bounded(response, max_bytes: int, url: str) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = response.read(min(READ_CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise UnreadableFile(url, f"the page is over the limit of {max_bytes:,} bytes (raise it with --max-bytes)")


def _as_utf8(data: bytes, charset: str) -> bytes:
    """A page the server says is in ``charset``, as UTF-8 (unknown or wrong charsets are left to xling's own decoding)."""
    try:
        return data.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data


def _suffix(content_type: str, url: str) -> str:
    if content_type in SUFFIX_FOR_TYPE:
        return SUFFIX_FOR_TYPE[content_type]
    path = urlsplit(url).path.lower()
    for suffix in (".html", ".htm", ".pdf", ".docx", ".txt", ".md"):
        if path.endswith(suffix):
            return suffix
    return ".html"


def name_for(url: str) -> str:
    """A short document name for a URL: the last part of its path without suffix, else its host."""
    parts = urlsplit(url)
    tail = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    stem = tail.rsplit(".", 1)[0] if "." in tail else tail
    return re.sub(r"[^\w.-]+", "-", stem).strip("-") or parts.hostname or "page"
