"""A big library stays cheap to grow: new articles are added to the search index without looking
for old versions of them (a lookup in every segment per article); changed ones still replace."""

from __future__ import annotations

import json

import pytest

from index import Library
from index.search import IndexDoc, SearchIndex
from index.search import writer as search_writer


@pytest.fixture
def lookups(monkeypatch):
    """The ids the index writer looked up to replace."""
    seen: list[str] = []
    real = search_writer.SegmentWriter.delete_by_term

    def spy(self, fieldname, text, searcher=None):
        seen.append(text)
        return real(self, fieldname, text, searcher=searcher)

    monkeypatch.setattr(search_writer.SegmentWriter, "delete_by_term", spy)
    return seen


def test_new_ids_are_added_and_known_ones_replaced(tmp_path, lookups):
    ix = SearchIndex(tmp_path / "index")
    ix.add([IndexDoc("a", "Copper", "copper prices rose")])
    ix.add([IndexDoc("b", "Tin", "tin prices fell"), IndexDoc("c", "Zinc", "zinc steady")],
           new={"b", "c"})
    assert lookups == []
    ix.add([IndexDoc("a", "Copper", "copper prices slumped")])  # an update: the old one goes
    assert lookups == ["a"]
    assert ix.count() == 3
    hits, total, _ = ix.search("copper")
    assert total == 1 and [h.id for h in hits] == ["a"]
    assert ix.search("rose")[1] == 0 and ix.search("slumped")[1] == 1


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_importing_new_articles_replaces_nothing_and_a_change_replaces_one(
    seed_library, tmp_path, lookups
):
    feed = tmp_path / "wire.jsonl"
    records = [
        {"id": "wire-1", "title": "Copper output", "body": "Chile said copper output rose."},
        {"id": "wire-2", "title": "Tin talks", "body": "Bolivia held tin talks in La Paz."},
    ]
    _write(feed, records)
    with Library.open(seed_library) as lib:
        before = lib.count()
        assert lib.add([feed], jobs=1).added == 2
        assert lookups == []
        records[1]["body"] = "Bolivia ended tin talks in Sucre."
        _write(feed, records)
        report = lib.add([feed], jobs=1)
        assert (report.added, report.updated) == (0, 1)
        assert lookups == ["wire-2"]
        assert lib.count() == before + 2
        assert [h.id for h in lib.search("sucre").hits] == ["wire-2"]
        assert lib.search("paz").total == 0


def test_the_total_counts_live_matches_once_across_segments(tmp_path):
    """The total is counted apart from the ranking (from the posting lists): each matching
    article once, replaced and removed versions not at all, whatever the segments."""
    from index.search.count import count

    ix = SearchIndex(tmp_path / "index")
    ix.add([IndexDoc("a", "Copper", "copper prices rose"), IndexDoc("b", "Tin", "tin prices fell")])
    ix.add([IndexDoc("c", "Metals", "copper and tin steady")], new={"c"})
    ix.add([IndexDoc("a", "Zinc", "zinc prices rose")])  # replaces a: its copper is gone
    ix.add([IndexDoc("d", "Copper wire", "copper wire exports")], new={"d"})
    ix.delete(["d"])
    expected = {"copper": 1, "prices": 2, "copper OR tin": 2, "tin prices": 1, "rose": 1,
                "title:zinc": 1, "lead": 0, "copper NOT tin": 0, '"prices rose"': 1}
    assert {q: ix.search(q)[1] for q in expected} == expected
    with ix._reading("testing") as searcher:
        for q in ("copper", "prices", "copper OR tin", "tin prices"):
            _, compiled = ix._compile(q, lambda name: [name], None)
            assert count(searcher, compiled) == len(searcher.search(compiled)) == expected[q]


def test_copies_are_found_the_same_with_the_size_bound():
    """Pairs whose sizes differ too much to be 80% alike are skipped unread; re-sends with a
    paragraph added (same title) and near-identical texts are still copies."""
    from index.copies import copy_of

    words = [f"w{i}" for i in range(100)]
    story = " ".join(words)
    resend = story + " " + " ".join(f"x{i}" for i in range(10))  # 110 words: 90% alike
    longer = story + " " + " ".join(f"y{i}" for i in range(60))  # 160 words: 62% alike
    other = " ".join(f"z{i}" for i in range(100))
    got = copy_of([("a", "Oil", story), ("b", "Oil prices", resend), ("c", "Oil", longer),
                   ("d", "Other", longer), ("e", "Gold", other)])
    assert got == {"b": "a", "c": "a"}


def test_the_articles_naming_an_entity_are_listed_without_its_mentions(seed_library):
    """`>` walks the articles naming an entity from a list of (article, first mention), the
    same order and places its mentions give, without a Mention object per mention."""
    with Library.open(seed_library) as lib:
        for entity in lib.entities(limit=10):
            firsts: dict[str, int] = {}
            for m in lib.mentions(entity=entity.id):
                firsts.setdefault(m.doc, m.start)
            assert lib.articles_naming(entity.id) == list(firsts.items())


