"""Provides Markdown and JSON of dossiers and briefings: a briefing holds dossiers in short, pinned
passages and a numbered sources list, with every quoted line citing its source; a dossier also
prints whole, as plain text for the terminal or as JSON for scripts.

Article text is untrusted: every piece of it is flattened to one line, made terminal-safe and
escaped so that it cannot open a heading, a block quote, a list, a code block, a link or raw
HTML in the document around it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from index.analysis.timeline import sparkline
from index.errors import NotFound
from index.models import Brief, Dossier, Period, Pin, Role, Source
from index.safe import safe_line, safe_text

__all__ = [
    "cited_articles",
    "dossier_json",
    "render_dossier",
    "render_json",
    "render_markdown",
]


#: How much of each dossier the briefing keeps: a briefing is read in minutes.
ROLES = 8
QUOTES = 25  # a dossier with more says how many more, and where they are
COOCCURRING = 8
ARTICLES = 8  # the newest; the rest are counted
BAR_PERIODS = 12  # up to this many periods as bars, more as one sparkline
BAR_WIDTH = 20


def cited_articles(
    dossiers: Iterable[Dossier],
    pins: Iterable[Pin] = (),
    *,
    every: bool = False,
    articles: int = ARTICLES,
) -> list[str]:
    """The article ids a briefing of these dossiers and pins cites, in order of first citation:
    the ``Source`` objects the caller must supply. With ``every``, all a dossier's roles and
    quotes are counted, not only the briefing's share (the dossier prints them all)."""
    order: dict[str, None] = {}
    for d in dossiers:
        for role in d.roles if every else _roles(d):
            for article in role.articles or (role.article,):
                order.setdefault(article)
        for quote in d.quotes if every else _quotes(d):
            order.setdefault(quote.article)
        for summary in d.articles[:articles]:
            order.setdefault(summary.id)
    for pin in pins:
        order.setdefault(pin.article)
    return list(order)


def _roles(d: Dossier) -> Sequence[Role]:
    return d.roles[:ROLES]


def _quotes(d: Dossier, limit: int | None = QUOTES) -> list[Any]:
    """The briefing's quotes: whole statements first, then the fragments a sentence of the
    reporter's quotes ("... a package that 'put Brazil in a very big recession.'"), newest
    first within each, repeats dropped."""
    seen: set[str] = set()
    kept = []
    for q in d.quotes:
        key = " ".join(q.text.lower().split())
        if key not in seen:
            seen.add(key)
            kept.append(q)
    kept.sort(key=lambda q: _fragment(q.text))
    return kept if limit is None else kept[:limit]


def _fragment(text: str) -> bool:
    """A quotation that starts inside a sentence (its first letter is lowercase)."""
    first = next((c for c in text if c.isalpha()), "")
    return first.islower()


def _quoted(text: str) -> str:
    """The quotation as printed: a fragment opens with an ellipsis, so it is not read as a
    whole statement."""
    return ("…" if _fragment(text) else "") + text


def _numbered(
    brief: Brief,
    *,
    every: bool = False,
    dossiers: Sequence[Dossier] | None = None,
    articles: int = ARTICLES,
) -> tuple[list[tuple[int, Source]], dict[str, int]]:
    """Sources numbered by first citation, and the number of every article id cited (a copy
    of a story gets its first copy's number); a cited article with no Source still gets one."""
    given: dict[str, Source] = {}
    canonical: dict[str, str] = {}
    for s in brief.sources:
        given[s.article] = s
        for a in (s.article, *s.also):
            canonical.setdefault(a, s.article)
    ds = brief.dossiers if dossiers is None else dossiers
    pins = brief.pins if dossiers is None else ()
    cited = cited_articles(ds, pins, every=every, articles=articles)
    order = list(dict.fromkeys(canonical.get(a, a) for a in cited))
    if dossiers is None:
        seen = set(order)
        order += [s.article for s in brief.sources if s.article not in seen]
    numbered = [(n, given.get(a) or Source(a, a)) for n, a in enumerate(order, 1)]
    number = {a: n for n, s in numbered for a in (s.article, *s.also)}
    return numbered, number


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _source_line(n: int, source: Source, esc: Any = None) -> str:
    """One entry of a sources list: title, source, date, the web address when there is one,
    and the article's id (never the file it was imported from); copies of the story after
    "also"."""
    esc = esc or md
    line = f"{n}. {esc(source.title)} — {esc(source.source) or 'unknown source'}, "
    line += _when(source.date)
    link = _link(source.url) if esc is md else safe_line(source.url)
    if link:
        line += f". {link}"
    line += f". Article {esc(source.article)}"
    if source.also:
        line += f"; also: {', '.join(esc(a) for a in source.also)} (the same story)"
    return line + "."


