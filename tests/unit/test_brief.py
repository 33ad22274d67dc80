"""The Markdown and JSON briefing (index/render.py): citations, structure, untrusted text."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from index.models import (
    ArticleSummary,
    Brief,
    Cooccurrence,
    Dossier,
    Entity,
    Period,
    Pin,
    Quote,
    Role,
    Source,
)
from index.render import QUOTES, cited_articles, render_json, render_markdown
from index.safe import safe_text

SCMP = ArticleSummary(
    "scmp",
    "China thanks Kazakhstan for ‘understanding and support’ on Xinjiang de-radicalisation scheme",
    "South China Morning Post",
    "2019-05-31",
)
REUTERS = ArticleSummary(
    "reuters", "China appeals for U.S. help to fight Xinjiang militants", "Reuters", "2015-08-20"
)
WANG_QUOTE = (
    "We appreciated the Kazakh government’s understanding and support for China’s position, and"
    " we will never let any person or any force damage the friendship and mutual trust between"
    " China and Kazakhstan"
)
KAIDANOW_ROLE = "Ambassador-At-Large for the U.S. State Department's Bureau of Counterterrorism"


def wang(**changes) -> Dossier:
    fields = {
        "entity": Entity("wang", "Wang Yi", "PERSON", ("Wang Yi", "Wang"), 5, 1),
        "first_seen": "2019-05-31",
        "last_seen": "2019-05-31",
        "roles": (Role("Chinese Foreign Minister", "scmp", 120, 144, "wang"),),
        "quotes": (Quote(WANG_QUOTE, "Wang", "scmp", 900, 1080, "said", "wang"),),
        "cooccurring": (Cooccurrence(Entity("atamkulov", "Beibut Atamkulov", "PERSON"), 2, 1),),
        "timeline": (Period("2019-05", 5),),
        "articles": (SCMP,),
    }
    fields.update(changes)
    return Dossier(**fields)


def kaidanow(**changes) -> Dossier:
    fields = {
        "entity": Entity("kaidanow", "Tina Kaidanow", "PERSON", (), 1, 1),
        "first_seen": "2015-08-20",
        "last_seen": "2015-08-20",
        "roles": (Role(KAIDANOW_ROLE, "reuters", 600, 676, "kaidanow"),),
        "timeline": (Period("2015-08", 1),),
        "undated": 2,
        "articles": (REUTERS,),
    }
    fields.update(changes)
    return Dossier(**fields)


SOURCES = (Source.of(SCMP), Source.of(REUTERS))


def brief(*dossiers: Dossier, pins=(), sources=SOURCES) -> Brief:
    return Brief("Xinjiang: who said what", date(2024, 1, 2), dossiers, tuple(pins), sources)


def numbered_sources(out: str) -> dict[int, str]:
    part = out.split("## Sources", 1)[1]
    return {int(n): line for n, line in re.findall(r"^(\d+)\. (.*)$", part, re.MULTILINE)}


def test_the_briefing_holds_roles_quotes_and_cites_both_sources():
    out = render_markdown(brief(wang(), kaidanow()))
    lines = out.splitlines()
    assert lines[0] == "# Xinjiang: who said what"
    assert "Made 2024-01-02." in out
    assert "- Chinese Foreign Minister — South China Morning Post, 2019-05-31 [1]" in lines
    assert f"> “{WANG_QUOTE}”" in lines
    assert "Ambassador-At-Large for the U.S. State Department's Bureau of Counterterrorism" in out
    sources = numbered_sources(out)
    assert (
        sources[1].startswith(SCMP.title) and "South China Morning Post, 2019-05-31" in sources[1]
    )
    assert sources[2].startswith(REUTERS.title) and "Reuters, 2015-08-20" in sources[2]


def test_every_quoted_line_cites_the_source_it_came_from():
    pin = Pin("Hundreds of people have died in unrest in Xinjiang.", "reuters", 5, 60, "check")
    out = render_markdown(brief(wang(), kaidanow(), pins=[pin]))
    lines = out.splitlines()
    sources = numbered_sources(out)
    quoted = [i for i, line in enumerate(lines)
              if line.startswith("> ") and not line.startswith("> — ")]
    assert len(quoted) == 2  # Wang's quote and the pin
    assert "> Hundreds of people have died in unrest in Xinjiang." in lines  # no added marks
    for i in quoted:
        cite = re.fullmatch(r"> — (.+), (\S+) \[(\d+)\]", lines[i + 1])
        assert cite, lines[i + 1]
        source, day, n = cite.groups()
        assert f"— {source}, {day}" in sources[int(n)]
    assert "Note: check" in out


def test_sources_are_numbered_in_order_of_first_citation():
    out = render_markdown(brief(kaidanow(), wang()))
    assert numbered_sources(out)[1].startswith(REUTERS.title)
    assert cited_articles([kaidanow(), wang()]) == ["reuters", "scmp"]


def test_a_cited_article_with_no_source_entry_is_still_numbered():
    out = render_markdown(brief(wang(), sources=()))
    assert "[1]" in out and numbered_sources(out)[1].startswith("scmp")


def test_undated_mentions_are_counted_apart_and_periods_drawn_as_bars():
    out = render_markdown(brief(kaidanow(timeline=(Period("2015-08", 4), Period("2015-09", 0)))))
    assert "undated: 2 (counted apart)" in out
    bars = [line for line in out.splitlines() if line.startswith("2015-")]
    assert bars[0].endswith(" 4") and "█" in bars[0]
    assert bars[1] == "2015-09  0"


def test_a_long_timeline_becomes_one_sparkline():
    periods = tuple(Period(str(year), year % 5) for year in range(1990, 2020))
    out = render_markdown(brief(kaidanow(timeline=periods)))
    (line,) = [line for line in out.splitlines() if line.startswith("1990 ")]
    assert line.endswith(" 2019") and len(line) == len("1990 ") + 30 + len(" 2019")


def test_the_first_key_quotes_are_kept_repeats_dropped_and_the_rest_counted():
    many = tuple(
        Quote(
            f"Statement number {i} about the region and its future",
            "Wang",
            "scmp",
            i,
            i + 9,
            "said",
        )
        for i in range(QUOTES + 4)
    )
    out = render_markdown(brief(wang(quotes=(many[0], many[0], *many[1:]))))
    assert out.count("> “Statement number") == QUOTES
    assert out.count("Statement number 0 ") == 1
    assert "And 4 more quotes in the dossier." in out


HOSTILE = (
    "\n# Owned\n```\n> fake\n<script>alert(1)</script> \x1b[31mred\x1b[0m"
    " \u202eevil [x](http://e.vil) *bold*"
)


@pytest.mark.parametrize("where", ["quote", "role", "title", "name", "note", "source"])
def test_article_text_cannot_break_the_document(where):
    quote = Quote(
        HOSTILE if where == "quote" else "A long enough statement here", "W", "scmp", 0, 5, "said"
    )
    role = Role(HOSTILE if where == "role" else "Minister", "scmp", 0, 5)
    entity = Entity("wang", HOSTILE if where == "name" else "Wang Yi", "PERSON", (), 1, 1)
    pin = Pin("A pinned passage", "scmp", note=HOSTILE if where == "note" else "")
    source = Source(
        "scmp",
        HOSTILE if where == "title" else "Title",
        HOSTILE if where == "source" else "SCMP",
        "2019-05-31",
        url="javascript:alert(1)" if where == "source" else "https://www.scmp.com/x",
    )
    out = render_markdown(
        brief(wang(entity=entity, quotes=(quote,), roles=(role,)), pins=[pin], sources=(source,))
    )
    assert safe_text(out) == out
    assert "\x1b" not in out and "\u202e" not in out
    lines = out.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert len(headings) == 4  # title, the dossier, pinned passages, sources
    assert lines.count("```") == 2  # only the timeline's own fence
    assert not any(line.startswith(("> fake", "# Owned")) for line in lines)
    # nor inside a list item or a block quote: "- # Owned" is a heading in a list
    assert not re.search(
        r"^(?:(?:[-*+]|\d+[.)]|>)[ \t]+)+(?:#|>|```|[-*+][ \t])", out, re.MULTILINE
    )
    assert not re.search(r"(?<!\\)<script|(?<!\\)\]\(http|<javascript", out)  # no HTML, no link
    assert "\\*bold\\*" in out


def test_json_carries_the_same_numbers_and_is_safe():
    hostile = wang(
        quotes=(Quote(WANG_QUOTE + "\x1b[2J\u202e", "Wang", "scmp", 1, 2, "said", "wang"),)
    )
    data = json.loads(render_json(brief(kaidanow(), hostile)))
    assert data["made"] == "2024-01-02"
    assert [s["n"] for s in data["sources"]] == [1, 2]
    assert data["sources"][0]["article"] == "reuters" and data["sources"][0]["source"] == "Reuters"
    wang_json = data["dossiers"][1]
    assert wang_json["quotes"][0]["text"] == WANG_QUOTE
    assert wang_json["quotes"][0]["source"] == 2 and wang_json["roles"][0]["source"] == 2
    assert data["dossiers"][0]["undated"] == 2
    assert data["dossiers"][0]["timeline"] == [{"period": "2015-08", "mentions": 1}]
    assert wang_json["cooccurring"][0]["entity"]["name"] == "Beibut Atamkulov"


@pytest.mark.model
def test_a_briefing_of_the_seed_library_for_wang_yi_and_tina_kaidanow(seed_library_master):
    from index import Library
    from index.analysis import merge_roles, roles_and_quotes
    from index.ingest.nlp import load_model

    nlp = load_model(parse=True)
    dossiers, sources = [], {}
    with Library.open(seed_library_master, create=False) as lib:
        for name in ("Wang Yi", "Tina Kaidanow"):
            entity = lib.entity(name)
            ids = sorted({m.doc for m in lib.mentions(entity=entity.id)})
            items = []
            for article in ids:
                every = lib.mentions(article=article)
                own = [m for m in every if m.entity == entity.id]
                items.append((lib.article(article).text, own, every))
                sources[article] = Source.of(lib.article(article))
            found = list(roles_and_quotes(items, nlp))
            dossiers.append(
                Dossier(
                    entity,
                    roles=tuple(merge_roles(r for rs, _ in found for r in rs)),
                    quotes=tuple(q for _, qs in found for q in qs),
                    articles=tuple(lib.article(a).summary() for a in ids),
                )
            )
    out = render_markdown(
        Brief("Seeds", date(2024, 1, 2), tuple(dossiers), (), tuple(sources.values()))
    )
    lines = out.splitlines()
    assert "Chinese Foreign Minister" in out and KAIDANOW_ROLE in out
    i = lines.index(f"> “{WANG_QUOTE}”")
    assert re.fullmatch(r"> — South China Morning Post, \S+ \[\d\]", lines[i + 1])
    cited = numbered_sources(out)
    assert sorted(line.split(" — ")[1].split(",")[0] for line in cited.values()) == [
        "Reuters",
        "South China Morning Post",
    ]
