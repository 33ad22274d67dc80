"""Provides the exploring benchmark (issue 11): facets of a query beside the plain search's time,
a correction from its key to the updated screen, and the entity browser's opening.

``run(library)`` works on a copy of the library (corrections write to it). Run alone:
``python -m bench.explore LIBRARY`` (e.g. the 19k Reuters library the scale bench keeps in
/tmp/reader-bench-scale/lib-19k).
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"facets_p95_ms": 150.0, "correction_p95_ms": 200.0, "browser_open_ms": 300.0}
QUERIES = [
    "oil prices", "coffee", "bank of england", "interest rates", "opec", "gold mine",
    "wheat exports", "japan trade surplus", "dollar yen", "takeover bid", "dividend",
    "crude oil", "federal reserve", "soybeans", "strike", "tin", "brazil debt", "grain",
    "sugar", "quarterly profit",
]
ROUNDS = 3
CORRECTIONS = 10


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(q * (len(values) - 1))))]


def _queries(lib) -> dict:
    lib.search("oil", limit=20)
    lib.facets("oil")
    facets, search = [], []
    for _ in range(ROUNDS):
        for q in QUERIES:
            t = time.perf_counter()
            lib.search(q, limit=20)
            search.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            lib.facets(q)
            facets.append((time.perf_counter() - t) * 1000)
    return {"facets_p95_ms": pct(facets, 0.95), "facets_p50_ms": pct(facets, 0.5),
            "search_p95_ms": pct(search, 0.95), "search_p50_ms": pct(search, 0.5)}


async def _wait(pilot, done, limit: float = 30.0) -> float:
    t = time.perf_counter()
    while not done():
        await pilot.pause(0.002)
        if time.perf_counter() - t > limit:
            raise SystemExit("bench.explore: the screen never showed the answer")
    await pilot.pause()  # the frame is painted
    return (time.perf_counter() - t) * 1000


async def _ui(lib) -> dict:
    from reader.app import ReaderApp
    from reader.config import Config
    from reader.screens.entity_browser import EntityBrowser
    from reader.screens.main_screen import MainScreen
    from reader.widgets.article_view import ArticleView

    app = ReaderApp(lib, name="bench", config=Config(theme="textual-dark"))
    out: dict = {}
    async with app.run_test(size=(160, 48)) as pilot:
        await _wait(pilot, lambda: isinstance(app.screen, MainScreen))
        opens = []
        for i in range(4):  # the first read of a library version, then the kept one
            if i == 0:
                lib._summaries = None
            t = time.perf_counter()
            await pilot.press("E")
            await _wait(pilot, lambda: isinstance(app.screen, EntityBrowser)
                        and app.screen.loaded > 0)
            opens.append((time.perf_counter() - t) * 1000)
            await pilot.press("escape")
            await _wait(pilot, lambda: isinstance(app.screen, MainScreen))
        out["browser_open_first_ms"], out["browser_open_ms"] = opens[0], pct(opens[1:], 0.5)
        # The reader reads the library's keys once, behind the start-up check: from then on
        # each correction relinks only the part of the library it touches.
        t = time.perf_counter()
        await _wait(pilot, lambda: lib._linker is not None and lib._linker.token is not None)
        out["prepared_after_s"] = time.perf_counter() - t
        parts = lib._linker.parts
        # A person named in a longish story, its mention detached then the detach undone.
        person = next(e for e in lib.entities(label="PERSON") if e.articles >= 3)
        mention = lib.mentions(entity=person.id)[0]
        screen = app.screen
        screen._open(mention.doc, entity=person.id, cursor=mention.start, focus=True)
        view = screen.query_one(ArticleView)
        await _wait(pilot, lambda: view.article is not None and view.entity == person.id)
        times = []
        made = len(lib.decisions())
        # A frame is on the screen when the app hands it to the driver (App._display): the
        # time is taken at the first frame after the new state, not when Pilot's press returns
        # (it waits for the whole process to idle, background reads included).
        painted: list[float] = []
        display = app._display

        def counted(*args, **kwargs):
            display(*args, **kwargs)
            painted.append(time.perf_counter())

        app._display = counted
        for i in range(CORRECTIONS):
            before = view.entity
            key = "t" if i % 2 == 0 else "u"
            t = time.perf_counter()
            press = asyncio.create_task(pilot.press(key))
            while not (view.entity not in (None, before) and screen.panel.entity is not None
                       and screen.panel.entity.id == view.entity):
                await asyncio.sleep(0.001)
                if time.perf_counter() - t > 30:
                    raise SystemExit("bench.explore: the correction never reached the screen")
            shown = time.perf_counter()
            while not painted or painted[-1] < shown:
                await asyncio.sleep(0.001)
            times.append((painted[-1] - t) * 1000)
            await press
            await pilot.pause()
        app._display = display
        assert len(lib.decisions()) == made, "each detach was undone"
        out["correction_p95_ms"], out["correction_p50_ms"] = pct(times, 0.95), pct(times, 0.5)
        out["partial_relinks"] = lib._linker.parts - parts
    return out


def run(library: Path) -> dict:
    from index import Library

    with tempfile.TemporaryDirectory(prefix="reader-explore-") as tmp:
        copy = Path(tmp) / "library"
        shutil.copytree(library, copy, ignore=shutil.ignore_patterns("bench-complete.json"))
        with Library.open(copy) as lib:
            t = time.perf_counter()
            lib.relink()
            relink_ms = (time.perf_counter() - t) * 1000
            results = {"articles": lib.count(), "entities": len(lib.entities()),
                       "relink_ms": relink_ms, **_queries(lib), **asyncio.run(_ui(lib))}
    for name, target in TARGETS.items():
        print(f"  {name:<22} {results[name]:8.0f}   target <= {target:.0f}")
    print(f"  {'search_p95_ms':<22} {results['search_p95_ms']:8.0f}   (the plain search, same queries)")
    print(f"  {'browser_open_first_ms':<22} {results['browser_open_first_ms']:8.0f}   (first read of this"
          " version of the library)")
    print(f"  {'correction_p50_ms':<22} {results['correction_p50_ms']:8.0f}   ({results['partial_relinks']}"
          f" of {CORRECTIONS} relinked only their part of the library)")
    print(f"  {'relink_ms':<22} {results['relink_ms']:8.0f}   (relinking the whole library: a"
          " correction made before the reader has read the keys)")
    print(f"  on {results['articles']} articles, {results['entities']} entities")
    return results


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m bench.explore LIBRARY")
    print(json.dumps(run(Path(sys.argv[1])), indent=2))
