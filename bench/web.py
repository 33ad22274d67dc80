"""Provides the web-page benchmark: how close the body text of each page in tests/data/web comes
to the article text written by hand beside it (``page.txt`` for ``page.html``), for reader's
import and for ``trafilatura.extract`` (its defaults) on the same pages.

Two scores, each 0..1 and averaged over the pages: *word F1* (the words in common, counted with
their repeats; a Chinese or Japanese character is a word) and *paragraph F1* (paragraphs equal to
a paragraph of the truth, after spaces are evened out): a lost line break or a doubled name fails
a paragraph, and a kept link list adds paragraphs that are not the article's.

    .venv/bin/python -m bench.web
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "data" / "web"
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|\w+")


def _f1(got: Counter, want: Counter) -> float:
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def words(text: str) -> Counter:
    return Counter(_WORD.findall(text.casefold()))


def paragraphs(text: str) -> Counter:
    return Counter(" ".join(p.split()) for p in re.split(r"\n+", text) if p.strip())


def score(text: str, truth: str) -> tuple[float, float]:
    return _f1(words(text), words(truth)), _f1(paragraphs(text), paragraphs(truth))


def ours(data: bytes) -> str:
    from index.errors import BadInput
    from index.ingest import web

    try:
        return web.parse("html", data).docs[0].text
    except BadInput:
        return ""


def theirs(data: bytes) -> str:
    import trafilatura

    from index.ingest.web import decode_html

    return trafilatura.extract(decode_html(data)) or ""


def run() -> dict:
    rows = []
    for page in sorted(PAGES.glob("*.html")):
        truth_file = page.with_suffix(".txt")
        if not truth_file.exists():
            continue
        data, truth = page.read_bytes(), truth_file.read_text(encoding="utf-8")
        rows.append((page.stem, score(ours(data), truth), score(theirs(data), truth)))
    print(f"{'page':24} {'reader words':>12} {'paragraphs':>10}   {'trafilatura words':>17} "
          f"{'paragraphs':>10}")
    for name, (ow, op), (tw, tp) in rows:
        print(f"{name:24} {ow:12.3f} {op:10.3f}   {tw:17.3f} {tp:10.3f}")
    n = max(1, len(rows))
    mean = [sum(r[i][j] for r in rows) / n for i in (1, 2) for j in (0, 1)]
    ok = mean[0] >= mean[2] and mean[1] >= mean[3]
    print(f"{'mean of ' + str(len(rows)) + ' pages':24} {mean[0]:12.3f} {mean[1]:10.3f}   "
          f"{mean[2]:17.3f} {mean[3]:10.3f}")
    print(f"reader's body text at least as close to the hand-written text as trafilatura's: "
          f"{'OK' if ok else 'NO'}")
    return {"pages": len(rows), "reader_word_f1": mean[0], "reader_paragraph_f1": mean[1],
            "trafilatura_word_f1": mean[2], "trafilatura_paragraph_f1": mean[3], "ok": ok}


if __name__ == "__main__":
    run()
