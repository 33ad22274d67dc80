"""Provides read_text() and read_markdown(): plain text and Markdown files as RawDocs, through
the cleaner (index.ingest.clean)."""

from __future__ import annotations

import re

from index.dates import iso_date
from index.errors import BadInput
from index.ingest.clean import clean_text
from index.ingest.decode import decode
from index.models import RawDoc, ReadResult
from index.safe import safe_line, safe_text


def read_text(data: bytes, common_lines: frozenset[str] = frozenset()) -> ReadResult:
    """A plain-text file: one article."""
    return ReadResult([_text_doc(clean_text(decode(data), common_lines=common_lines))], [])


def read_markdown(data: bytes, common_lines: frozenset[str] = frozenset()) -> ReadResult:
    """A Markdown file (front matter read for its metadata): one article."""
    return ReadResult([markdown_doc(decode(data), common_lines)], [])



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


def markdown_doc(text: str, common_lines: frozenset[str]) -> RawDoc:
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

