"""Provides the TUI benchmark: start to first paint, keypress latency (p95) and memory.

``run(library_path)`` starts a fresh process that opens the reader headless on the library
(the bench harness passes the imported Reuters slice), drives it with real key presses through
Textual's Pilot, and times each press until the screen shows its answer (the state is reached
and a full frame has been rendered). Run alone: ``python -m bench.tui LIBRARY``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (160, 48)
TRIALS = 30
TARGETS = {"first_paint_s": 1.0, "p95_ms": 100.0, "memory_mb": 300.0}


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM).

    Not getrusage's ru_maxrss: Linux carries that across exec, so a child started by a big
    parent (the bench, after the ECB run loaded spaCy) would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(library_path: Path) -> dict:
    """Measure the reader on ``library_path`` in a child process; print and return the figures."""
    with tempfile.TemporaryDirectory(prefix="reader-tui-bench-") as home:
        env = {**os.environ, "READER_CONFIG_DIR": home, "PYTHONPATH": str(ROOT)}
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-m", "bench.tui", "--child", str(library_path), str(started)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=900,
        )
    if out.returncode != 0:
        raise SystemExit(f"bench.tui failed:\n{out.stderr[-3000:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    report(figures)
    return figures


def report(figures: dict) -> None:
    def verdict(value: float, target: float) -> str:
        return "OK" if value <= target else "OVER"

    paint = figures["first_paint_s"]
    print(f"library: {figures['articles']:,} articles, {figures['entities']:,} entities")
    print(
        f"start to first paint of the library: {paint:.2f} s "
        f"(imports {figures['import_s']:.2f} s) (target <= 1.0 s) "
        f"{verdict(paint, TARGETS['first_paint_s'])}"
    )
    for name, label in (
        ("open", "open an article (enter)"),
        ("next_mention", "] next mention"),
        ("walk", "n next mention of the entity"),
        ("next_article", "> next article naming the entity"),
        (
            "panel",
            f"cross-ref panel filling for a frequent entity ({figures.get('panel_entity', '')})",
        ),
    ):
        times = figures["keys"].get(name) or []
        if not times:
            print(f"{label}: no trials (library too small?)")
            continue
        p50, p95 = pct(times, 0.5), pct(times, 0.95)
        print(
            f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(times)} presses "
            f"(target p95 <= 100 ms) {verdict(p95, TARGETS['p95_ms'])}"
        )
    memory = figures["memory_mb"]
    print(
        f"memory with the library open (peak RSS of the reader process): {memory:.0f} MB "
        f"(target <= 300 MB) {verdict(memory, TARGETS['memory_mb'])}"
    )


# --- the child process --------------------------------------------------------------------------
def _send_key(app, key: str) -> None:
    """Deliver a key the way the terminal driver does (Pilot.press would also wait for idle)."""
    import unicodedata

    from textual import events
    from textual.keys import _get_unicode_name_from_key

    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    app._driver.send_message(events.Key(key, char))


async def _timed(pilot, key: str, done: Callable[[], bool], timeout: float = 10.0) -> float:
    """Press ``key``; milliseconds until ``done()`` holds and the next frame has been rendered."""
    app = pilot.app
    while _pending(app.screen):  # earlier work is not this key's cost
        await asyncio.sleep(0.0005)
    await asyncio.sleep(0.02)
    start = time.perf_counter()
    _send_key(app, key)
    while not done():
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{key!r}: the screen never showed the answer")
        await asyncio.sleep(0.0005)
    reached = time.perf_counter()
    await _painted(app.screen)
    if os.environ.get("READER_BENCH_DEBUG"):
        print(
            f"{key}: state {1000 * (reached - start):.0f} ms, frame "
            f"{1000 * (time.perf_counter() - start):.0f} ms",
            file=sys.stderr,
        )
    return (time.perf_counter() - start) * 1000


FRAMES = [0]


def _count_frames(screen) -> None:
    """Count the frames the screen sends to the terminal."""
    refresh = screen._compositor_refresh

    def counted() -> None:
        refresh()
        FRAMES[0] += 1

    screen._compositor_refresh = counted


def _pending(screen) -> bool:
    return bool(
        screen._layout_required
        or screen._repaint_required
        or screen._dirty_widgets
        or screen._compositor._dirty_regions
    )


async def _painted(screen) -> None:
    """Wait for the first frame that carries the change (if anything is waiting to be drawn)."""
    frame = FRAMES[0]
    if not _pending(screen):
        await asyncio.sleep(0)
        if not _pending(screen) or FRAMES[0] != frame:
            return
    while FRAMES[0] == frame:
        await asyncio.sleep(0.0005)


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _child(library_path: Path, started: float) -> dict:
    begin = time.perf_counter()
    from index import Library
    from reader.app import ReaderApp
    from reader.config import Config
    from reader.screens.main_screen import MainScreen
    from reader.widgets.article_list import ArticleList
    from reader.widgets.article_view import ArticleView
    from reader.widgets.crossref_panel import CrossRefPanel

    imported = time.perf_counter() - begin
    library = Library.open(library_path, create=False)
    app = ReaderApp(library, name=library_path.name, config=Config(theme="textual-dark"))
    figures: dict = {"import_s": imported, "keys": {}}
    rng = random.Random(1)
    async with app.run_test(size=SIZE) as pilot:

        def painted() -> bool:
            lists = app.screen.query(ArticleList) if isinstance(app.screen, MainScreen) else []
            return bool(lists) and bool(lists[0]._rows)

        while not painted():
            await asyncio.sleep(0.0005)
        _count_frames(app.screen)
        await _painted(app.screen)
        figures["first_paint_s"] = time.time() - started
        screen = app.screen
        assert isinstance(screen, MainScreen)
        articles = screen.query_one(ArticleList)
        view = screen.query_one(ArticleView)
        panel = screen.query_one(CrossRefPanel)
        figures["articles"] = screen.stats.articles
        figures["entities"] = screen.stats.entities
        keys = figures["keys"]

        # open an article from the list
        await _settle(pilot)
        loaded = sorted(articles._rows)
        keys["open"] = []
        for index in rng.sample(loaded, min(TRIALS, len(loaded))):
            articles.focus()
            articles._set_cursor(index)
            await _settle(pilot)
            wanted = articles._rows[index].id
            keys["open"].append(
                await _timed(
                    pilot, "enter", lambda: view.article is not None and view.article.id == wanted
                )
            )
            await _settle(pilot)

        # ] and n in articles rich in mentions
        keys["next_mention"], keys["walk"] = [], []
        for index in loaded[: TRIALS // 3 + 1]:
            screen._open(articles._rows[index].id, push=False)
            await _settle(pilot)
            view.focus()
            for _ in range(3):
                before = view._cursor
                at = view._mention_index(before) if before is not None else -1
                if at is None or at >= view.mention_count - 1:
                    break
                keys["next_mention"].append(
                    await _timed(pilot, "right_square_bracket", lambda: view._cursor != before)
                )
                await _settle(pilot)
            # n: walk the most-mentioned entity of this article
            counts: dict[str, int] = {}
            for mention in view._mentions:
                counts[mention.entity] = counts.get(mention.entity, 0) + 1
            if counts and max(counts.values()) >= 2:
                view.select_entity(max(counts, key=lambda entity: counts[entity]))
                await _settle(pilot)
                for _ in range(3):
                    before = view._cursor
                    keys["walk"].append(await _timed(pilot, "n", lambda: view._cursor != before))
                    await _settle(pilot)

        # > and the panel, on the most-mentioned entities
        top = await asyncio.to_thread(library.entities, limit=10)
        figures["panel_entity"] = ", ".join(entity.name for entity in top[:3])
        keys["next_article"], keys["panel"] = [], []
        for entity in top[:3]:
            # the articles naming it, not its every mention (16,000 articles at 100k)
            firsts = dict(await asyncio.to_thread(library.articles_naming, entity.id))
            docs = list(firsts)
            if len(docs) < 2:
                continue
            screen._open(docs[0], entity=entity.id, push=False)
            await _settle(pilot)
            view.focus()
            for _ in range(TRIALS // 3):
                before_article = view.article.id
                keys["next_article"].append(
                    await _timed(
                        pilot, "greater_than_sign", lambda: view.article.id != before_article
                    )
                )
                await _settle(pilot)
            # the panel filling: ] onto a mention of the entity from just before it
            for doc in docs[1 : TRIALS // 3 + 1]:
                first = next(
                    m for m in library.mentions(article=doc) if m.start == firsts[doc]
                )
                screen._open(doc, push=False)
                await _settle(pilot)
                view.focus()
                view.select_entity(None)
                await _settle(pilot)
                # put the cursor on the mention just before, so ] lands on this entity
                index = view._mention_starts.index(first.start)
                view._cursor = view._span(index - 1) if index else None
                view.scroll_to(y=0, animate=False, force=True)
                await _settle(pilot)
                before_fill = panel.filled
                keys["panel"].append(
                    await _timed(
                        pilot,
                        "right_square_bracket",
                        lambda: panel.filled > before_fill and panel.entity is not None,
                    )
                )
                await _settle(pilot)
        figures["memory_mb"] = peak_rss_mb()
        figures["summary"] = {
            name: {"p50_ms": statistics.median(v), "p95_ms": pct(v, 0.95)}
            for name, v in keys.items()
            if v
        }
    library.close()
    return figures


def main() -> None:
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        figures = asyncio.run(_child(Path(sys.argv[2]), float(sys.argv[3])))
        print(json.dumps(figures))
        return
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m bench.tui LIBRARY")
    run(Path(sys.argv[1]))


if __name__ == "__main__":
    main()
