"""Provides parse() for HTML and feeds: trafilatura reads pages, feedparser reads RSS and Atom.

These are the parsers that hang, recurse or balloon on hostile input, so the importer runs them
in the sandbox worker (index.ingest.sandbox), which calls parse() here. Every stored field passes
safe_text().
"""

from __future__ import annotations

import codecs
import html
import re
import time

from index.dates import iso_date
from index.errors import BadInput
from index.ingest.clean import clean_text, ends_sentence, word_count
from index.ingest.decode import MB, decode, decode_bom, one_line
from index.models import RawDoc, ReadResult
from index.safe import safe_line, safe_text

HTML_HINT = re.compile(
    r"</?(?:p|div|br|span|a|em|strong|ul|ol|li|h[1-6]|blockquote)\b[^>]*>", re.IGNORECASE
)



def parse(kind: str, data: bytes, *, common_lines: frozenset[str] = frozenset()) -> ReadResult:
    """Parse ``data`` as an HTML page or a feed in this process (the sandbox worker calls this)."""
    if kind == "html":
        return ReadResult([html_doc(data, common_lines)], [])
    if kind == "feed":
        return read_feed(data, common_lines)
    raise BadInput(f"unsupported file type ({kind})")


# --- HTML (runs in the sandbox worker) ----------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def decode_html(data: bytes) -> str:
    """HTML bytes to text: a BOM wins, then a declared <meta charset>, then detection."""
    if not data.strip():
        raise BadInput("empty file")
    text = decode_bom(data)
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


def html_doc(data: bytes, common_lines: frozenset[str]) -> RawDoc:
    import trafilatura

    from index.ingest import page as pages

    page = decode_html(data)
    tree = pages.prepare(page)
    found = trafilatura.bare_extraction(
        tree if tree is not None else page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    if found is None or not (found.text or "").strip():
        raise BadInput("no article text found")
    url = _line(found.url) or pages.saved_from(page)
    names = [*pages.site_names(tree), _line(found.sitename)]
    source = pages.source(names, url, _line(found.hostname))
    sites = [*names, source]
    headings = pages.standalone_texts(tree)
    title, suffix = pages.title_parts(_line(found.title), sites=sites, headings=headings)
    doc = clean_text(
        pages.text(found.text), common_lines=common_lines, title=title or None, unwrap=False
    )
    if not has_prose(doc.text):
        raise BadInput("no article text found")
    # No name, no address: the part of the title cut as the site's name, else the text's own
    # (a dateline's agency, a print-edition note).
    named = suffix if len(suffix.split()) >= 2 else ""  # not a section: "Opinion", "World"
    doc.source = source or pages.source([named]) or doc.source
    doc.author = pages.authors(_line(found.author), sites=sites) or pages.authors(
        doc.author, sites=sites
    )
    doc.date = pages.date(iso_date(found.date), page) or doc.date
    doc.url = safe_line(url)
    for key in ("description", "hostname", "language", "license"):
        value = getattr(found, key, None)
        if value:
            doc.meta[key] = safe_text(value.replace(pages.BREAK, "\n"))
    for key in ("categories", "tags"):
        values = getattr(found, key, None)
        if values:
            doc.meta[key] = [_line(v) for v in values if v]
    return doc


def _line(value: object) -> str:
    """A metadata field as one safe line (a ``<br>`` in it is a space)."""
    from index.ingest.page import BREAK

    return safe_line(value.replace(BREAK, " ") if isinstance(value, str) else value)


def has_prose(text: str) -> bool:
    """True when ``text`` has at least one real sentence or paragraph, not just link labels."""
    words = 0
    for paragraph in text.split("\n"):
        paragraph = " ".join(paragraph.split())
        count = word_count(paragraph)
        if count >= 6 and ends_sentence(paragraph):
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


def looks_like_feed(data: bytes) -> bool:
    """An .xml file is read as a feed only if an <rss>, <feed> or <rdf:RDF> element opens it."""
    head = data[: 4 * MB]
    if b"\x00" in head[:4]:  # UTF-16 or UTF-32: compare the ASCII bytes only
        head = head.replace(b"\x00", b"")
    return _FEED_ROOT.search(head) is not None


def read_feed(data: bytes, common_lines: frozenset[str]) -> ReadResult:
    import feedparser

    parsed = feedparser.parse(bytes(data))  # bytes only: given a str, feedparser opens URLs
    warnings = _feed_warnings(data, parsed)
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            raise BadInput(f"not a readable feed ({one_line(parsed.get('bozo_exception', ''))})")
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
        warnings.append(one_line(parsed.get("bozo_exception", "malformed feed")))
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
    if "html" in kind or (not kind and HTML_HINT.search(value[:4096])):
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
