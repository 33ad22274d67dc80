"""Provides the web page around trafilatura: prepare() shapes the page before it is read, and
title(), authors() and source() judge the metadata it finds.

The rules look at the shape of the page and of the strings, never at one site:

- A ``<br>`` becomes a line break in the text whatever block it sits in (trafilatura joins the
  text on either side of one in some layouts: "on Wednesday.The stabbing").
- Hidden text goes: ``hidden``, ``display:none``, and hover cards and tooltips, which repeat a
  name next to the link that shows them ("Ilhan OmarIlhan Omar").
- A link list goes with its heading ("Top stories", "Partner news", "Related", "Most read"):
  the heading's box when that box is mostly links, else the heading and the lines under it up
  to the next sentence of the story.
- A title loses a part that names the site, or that the page shows by itself as a section or
  kicker ("... | Editorial"), when the rest is the page's headline.
- An author is one or more names: dates, weekdays, "staff" bylines and the sentence of a short
  biography ("Phil Helsel is a reporter") are not names.
- The source is the page's publisher or site name, else its domain; never a copyright line,
  a platform's word ("Hosted") or a URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from itertools import islice
from urllib.parse import urlsplit

from index.ingest.clean import agency_name
from index.safe import safe_line

__all__ = [
    "BREAK", "authors", "date", "prepare", "saved_from", "site_names", "source", "standalone_texts",
    "text", "title", "title_parts",
]

#: Stands for a ``<br>`` while trafilatura reads the page; made a line break afterwards. A
#: printable symbol ("symbol for newline"): trafilatura drops unprintable characters in tables.
BREAK = "\u2424"

_LINK_LIST = re.compile(
    r"(?:top|latest|more|other|related|trending|popular|recommended|featured|must[- ]read)"
    r"(?: (?:stories|news|articles|headlines|reads?|videos|content|coverage|links|now|today"
    r"|for you|on \S+(?: \S+)?))?"
    r"|partner(?:s'?)? (?:news|content|stories)|sponsored(?: content| stories| links)?"
    r"|from (?:our|the) partners|promoted(?: stories| content)?|around the web"
    r"|more from [\w .'’&-]{1,40}|(?:read|see) (?:more|also|next)|also read|further reading"
    r"|most (?:read|popular|viewed|shared|commented|emailed)|editor'?s'? picks|top picks"
    r"|you (?:may|might) (?:also )?(?:like|be interested in)|what to read next|in other news"
    r"|don'?t miss|related to this story|more on this story|in case you missed it"
    # the same headings in the languages most saved pages are in
    r"|mehr zum thema|lesen sie auch|auch interessant|das könnte sie (?:auch )?interessieren"
    r"|(?:à )?lire aussi|sur le même sujet|(?:te|le) puede interesar|lee también|leia também"
    r"|leggi anche|читайте также|похожие новости|関連記事|相关(?:新闻|阅读)|相關新聞",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_POPUP_CLASS = re.compile(r"hover-?card|tool-?tip|pop-?over", re.IGNORECASE)
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b", "em",
                 "li", "dt", "header", "label", "section", "aside", "a")
_CONTAINERS = frozenset({"div", "section", "aside", "ul", "ol", "nav", "dl", "table", "footer"})
_SENTENCE_END = ".!?…。！？"


def prepare(page: str):
    """The page as an lxml tree made ready for trafilatura (see the module docstring), or None
    when lxml can't read it (trafilatura then gets the string and decides)."""
    from trafilatura.utils import load_html

    tree = load_html(page)
    if tree is None:
        return None
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if element.tag == "br":
            element.tail = BREAK + (element.tail or "")
        elif _hidden(element):
            element.drop_tree()
    for element in list(tree.iter(*_HEADING_TAGS)):
        # A heading is a small element: a box holding a whole page is never read out for this.
        if len(list(islice(element.iter(), 6))) > 5 or element.getparent() is None:
            continue
        if _LINK_LIST.fullmatch(_text(element).rstrip(":")):
            _drop_link_list(element)
    for table in list(tree.iter("table")):
        if _layout(table):
            _untable(table)
    for paragraph in tree.iter("p"):
        if _STANDFIRST_CLASS.search(paragraph.get("class", "")):
            del paragraph.attrib["class"]  # trafilatura drops a "teaser": it is the standfirst
    return tree