def test_a_searcher_does_not_hold_a_copy_of_the_index(tmp_path):
    """Opening the index to search reads what a search needs from the files: it does not copy
    the segments into memory (a memory-mapped Whoosh index did, twice over in resident memory)."""
    import tracemalloc

    words = [f"word{i}" for i in range(2000)]
    docs = [
        IndexDoc(f"d{n}", f"Story {n}", " ".join(words[(n * 7 + k) % 2000] for k in range(300)))
        for n in range(400)
    ]
    folder = tmp_path / "index"
    SearchIndex(folder).add(docs, new={d.id for d in docs})
    size = sum(p.stat().st_size for p in folder.glob("*.seg"))
    ix = SearchIndex(folder)
    tracemalloc.start()
    try:
        assert ix.count() == 400
        assert ix.search("word5")[1] > 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size / 2, (peak, size)


def test_a_phrase_or_not_query_is_ranked_and_counted_in_one_walk(tmp_path, monkeypatch):
    """A query whose total cannot be read from the posting blocks (an entity's other names as
    phrases, a NOT) is ranked and counted in one walk over its matches, not ranked and then
    walked again to count: "opec" (with "Organization of Petroleum Exporting Countries") was
    the slowest search at 100,000 articles. The totals are the same."""
    from whoosh.searching import Searcher

    ix = SearchIndex(tmp_path / "index")
    ix.add([IndexDoc("a", "Opec", "opec output rose"),
            IndexDoc("b", "Cartel", "the organization of petroleum exporting countries met")])
    ix.add([IndexDoc("c", "Oil", "petroleum prices rose, exporting countries said"),
            IndexDoc("d", "Opec again", "opec and the organization of petroleum exporting "
                                        "countries")], new={"c", "d"})
    ix.delete(["d"])
    walks: list[object] = []
    real = Searcher.docs_for_query

    def spy(self, q, for_deletion=False):
        walks.append(q)
        return real(self, q, for_deletion)

    monkeypatch.setattr(Searcher, "docs_for_query", spy)
    aliases = {"opec": ["Organization of Petroleum Exporting Countries"]}
    expected = {"opec": ({"a", "b"}, 2), '"exporting countries"': ({"b", "c"}, 2),
                "petroleum NOT opec": ({"c"}, 1), "rose NOT cartel": ({"a", "c"}, 2)}
    got = {}
    for q in expected:
        hits, total, _ = ix.search(q, expand=lambda w: aliases.get(w.lower(), []))
        got[q] = ({h.id for h in hits}, total)
        assert walks == []
        top, total, _ = ix.search(q, limit=1, expand=lambda w: aliases.get(w.lower(), []))
        assert total == expected[q][1] and top[0].id in expected[q][0]
    assert got == expected
    assert walks == []


def test_many_imports_leave_a_few_segments_and_every_article_once(tmp_path):
    """Each commit of the index (an import's thousand articles) writes a segment, and a search
    reads every segment. Whoosh's merge policy let 22 pile up at 100,000 articles before merging
    nearly all of them at once; segments are merged by size tiers instead, and each article is
    found once, replaced ones in their new version. A commit merges only in proportion to what
    it writes (tests/unit/test_merges.py): 30 commits of 100 into the smallest tier (under 6,000
    articles) leave at most MAX_SEGMENTS (Whoosh's: 13 and more), and a compaction, where
    nobody waits, no more than MERGE_FACTOR - 1."""
    from index.search.writer import MAX_SEGMENTS, MERGE_FACTOR

    ix = SearchIndex(tmp_path / "index")
    most = 0
    for batch in range(30):
        docs = [IndexDoc(f"{batch}-{n}", f"Wire {n}", f"batch{batch} copper report {n}")
                for n in range(100)]
        ix.add(docs, new={d.id for d in docs})
        with ix._reading("testing") as searcher:
            most = max(most, len(searcher.reader().leaf_readers()))
    ix.add([IndexDoc("3-7", "Wire 7", "tin report")])  # a replaced article
    assert most <= MAX_SEGMENTS
    ix.compact()
    assert len(ix.segment_sizes()) < MERGE_FACTOR
    assert ix.count() == 3000
    assert ix.search("copper")[1] == 2999 and ix.search("tin")[1] == 1
    assert ix.search("batch3")[1] == 99


