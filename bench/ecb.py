"""Provides the ECB+ entity-linking benchmark: ``python -m bench.ecb`` (from the repo root).

Runs the import's entity pipeline (``load_model`` + ``analyse``, whose ``local_keys`` run per
article) over ECB+ dev, resolves the collection's keys into entities, writes the mentions as
``{"doc", "start", "end", "text", "entity", "label"}`` lines and hands them to the shared scorer
(``../shared/tools/xdoc_score.py``): named-mention recall and B-cubed P/R/F1 over the gold
clusters, beside the exact-string and last-token baselines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "corpora" / "ecbplus-dev.jsonl.gz"
SCORER = SHARED / "tools" / "xdoc_score.py"

#: (name, pattern) for each figure the scorer prints.
_FIGURES = [
    ("named", r"named gold mentions (\d+)"),
    ("found", r"found by the system (\d+)"),
    ("recall", r"\(recall ([\d.]+)\)"),
    ("system", r"system:\s+P ([\d.]+) R ([\d.]+) F1 ([\d.]+)"),
    ("exact", r"exact string: P ([\d.]+) R ([\d.]+) F1 ([\d.]+)"),
    ("last_token", r"last token:\s+P ([\d.]+) R ([\d.]+) F1 ([\d.]+)"),
]


def load_docs(path: Path = GOLD, limit: int | None = None) -> list[dict]:
    """The gold articles in file order (``limit``: the first so many)."""
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            docs.append(json.loads(line))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def _analyse(texts: list[str]) -> list[list[tuple]]:
    """Mentions of each text as plain tuples (this runs in worker processes too)."""
    from index.ingest import nlp

    model = nlp.load_model()
    return [
        [(m.start, m.end, m.text, m.label, m.key) for m in found]
        for found in nlp.analyse(model, texts)
    ]


def analyse(texts: list[str], jobs: int = 1) -> list[list[tuple]]:
    """``_analyse`` over all texts, in ``jobs`` spawned processes (never forked) when > 1."""
    if jobs <= 1 or len(texts) < 2 * jobs:
        return _analyse(texts)
    size = -(-len(texts) // jobs)
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    with ProcessPoolExecutor(len(chunks), mp_context=get_context("spawn")) as pool:
        return [found for part in pool.map(_analyse, chunks) for found in part]


def link(docs: list[dict], found: list[list[tuple]]) -> list[dict]:
    """Resolve the collection and return the scorer's mention lines."""
    from index.entities import Decisions, KeyStats, key_stats, resolve

    class _M:
        __slots__ = ("end", "key", "label", "start", "text")

        def __init__(self, start: int, end: int, text: str, label: str, key: str) -> None:
            self.start, self.end, self.text, self.label, self.key = start, end, text, label, key

    articles = [[_M(*m) for m in ms] for ms in found]
    stats: list[KeyStats] = key_stats(articles)
    res = resolve(stats, Decisions())
    lines = []
    for doc, ms in zip(docs, articles):
        for m in ms:
            entity = res.entity_of.get(m.key)
            if entity is None:
                continue
            lines.append(
                {
                    "doc": doc["id"],
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "entity": entity,
                    "label": res.entities[entity].label,
                }
            )
    return lines


def score(gold: Path, lines: list[dict], work: Path) -> tuple[str, dict]:
    """Run the shared scorer on ``lines``; return its output and the figures parsed from it."""
    mentions = work / "mentions.jsonl"
    with mentions.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    done = subprocess.run(
        [sys.executable, str(SCORER), str(gold), str(mentions)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict = {}
    for name, pattern in _FIGURES:
        m = re.search(pattern, done.stdout)
        if m is None:
            continue
        values = [float(v) if "." in v else int(v) for v in m.groups()]
        figures[name] = values[0] if len(values) == 1 else dict(zip(("p", "r", "f1"), values))
    return done.stdout, figures


def run(jobs: int = 1, limit: int | None = None, quiet: bool = False) -> dict:
    """The whole benchmark; prints the scorer's report unless ``quiet`` and returns its figures
    (``recall``, ``system``/``exact``/``last_token`` as {"p", "r", "f1"}, ``seconds``)."""
    if not GOLD.exists() or not SCORER.exists():
        raise SystemExit(
            f"bench.ecb: {GOLD} or {SCORER} not found (the shared corpora sit beside the repo)"
        )
    started = time.perf_counter()
    docs = load_docs(limit=limit)
    found = analyse([d["text"] for d in docs], jobs)
    analysed = time.perf_counter()
    lines = link(docs, found)
    with tempfile.TemporaryDirectory(prefix="reader-ecb-") as tmp:
        work = Path(tmp)
        gold = GOLD
        if limit is not None:  # the scorer reads every gold article: give it only ours
            gold = work / "gold.jsonl.gz"
            with gzip.open(gold, "wt", encoding="utf-8") as fh:
                for d in docs:
                    fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        report, figures = score(gold, lines, work)
    figures["articles"] = len(docs)
    figures["mentions"] = len(lines)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    figures["analyse_seconds"] = round(analysed - started, 1)
    if not quiet:
        print(report, end="")
        print(
            f"{len(docs)} articles, {len(lines)} mentions, {figures['seconds']} s "
            f"({figures['analyse_seconds']} s in the model), jobs={jobs}"
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ecb", description=__doc__)
    parser.add_argument("--jobs", type=int, default=1, help="recognizer processes (default 1)")
    parser.add_argument("--limit", type=int, help="only the first N articles (for quick checks)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    figures = run(jobs=args.jobs, limit=args.limit)
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