_STANDFIRST_CLASS = re.compile(
    r"(?:^|[\s_-])(?:teaser|standfirst|lede|lead|intro|summary|dek|deck|sub-?title|subhead)"
    r"(?:$|[\s_-])",
    re.I,
)
#: A table cell with this many words of running text makes the table a page layout.
LAYOUT_WORDS = 60


def _layout(table) -> bool:
    """A table used to lay out a page (old sites): a cell holds paragraphs of the story, not
    a figure. Read as a table, its text came out as one line between "|" marks."""
    for cell in table.iter("td", "th"):
        if len(_text(cell).split()) >= LAYOUT_WORDS and next(cell.iter("table"), None) is None:
            return True
    return False


def _untable(table) -> None:
    for element in [table, *table.iter("thead", "tbody", "tfoot", "tr", "td", "th")]:
        element.tag = "div"
        for name in ("width", "colspan", "rowspan", "valign", "align"):
            element.attrib.pop(name, None)


def _hidden(element) -> bool:
    attrib = element.attrib
    if "hidden" in attrib or _HIDDEN_STYLE.search(attrib.get("style", "")):
        return True
    return bool(_POPUP_CLASS.search(attrib.get("class", "")) or
                attrib.get("role") == "tooltip")


def _text(element) -> str:
    return " ".join(element.text_content().replace(BREAK, " ").split())


def _link_share(element) -> float:
    """How much of an element's text is the text of links."""
    total = len(_text(element))
    if not total:
        return 0.0
    linked = sum(len(_text(a)) for a in element.iter("a"))
    return linked / total


def _is_prose(element) -> bool:
    text = _text(element)
    return (
        len(text.split()) >= 6
        and text.rstrip("\"'”’»)")[-1:] in _SENTENCE_END
        and _link_share(element) < 0.5
    )


def _is_item(element) -> bool:
    """An entry of a link list: it opens with a link (a headline), perhaps a teaser after it."""
    text = _text(element)
    first = next((a for a in element.iter("a") if _text(a)), None)
    if first is None or not text.startswith(_text(first)):
        return False
    return len(_text(first)) >= max(12, 0.35 * len(text))


def _drop_link_list(heading) -> None:
    text = _text(heading)
    node = heading
    # <p><strong>Top stories</strong></p>: the heading is the outermost box holding only it.
    while node.getparent() is not None and _text(node.getparent()) == text:
        node = node.getparent()
    box = node.getparent()
    if box is None:
        return
    if box.tag in _CONTAINERS and box.getparent() is not None:
        rest = len(_text(box)) - len(text)
        items = [c for c in box if isinstance(c.tag, str) and c is not node and _text(c)]
        if rest > 0 and items and (
            all(_is_item(c) for c in items)  # every entry a link, perhaps with a teaser line
            or _link_share(box) >= 0.3 and sum(1 for c in items if _is_prose(c)) <= 1
        ):
            box.drop_tree()
            return
    following = []
    for sibling in node.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        if _is_prose(sibling) and not _is_item(sibling):
            break
        if _LINK_LIST.fullmatch(_text(sibling).rstrip(":")):
            break
        following.append(sibling)
    for element in [node, *following]:
        element.drop_tree()


_DOUBLED = re.compile(r"\b((?:[A-Z][a-zà-ÿ'’.-]+ ){0,3}[A-Z][a-zà-ÿ'’.-]+)\1\b")


def text(extracted: str) -> str:
    """Text as trafilatura gave it, with each ``<br>`` a line break and a name doubled by a hover
    card left once ("Ilhan OmarIlhan Omar")."""
    extracted = re.sub(f"[ \t]*{BREAK}[{BREAK}\\s]*", "\n", extracted)
    return _DOUBLED.sub(r"\1", extracted)


# --- metadata ----------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"\s+[|–—:·»-]\s+|\s*\|\s*|\s+::\s+")


