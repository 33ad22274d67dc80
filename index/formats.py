"""Provides read(): one input file's bytes turned into RawDocs (text, Markdown, HTML, JSON, feeds).

Plain text and Markdown go through the cleaner (index.clean). HTML is read by trafilatura and
feeds by feedparser, both in a sandboxed worker process (index.sandbox): they are the parsers
that hang, recurse or balloon on hostile input. JSON and JSON lines are parsed here, lean enough
for a 20,000-record corpus in well under a second. Every stored field passes safe_text().
"""

from __future__ import annotations

import codecs
import functools
import gzip
import html
import io
import json
import re
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from index.clean import clean_text, iso_date, trim_signoff
from index.errors import BadInput
from index.safe import safe_line, safe_text

MB = 1024 * 1024
#: Text, Markdown, HTML and feeds larger than this are refused unread.
MAX_BYTES = 20 * MB
#: A .json file is parsed whole (a list of articles may be big, but json.loads holds it all).
MAX_JSON_BYTES = 64 * MB
#: JSON lines are many small records: a larger cap, applied before and after decompression.
MAX_RECORDS_BYTES = 256 * MB

SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".ndjson.gz": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}
_BY_LENGTH = sorted(SUFFIXES, key=len, reverse=True)


@dataclass
class RawDoc:
    """One article as read from a file, before it is stored."""

    title: str = ""
    text: str = ""  # body text, paragraphs separated by "\n\n" (or "\n"); never the title
    id: str | None = None  # JSON "id" (as str), feed entry id/guid; None otherwise
    source: str = ""  # publication/agency, e.g. "Reuters", "South China Morning Post"
    date: str | None = None  # ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[+TZ]); None when unknown
    author: str = ""
    url: str = ""
    place: str = ""  # dateline place, e.g. "BEIJING"
    meta: dict = field(default_factory=dict)  # everything else worth keeping (JSON-serialisable)


@dataclass
class ReadResult:
    """What one file gave: its articles, and the records inside it that failed."""

    docs: list[RawDoc]
    errors: list[tuple[str, str]]  # ("line 417", "invalid JSON: ..."), ("line 500", "no text")
    warnings: list[str] = field(default_factory=list)  # whole-file notes (feed encoding, ...)


def kind_of(path: Path) -> str | None:
    """The reader for ``path`` by its name ("text", "markdown", "html", "json", "jsonl",
    "feed"), or None when reader does not read such files (the caller skips and counts them)."""
    name = path.name.lower()
    for suffix in _BY_LENGTH:
        if name.endswith(suffix) and len(name) > len(suffix):
            return SUFFIXES[suffix]
    return None


def size_limit(kind: str) -> int:
    """The most bytes read() accepts for a file of this kind."""
    if kind == "jsonl":
        return MAX_RECORDS_BYTES
    return MAX_JSON_BYTES if kind == "json" else MAX_BYTES


def read(path: Path, data: bytes, *, common_lines: frozenset[str] = frozenset()) -> ReadResult:
    """Read one file's ``data``; raises BadInput (a one-line reason) when the whole file fails.

    HTML and feeds are parsed in the sandbox worker (byte cap, timeout, memory limit).
    ``common_lines``: furniture lines seen across the library (see clean.find_common_lines).
    """
    kind = kind_of(path)
    if kind is None:
        raise BadInput(f"unsupported file type ({path.suffix or 'no extension'})")
    check_size(kind, len(data))
    if kind == "feed" and path.name.lower().endswith(".xml") and not _looks_like_feed(data):
        if not data.strip():
            raise BadInput("empty file")
        raise BadInput("not an RSS or Atom feed")
    if kind in ("html", "feed"):
        from index import sandbox

        return sandbox.parse(kind, data, common_lines=common_lines)
    return parse(kind, data, common_lines=common_lines)


def parse(kind: str, data: bytes, *, common_lines: frozenset[str] = frozenset()) -> ReadResult:
    """Parse ``data`` as ``kind`` in this process (the sandbox worker calls this too)."""
    check_size(kind, len(data))
    if kind == "text":
        return ReadResult([_text_doc(clean_text(decode(data), common_lines=common_lines))], [])
    if kind == "markdown":
        return ReadResult([_markdown(decode(data), common_lines)], [])
    if kind == "json":
        return _json_file(data)
    if kind == "jsonl":
        return _json_lines(data)
    if kind == "html":
        return ReadResult([_html(data, common_lines)], [])
    if kind == "feed":
        return _feed(data, common_lines)
    raise BadInput(f"unsupported file type ({kind})")


