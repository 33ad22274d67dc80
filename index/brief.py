"""Provides the briefing: dossiers in short, pinned passages and a numbered sources list, as
Markdown or JSON, with every quoted line citing its source.

Article text is untrusted: every piece of it is flattened to one line, made terminal-safe and
escaped so that it cannot open a heading, a block quote, a list, a code block, a link or raw
HTML in the document around it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from index.dossier import Dossier, Period, sparkline
from index.models import Article, ArticleSummary
from index.safe import safe_line, safe_text

__all__ = ["Brief", "Pin", "Source", "cited_articles", "render_json", "render_markdown"]


@dataclass(frozen=True)
class Source:
    """One article the briefing cites."""

    article: str  # the article id, as in Role.article, Quote.article and Pin.article
    title: str
    source: str = ""  # "Reuters", "South China Morning Post"
    date: str | None = None
    path: str = ""
    url: str = ""

    @classmethod
    def of(cls, article: Article | ArticleSummary) -> Source:
        return cls(
            article.id,
            article.title,
            article.source,
            article.date,
            getattr(article, "path", ""),
            getattr(article, "url", ""),
        )


@dataclass(frozen=True)
class Pin:
    """A passage the user pinned, with the note they wrote."""

    passage: str
    article: str
    start: int = 0  # the passage's offsets in the article text
    end: int = 0
    note: str = ""


@dataclass(frozen=True)
class Brief:
    """What a briefing holds; sources are numbered in the order the document first cites them."""

    title: str
    made: date
    dossiers: tuple[Dossier, ...] = ()
    pins: tuple[Pin, ...] = ()
    sources: tuple[Source, ...] = ()  # every cited article; uncited ones are listed last


#: How much of each dossier the briefing keeps: a briefing is read in minutes.
ROLES = 6
QUOTES = 5
COOCCURRING = 8
ARTICLES = 8  # the newest; the rest are counted
BAR_PERIODS = 12  # up to this many periods as bars, more as one sparkline
BAR_WIDTH = 20


def cited_articles(dossiers: Iterable[Dossier], pins: Iterable[Pin] = ()) -> list[str]:
    """The article ids a briefing of these dossiers and pins cites, in order of first citation:
    the ``Source`` objects the caller must supply."""
    order: dict[str, None] = {}
    for d in dossiers:
        for role in _roles(d):
            order.setdefault(role.article)
        for quote in _quotes(d):
            order.setdefault(quote.article)
        for article in d.articles[:ARTICLES]:
            order.setdefault(article.id)
    for pin in pins:
        order.setdefault(pin.article)
    return list(order)


def _roles(d: Dossier) -> Sequence[Any]:
    return d.roles[:ROLES]


def _quotes(d: Dossier) -> list[Any]:
    seen: set[str] = set()
    kept = []
    for q in d.quotes:
        key = " ".join(q.text.lower().split())
        if key not in seen:
            seen.add(key)
            kept.append(q)
    return kept[:QUOTES]


def _numbered(brief: Brief) -> list[tuple[int, Source]]:
    """Sources numbered by first citation; a cited article with no Source still gets a number."""
    given = {s.article: s for s in brief.sources}
    order = cited_articles(brief.dossiers, brief.pins)
    cited = set(order)
    order += [s.article for s in brief.sources if s.article not in cited]
    return [(n, given.get(a) or Source(a, a)) for n, a in enumerate(order, 1)]


# --- Markdown ----------------------------------------------------------------------------------
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_BLOCK_START = re.compile(r"^(#|>|[+=-]|\d+[.)])")


def md(text: object) -> str:
    """``text`` as one line of Markdown that reads as itself and opens no structure."""
    line = _INLINE.sub(r"\\\1", safe_line(text))
    return _BLOCK_START.sub(r"\\\1", line)


def _when(day: str | None) -> str:
    return day[:10] if day else "undated"


def _cite(n: int, source: Source) -> str:
    return f"{md(source.source or source.title)}, {_when(source.date)} [{n}]"


def render_markdown(brief: Brief) -> str:
    """The briefing as a Markdown document (safe to print: it passes ``safe_text``)."""
    numbered = _numbered(brief)
    number = {s.article: (n, s) for n, s in numbered}

    def cite(article: str) -> str:
        return _cite(*number[article])

    out = [f"# {md(brief.title)}", "", f"Made {brief.made.isoformat()}."]
    if brief.dossiers:
        names = ", ".join(md(d.entity.name) for d in brief.dossiers)
        out[-1] += f" Covers {names}."
    for d in brief.dossiers:
        out += ["", *_dossier(d, cite)]
    if brief.pins:
        out += ["", "## Pinned passages"]
        for pin in brief.pins:
            # The passage as printed (it may open with a quotation mark of its own).
            out += ["", f"> {md(pin.passage)}", f"> — {cite(pin.article)}"]
            if pin.note.strip():
                out += ["", f"Note: {md(pin.note)}"]
    out += ["", "## Sources", ""]
    for n, source in numbered:
        line = f"{n}. {md(source.title)} — {md(source.source) or 'unknown source'}, "
        line += _when(source.date)
        where = _link(source.url) or (md(source.path) if source.path else "")
        out.append(line + (f". {where}" if where else ""))
    return safe_text("\n".join(out) + "\n")


_URL = re.compile(r"https?://[^\s<>\"'`\\]+")


def _link(url: str) -> str:
    url = safe_line(url)
    return f"<{url}>" if _URL.fullmatch(url) else (md(url) if url else "")


def _dossier(d: Dossier, cite: Any) -> list[str]:
    e = d.entity
    out = [f"## {md(e.name)} ({md(e.label)})", ""]
    others = [a for a in e.aliases if a != e.name]
    if others:
        out.append(f"Also called: {', '.join(md(a) for a in others)}.")
    seen = f"{e.mentions} mention{'s' * (e.mentions != 1)} in {e.articles} "
    seen += f"article{'s' * (e.articles != 1)}"
    if d.first_seen:
        seen += f"; first seen {_when(d.first_seen)}, last seen {_when(d.last_seen)}"
    out.append(seen + ".")
    roles = _roles(d)
    if roles:
        out += ["", "**Roles**", ""]
        out += [f"- {md(r.text)} — {cite(r.article)}" for r in roles]
    quotes = _quotes(d)
    if quotes:
        out += ["", "**Key quotes**"]
        for q in quotes:
            out += ["", f"> “{md(q.text)}”", f"> — {cite(q.article)}"]
    if d.cooccurring:
        out += ["", "**Appears with**", ""]
        for c in d.cooccurring[:COOCCURRING]:
            shared = f"{c.sentences} sentence{'s' * (c.sentences != 1)}, "
            shared += f"{c.articles} article{'s' * (c.articles != 1)}"
            out.append(f"- {md(c.entity.name)} ({md(c.entity.label)}): {shared}")
    if d.timeline or d.undated:
        out += ["", "**When**", "", "```", *_bars(d.timeline, d.undated), "```"]
    if d.articles:
        out += ["", "**Articles**", ""]
        out += [f"- {md(a.title)} — {cite(a.id)}" for a in d.articles[:ARTICLES]]
        more = len(d.articles) - ARTICLES
        if more > 0:
            out.append(f"- and {more} more article{'s' * (more != 1)}")
    return out


def _bars(timeline: Sequence[Period], undated: int) -> list[str]:
    """Mentions by period as bars, or one sparkline when there are many periods; undated
    mentions on their own line, never folded into a period."""
    lines = []
    counts = [p.mentions for p in timeline]
    if len(timeline) > BAR_PERIODS:
        lines.append(f"{timeline[0].period} {sparkline(counts)} {timeline[-1].period}")
        lines.append(f"(one mark a period; most in one: {max(counts)})")
    elif timeline:
        top = max(max(counts), 1)
        width = max(len(p.period) for p in timeline)
        for p in timeline:
            bar = "█" * max(1, round(p.mentions * BAR_WIDTH / top)) if p.mentions else ""
            lines.append(f"{p.period:<{width}} {bar} {p.mentions}".rstrip())
    if undated:
        lines.append(f"undated: {undated} (counted apart)")
    return lines


# --- JSON --------------------------------------------------------------------------------------
def render_json(brief: Brief, *, indent: int | None = 2) -> str:
    """The briefing as one JSON object; each role, quote, article and pin carries ``source``,
    the number of its entry in ``sources``."""
    numbered = _numbered(brief)
    number = {s.article: n for n, s in numbered}
    dossiers = []
    for d in brief.dossiers:
        item = asdict(d)
        item["cooccurring"] = [
            {"entity": asdict(c.entity), "sentences": c.sentences, "articles": c.articles}
            for c in d.cooccurring
        ]
        item["timeline"] = [{"period": p.period, "mentions": p.mentions} for p in d.timeline]
        for key in ("roles", "quotes"):
            for part in item[key]:
                part["source"] = number.get(part["article"])
        for part in item["articles"]:
            part["source"] = number.get(part["id"])  # None past the ones the Markdown lists
        dossiers.append(item)
    data = {
        "title": brief.title,
        "made": brief.made.isoformat(),
        "dossiers": dossiers,
        "pins": [{**asdict(p), "source": number.get(p.article)} for p in brief.pins],
        "sources": [{"n": n, **asdict(s)} for n, s in numbered],
    }
    return json.dumps(_safe(data), ensure_ascii=False, indent=indent)


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {k: _safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    return value