def _key(text: str) -> str:
    text = text.casefold()
    text = re.sub(r"^the\s+|^www\.|\.(?:com|org|net|co\.uk|co|news|info)$", "", text)
    return re.sub(r"\W+", "", text)


def _names_site(part: str, sites: Iterable[str]) -> bool:
    key = _key(part)
    if not key:
        return True
    for site in sites:
        other = _key(site)
        if other and (key == other or (len(key) >= 4 and (key in other or other in key))):
            return True
    return False


def title(raw: str, *, sites: Iterable[str], headings: Iterable[str]) -> str:
    """``raw`` without a part naming the site or a section the page shows by itself.

    ``sites``: the site's names and domain; ``headings``: short texts standing alone on the
    page (its h1, kickers, section labels).
    """
    return title_parts(raw, sites=sites, headings=headings)[0]


def title_parts(raw: str, *, sites: Iterable[str], headings: Iterable[str]) -> tuple[str, str]:
    """title() and the part it cut from the end ("" if none): a page that names itself nowhere
    else still names itself there ("County approves new jail budget :: Lakeside Gazette")."""
    raw = safe_line(raw)
    cuts = list(_SEPARATORS.finditer(raw))
    if not cuts:
        return raw, ""
    sites = [s for s in sites if s]
    shown = {_key(h) for h in headings if h}
    start, end = 0, len(raw)
    # Parts at the end, then at the start ("Opinion | ..."), while the rest is long enough.
    for cut in reversed(cuts):
        part = raw[cut.end():end]
        rest = raw[start:cut.start()]
        if len(rest.split()) < 2 or not _removable(part, rest, sites, shown):
            break
        end = cut.start()
    suffix = raw[end:]
    suffix = suffix[_SEPARATORS.match(suffix).end():] if _SEPARATORS.match(suffix) else suffix
    for cut in cuts:
        if cut.start() < start or cut.end() > end:
            continue
        part = raw[start:cut.start()]
        rest = raw[cut.end():end]
        if len(rest.split()) < 2 or not _removable(part, rest, sites, shown):
            break
        start = cut.end()
    if not raw[start:end].strip():
        return raw, ""
    return raw[start:end].strip(), suffix.strip()


def _removable(part: str, rest: str, sites: list[str], shown: set[str]) -> bool:
    if len(part.split()) > 6:
        return False
    if _names_site(part, sites):
        return True
    # "... | Editorial": the page's own headline is the rest, or the part is a label it shows.
    return _key(rest) in shown or (len(part.split()) <= 3 and _key(part) in shown)


_MONTHS = (
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july"
    " august september october november december"
)
_DAYS = "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday"
_DATE_WORDS = frozenset((_MONTHS + " " + _DAYS + " saturday sunday am pm a.m p.m gmt utc").split())
_NOT_NAMES = frozenset(
    "staff reporter reporters correspondent correspondents editor editors writer writers"
    " contributor contributors columnist desk team bureau newsroom wire wires agency agencies"
    " updated published posted photos photo video and by von par por the news service"
    " admin administrator editorial board".split()
)
_NAME_JOINERS = frozenset(
    "de van von da del der den bin al la le du di dos das ter ten y".split()
)
_BIO = re.compile(
    r"^(?P<name>.+?)\s+(?:is|was|has been|covers|writes|reports|joined|leads|serves)\b", re.I
)
_PARTS = re.compile(r"\s*(?:[;,|/&·•]|\band\b|\bund\b|\bet\b|\by\b|\s[–—-]\s)\s*", re.I)
_BY = re.compile(r"^(?:by|von|par|por|door|di)\s+", re.I)


