"""Provides read_json() and read_json_lines(): JSON files and JSON lines (plain or gzipped) as
RawDocs, parsed in this process: lean enough for a 20,000-record corpus in well under a second.
Every stored field passes safe_text()."""

from __future__ import annotations

import codecs
import functools
import gzip
import io
import json
import re
import zlib

from index.dates import iso_date
from index.errors import BadInput
from index.ingest.clean import trim_signoff
from index.ingest.decode import MAX_RECORDS_BYTES, decode, megabytes, one_line
from index.ingest.web import HTML_HINT, html_to_text
from index.models import RawDoc, ReadResult
from index.safe import safe_line, safe_text

_TEXT_KEYS = ("body", "text", "content")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("date", "published", "published_at", "pubdate", "datetime")
_SOURCE_KEYS = ("source", "publication", "publisher")
_URL_KEYS = ("url", "link")
_AUTHOR_KEYS = ("author", "authors", "byline")
_LIST_KEYS = ("articles", "items", "entries", "docs", "documents", "records", "stories", "data")

def read_json(data: bytes) -> ReadResult:
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
        raise BadInput(f"invalid JSON: {one_line(exc)}") from None
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


def read_json_lines(data: bytes) -> ReadResult:
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    return _records_from_lines(_decode_json_bytes(data))


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(MAX_RECORDS_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise BadInput(f"not a valid gzip file ({one_line(exc)})") from None
    if len(out) > MAX_RECORDS_BYTES:
        raise BadInput(f"file too large (over {megabytes(MAX_RECORDS_BYTES)} MB uncompressed)")
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
            errors.append((f"line {number}", f"invalid JSON: {one_line(exc)}"))
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
    return read_json(text.encode("utf-8", "surrogatepass"))


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
    if "<" in text and HTML_HINT.search(text[:4096]):
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