def render_markdown(brief: Brief) -> str:
    """The briefing as a Markdown document (safe to print: it passes ``safe_text``)."""
    numbered, number = _numbered(brief)
    by_number = dict(numbered)

    def cite(article: str) -> str:
        n = number[article]
        return _cite(n, by_number[n])

    def more(article: str) -> str:
        return f"[{number[article]}]"

    out = [f"# {md(brief.title)}", "", f"Made {brief.made.isoformat()}."]
    if brief.dossiers:
        names = ", ".join(md(d.entity.name) for d in brief.dossiers)
        out[-1] += f" Covers {names}."
    for d in brief.dossiers:
        out += ["", *_dossier(d, cite, more)]
    if brief.pins:
        out += ["", "## Pinned passages"]
        for pin in brief.pins:
            # The passage as printed (it may open with a quotation mark of its own).
            out += ["", f"> {md(pin.passage)}", f"> — {cite(pin.article)}"]
            if pin.note.strip():
                out += ["", f"Note: {md(pin.note)}"]
    out += ["", "## Sources", ""]
    out += [_source_line(n, source) for n, source in numbered]
    return safe_text("\n".join(out) + "\n")


def _role_cites(role: Role, cite: Any, more: Any) -> str:
    """"3 articles: Reuters, 1987-03-09 [1], [4], [6]": the newest first, each story once."""
    articles = role.articles or (role.article,)
    rest = list(dict.fromkeys(more(a) for a in articles[1:]))
    first = cite(articles[0])
    rest = [r for r in rest if not first.endswith(r)]
    said = f"{_plural(len(articles), 'article')}: " if len(articles) > 1 else ""
    shown = ", ".join([first, *rest[:5]])
    if len(rest) > 5:
        shown += f" and {len(rest) - 5} more"
    return said + shown


_URL = re.compile(r"https?://[^\s<>\"'`\\]+")


def _link(url: str) -> str:
    url = safe_line(url)
    return f"<{url}>" if _URL.fullmatch(url) else (md(url) if url else "")


