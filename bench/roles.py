"""Provides the role benchmark: precision of the roles found on a fixed sample labelled once.

The sample is 44 Reuters-21578 stories and the first 20 web news articles of the news-kb set
(``../shared/corpora``), imported into a fresh library; every PERSON and ORG entity of every
article is asked for its roles, and each role found is looked up in ``tests/data/roles-gold.tsv``
(article, entity, role, 1 for right or 0 for wrong). A role the file does not hold is counted
as wrong and printed, to be labelled. Target (issue 12): precision >= 95%.

Run it alone: ``.venv/bin/python -m bench.roles`` (``--dump`` prints every role found, in the
gold file's columns, for labelling).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
GOLD = ROOT / "tests" / "data" / "roles-gold.tsv"
TARGET = 0.95

REUTERS_IDS = (
    "reuters-25 reuters-63 reuters-161 reuters-203 reuters-348 reuters-359 reuters-375 "
    "reuters-496 reuters-540 reuters-801 reuters-903 reuters-950 reuters-1068 reuters-1260 "
    "reuters-1272 reuters-1337 reuters-1354 reuters-1557 reuters-1611 reuters-1817 reuters-1844 "
    "reuters-1890 reuters-1892 reuters-1906 reuters-2130 reuters-2286 reuters-2373 reuters-2376 "
    "reuters-2395 reuters-2427 reuters-2452 reuters-2541 reuters-2543 reuters-2625 reuters-2704 "
    "reuters-2796 reuters-2860 reuters-2878 reuters-2894 reuters-2910 reuters-2942 reuters-3020 "
    "reuters-3036 reuters-3056"
).split()
WEB_ARTICLES = 20  # the first news-fair-no-coref articles of news-kb-dev (2018-19 web news)


def sample(folder: Path) -> Path:
    """The sample as one JSON lines file: Reuters stories as they are, web articles with their
    first line as the title."""
    path = folder / "roles-sample.jsonl"
    wanted = set(REUTERS_IDS)
    with path.open("w", encoding="utf-8") as out:
        with gzip.open(SHARED / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as src:
            for line in src:
                if json.loads(line)["id"] in wanted:
                    out.write(line)
        web = 0
        with gzip.open(SHARED / "news-kb-dev.jsonl.gz", "rt", encoding="utf-8") as src:
            for line in src:
                doc = json.loads(line)
                if not doc["id"].startswith("news-fair") or web >= WEB_ARTICLES:
                    continue
                web += 1
                title, _, body = doc["text"].strip().partition("\n")
                record = {"id": doc["id"], "title": title.strip(), "body": body.strip(),
                          "source": "news-kb"}
                out.write(json.dumps(record) + "\n")
    return path


def found_roles(library: Path) -> list[tuple[str, str, str]]:
    """(article, entity name, role) for every role of every PERSON or ORG in the library."""
    from index import Library
    from index.analysis import PARSER, roles

    nlp = PARSER.get(None)
    out = []
    with Library.open(library, create=False) as lib:
        for summary in lib.articles():
            text = lib.article(summary.id).text
            every = lib.mentions(article=summary.id)
            for entity in dict.fromkeys(m.entity for m in every if m.label in ("PERSON", "ORG")):
                own = [m for m in every if m.entity == entity]
                for r in roles(text, own, nlp, all_mentions=every):
                    out.append((summary.id, own[0].name, " ".join(r.text.split())))
    return out


def gold() -> dict[tuple[str, str], bool]:
    labels = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        article, _entity, role, ok = line.split("\t")[:4]
        labels[article, role] = ok.strip() == "1"
    return labels


def run(dump: bool = False) -> dict:
    from index import Library

    with tempfile.TemporaryDirectory(prefix="reader-roles-") as tmp:
        data = sample(Path(tmp))
        with Library.open(Path(tmp) / "lib") as lib:
            lib.add([data], jobs=1)
        found = found_roles(Path(tmp) / "lib")
    if dump:
        for row in found:
            print("\t".join(row))
        return {}
    labels = gold()
    right = sum(1 for a, _, r in found if labels.get((a, r)))
    unknown = [(a, e, r) for a, e, r in found if (a, r) not in labels]
    web = [row for row in found if not row[0].startswith("reuters-")]
    precision = right / len(found) if found else 0.0
    print(f"roles found on the sample: {len(found)} ({len(found) - len(web)} Reuters, {len(web)} web); "
          f"labelled right {right}; precision {precision:.1%} (target >= {TARGET:.0%}) "
          f"{'OK' if precision >= TARGET else 'UNDER'}")
    for a, e, r in found:
        if (a, r) in labels and not labels[a, r]:
            print(f"   wrong: {a}  {e}: {r}")
    for a, e, r in unknown:
        print(f"   not labelled (counted wrong): {a}\t{e}\t{r}")
    return {"found": len(found), "right": right, "precision": precision, "unlabelled": len(unknown)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.roles", description=__doc__)
    parser.add_argument("--dump", action="store_true", help="print every role found, unlabelled")
    args = parser.parse_args()
    if not (SHARED / "reuters21578.jsonl.gz").exists():
        raise SystemExit(f"bench: {SHARED} not found (the shared corpora sit beside the repo)")
    run(dump=args.dump)


if __name__ == "__main__":
    sys.exit(main())