def authors(raw: str, *, sites: Iterable[str] = ()) -> str:
    """The people's names in an author field, joined with ", "; "" when none is a name."""
    raw = safe_line(raw).replace(BREAK, " ")
    bio = _BIO.match(raw)
    if bio:
        raw = bio.group("name")
    sites = [s for s in sites if s]
    names: list[str] = []
    for part in _PARTS.split(raw):
        words = [w for w in _BY.sub("", part.strip()).split() if not _date_word(w)]
        if not words or any(w.casefold().strip(".,:") in _NOT_NAMES for w in words):
            continue
        if not 2 <= len(words) <= 5 and not (len(words) == 1 and not words[0].isascii()):
            continue
        if not all(_name_word(w) for w in words):
            continue
        name = " ".join(words).strip(" .,:")
        if _names_site(name, sites) or name in names or agency_name(name):
            continue  # the publication or a news agency is the source, not an author
        names.append(name)
    return ", ".join(names)


def _date_word(word: str) -> bool:
    plain = word.casefold().strip(".,;:()")
    return plain in _DATE_WORDS or any(c.isdigit() for c in plain) or not plain


def _name_word(word: str) -> bool:
    first = word[:1]
    if word.casefold() in _NAME_JOINERS:
        return True
    return first.isalpha() and not first.islower() and "@" not in word and "/" not in word


_JUNK_SOURCE = re.compile(
    r"^(?:hosted|home|homepage|index|news|untitled|null|none|undefined|website|blog|default)$"
    r"|copyright|©|\(c\)|all rights reserved|^https?:|://|^\W*$|^[\d\W]+$",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+/?$")


def source(candidates: Iterable[str | None], url: str = "", hostname: str = "") -> str:
    """The first candidate that is a name (of the site names ``"A | a.com"`` the name), else
    the domain of ``url`` or ``hostname`` without "www.", else ""."""
    domains: list[str] = []
    for raw in candidates:
        value = safe_line(raw or "")
        parts = [p.strip() for p in re.split(r"\s+[|–—·-]\s+|\s*\|\s*", value) if p.strip()]
        named = [p for p in parts if not _JUNK_SOURCE.search(p) and not _DOMAIN.match(p)]
        if named:
            return named[0]
        domains += [p for p in parts if _DOMAIN.match(p)]
    for value in (hostname, urlsplit(url).hostname if url else "", *domains):
        if value and _DOMAIN.match(value):
            host = value.casefold().rstrip("/")
            return host[4:] if host.startswith("www.") else host
    return ""


def date(found: str | None, page: str) -> str | None:
    """The page's date, unless it is only the year of its copyright line: trafilatura makes
    "Copyright 2014" in a footer 2014-01-01 when the page has no date of its own."""
    if not found or not found.endswith("-01-01"):
        return found
    year = found[:4]
    if re.search(rf"(?:©|&copy;|copyright|\(c\))[^<>\n]{{0,40}}\b{year}\b", page, re.I) and not (
        re.search(rf"{year}-0?1-0?1|\bJan(?:uary|\.)? 0?1(?:st)?,? {year}|\b0?1(?:st)? Jan", page)
    ):
        return None
    return found


# --- what the page says about itself ---------------------------------------------------------

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(https?://[^\s>]+)\s*-->", re.I)


def saved_from(page: str) -> str:
    """The address a browser wrote at the top of a page it saved ("saved from url=...")."""
    match = _SAVED_FROM.search(page[:4096])
    return match.group(1) if match else ""


def site_names(tree) -> list[str]:
    """The site's names the page declares: og:site_name, the JSON-LD publisher, application-name."""
    names: list[str] = []
    if tree is None:
        return names
    for path in ('//meta[@property="og:site_name"]/@content',
                 '//meta[@name="application-name"]/@content'):
        names += [str(v) for v in tree.xpath(path)[:1]]
    for script in tree.xpath('//script[@type="application/ld+json"]')[:5]:
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        for item in data if isinstance(data, list) else [data]:
            publisher = item.get("publisher") if isinstance(item, dict) else None
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                names.insert(0, publisher["name"])
    return names


def standalone_texts(tree) -> list[str]:
    """Short texts the page shows by themselves: headings, kickers, section labels."""
    if tree is None:
        return []
    found = []
    for element in tree.iter("h1", "h2", "h3", "div", "span", "a", "p", "b", "strong", "font"):
        if len(element):
            continue
        text = _text(element)
        if text and len(text) <= 200:
            found.append(text)
        if len(found) > 400:
            break
    return found
