"""An import pays for merging the search index's segments in proportion to what it writes, not to
the library: at 19,043 articles every import of 1,000 stories fell on a merge of the index's
small segments (about 7,000 articles, 18 of its 49 s). The big merges are left to a compaction
that runs where nobody waits, gives way to any writer, and leaves the index whole if stopped.

Real Whoosh on disk; the size tiers are scaled down (MERGE_FLOOR 10 instead of 1,000) so that
the layouts are the bench's at a hundredth of its size.
"""

from __future__ import annotations

import threading
import time

import pytest

from index.search import IndexDoc, SearchIndex
from index.search import writer as search_writer


@pytest.fixture(autouse=True)
def small_tiers(monkeypatch):
    monkeypatch.setattr(search_writer, "MERGE_FLOOR", 10)


def docs(prefix: str, n: int, word: str = "copper") -> list[IndexDoc]:
    return [IndexDoc(f"{prefix}-{i}", f"Wire {i}", f"{prefix} {word} report {i}") for i in range(n)]


def add_new(ix: SearchIndex, batch: list[IndexDoc]) -> None:
    ix.add(batch, new={d.id for d in batch})


def bench_layout(folder) -> SearchIndex:
    """The 19k bench library's index at a hundredth: segments of 120, 20, 20, 20 and 10."""
    ix = SearchIndex(folder)
    for name, n in (("big", 120), ("a", 20), ("b", 20), ("c", 20), ("d", 10)):
        add_new(ix, docs(name, n))
    assert ix.segment_sizes() == [120, 20, 20, 20, 10]
    ix.close()
    return SearchIndex(folder)  # the import is a new process


def test_an_import_into_a_big_library_rewrites_none_of_its_segments(tmp_path):
    """The import adds its new articles, then indexes again the older ones whose entities it
    changed (as the names pass and relinking do): two commits. The second used to merge the four
    small segments with them; now both only add a segment, each article is found once, and the
    compaction merges the small segments later, leaving the big one as it was."""
    ix = bench_layout(tmp_path / "index")
    before = ix._current_segment_ids()
    add_new(ix, docs("new", 10))
    ix.add([IndexDoc(f"a-{i}", f"Wire {i}", f"a copper report {i} tin") for i in range(5)])
    assert before <= ix._current_segment_ids()  # not one older segment was rewritten
    assert sorted(ix.segment_sizes()) == [5, 10, 10, 15, 20, 20, 120]
    assert ix.count() == 200
    assert ix.search("copper")[1] == 200 and ix.search("tin")[1] == 5

    big = [s for s in before if s in ix._current_segment_ids()]
    merged = ix.compact()
    assert merged == 80  # 20 + 20 + 15 + 10 + 10 + 5: the small tier, into one segment
    assert sorted(ix.segment_sizes()) == [80, 120]
    assert set(big) & ix._current_segment_ids()  # the big segment is still the one written
    assert ix.count() == 200
    assert ix.search("copper")[1] == 200 and ix.search("tin")[1] == 5
    assert ix.compact() == 0  # nothing left to do: no new generation
    ix.close()
    again = SearchIndex(tmp_path / "index")
    assert again.rebuilt_reason is None and again.count() == 200


def test_a_commit_merges_at_most_twice_what_it_writes_until_the_segments_are_too_many(tmp_path):
    """Many imports of 10 articles, each its own process and each followed by a re-index of 3
    older ones, never compacted: no commit merges more than MERGE_BUDGET times what it wrote
    unless the index would otherwise hold more than MAX_SEGMENTS segments, and it never does."""
    from index.search.writer import MAX_SEGMENTS, MERGE_BUDGET

    folder = tmp_path / "index"
    merges: list[tuple[int, int, int]] = []  # (written, merged, segments before)
    real = search_writer.merge_tiers

    def spy(writer, segments):
        kept = real(writer, segments)
        merges.append((writer.docnum - writer.docbase - writer.merged, writer.merged,
                       len([s for s in segments if s.doc_count()])))
        return kept

    most = 0
    for n in range(60):
        ix = SearchIndex(folder)
        ix.__dict__.pop("_credit")  # sanity: a new process starts with no credit
        ix._credit = 0
        search_writer.merge_tiers = spy
        try:
            add_new(ix, docs(f"i{n}", 10))
            old = [IndexDoc(f"i{k}-1", "Wire 1", f"i{k} copper report 1 again") for k in
                   range(max(0, n - 3), n)] or [IndexDoc(f"i{n}-2", "Wire 2", "copper again")]
            ix.add(old)
        finally:
            search_writer.merge_tiers = real
        most = max(most, len(ix.segment_sizes()))
        ix.close()
    assert most <= MAX_SEGMENTS
    assert any(merged for _, merged, _ in merges)
    for written, merged, segments in merges:
        assert merged <= MERGE_BUDGET * written or segments + 1 > MAX_SEGMENTS
    ix = SearchIndex(folder)
    assert ix.count() == 600 and len(ix.ids()) == 600
    assert ix.search("copper")[1] == 600


