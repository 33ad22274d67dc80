"""Provides decode() and the byte caps: a file's bytes made text, and how many bytes each kind of
file may have before it is refused unread."""

from __future__ import annotations

import codecs
import re

from index.errors import BadInput

MB = 1024 * 1024
#: Text, Markdown, HTML and feeds larger than this are refused unread.
MAX_BYTES = 20 * MB
#: A .json file is parsed whole (a list of articles may be big, but json.loads holds it all).
MAX_JSON_BYTES = 64 * MB
#: JSON lines are many small records: a larger cap, applied before and after decompression.
MAX_RECORDS_BYTES = 256 * MB


def size_limit(kind: str) -> int:
    """The most bytes read() accepts for a file of this kind."""
    if kind == "jsonl":
        return MAX_RECORDS_BYTES
    return MAX_JSON_BYTES if kind == "json" else MAX_BYTES


def check_size(kind: str, size: int) -> None:
    limit = size_limit(kind)
    if size > limit:
        raise BadInput(too_large(size, limit))


def too_large(size: int | None, limit: int) -> str:
    """The reason a file over ``limit`` bytes is refused (``size`` None: found while reading)."""
    if size is None:
        return f"file too large (over {megabytes(limit)} MB)"
    return f"file too large ({megabytes(size)} MB; limit {megabytes(limit)} MB)"


def megabytes(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Text from bytes: a BOM decides; else UTF-8; else cp1252 or whatever charset-normalizer
    finds, whichever reads as less of a mess. Raises BadInput for empty and binary files."""
    if not data.strip():
        raise BadInput("empty file")
    text = decode_bom(data)
    if text is None:
        text = _decode_unmarked(data)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise BadInput("empty file")
    sample = text[:65536]
    # Binary that happened to decode is full of control characters and replacement marks;
    # a few escapes in hostile text are not enough (safe_text() removes those).
    limit = max(8, 0.05 * len(sample))
    if len(_BINARY_CONTROLS.findall(sample)) > limit or sample.count("\ufffd") > limit:
        raise BadInput("not a text file")
    return text


def decode_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if codec.startswith("utf-32"):
                try:
                    return body.decode(codec)
                except UnicodeDecodeError:
                    continue  # FF FE 00 00 can also open UTF-16 text whose first character is NUL
            return body.decode(codec, errors="replace")
    return None


def _decode_unmarked(data: bytes) -> str:
    sample = data[:65536]
    nuls = sample.count(0)
    if nuls:
        # UTF-16 without a BOM puts a NUL in every other byte of Latin text. Otherwise a stray
        # NUL in valid UTF-8 is text (safe_text() drops it); NULs with anything else are an
        # image, a PDF, an archive.
        half = len(sample) // 2
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        codec = "utf-16-le" if odd > 0.3 * half and even == 0 else None
        codec = codec or ("utf-16-be" if even > 0.3 * half and odd == 0 else None)
        if codec is None and nuls <= max(2, len(sample) // 100):
            codec = "utf-8"
        try:
            return data.decode(codec or "")
        except (UnicodeDecodeError, LookupError):
            raise BadInput("not a text file") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data.decode("utf-8", errors="replace")  # cut in the middle of the last character
    return _decode_guess(data)


def _decode_guess(data: bytes) -> str:
    import charset_normalizer

    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    best = charset_normalizer.from_bytes(data[: 4 * MB]).best()
    if best is None:
        if western is None:
            raise BadInput("not a text file")
        return western
    if western is None:
        return data.decode(best.encoding, errors="replace")
    # charset-normalizer often calls cp1252 prose cp1250 or cp775; trust cp1252 unless the
    # detector's reading is clearly less of a mess (Cyrillic, Greek, Central European text).
    guessed = data.decode(best.encoding, errors="replace")
    if _mess(western) <= _mess(guessed) + 0.02:
        return western
    return guessed


def _mess(text: str) -> float:
    try:
        from charset_normalizer.md import mess_ratio
    except ImportError:  # an internal helper: without it, count characters outside Latin-1
        sample = text[:65536]
        odd = sum(1 for c in sample if ord(c) > 0xFF and c not in "‘’“”–—…€•™")
        return odd / max(1, len(sample))
    return mess_ratio(text[:65536], 1.0)



def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__

