"""The entity-linking benchmark's error report (``python -m bench.ecb --errors FILE``)."""

from __future__ import annotations

from bench.ecb import errors


def test_the_error_report_names_wrong_merges_splits_and_misses():
    text = "Orange and Riverside grew. Orange rose. Hulu sold."
    gold = [
        {"start": 0, "end": 6, "text": "Orange", "cluster": "Q5925"},
        {"start": 11, "end": 20, "text": "Riverside", "cluster": "Q108111"},
        {"start": 27, "end": 33, "text": "Orange", "cluster": "Q5925"},
        {"start": 39, "end": 43, "text": "Hulu", "cluster": "Q1630304"},
    ]
    docs = [{"id": "d1", "text": text, "mentions": gold}]
    lines = [  # "Orange and Riverside" as one entity, the second Orange another, Hulu missed
        {"doc": "d1", "start": 0, "end": 20, "text": "Orange and Riverside", "entity": "e1"},
        {"doc": "d1", "start": 27, "end": 33, "text": "Orange", "entity": "e2"},
    ]
    report = errors(docs, lines)
    precision, recall, missed = report.split("\n\n")
    assert "e1:" in precision and "Q5925" in precision and "Q108111" in precision
    assert "e2" not in precision
    assert "Q5925:" in recall and "e1" in recall and "e2" in recall
    assert "'Hulu' (Q1630304, d1)" in missed and "(1)" in missed