def check_size(kind: str, size: int) -> None:
    limit = size_limit(kind)
    if size > limit:
        raise BadInput(f"file too large ({_mb(size)} MB; limit {_mb(limit)} MB)")


def _mb(size: int) -> str:
    value = size / MB
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


# --- decoding -----------------------------------------------------------------------------------

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
    text = _decode_bom(data)
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


def _decode_bom(data: bytes) -> str | None:
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


# --- text and Markdown --------------------------------------------------------------------------


def _text_doc(doc: RawDoc) -> RawDoc:
    if not doc.text.strip():
        raise BadInput("no article text found")
    return doc


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ATX_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_RULE_LINE = re.compile(r"^[ ]{0,3}(?:[=\-*_][ \t]*){3,}$", re.MULTILINE)
_FENCE_LINE = re.compile(r"^[ ]{0,3}(?:```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|!\[[^\]\n]*\]\[[^\]\n]*\]")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^()\n]|\([^)\n]*\))*\)|\[([^\]\n]+)\]\[[^\]\n]*\]")
_REF_DEF = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]+\S+.*$", re.MULTILINE)
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)"  # *emphasis*
    r"|(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"  # _emphasis_, but not snake_case
)
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE = re.compile(r"`+([^`\n]+)`+")
_QUOTE = re.compile(r"^[ ]{0,3}>[ \t]?", re.MULTILINE)
_TAG = re.compile(r"<br\s*/?>|</?[A-Za-z][^<>\n]{0,200}>", re.IGNORECASE)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def _markdown(text: str, common_lines: frozenset[str]) -> RawDoc:
    front: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        front = _simple_yaml(match.group("body"))
        text = text[match.end():]
    title = front.pop("title", "")
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:
        heading = _ATX_HEADING.match(lines[first])
        if heading and lines[first].lstrip().startswith("# "):
            title = title or heading.group(1)
            del lines[first]
        elif first + 1 < len(lines) and re.fullmatch(r"[ ]{0,3}=+[ \t]*", lines[first + 1]):
            title = title or lines[first]
            del lines[first : first + 2]
    body = strip_markdown("\n".join(lines))
    doc = clean_text(body, common_lines=common_lines, title=strip_markdown(title) or None)
    doc.date = iso_date(front.pop("date", None)) or doc.date
    doc.author = safe_line(front.pop("author", "")) or doc.author
    for key in ("source", "publication", "publisher", "site"):
        doc.source = doc.source or safe_line(front.pop(key, ""))
    for key in ("url", "link", "canonical_url"):
        doc.url = doc.url or safe_line(front.pop(key, ""))
    doc.place = safe_line(front.pop("place", "")) or doc.place
    doc.meta.update({safe_line(k): safe_text(v) for k, v in front.items()})
    return _text_doc(doc)


def _simple_yaml(block: str) -> dict[str, str]:
    """``key: value`` pairs from front matter (no YAML library: lists become "a, b")."""
    found: dict[str, str] = {}
    key = ""
    for line in block.split("\n"):
        item = re.match(r"^\s+-\s+(.*)$", line)
        if item and key:
            value = item.group(1).strip().strip("\"'")
            found[key] = f"{found[key]}, {value}" if found[key] else value
            continue
        pair = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", line)
        if pair:
            key = pair.group(1).casefold()
            found[key] = pair.group(2).strip().strip("\"'")
    return found


def strip_markdown(text: str) -> str:
    """Markdown to plain text, lightly: heading, emphasis, link, quote and fence markers go."""
    text = _FENCE_LINE.sub("", text)
    text = _ATX_HEADING.sub(r"\1", text)
    text = _RULE_LINE.sub("", text)
    text = _REF_DEF.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(lambda m: "\n" if m.group(0).lower().startswith("<br") else "", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    text = _STRIKE.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _QUOTE.sub("", text)
    return _ESCAPED.sub(r"\1", text)


# --- JSON and JSON lines ------------------------------------------------------------------------

_TEXT_KEYS = ("body", "text", "content")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "published_at", "pubdate", "datetime")
_SOURCE_KEYS = ("source", "publication", "publisher")
_URL_KEYS = ("url", "link")
_AUTHOR_KEYS = ("author", "authors", "byline")
_LIST_KEYS = ("articles", "items", "entries", "docs", "documents", "records", "stories", "data")
_HTML_HINT = re.compile(
    r"</?(?:p|div|br|span|a|em|strong|ul|ol|li|h[1-6]|blockquote)\b[^>]*>", re.IGNORECASE
)


