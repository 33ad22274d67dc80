"""Provides a quick benchmark of index.search on Reuters-21578: index time and query latency.

Run: .venv/bin/python bench/search_probe.py [--keep DIR] [--readd]
Prints the time to index the corpus, to reopen (and verify) it, and p50/p95 over 20 varied
queries, each returning the top 20 hits with snippets made from the article text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path

from index.errors import QueryError
from index.search import IndexDoc, SearchIndex

ROOT = Path(__file__).resolve().parent.parent

CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578.jsonl.gz"

QUERIES = [
    "oil prices",
    '"interest rates"',
    "coffee OR cocoa",
    "bank NOT japan",
    "title:dollar",
    "source:reuters opec",
    "date:1987-03 wheat",
    "date:[1987-04-01 TO 1987-04-15] trade",
    "xinjang~ OR brazl~",
    "terror*",
    "export* AND grain",
    '"federal reserve" (rates OR policy)',
    "said",
    "gulf iran shipping",
    "takeover bid shareholders",
    "stock -split",
    "comp*",
    '"bank of england"',
    "yen~ dollar",
    "sugar quota",
]


def load() -> list[IndexDoc]:
    docs = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append(
                IndexDoc(d["id"], d.get("title") or "", d.get("body") or "", d.get("source") or "",
                         d.get("date"))
            )
    return docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="index folder to use (kept afterwards)")
    ap.add_argument("--readd", action="store_true", help="also time re-adding every article")
    ap.add_argument("--batch", type=int, default=0, help="commit every BATCH articles")
    args = ap.parse_args()
    docs = load()
    words = sum(len(d.body.split()) for d in docs)
    print(f"{len(docs):,} articles, {words:,} words")
    bodies = {d.id: d.body for d in docs}
    folder = args.keep or Path(tempfile.mkdtemp()) / "index"

    ix = SearchIndex(folder)
    ix.clear()
    t, c = time.perf_counter(), time.process_time()
    step = args.batch or len(docs)
    n = sum(ix.add(docs[i : i + step]) for i in range(0, len(docs), step))
    print(f"index {n:,} articles in commits of {step:,}: {time.perf_counter() - t:.1f} s "
          f"({time.process_time() - c:.1f} s CPU), {len(list(folder.glob('*.seg')))} segments")
    if args.readd:
        t = time.perf_counter()
        ix.add(docs)
        print(f"re-add (update) all: {time.perf_counter() - t:.1f} s, count {ix.count():,}")
    ix.close()

    t = time.perf_counter()
    ix = SearchIndex(folder)
    print(f"reopen and verify: {(time.perf_counter() - t) * 1000:.0f} ms "
          f"(rebuilt: {ix.rebuilt_reason})")

    times = []
    for q in QUERIES + QUERIES:  # first pass warms caches; the second is measured
        t, c = time.perf_counter(), time.process_time()
        hits, total, _ = ix.search(q, limit=20, text_of=bodies.__getitem__)
        ms = (time.perf_counter() - t) * 1000
        cpu = (time.process_time() - c) * 1000
        times.append((q, ms, cpu, total, hits))
    measured = times[len(QUERIES):]
    for q, ms, cpu, total, hits in measured:
        first = hits[0].snippet[:60] if hits else ""
        print(f"{ms:7.1f} ms {cpu:6.1f} cpu {total:6,}  {q:36.36} | {first}")
    for label, got in (("wall", sorted(m[1] for m in measured)),
                       ("CPU", sorted(m[2] for m in measured))):
        p95 = got[min(len(got) - 1, round(0.95 * (len(got) - 1)))]
        print(f"{label}: p50 {statistics.median(got):.1f} ms, p95 {p95:.1f} ms, "
              f"max {got[-1]:.1f} ms (top 20 with snippets)")
    t = time.perf_counter()
    for _ in range(3):
        ix.search("oil prices", sort="date", text_of=bodies.__getitem__)
    print(f"sorted by date: {(time.perf_counter() - t) / 3 * 1000:.1f} ms")
    for q in ("co*", "(" * 5000, "x" * 100_000):
        t = time.perf_counter()
        try:
            ix.search(q)
        except QueryError as e:
            print(f"refused in {(time.perf_counter() - t) * 1000:.1f} ms: {e}")
    ix.close()


if __name__ == "__main__":
    main()
