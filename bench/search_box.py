"""Provides the search-box figure of issue 13 item 7: 20 KB typed as keys, without bracketed
paste (a terminal without it, tmux send-keys), into the TUI's search box: time and peak memory.

Before the box capped its length, 20,000 keys took 22 s and 305 MB here (every key repainted
the whole value); now a key on a full box costs nothing. Run alone:
``python -m bench.search_box [KEYS]``; ``make bench`` runs it in its reliability part.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = 20_000
TARGETS = {"seconds": 5.0, "memory_mb": 150.0}


async def _type(library: Path, keys: int) -> dict:
    from textual import events

    from bench.tui import peak_rss_mb
    from index import Library
    from reader.app import ReaderApp
    from reader.config import Config
    from reader.widgets.search_box import MAX_QUERY, SearchBox

    with Library.open(library, create=False) as lib:
        app = ReaderApp(lib, name="bench", config=Config(theme="textual-dark"), history_path=None)
        async with app.run_test(size=(140, 40)) as pilot:
            await pilot.pause(1)
            await pilot.press("slash")
            box = app.screen.query_one("#search", SearchBox)
            text = ("militants " * (keys // 10 + 1))[:keys]
            started = time.perf_counter()
            for ch in text:
                box.post_message(events.Key("space" if ch == " " else ch, ch))
            while len(box.value) < min(keys, MAX_QUERY) or box._message_queue.qsize():
                await asyncio.sleep(0.05)
            await pilot.pause(0.3)
            took = time.perf_counter() - started
            return {"keys": keys, "seconds": round(took, 2), "held": len(box.value),
                    "memory_mb": round(peak_rss_mb(), 1)}


def run(keys: int = KEYS) -> dict:
    """Build a two-article library, type ``keys`` keys into a fresh reader process, judge."""
    with tempfile.TemporaryDirectory() as tmp:
        library = Path(tmp) / "library"
        from index import Library

        with Library.open(library) as lib:
            lib.add([ROOT / "reader" / "samples"], jobs=1)
        done = subprocess.run([sys.executable, "-m", "bench.search_box", "--child", str(library),
                               str(keys)], capture_output=True, text=True, cwd=ROOT, check=False)
    try:
        got = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"the search-box bench failed:\n{done.stderr[-2000:]}")
        return {"failed": True}
    verdict = " ".join("OK" if got[k] < v else "OVER" for k, v in TARGETS.items())
    print(f"search box, {got['keys']:,} keys typed without bracketed paste: {got['seconds']:.1f} s,"
          f" peak {got['memory_mb']:.0f} MB (targets < {TARGETS['seconds']:.0f} s,"
          f" < {TARGETS['memory_mb']:.0f} MB; was 22 s, 305 MB) {verdict};"
          f" the box holds {got['held']:,} characters")
    return got


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(asyncio.run(_type(Path(sys.argv[2]), int(sys.argv[3])))))
    else:
        run(int(sys.argv[1]) if len(sys.argv) > 1 else KEYS)