def test_many_commits_in_one_process_keep_the_tiers(tmp_path):
    """A big import (commits of a thousand, here of ten) earns enough to merge as the tiers
    want: the segments stay as few as before the budget."""
    from index.search.writer import MERGE_FACTOR

    ix = SearchIndex(tmp_path / "index")
    most = 0
    for n in range(40):
        add_new(ix, docs(f"c{n}", 10))
        most = max(most, len(ix.segment_sizes()))
    assert most <= 2 * (MERGE_FACTOR - 1)
    assert ix.count() == 400 and ix.search("copper")[1] == 400


def test_a_compaction_gives_way_to_another_writer_and_leaves_the_index_as_it_was(tmp_path):
    """A compaction holds the index's write lock; an import that wants it (here another
    SearchIndex on the same folder, as another process would) asks it to give way, and gets the
    lock long before its wait runs out. The compaction commits nothing."""
    folder = tmp_path / "index"
    ix = bench_layout(folder)
    add_new(ix, docs("new", 10))
    sizes = ix.segment_sizes()
    other = SearchIndex(folder, lock_timeout=60)
    wanted = folder / "reader-index-wanted"
    done: list[int] = []

    def importer():
        add_new(other, docs("late", 3, "zinc"))
        done.append(1)

    started = threading.Thread(target=importer)
    asked: list[bool] = []

    def stop() -> bool:  # asked as the merge reads its first segment: start the other writer
        if not asked:
            asked.append(True)
            started.start()
            deadline = time.monotonic() + 30
            while not wanted.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        return False

    assert ix.compact(stop) == 0
    started.join(30)
    assert done == [1]
    assert ix.segment_sizes() == [*sizes, 3]
    assert not wanted.exists() and ix.leftovers() == 0
    assert ix.count() == 203 and ix.search("zinc")[1] == 3


def test_a_stopped_compaction_leaves_an_index_that_opens_whole(tmp_path):
    """Stopped (the reader quitting, a writer waiting), a compaction leaves the index as it was
    and removes the files it had begun, so that `reader check` finds nothing left over."""
    folder = tmp_path / "index"
    ix = bench_layout(folder)
    add_new(ix, docs("new", 10))
    sizes = ix.segment_sizes()
    assert ix.compact(lambda: True) == 0
    assert ix.segment_sizes() == sizes
    assert ix.leftovers() == 0  # what it had begun to write is gone: `reader check` is clean
    ix.close()
    again = SearchIndex(folder)
    assert again.rebuilt_reason is None
    assert again.count() == 200 and again.search("copper")[1] == 200
    assert again.compact() > 0 and again.leftovers() == 0


def test_past_the_bound_an_import_merges_the_smallest_segments_not_the_tier(tmp_path):
    """An index never compacted, with many small imports (commits of a few articles): once a
    commit would leave more than MAX_SEGMENTS segments, it merges the smallest ones, as many as
    leave room for MERGE_FACTOR - 1 more commits, not the whole smallest tier with them."""
    from index.search.writer import MAX_SEGMENTS, MERGE_FACTOR

    ix = bench_layout(tmp_path / "index")
    before = ix._current_segment_ids()
    n = 0
    while len(ix.segment_sizes()) < MAX_SEGMENTS:
        ix._credit = 0  # each import its own process
        add_new(ix, docs(f"f{n}", 2))
        n += 1
    assert before <= ix._current_segment_ids()
    ix._credit = 0
    add_new(ix, docs("last", 2))
    assert before <= ix._current_segment_ids()  # 120, 20, 20, 20 and 10 were not rewritten
    assert len(ix.segment_sizes()) == MAX_SEGMENTS - MERGE_FACTOR + 1
    assert ix.count() == 190 + 2 * (n + 1) and len(ix.ids()) == ix.count()
