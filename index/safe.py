"""Provides safe_text(): the one gate untrusted text passes before it is stored or shown."""

from __future__ import annotations

import re

# Whole escape sequences, terminated or not: CSI (ESC [ ... final), OSC/DCS/APC/PM/SOS
# (ESC ] ... BEL or ST, or to the end of the line when unterminated), two-byte ESC sequences,
# and the 8-bit C1 introducers that terminals also honour.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?            # CSI ... final byte (possibly missing)
    | \x9b[0-?]*[ -/]*[@-~]?            # 8-bit CSI
    | (?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])  # OSC DCS SOS PM APC (7- or 8-bit)
      (?:[^\x07\x1b\x9c\n]*)            #   payload (an unterminated one ends at the line end,
      (?:\x07|\x1b\\|\x9c)?             #   not with the article); BEL, ST or nothing
    | \x1b[ -/]*[0-~]?                  # other ESC sequences (ESC c, ESC ( B, ...)
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional overrides and isolates (Trojan Source), replaced by a visible-neutral nothing.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Invisible characters that split a word without showing ("Ch\u200bina" looks like "China" but
# is not found by it): zero-width space, word joiner and invisible operators, soft hyphen,
# zero-width no-break space (BOM), Mongolian vowel separator, tag characters (ASCII smuggling).
# A zero-width joiner is dropped too, except after an emoji, where it builds one picture.
_INVISIBLE = re.compile(
    "[\u200b\u2060-\u2064\u00ad\ufeff\u180e\U000e0000-\U000e007f]"
    "|(?<![\u2600-\u27bf\ufe0f\U0001f000-\U0001faff])\u200d"
)
# Any character one of the rules above would touch: text without one is returned as is.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
    "\u200b\u200d\u2060-\u2064\u00ad\ufeff\u180e\U000e0000-\U000e007f]"
)


def safe_text(value: object) -> str:
    """Return ``value`` as text that can neither drive a terminal nor break a store.

    Drops escape sequences whole, control characters (keeping ``\\n`` and ``\\t``; ``\\r\\n``
    and lone ``\\r`` become ``\\n``), bidi overrides, invisible characters that hide inside
    words (zero-width space and joiner, word joiner, soft hyphen, BOM, tag characters), and
    replaces lone surrogates with U+FFFD.
    Idempotent: ``safe_text(safe_text(x)) == safe_text(x)``.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _UNSAFE.search(text) is None:
        return text  # the common case, and much faster than running every rule
    text = _SURROGATE.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    text = _BIDI.sub("", text)
    text = _INVISIBLE.sub("", text)
    return text


def safe_line(value: object) -> str:
    """Like safe_text, for one-line fields (titles, names): newlines and tabs become spaces."""
    return " ".join(safe_text(value).split())


def openable_url(value: object) -> str | None:
    """The URL if reader may offer to open it (after the user confirms), else None.

    Only ``http`` and ``https`` with a host name: never ``javascript:``, ``file:``, ``data:`` or
    anything else an article may carry, nor a URL with control characters, bidi overrides or
    credentials in it. Spaces and other unsafe characters come back percent-encoded.
    """
    from urllib.parse import quote, urlsplit

    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or _UNSAFE.search(url) or any(ch.isspace() and ch != " " for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")