def _json_file(data: bytes) -> ReadResult:
    text = _decode_json_bytes(data)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several objects, one a line: JSON lines named .json
            return _records_from_lines(text)
        raise BadInput(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise BadInput("invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise BadInput(f"invalid JSON: {_one_line(exc)}") from None
    if isinstance(value, dict):
        listed = next((value[k] for k in _LIST_KEYS if isinstance(value.get(k), list)), None)
        if listed is None or any(value.get(k) for k in _TEXT_KEYS):
            doc = _record(value)
            if isinstance(doc, str):
                raise BadInput("no article text found" if doc == "no text" else doc)
            return ReadResult([doc], [])
        value = listed
    if not isinstance(value, list):
        raise BadInput("JSON file holds neither an article nor a list of articles")
    docs: list[RawDoc] = []
    errors: list[tuple[str, str]] = []
    for number, item in enumerate(value, 1):
        doc = _record(item) if isinstance(item, dict) else "not a JSON object"
        if isinstance(doc, str):
            errors.append((f"item {number}", doc))
        else:
            docs.append(doc)
    if not docs and not errors:
        raise BadInput("no article text found")
    return ReadResult(docs, errors)


def _json_lines(data: bytes) -> ReadResult:
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    return _records_from_lines(_decode_json_bytes(data))


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(MAX_RECORDS_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise BadInput(f"not a valid gzip file ({_one_line(exc)})") from None
    if len(out) > MAX_RECORDS_BYTES:
        raise BadInput(f"file too large (over {_mb(MAX_RECORDS_BYTES)} MB uncompressed)")
    return out


def _decode_json_bytes(data: bytes) -> str:
    # JSON is UTF-8 by its standard: one strict decode of the whole file, detection only if it
    # fails (never per line).
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return decode(data)
        if not text.strip():
            raise BadInput("empty file")
        return text
    return decode(data)


def _records_from_lines(text: str) -> ReadResult:
    docs: list[RawDoc] = []
    errors: list[tuple[str, str]] = []
    loads = json.loads
    for number, line in enumerate(text.split("\n"), 1):
        if not line or line.isspace():
            continue
        try:
            value = loads(line)
        except json.JSONDecodeError as exc:
            if number == 1 and exc.msg != "Extra data" and line.lstrip()[:1] in "[{":
                whole = _whole_document(text)
                if whole is not None:
                    return whole
            errors.append((f"line {number}", f"invalid JSON: {exc.msg} at column {exc.colno}"))
            continue
        except RecursionError:
            errors.append((f"line {number}", "invalid JSON: nested too deeply"))
            continue
        except ValueError as exc:
            errors.append((f"line {number}", f"invalid JSON: {_one_line(exc)}"))
            continue
        doc = _record(value) if isinstance(value, dict) else "not a JSON object"
        if isinstance(doc, str):
            errors.append((f"line {number}", doc))
        else:
            docs.append(doc)
    if not docs and not errors:
        raise BadInput("empty file")
    return ReadResult(docs, errors)


def _whole_document(text: str) -> ReadResult | None:
    """The first line is not JSON on its own: perhaps the file is one pretty-printed document."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return None
    return _json_file(text.encode("utf-8", "surrogatepass"))


def _record(obj: dict) -> RawDoc | str:
    """One JSON object as a RawDoc, or the reason it is not one. Runs once per record of a
    corpus, so it stays lean: no decoding, no cleaning beyond safe_text and the sign-off."""
    used: set[str] = {"id"}
    raw = _take(obj, _TEXT_KEYS, used)
    if isinstance(raw, list):
        raw = "\n\n".join(p for p in raw if isinstance(p, str))
    if not isinstance(raw, str):
        return "no text" if raw is None or isinstance(raw, (dict, list)) else "text is not a string"
    text = safe_text(raw).strip()
    if "<" in text and _HTML_HINT.search(text[:4096]):
        text = html_to_text(text)
    text, signoff = trim_signoff(text)
    if not text:
        return "no text"
    meta: dict[str, object] = {}
    raw_date = _take(obj, _DATE_KEYS, used)
    date = iso_date(raw_date)
    if raw_date is not None and date is None:
        meta["date_raw"] = _clean_value(raw_date, 0)
    ident = obj.get("id")
    place = _name(_take(obj, ("place",), used))
    if not place and isinstance(obj.get("dateline"), str):
        place = _place_from_dateline(obj["dateline"])
    doc = RawDoc(
        title=_name(_take(obj, _TITLE_KEYS, used)),
        text=text,
        id=None if ident is None or isinstance(ident, (dict, list)) else safe_line(ident) or None,
        source=_name(_take(obj, _SOURCE_KEYS, used)) or signoff or "",
        date=date,
        author=_names(_take(obj, _AUTHOR_KEYS, used)),
        url=_name(_take(obj, _URL_KEYS, used)),
        place=place,
        meta=meta,
    )
    for key, value in obj.items():
        if key not in used:
            meta[_key(key)] = _clean_value(value, 0)
    return doc


def _take(obj: dict, keys: tuple[str, ...], used: set[str]) -> object:
    """The first of ``keys`` holding a value (empty strings and lists do not count)."""
    for key in keys:
        value = obj.get(key)
        if value is not None and value != "" and value != [] and value != {}:
            used.add(key)
            return value
    return None


@functools.lru_cache(maxsize=1024)
def _key(key: str) -> str:
    return safe_line(key)


def _name(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or ""
    if value is None or isinstance(value, (list, bool)):
        return ""
    return safe_line(value)


def _names(value: object) -> str:
    if not isinstance(value, list):
        return _name(value)
    names = [n for n in (_name(v) for v in value) if n]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Za-z.'’&/ -]{1,40}?)\s*(?:,|\(|[-–—]|$)")


def _place_from_dateline(dateline: str) -> str:
    match = _DATELINE_PLACE.match(dateline)
    return safe_line(match.group(1)) if match and len(match.group(1).split()) <= 5 else ""


def _clean_value(value: object, depth: int) -> object:
    """A JSON value with every string made safe (keys too); very deep nests become text."""
    if isinstance(value, str):
        return safe_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if depth > 20:
        return safe_text(json.dumps(value)[:10000])
    if isinstance(value, list):
        if all(type(v) is str for v in value):  # the usual case: a list of tags
            return [safe_text(v) for v in value]
        return [_clean_value(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {_key(str(k)): _clean_value(v, depth + 1) for k, v in value.items()}
    return safe_text(value)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


# --- HTML (runs in the sandbox worker) ----------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode_html(data: bytes) -> str:
    """HTML bytes to text: a BOM wins, then a declared <meta charset>, then detection."""
    if not data.strip():
        raise BadInput("empty file")
    text = _decode_bom(data)
    if text is None:
        declared = _META_CHARSET.search(data[:8192])
        codec = _codec(declared.group(1).decode("ascii")) if declared else None
        if codec in ("latin-1", "iso8859-1", "ascii"):
            codec = "cp1252"  # what browsers do, and what such pages really are
        if codec and codec not in ("utf-8", "cp1252") and b"\x00" not in data[:8192]:
            text = data.decode(codec, errors="replace")
        elif codec == "utf-8":
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = None
    if text is None:
        text = decode(data)
    elif "\x00" in text[:65536]:
        raise BadInput("not a text file")
    return _XML_DECLARATION.sub("", text, count=1)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _html(data: bytes, common_lines: frozenset[str]) -> RawDoc:
    import trafilatura

    page = decode_html(data)
    found = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    if found is None or not (found.text or "").strip():
        raise BadInput("no article text found")
    title = safe_line(found.title) or None
    doc = clean_text(found.text, common_lines=common_lines, title=title)
    if not has_prose(doc.text):
        raise BadInput("no article text found")
    doc.source = safe_line(found.sitename) or doc.source
    doc.author = safe_line(found.author) or doc.author
    doc.date = iso_date(found.date) or doc.date
    doc.url = safe_line(found.url)
    for key in ("description", "hostname", "language", "license"):
        value = getattr(found, key, None)
        if value:
            doc.meta[key] = safe_text(value)
    for key in ("categories", "tags"):
        values = getattr(found, key, None)
        if values:
            doc.meta[key] = [safe_line(v) for v in values if v]
    return doc


def has_prose(text: str) -> bool:
    """True when ``text`` has at least one real sentence or paragraph, not just link labels."""
    words = 0
    for paragraph in text.split("\n"):
        count = len(paragraph.split())
        stripped = paragraph.rstrip("\"'”’») ")
        if count >= 6 and stripped[-1:] in ".!?…:;":
            return True
        if count >= 4:
            words += count
    return words >= 40


_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")


def html_to_text(fragment: str) -> str:
    """An HTML fragment (a feed entry's content) as plain text, one paragraph a line."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in root.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif tag in _BLOCK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)


# --- feeds (run in the sandbox worker) ----------------------------------------------------------

_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(?:rss|feed|RDF)\b")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']""")


def _looks_like_feed(data: bytes) -> bool:
    """An .xml file is read as a feed only if an <rss>, <feed> or <rdf:RDF> element opens it."""
    head = data[: 4 * MB]
    if b"\x00" in head[:4]:  # UTF-16 or UTF-32: compare the ASCII bytes only
        head = head.replace(b"\x00", b"")
    return _FEED_ROOT.search(head) is not None


def _feed(data: bytes, common_lines: frozenset[str]) -> ReadResult:
    import feedparser

    parsed = feedparser.parse(bytes(data))  # bytes only: given a str, feedparser opens URLs
    warnings = _feed_warnings(data, parsed)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise BadInput(f"not a readable feed ({_one_line(parsed.get('bozo_exception', ''))})")
        raise BadInput("feed has no entries")
    channel = parsed.get("feed") or {}
    source = safe_line(_plain(channel.get("title_detail"), channel.get("title")))
    docs: list[RawDoc] = []
    errors: list[tuple[str, str]] = []
    for number, entry in enumerate(entries, 1):
        doc = _entry(entry, source, common_lines)
        if doc is None:
            errors.append((f"entry {number}", "no text"))
            continue
        if warnings:
            doc.meta["feed_warning"] = "; ".join(warnings)
        docs.append(doc)
    return ReadResult(docs, errors, warnings)


def _feed_warnings(data: bytes, parsed: dict) -> list[str]:
    warnings: list[str] = []
    if parsed.get("bozo"):
        warnings.append(_one_line(parsed.get("bozo_exception", "malformed feed")))
    declared = _XML_ENCODING.match(data[:512].lstrip(codecs.BOM_UTF8))
    if declared:
        name = declared.group(1).decode("ascii")
        codec = _codec(name)
        used = parsed.get("encoding") or "utf-8"
        if codec is None:
            if not any(name in w for w in warnings):
                warnings.append(f"declared encoding {name} is unknown; read as {used}")
        elif codec not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be") and not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                warnings.append(f"declared encoding {name} but the bytes are UTF-8; read as UTF-8")
    seen: set[str] = set()
    return [w for w in warnings if not (w in seen or seen.add(w))]


def _plain(detail: object, value: object) -> str:
    """A feed text construct as plain text (titles may be HTML: "A <b>bold</b> title")."""
    if not isinstance(value, str):
        return ""
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    if "html" in kind or (not kind and _HTML_HINT.search(value[:4096])):
        return html_to_text(value)
    return value


def _entry(entry: dict, source: str, common_lines: frozenset[str]) -> RawDoc | None:
    title = safe_line(_plain(entry.get("title_detail"), entry.get("title")))
    # Full content when the feed has it, else the summary.
    bodies = [(c.get("value"), c) for c in entry.get("content") or [] if isinstance(c, dict)]
    text = max((_plain(detail, value) for value, detail in bodies), key=len, default="")
    if not text.strip():
        text = _plain(entry.get("summary_detail"), entry.get("summary"))
    text = safe_text(text).strip()
    if not text:
        return None
    doc = clean_text(text, common_lines=common_lines, title=title or None)
    if not doc.text:
        # A one-line summary may look like a tag or a headline to the cleaner; in a feed it is
        # the entry's text, so keep it rather than lose the entry.
        doc.text = "\n\n".join(p for p in text.split("\n") if p.strip() and p.strip() != title)
        if not doc.text:
            return None
    doc.id = safe_line(entry.get("id")) or None
    doc.source = source or doc.source
    doc.author = safe_line(entry.get("author")) or doc.author
    doc.url = safe_line(entry.get("link"))
    doc.date = _entry_date(entry) or doc.date
    tags = [safe_line(t.get("term")) for t in entry.get("tags") or [] if isinstance(t, dict)]
    if any(tags):
        doc.meta["tags"] = [t for t in tags if t]
    return doc


def _entry_date(entry: dict) -> str | None:
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", parsed)
            except (TypeError, ValueError):
                pass
        date = iso_date(entry.get(key))
        if date:
            return date
    return None


def preload_parsers() -> None:
    """Import the heavy parsers now (the sandbox worker does this once, before its first job)."""
    import feedparser  # noqa: F401
    import lxml.html  # noqa: F401
    import trafilatura  # noqa: F401