def test_an_unchanged_index_is_not_checksummed_again_and_a_flipped_byte_still_is(
    tmp_path, monkeypatch
):
    """Opening the index checksummed every segment file (28 ms of a 0.2 s `reader search` at
    19,000 articles). A file found sound is not read again while its size, times and inode are
    unchanged; a byte written into it is still noticed at the next open, and `reader check`
    (verify) reads every file."""
    import time

    from index.search import index as search_index
    from index.search import segments

    folder = tmp_path / "index"
    ix = SearchIndex(folder)
    ix.add([IndexDoc("a", "Copper", "copper prices rose"), IndexDoc("b", "Tin", "tin fell")])
    ix.close()
    summed: list[str] = []
    real = search_index.file_sum
    monkeypatch.setattr(search_index, "file_sum", lambda p: summed.append(p) or real(p))
    # checksummed as if 10 s after the files were written (a file changed within 2 s of its
    # checksum is checksummed again: a write in the same clock tick would not move its times)
    later = time.time_ns() + 10_000_000_000
    monkeypatch.setattr(segments, "_clock", lambda: later)
    SearchIndex(folder).close()
    (segment,) = folder.glob("MAIN_*.seg")
    assert summed == [str(segment)]
    summed.clear()
    again = SearchIndex(folder)
    assert summed == [] and again.search("copper")[1] == 1
    again.close()
    SearchIndex(folder, verify=True).close()
    assert summed == [str(segment)]
    time.sleep(0.05)  # a later clock tick, as any later write is
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0x40
    segment.write_bytes(bytes(data))
    damaged = SearchIndex(folder)
    assert damaged.rebuilt_reason and "damaged" in damaged.rebuilt_reason
    assert damaged.count() == 0


def test_counting_reads_document_numbers_without_unpickling_positions(tmp_path, monkeypatch):
    """A common word's total is counted from its posting blocks' document numbers alone: the
    positions stored beside them (unpickled one by one, most of the cost of counting "said" at
    100,000 articles) are not read, and the totals are Whoosh's own, for blocks of 1 to 128
    postings and numbers far apart."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    from index.search.count import count

    docs = [IndexDoc(f"d{n}", f"Story {n}",
                     " ".join(["wheat"] * (n % 3 + 1) + (["said"] if n % 2 else [])
                              + (["rare"] if n in (0, 299, 300) else [])
                              + (["single"] if n == 150 else []) + ["filler"] * (n % 7)))
            for n in range(700)]
    ix = SearchIndex(tmp_path / "index")
    ix.add(docs[:400], new={d.id for d in docs[:400]})
    ix.add(docs[400:], new={d.id for d in docs[400:]})
    full_reads: list[int] = []
    real = W3LeafMatcher._read_data

    def spy(self):
        full_reads.append(self._blocklength)
        return real(self)

    queries = ("wheat", "said", "rare", "single", "wheat said", "rare OR single")
    for deleted in ([], ["d1", "d3", "d299"]):
        ix.delete(deleted)
        with ix._reading("testing") as searcher:
            for q in queries:
                _, compiled = ix._compile(q, lambda name: [name], None)
                expected = len(list(searcher.docs_for_query(compiled)))
                monkeypatch.setattr(W3LeafMatcher, "_read_data", spy)
                assert count(searcher, compiled) == expected, (q, deleted)
                monkeypatch.setattr(W3LeafMatcher, "_read_data", real)
        if not deleted:  # (Whoosh's filter for deleted articles reads a first block itself)
            assert full_reads == []


def test_a_posting_blocks_head_is_read_in_one_go(tmp_path, monkeypatch):
    """Whoosh read each posting block's statistics with pickle.load on the segment file, which
    asked the file for a few bytes at a time: 27 reads a block. Walking a word's blocks reads
    the file about once a block, and the block statistics and rankings are the same."""
    from whoosh.filedb import compound

    docs = [IndexDoc(f"d{n}", f"Story {n}", "wheat " * (n % 5 + 1) + f"crop{n % 11}")
            for n in range(1000)]
    ix = SearchIndex(tmp_path / "index")
    ix.add(docs, new={d.id for d in docs})
    reads = []
    real = compound.SubFile.read

    def spy(self, *args, **kwargs):
        reads.append(1)
        return real(self, *args, **kwargs)

    with ix._reading("testing") as searcher:
        (reader, _), = searcher.reader().leaf_readers()
        matcher = reader.postings("body", "wheat")
        monkeypatch.setattr(compound.SubFile, "read", spy)
        blocks, stats = 0, []
        while matcher.is_active():
            stats.append((matcher.block_max_id(), matcher.block_max_weight(),
                          matcher.block_min_length(), matcher.block_max_length()))
            blocks += 1
            matcher._next_block()
        monkeypatch.setattr(compound.SubFile, "read", real)
    assert blocks == 8 and len(reads) <= 2 * blocks
    assert stats[0] == (127, 5.0, 2, 6) and stats[-1][0] == 999
    hits, total, _ = ix.search("wheat crop3", limit=3)
    assert total == 91 and all(h.id in {f"d{n}" for n in range(3, 1000, 11)} for h in hits)