def _dossier(d: Dossier, cite: Any, more: Any) -> list[str]:
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
        out += [f"- {md(r.text)} — {_role_cites(r, cite, more)}" for r in roles]
        if len(d.roles) > len(roles):
            out.append(f"- and {_plural(len(d.roles) - len(roles), 'more role')} in the dossier")
    quotes = _quotes(d)
    if quotes:
        out += ["", "**Key quotes**"]
        for q in quotes:
            out += ["", f"> “{md(_quoted(q.text))}”", f"> — {cite(q.article)}"]
        left = len(_quotes(d, None)) - len(quotes)
        if left > 0:
            out += ["", f"And {_plural(left, 'more quote')} in the dossier."]
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
        listed: set[str] = set()
        for a in d.articles[:ARTICLES]:
            line = f"- {md(a.title)} — {cite(a.id)}"
            if cite(a.id) in listed:
                continue  # a copy of a story listed above
            listed.add(cite(a.id))
            out.append(line)
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
    the number of its entry in ``sources``; a role also ``sources``, the numbers of every
    article giving it. Every role and quote of each dossier is there, each cited."""
    numbered, number = _numbered(brief, every=True)
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
        for part in item["roles"]:
            articles = part["articles"] or [part["article"]]
            part["count"] = len(articles)
            part["sources"] = list(dict.fromkeys(number.get(a) for a in articles))
        for part in item["articles"]:
            part["source"] = number.get(part["id"])  # None past the ones the Markdown lists
        dossiers.append(item)
    data = {
        "title": brief.title,
        "made": brief.made.isoformat(),
        "dossiers": dossiers,
        "pins": [{**asdict(p), "source": number.get(p.article)} for p in brief.pins],
        # The local file an article was imported from is not part of its citation.
        "sources": [
            {"n": n, **{k: v for k, v in asdict(s).items() if k != "path"}} for n, s in numbered
        ],
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


# --- a dossier for the terminal and for scripts ---------------------------------------------------
def dossier_json(brief: Brief) -> dict[str, Any]:
    """The first dossier of ``brief`` as one JSON-ready dict: the briefing's JSON for it, each
    role and quote with its article's ``date``, and the numbered ``sources`` they cite."""
    data = json.loads(render_json(brief, indent=None))
    if not data["dossiers"]:
        raise NotFound("the briefing holds no dossier")
    item: dict[str, Any] = data["dossiers"][0]
    dates = {a: s["date"] for s in data["sources"] for a in (s["article"], *s["also"])}
    for part in item["roles"] + item["quotes"]:
        part["date"] = dates.get(part["article"])
    item["sources"] = data["sources"]
    return item


def render_dossier(brief: Brief) -> str:
    """The first dossier of ``brief`` as plain text for the terminal (it passes safe_text)."""
    if not brief.dossiers:
        raise NotFound("the briefing holds no dossier")
    d = brief.dossiers[0]
    e = d.entity
    numbered, number = _numbered(brief, every=True, dossiers=[d], articles=0)
    by_number = dict(numbered)

    def cite(article: str) -> str:
        n = number[article]
        s = by_number[n]
        return f"{s.source or s.title}, {(s.date or 'undated')[:10]} [{n}]"

    def more(article: str) -> str:
        return f"[{number[article]}]"

    out = [f"{e.name} · {e.label} · id {e.id}"]
    others = [a for a in e.aliases if a != e.name]
    if others:
        out.append("also called: " + ", ".join(others))
    seen = f"{e.mentions} mention{'s' * (e.mentions != 1)} in {e.articles} article"
    seen += "s" * (e.articles != 1)
    if d.first_seen:
        seen += f"; first seen {d.first_seen}, last seen {d.last_seen}"
    out.append(seen)
    if d.analysed < d.of:
        out.append(f"roles and quotes from {d.analysed} of {d.of} articles so far")
    if d.roles:
        out += ["", "Roles"]
        out += [f"  {r.text} — {_role_cites(r, cite, more)}" for r in d.roles]
    if d.quotes:
        out += ["", "Quotes"]
        for q in d.quotes:
            out += [f"  “{_quoted(q.text)}”", f"      — {q.speaker} ({q.cue}); {cite(q.article)}"]
    if d.cooccurring:
        out += ["", "Appears with"]
        for c in d.cooccurring[:15]:
            out.append(
                f"  {c.entity.name} ({c.entity.label}): {c.sentences} sentence"
                f"{'s' * (c.sentences != 1)}, {c.articles} article{'s' * (c.articles != 1)}"
            )
    if d.timeline or d.undated:
        out += ["", "When (mentions)"]
        out += ["  " + line for line in _bars(d.timeline, d.undated)]
    if d.articles:
        out += ["", "Articles, newest first"]
        for a in d.articles:
            out.append(f"  {(a.date or 'undated')[:10]}  {a.title} — {a.source or '?'}  [{a.id}]")
    if numbered:
        out += ["", "Sources"]
        out += ["  " + _source_line(n, s, str) for n, s in numbered]
    flat = [line[: len(line) - len(line.lstrip(" "))] + safe_line(line) for line in out]
    return safe_text("\n".join(flat) + "\n")
