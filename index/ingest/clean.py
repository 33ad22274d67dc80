"""Provides clean_text(): plain text copied from a web page or a wire, made into a RawDoc.

The rules look at the shape of lines and at repetition, never at one site's strings:

- *Furniture* is a whole short line matching a pattern family in ``data/furniture.txt``
  (advertising, newsletter and app promos, share buttons, navigation, footers). A call to action
  ("Learn more", "Sign up") also takes the short promo lines just above it: the box it closes.
- A line repeated in the same document is furniture when it is short (a topic tag printed at
  the top and again before the body); a repeated sentence keeps its first copy. Lines common
  across a library can be passed in as ``common_lines`` (see find_common_lines()).
- The *title* is the first headline-shaped line before the body starts (not a caption, not a tag,
  not furniture). Short lines around it are kickers and tags and go.
- A *caption* is a sentence ending in a picture credit ("... in Beijing. Photo: Xinhua"): the
  credit moves to ``meta["photo_credit"]``, the caption stays in the body (it names people).
- The *standfirst* (summary lines between the title and the first paragraph) stays in the
  body, after any caption: it is real text a reader wants and entity search should see.
- A headline-shaped line of six words or more standing between two body paragraphs is a link to
  a related story: it leaves the body and is kept in ``meta["related"]``.
- End matter: a print-edition note ("This article appeared in the X print edition as: ...")
  gives the source and goes to ``meta["print_edition"]``; short fragments after it go too. A credit
  line "(Reporting by A and B; Editing by C)" gives the author (the reporters) and goes to
  ``meta["credit"]``; a lone agency sign-off ("... said. REUTER") is trimmed.
- A dateline "BEIJING (Reuters) - " gives place and source; it stays in the text as printed.
- Hard-wrapped text (lines cut at a fixed width) is joined back into paragraphs first.

Over 600 lines on purpose: one pass of rules over one line model (_Line, _Found); the dates and
sign-offs it reads are shared with the JSON reader and wait for index/dates.py (issue 9).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.dates import iso_date
from index.models import RawDoc
from index.safe import safe_line, safe_text

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

#: Only lines this short are tested against the furniture patterns: a pattern can't eat prose.
MAX_FURNITURE_WORDS = 15
#: Repeated lines this short are tags (all copies go); longer repeats keep their first copy.
MAX_TAG_WORDS = 3
#: How many lines after the title (before the body) may be kickers, tags or a standfirst.
HEADER_LINES = 4
#: A headline-shaped line between two paragraphs is a related-story link from this length on.
MIN_RELATED_WORDS = 6

_CLOSERS = "\"'”’»)]」』）】"
_SENTENCE_END = ".!?…:;。！？"
_BULLETS = " \t•·▪►▶|*-–—>»›"
_TRAILERS = ":|>»›→ \t"


# --- patterns from data files ---------------------------------------------------------------


@dataclass(frozen=True)
class _Patterns:
    furniture: re.Pattern[str]
    cta: re.Pattern[str]
    credit: re.Pattern[str]
    agencies: dict[str, str]  # casefolded name -> canonical name
    signoff: re.Pattern[str]


def _alternation(regexes: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r})" for r in regexes) or "(?!)", re.IGNORECASE)


@functools.cache
def _patterns() -> _Patterns:
    buckets: dict[str, list[str]] = {"": [], "cta:": [], "credit:": []}
    path = DATA_DIR / "furniture.txt"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        prefix = next((p for p in ("cta:", "credit:") if line.startswith(p)), "")
        line = line[len(prefix):].strip()
        try:
            re.compile(line)
        except re.error as exc:
            raise ValueError(f"{path.name} line {number}: {exc}") from None
        buckets[prefix].append(line)
    agencies: dict[str, str] = {}
    for raw in (DATA_DIR / "agencies.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, _, canonical = line.partition("=")
        agencies[name.strip().casefold()] = (canonical or name).strip()
    # A sign-off is an agency name alone on the last line or after the last sentence, or in
    # capitals as the last word whatever precedes it ("... 15.8 REUTER"). Case-sensitive on
    # purpose: "... told the ap" is not a sign-off.
    printed: set[str] = set()
    shouted: set[str] = set()
    for raw in (DATA_DIR / "agencies.txt").read_text(encoding="utf-8").splitlines():
        name = raw.partition("=")[0].strip()
        if name and not name.startswith("#"):
            printed |= {name, name.upper()}
            if name.upper() != name:
                shouted.add(name.upper())

    def alternatives(names: set[str]) -> str:
        return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))

    signoff = re.compile(
        rf"(?:(?:(?<=[.!?\"'”’)\]>])[ \t]+|\n[ \t]*|^[ \t]*)(?P<agency>{alternatives(printed)})"
        rf"|[ \t]+(?P<shout>{alternatives(shouted)}))\.?\s*$"
    )
    return _Patterns(
        furniture=_alternation(buckets[""]),
        cta=_alternation(buckets["cta:"]),
        credit=_alternation(buckets["credit:"]),
        agencies=agencies,
        signoff=signoff,
    )


def agency_name(name: str) -> str | None:
    """The canonical name of a news agency ("Reuter" -> "Reuters"), or None if not one."""
    return _patterns().agencies.get(" ".join(name.split()).casefold())


def trim_signoff(text: str) -> tuple[str, str | None]:
    """Remove a lone agency sign-off ending ``text`` ("... said. REUTER"); return the agency.

    Looks only at the tail, so it is cheap enough to run on every record of a big corpus.
    """
    tail_start = max(0, len(text) - 48)
    match = _patterns().signoff.search(text, tail_start)
    if match is None:
        return text, None
    agency = agency_name(match.group("agency") or match.group("shout"))
    return text[: match.start()].rstrip(), agency


# --- dates ------------------------------------------------------------------------------------

_DATE_LABEL = re.compile(
    r"^(?P<label>published|updated|posted|first published|last updated|last modified|date)"
    r"(?:\s+(?:on|at))?\s*:?\s*",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?"
    r"(?:\s+(?:[A-Z]{2,4}|UTC[+-]?\d*))?",
    re.IGNORECASE,
)


def _date_line(line: str) -> tuple[str, str] | None:
    """(label, ISO date) when the whole line is a date, e.g. "Published: 10:30am, 6 Dec 2018"."""
    if len(line) > 80:
        return None
    label_match = _DATE_LABEL.match(line)
    label = label_match.group("label").casefold() if label_match else ""
    rest = line[label_match.end():] if label_match else line
    iso = iso_date(rest)
    if iso is None:
        rest = _CLOCK.sub(" ", rest)
        rest = " ".join(rest.replace("|", " ").replace("·", " ").split()).strip(" ,")
        rest = re.sub(r"\s*,\s*", ", ", rest)
        iso = iso_date(rest) or iso_date(rest.replace(",", ""))
    return (label, iso) if iso else None


# --- line shapes ------------------------------------------------------------------------------


#: Letters of scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao,
#: Myanmar, Khmer): every two count as a word, or a Japanese page would be one word a paragraph.
_UNSPACED = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
)


def word_count(text: str) -> int:
    """Words in one line of ``text``: spaces between them, or letters of a script without."""
    if not text:
        return 0
    words = text.count(" ") + 1
    if text.isascii():
        return words
    return words + len(_UNSPACED.findall(text)) // 2


def ends_sentence(line: str) -> bool:
    """Whether ``line`` ends like a sentence (after any closing quotes or brackets)."""
    return _ends_sentence(line)


def _norm(line: str) -> str:
    return " ".join(line.strip(_BULLETS).rstrip(_TRAILERS).split())


def line_key(line: str) -> str:
    """How lines are compared for repetition and ``common_lines``: trimmed, spaced, casefolded."""
    return _norm(line).casefold()


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip(_CLOSERS + " ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _headline_start(line: str) -> bool:
    first = next((c for c in line[:8] if c.isalnum()), "")
    return first.isupper() or first.isdigit()


_TRAILING_CREDIT = re.compile(
    r"(?<=[.!?\"”’)])\s+[(\[]?(?P<credit>(?:photo|picture|image|photograph|illustration|graphic"
    r"|video)s?(?:\s*:|\s+by\b|\s+credit\s*:?)\s*[^()\[\].!?]{1,80}?)[)\]]?\s*$",
    re.IGNORECASE,
)
_PRINT_EDITION = re.compile(
    r"(?:this|the) (?:article|story) (?:first |originally )?appeared in (?:the )?(?P<pub>.{2,80}?)"
    r"(?:['’]s)? print edition(?: on [^:]{1,40})?(?: as)?\s*:?\s*(?P<headline>.*)$"
    r"|a version of this (?:article|story) appear(?:s|ed) in print\b.*$",
    re.IGNORECASE,
)
_CREDIT_LABELS = (
    r"(?:additional |extra )?reporting|writing|written|editing|edited|compiled|research"
    r"|production|graphics?|fact[- ]checking"
)
_CREDIT_LINE = re.compile(
    rf"\(\s*(?P<body>(?:{_CREDIT_LABELS})\s+by\s[^()]{{2,400}})\)\s*$"
    rf"|^(?P<bare>(?:{_CREDIT_LABELS})\s+by\s[^()]{{2,400}})$",
    re.IGNORECASE,
)
_CREDIT_PART = re.compile(rf"^\s*(?P<label>{_CREDIT_LABELS})\s+by\s+(?P<names>.+?)\s*\.?\s*$", re.I)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w.'’ -]*?(?=\s*(?:,|;|\band\b|&|$))")
_BYLINE = re.compile(r"^(?:By|BY)\s+(?P<names>[A-Z].{1,120})$")
_NAME_JOINERS = {"and", "&", "de", "van", "von", "da", "del", "der", "bin", "al", "la", "le", "du"}
_DATELINE = re.compile(
    r"""(?P<place>[A-Z][A-Za-z.'’&/ -]{1,40}?)
        (?:,\s*(?P<when>(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,?\s+\d{4})?))?
        \s*(?:\((?P<agency>[A-Z][\w.&’' -]{0,30})\))?
        \s*(?:[-–—]{1,2}|:)\s+(?=\S)""",
    re.VERBOSE,
)


def _authors_from_credit(body: str) -> str:
    """The reporters named in a credit line (writers when no one is credited with reporting)."""
    found: dict[str, str] = {}
    for part in body.split(";"):
        match = _CREDIT_PART.match(part)
        if match:
            label = match.group("label").casefold()
            kind = "writing" if label.startswith("writ") else label
            if kind in ("reporting", "writing") and kind not in found:
                found[kind] = _IN_PLACE.sub("", match.group("names")).strip(" ,")
    return found.get("reporting") or found.get("writing") or ""


def _byline(line: str) -> tuple[str, str] | None:
    """(author, agency) from a byline "By Jane Doe and John Roe" / "By Reuters", else None."""
    match = _BYLINE.match(line)
    if not match:
        return None
    names = re.split(r"\s*[|·•]\s*", match.group("names"))[0].rstrip(" .,")
    agency = agency_name(names)
    if agency:
        return "", agency
    names = _IN_PLACE.sub("", names)
    head, _, tail = names.partition(",")
    if tail and agency_name(tail):
        names, agency = head, agency_name(tail)
    words = names.replace(",", " ").split()
    if not 1 <= len(words) <= 12:
        return None
    if not all(w[:1].isupper() or w.casefold() in _NAME_JOINERS for w in words):
        return None
    return names.strip(), agency or ""


# --- the cleaner ------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    block: int
    words: int = 0
    drop: bool = False
    caption: bool = False

    def __post_init__(self) -> None:
        self.words = word_count(self.text)

    def set_text(self, text: str) -> None:
        self.text = text
        self.words = word_count(text)
        self.drop = self.drop or not text

    @property
    def prose(self) -> bool:
        return (_ends_sentence(self.text) and self.words >= 6) or self.words >= 30

    @property
    def short(self) -> bool:
        return self.words <= MAX_FURNITURE_WORDS and len(self.text) <= 200


@dataclass
class _Found:
    title: str = ""
    source: str = ""
    author: str = ""
    place: str = ""
    date: str | None = None
    meta: dict[str, object] = field(default_factory=dict)

    def add_credit(self, credit: str) -> None:
        credits = str(self.meta.get("photo_credit", ""))
        if credit not in credits.split("; "):
            self.meta["photo_credit"] = f"{credits}; {credit}" if credits else credit


def clean_text(
    text: str,
    *,
    common_lines: frozenset[str] = frozenset(),
    title: str | None = None,
    unwrap: bool = True,
) -> RawDoc:
    """Split page furniture and metadata from the story in ``text``; see the module docstring.

    ``common_lines`` holds lines (as printed or as line_key()) seen across many documents of a
    library; they are furniture here. ``title``, when the caller already knows it (Markdown
    heading, HTML metadata, feed entry), is used as is and removed from the body. The body comes
    back as paragraphs separated by a blank line; it may be empty (the caller decides).
    """
    lines = _split(safe_text(text))
    if unwrap:  # text a page's parser gave is one paragraph a line, never cut at a width
        lines = _unwrap(lines)
    found = _Found()
    _mark_furniture(lines, found, common_lines)
    _mark_repeated_sentences(lines)
    _mark_captions_and_bylines(lines, found)
    _mark_end_matter(lines, found)
    tags = _repeated_tags(lines)
    if title is not None:
        start = _use_given_title(lines, found, safe_line(title))
        _drop_header_tags(lines, 0, start, tags)
    else:
        start = _choose_title(lines, found, tags)
    _mark_related(lines, found, start)
    _read_dateline(lines, found, start)
    kept = [line.text for line in lines if not line.drop]
    return RawDoc(
        title=found.title,
        text="\n\n".join(kept),
        source=safe_line(found.source),
        date=found.date,
        author=safe_line(found.author),
        place=safe_line(found.place),
        meta=found.meta,
    )


def _split(text: str) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    for raw in text.replace("\u2029", "\n\n").replace("\u2028", "\n").split("\n"):
        stripped = " ".join(raw.split())
        if stripped:
            lines.append(_Line(stripped, block))
        elif lines and lines[-1].block == block:
            block += 1
    return lines


def _unwrap(lines: list[_Line]) -> list[_Line]:
    """Join hard-wrapped lines (cut at a fixed width) back into paragraphs.

    A document is hard-wrapped when most lines of its multi-line blocks fill the width and most
    do not end a sentence; one paragraph (or sentence) per line is left alone.
    """
    per_block = Counter(line.block for line in lines)
    multi = [line for line in lines if per_block[line.block] > 1]
    if len(multi) < 3:
        return lines
    lengths = sorted(len(line.text) for line in multi)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 40 <= width <= 100:  # lists of short items are not wrapped prose
        return lines
    full = sum(1 for line in multi if len(line.text) >= 0.6 * width)
    ends = sum(1 for line in multi if _ends_sentence(line.text))
    if full < 0.5 * len(multi) or ends > 0.5 * len(multi):
        return lines
    furniture = _patterns().furniture
    joined: list[_Line] = []
    last_length = 0
    for line in lines:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.block == line.block
            and last_length >= 0.6 * width
            and not furniture.fullmatch(_norm(line.text))
        ):
            glue = "" if previous.text.endswith("-") and previous.text[-2:-1].isalpha() else " "
            joined[-1] = _Line(previous.text + glue + line.text, line.block)
        else:
            joined.append(line)
        last_length = len(line.text)
    return joined


def _mark_furniture(lines: list[_Line], found: _Found, common_lines: frozenset[str]) -> None:
    patterns = _patterns()
    for index, line in enumerate(lines):
        if not line.short:
            continue
        norm = _norm(line.text)
        if line.text in common_lines or norm.casefold() in common_lines:
            line.drop = True
        elif patterns.furniture.fullmatch(norm):
            line.drop = True
        elif patterns.credit.fullmatch(norm):
            line.drop = True
            found.add_credit(norm)
        elif patterns.cta.fullmatch(norm):
            line.drop = True
            _drop_promo_box(lines, index)


def _drop_promo_box(lines: list[_Line], cta: int) -> None:
    """A call to action closes a promo box: drop up to two short non-sentences above it."""
    taken = 0
    for line in reversed(lines[:cta]):
        if line.drop:
            continue
        if taken == 2 or line.prose or _ends_sentence(line.text) or line.words > 12:
            return
        line.drop = True
        taken += 1


def _mark_repeated_sentences(lines: list[_Line]) -> None:
    """A sentence printed twice (a pull quote, a teaser) keeps its first copy."""
    seen: set[str] = set()
    for line in lines:
        if line.drop or not line.prose or line.words > 80:
            continue
        key = line_key(line.text)
        if key in seen:
            line.drop = True
        seen.add(key)


def _repeated_tags(lines: list[_Line]) -> set[str]:
    """Keys of short non-sentences printed more than once: topic tags, if one is in the header."""
    counts = Counter(
        line_key(line.text)
        for line in lines
        if not line.drop and line.words <= MAX_TAG_WORDS and not _ends_sentence(line.text)
    )
    return {key for key, count in counts.items() if count > 1}


def _mark_captions_and_bylines(lines: list[_Line], found: _Found) -> None:
    for line in lines:
        if line.drop or len(line.text) > 400:
            continue
        match = _TRAILING_CREDIT.search(line.text)
        if match:
            found.add_credit(match.group("credit").strip())
            line.set_text(line.text[: match.start()].rstrip())
            line.caption = True
            continue
        if line.words > 12:
            continue
        dated = _date_line(line.text)
        if dated:
            label, iso = dated
            line.drop = True
            if label in ("updated", "last updated", "last modified"):
                found.meta.setdefault("updated", iso)
            elif found.date is None:
                found.date = iso
            continue
        byline = _byline(line.text)
        if byline:
            author, agency = byline
            line.drop = True
            found.author = found.author or author
            found.source = found.source or agency


def _kept(lines: list[_Line]) -> list[int]:
    return [i for i, line in enumerate(lines) if not line.drop]


def _mark_end_matter(lines: list[_Line], found: _Found) -> None:
    end_at = len(lines)
    for index in reversed(_kept(lines)):
        line = lines[index]
        if line.words > 60:
            continue
        match = _PRINT_EDITION.match(_norm(line.text))
        if match:
            line.drop = True
            found.meta["print_edition"] = line.text
            if match.group("pub"):
                found.source = match.group("pub").strip()
            end_at = min(end_at, index)
    kept = _kept(lines)
    # The credit line: alone near the end, or closing the last paragraph.
    for index in reversed(kept[-3:]):
        line = lines[index]
        tail_start = max(0, len(line.text) - 500)
        match = _CREDIT_LINE.search(line.text, tail_start)
        if not match:
            continue
        body = match.group("body") or match.group("bare")
        if match.group("bare") and line.words > 20 or ";" not in body and _ends_sentence(body):
            continue  # a sentence that starts "Reporting by ...", not a credit line
        found.meta["credit"] = line.text[match.start():].strip()
        found.author = _authors_from_credit(body) or found.author
        line.set_text(line.text[: match.start()].rstrip())
        end_at = min(end_at, index)
        break
    # Stray fragments after the end of the story ("Post" left over from a footer logo).
    for index in _kept(lines):
        line = lines[index]
        if index > end_at and line.words <= 4 and not _ends_sentence(line.text):
            line.drop = True
    # A lone agency sign-off closing the story.
    kept = _kept(lines)
    if kept:
        last = lines[kept[-1]]
        trimmed, agency = trim_signoff(last.text)
        if agency:
            last.set_text(trimmed)
            found.meta.setdefault("signoff", agency)
            found.source = found.source or agency


def _title_candidate(line: _Line, *, fewest: int = 3) -> bool:
    if line.caption or not fewest <= line.words <= 30 or len(line.text) > 250:
        return False
    if not _headline_start(line.text):
        return False
    if not _ends_sentence(line.text):
        return True
    if line.text.isupper() and _INITIALISM_END.search(line.text):
        return True  # a wire headline in capitals ending "... TO U.S."
    # Question and exclamation headlines: short, and the only sentence on the line.
    stripped = line.text.rstrip(_CLOSERS)
    return stripped[-1:] in "?!" and line.words <= 15 and not re.search(r"[.!?]\s", stripped)


_INITIALISM_END = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "... EXPORTS TO U.S."


def _body_start(lines: list[_Line], start: int) -> int:
    """Index of the first body paragraph at or after ``start`` (a sentence, not a caption)."""
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.drop and line.prose and not line.caption:
            return index
    return len(lines)


def _choose_title(lines: list[_Line], found: _Found, tags: set[str]) -> int:
    """Pick the title, drop the header furniture around it; return where the body starts."""
    title_at = None
    kept = list(_kept(lines))
    for n, index in enumerate(kept):
        line = lines[index]
        # A two-word headline ("Trade talks") only as the file's first line with the body
        # right after it: elsewhere two words are a kicker, a section or a byline.
        short_ok = n == 0 and n + 1 < len(kept) and lines[kept[1]].prose
        if (_title_candidate(line, fewest=2 if short_ok else 3)
                and line_key(line.text) not in tags):
            title_at = index
            break
        if line.prose and not line.caption:
            break
    if title_at is None:
        start = _body_start(lines, 0)
        _drop_header_tags(lines, 0, start, tags)
        return start
    found.title = safe_line(lines[title_at].text)
    title_key = line_key(found.title)
    for line in lines:
        if not line.drop and line_key(line.text) == title_key:
            line.drop = True
    # Before the title only captions are text; the rest is kickers, tags and promos.
    for line in lines[:title_at]:
        if not line.caption and not line.drop:
            line.drop = True
            _drop_copies(lines, line_key(line.text), tags)
    start = _body_start(lines, title_at + 1)
    _drop_header_tags(lines, title_at + 1, start, tags)
    return start


def _use_given_title(lines: list[_Line], found: _Found, title: str) -> int:
    """Use the caller's title; drop its copy from the body. Page metadata often shortens a
    headline ("China thanks Kazakhstan"): a fuller headline above the body wins."""
    found.title = title
    key = line_key(title)
    start = _body_start(lines, 0)
    for index, line in enumerate(lines):
        if line.drop:
            continue
        other = line_key(line.text)
        if other == key:
            line.drop = True
        elif index < start and key and _title_candidate(line) and (key in other or other in key):
            line.drop = True
            if len(line.text) > len(found.title):
                found.title = safe_line(line.text)
    return start


def _drop_header_tags(lines: list[_Line], start: int, stop: int, tags: set[str]) -> None:
    """Short non-sentences right after the title or right before the body are topic tags.

    Only in a header of at most HEADER_LINES lines, and only when a body follows: "Year" in a
    table of figures is not a tag. A tag found here goes wherever else it is repeated.
    """
    if stop >= len(lines):
        return
    header = [line for line in lines[start:stop] if not line.drop]
    if len(header) > HEADER_LINES:
        return  # a long run of lines before the first paragraph is a table or a list, not a header

    def is_tag(line: _Line) -> bool:
        if line.caption or line.words > MAX_TAG_WORDS or _ends_sentence(line.text):
            return False
        return not any(c.isdigit() for c in line.text)  # "Pay March 31" is data, not a tag

    for run in (header, header[::-1]):
        for line in run:
            if not is_tag(line):
                break
            line.drop = True
            _drop_copies(lines, line_key(line.text), tags)


def _drop_copies(lines: list[_Line], key: str, tags: set[str]) -> None:
    if key in tags:
        for line in lines:
            if not line.drop and line_key(line.text) == key:
                line.drop = True


def _mark_related(lines: list[_Line], found: _Found, start: int) -> None:
    kept = [i for i in _kept(lines) if i >= start]
    related: list[str] = []
    for before, index, after in zip(kept, kept[1:], kept[2:]):
        line = lines[index]
        if (
            MIN_RELATED_WORDS <= line.words <= 18
            and not line.caption
            and _headline_shaped(line.text)
            and lines[before].prose
            and lines[after].prose
        ):
            line.drop = True
            related.append(line.text)
    if related:
        found.meta["related"] = related


_NOT_HEADLINE = re.compile(
    r"[.!?][\"'”’]?\s+[A-Z]"  # two sentences
    r"|\b(?:said|told|added|asked|wrote|had)\b"  # reported in the past tense: body copy
    r"|[,;:(\-–—]$"  # running on to the next line
    r"|\s(?:the|a|an|and|or|of|to|in|for|with|on|at|by|from|that|which|include)$"
    r"|\bvs\.?\s|[<>()]"  # tables, tickers, asides
    r"|\d[^\d]+\d+[^\d]+\d",  # three numbers: figures, not a headline
    re.IGNORECASE,
)


def _headline_shaped(text: str) -> bool:
    """One line reading like a headline: capitalised, no end punctuation, one clause in the
    present tense ("EU rejects China's offer ..., but says ..."), no figures or asides."""
    if _ends_sentence(text) or not _headline_start(text) or text.isupper():
        return False  # capitals: a table heading ("MATURITY NEW RATE OLD RATE")
    return not _NOT_HEADLINE.search(text)


def _read_dateline(lines: list[_Line], found: _Found, start: int) -> None:
    if start >= len(lines):
        return
    match = _DATELINE.match(lines[start].text[:120])
    if not match:
        return
    place, agency = match.group("place").strip(), match.group("agency")
    if len(place.split()) > 5 or (agency is None and (place.upper() != place or len(place) < 3)):
        return
    found.place = place
    if agency:
        agency = agency_name(agency) or agency.strip()
        if not found.source:
            found.source = agency
        elif agency != found.source:
            found.meta.setdefault("agency", agency)


def find_common_lines(
    texts: Iterable[str], *, min_docs: int = 3, min_share: float = 0.2
) -> frozenset[str]:
    """Short lines (as line_key()) that recur across documents: furniture of a whole library.

    A line counts when it appears in at least ``min_docs`` documents and ``min_share`` of them;
    sentences never count (two articles may quote the same sentence).
    """
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        total += 1
        keys = set()
        for raw in safe_text(text).split("\n"):
            line = " ".join(raw.split())
            if line and line.count(" ") < 12 and not _ends_sentence(line):
                keys.add(line_key(line))
        counts.update(keys)
    needed = max(min_docs, math.ceil(min_share * total))
    return frozenset(key for key, count in counts.items() if count >= needed)
