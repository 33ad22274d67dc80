"""Entity resolution: keys, one article's short names and acronyms, the library's entities."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from index.entities import (
    Decisions,
    KeyStats,
    key_stats,
    local_keys,
    normalize,
    resolve,
    slug,
)


@dataclass(frozen=True)
class M:
    start: int
    end: int
    text: str
    label: str
    key: str = ""


def mentions(text: str, *spans: tuple[str, str]) -> list[M]:
    """Mentions of each (surface, label) in order of appearance, found left to right."""
    out, pos = [], 0
    for surface, label in spans:
        start = text.index(surface, pos)
        out.append(M(start, start + len(surface), surface, label))
        pos = start + len(surface)
    return out


def stats(key: str, forms: dict[str, int], labels: dict[str, int], articles: int = 1) -> KeyStats:
    return KeyStats(key, forms, labels, sum(forms.values()), articles)


# --- normalize ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "names",
    [
        ["BEIJING", "Beijing", "beijing"],
        ["U.S.", "US", "the United States", "United States", "USA", "U.S.A.", "America"],
        ["U.K.", "UK", "Britain", "United Kingdom", "Great Britain"],
        ["EU", "European Union", "the EU"],
        ["UN", "U.N.", "United Nations"],
        ["Uighurs", "Uygurs", "Uyghurs", "Uyghur", "Uighur", "Uygur", "UIGHURS"],
        ["Kazakh", "Kazakhs", "Kazak"],
        ["the U.S. State Department's", "U.S. State Department", "State Department"],
        ["ETIM", "East Turkestan Islamic Movement"],
        ["Apple Inc.", "Apple", "Apple's"],
        ["al-Qaeda", "Al Qaeda", "al Qaida"],
        ["São Paulo", "Sao Paulo"],
        ["Kazakhstan’s", "Kazakhstan's", "Kazakhstan"],
        ["Arcade Joseph Comeaux Jr.", "Arcade Joseph Comeaux Jr", "Arcade Joseph Comeaux"],
        ["U. S. Surgeon General", "U.S. Surgeon General", "Surgeon General"],
        ["Betty Ford Centre", "Betty Ford Center"],
        ["Mt Cook", "Mount Cook", "Mt. Cook"],
        ["George H. W. Bush", "George H.W. Bush"],
        ["Merrill Lynch and Co", "Merrill Lynch & Co.", "Merrill Lynch"],
        ["Calif.", "California"],
        ["U.S. Department of Agriculture", "Agriculture Department", "the Department of Agriculture"],
        ["N.J.", "New Jersey"],
        # A nickname in quotes is no part of the key (ECB+: one Gigante, not three).
        ['Vincent "The Chin" Gigante', "Vincent 'The Chin' Gigante", "Vincent “Chin” Gigante",
         "Vincent Gigante"],
        ['C.N. "Bud" Moore', "C.N. Moore"],
        # A possessive as tokenised text writes it.
        ["Children 's Hospital", "Children's Hospital", "Children’s Hospital"],
        ["Kentucky Distillers ' Association", "Kentucky Distillers' Association"],
    ],
)
def test_normalize_folds_variants_to_one_key(names):
    assert len({normalize(n) for n in names}) == 1, {n: normalize(n) for n in names}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Kennedy", "Kenedy"),
        ("Apple", "Aple"),
        ("John Paul II", "John Paul I"),
        ("George W. Bush", "George H. W. Bush"),
        ("U.S. Open", "Open"),
        ("Kazakh", "Kazakhstan"),
        ("China", "Chinese"),
        ("Wang Yi", "Wang"),
        ("East Turkestan", "East Turkestan Islamic Movement"),
        ("Rock 'n' Roll Hall of Fame", "Rock Roll Hall of Fame"),  # no nickname, a word
    ],
)
def test_normalize_keeps_different_names_apart(a, b):
    assert normalize(a) != normalize(b)


def test_normalize_is_readable_and_total():
    assert normalize("Wang Yi") == "wang yi"
    assert normalize("Uygurs") == "uighur"
    assert normalize("") == "" and normalize("  ’s ") == ""
    assert slug(normalize("Wang Yi")) == "wang-yi"
    assert slug("") == "entity"


# --- local_keys -------------------------------------------------------------------------------
def test_short_name_after_full_name_takes_its_key_whatever_its_label():
    text = "Foreign Minister Wang Yi said so. Wang said more. Wang added."
    ms = mentions(text, ("Wang Yi", "PERSON"), ("Wang", "ORG"), ("Wang", "PERSON"))
    assert local_keys(text, ms) == ["wang yi"] * 3


def test_surname_rule_needs_a_person_and_no_ambiguity():
    text = "Wang Yi met Wang Qishan. Wang spoke."
    ms = mentions(text, ("Wang Yi", "PERSON"), ("Wang Qishan", "PERSON"), ("Wang", "PERSON"))
    assert local_keys(text, ms)[2] == "wang"
    text = "Bank of America said. Bank shares fell. America grew."
    ms = mentions(text, ("Bank of America", "ORG"), ("Bank", "ORG"), ("America", "GPE"))
    # "America" is no surname of the firm; "Bank" heads it ("the Bank" of a Bank of England
    # story): test_the_head_of_an_x_of_y_name_stands_for_it_in_its_article.
    assert local_keys(text, ms) == ["bank of america", "bank of america", "united states"]


def test_shorter_full_names_and_team_names_take_the_longer_key():
    text = (
        "Mark Jay Heller said. Mark Heller left. The New Orleans Saints won; the Saints cheered "
        "in New Orleans. The White House said the House would vote."
    )
    ms = mentions(
        text,
        ("Mark Jay Heller", "PERSON"),
        ("Mark Heller", "PERSON"),
        ("New Orleans Saints", "ORG"),
        ("Saints", "ORG"),
        ("New Orleans", "GPE"),
        ("White House", "ORG"),
        ("House", "ORG"),
    )
    assert local_keys(text, ms) == ["mark jay heller"] * 2 + ["new orleans saints"] * 2 + [
        "new orleans",
        "white house",
        "house",  # "White" is no place: the House is not the White House
    ]


def test_acronym_defined_in_the_text_takes_the_long_form_key():
    text = (
        "the National Front for Liberation (NFL) said. Later the NFL denied it. "
        "Officials of the Kurdistan Workers Party [KWP] ... the KWP."
    )
    ms = mentions(
        text,
        ("National Front for Liberation", "ORG"),
        ("NFL", "ORG"),
        ("NFL", "ORG"),
        ("Kurdistan Workers Party", "ORG"),
        ("KWP", "ORG"),
        ("KWP", "ORG"),
    )
    keys = local_keys(text, ms)
    assert keys[:3] == ["national front for liberation"] * 3
    assert keys[3:] == ["kurdistan workers party"] * 3


def test_parenthesis_that_is_not_an_acronym_is_left_alone():
    text = "Acme Widget Corp (Boston) said. Boston is cold."
    ms = mentions(text, ("Acme Widget Corp", "ORG"), ("Boston", "GPE"), ("Boston", "GPE"))
    assert local_keys(text, ms) == ["acme widget", "boston", "boston"]


# --- resolve ----------------------------------------------------------------------------------
def test_short_name_joins_the_one_person_it_can_be():
    res = resolve(
        [
            stats("tina kaidanow", {"Tina Kaidanow": 4}, {"PERSON": 4}, 3),
            stats("kaidanow", {"Kaidanow": 2}, {"ORG": 1, "PERSON": 1}, 2),
            stats("wang yi", {"Wang Yi": 2, "Wang": 3}, {"PERSON": 2, "ORG": 3}),
            stats("wang", {"Wang": 2}, {"ORG": 2}),
        ],
        Decisions(),
    )
    assert res.entity_of["kaidanow"] == res.entity_of["tina kaidanow"] == "tina-kaidanow"
    assert res.entity_of["wang"] == res.entity_of["wang yi"] == "wang-yi"
    wang = res.entities["wang-yi"]
    assert (wang.name, wang.label, wang.aliases) == ("Wang Yi", "PERSON", ("Wang",))


def test_ambiguous_or_place_like_short_names_stay_alone():
    res = resolve(
        [
            stats("george bush", {"George Bush": 5}, {"PERSON": 5}),
            stats("jeb bush", {"Jeb Bush": 5}, {"PERSON": 5}),
            stats("bush", {"Bush": 9}, {"PERSON": 9}),
            stats("george washington", {"George Washington": 2}, {"PERSON": 2}),
            stats("washington", {"Washington": 50}, {"GPE": 48, "PERSON": 2}),
        ],
        Decisions(),
    )
    assert len({res.entity_of[k] for k in ("george bush", "jeb bush", "bush")}) == 3
    assert res.entity_of["washington"] != res.entity_of["george washington"]
    assert res.entities[res.entity_of["washington"]].label == "GPE"


def test_full_names_join_longer_ones_and_dominant_candidates_win():
    res = resolve(
        [
            stats("mark felt", {"Mark Felt": 41}, {"PERSON": 41}, 10),
            stats("w mark felt", {"W. Mark Felt": 38}, {"PERSON": 38}, 10),
            stats("william mark felt", {"William Mark Felt": 1}, {"PERSON": 1}),
            stats("joan felt", {"Joan Felt": 3}, {"PERSON": 3}),
            stats("felt", {"Felt": 98}, {"PERSON": 98}, 20),
            stats("louis gigante", {"Louis Gigante": 3, "Gigante": 27}, {"PERSON": 30}),
            stats("vincent gigante", {"Vincent Gigante": 30, "Gigante": 25}, {"PERSON": 55}),
            stats("gigante", {"Gigante": 80}, {"PERSON": 80}),
            stats("new orleans saints", {"New Orleans Saints": 16, "Saints": 20}, {"ORG": 36}),
            stats("new orleans", {"New Orleans": 30}, {"GPE": 30}),
            stats("white house", {"White House": 284, "House": 4}, {"ORG": 288}),
            stats("house", {"House": 249}, {"ORG": 249}),
            stats("saints", {"Saints": 74}, {"ORG": 70, "PRODUCT": 4}),
        ],
        Decisions(),
    )
    felt = res.entity_of["w mark felt"]
    assert res.entity_of["mark felt"] == res.entity_of["felt"] == felt
    assert res.entity_of["joan felt"] != felt
    assert res.entities[felt].name == "Mark Felt"  # the most frequent full name
    assert len({res.entity_of[k] for k in ("louis gigante", "vincent gigante", "gigante")}) == 3
    assert res.entity_of["saints"] == res.entity_of["new orleans saints"]
    assert res.entity_of["house"] != res.entity_of["white house"]


def test_acronym_used_elsewhere_joins_its_defined_long_form():
    res = resolve(
        [
            stats(
                "national front for liberation",
                {"National Front for Liberation": 1, "NFL": 3},
                {"ORG": 4},
            ),
            stats("nfl", {"NFL": 2}, {"ORG": 2}),
        ],
        Decisions(),
    )
    assert res.entity_of["nfl"] == res.entity_of["national front for liberation"]
    assert res.entities[res.entity_of["nfl"]].name == "National Front for Liberation"


def test_a_shouted_word_is_not_an_acronym_and_a_tiny_person_does_not_swallow_a_country():
    res = resolve(
        [
            stats("japan", {"Japan": 2337}, {"GPE": 2337}, 900),
            stats("c and f japan", {"c. and f. Japan": 1, "JAPAN": 1}, {"PERSON": 2}),
        ],
        Decisions(),
    )
    assert res.entity_of["japan"] != res.entity_of["c and f japan"]
    assert res.entities["japan"].label == "GPE"
    res = resolve(
        [
            stats("japan", {"Japan": 2337}, {"GPE": 2337}, 900),
            stats("c and f japan", {"c. and f. Japan": 1}, {"PERSON": 1}),
        ],
        Decisions(merges=[("japan", "c and f japan")]),
    )
    assert res.entities["japan"].label == "GPE" and res.entities["japan"].name == "Japan"


def test_labels_are_voted_with_priors():
    res = resolve(
        [
            stats("uighur", {"Uighurs": 2, "Uygurs": 1}, {"ORG": 2, "GPE": 1}, 2),
            stats("kazakhstan", {"Kazakhstan": 6}, {"GPE": 5, "ORG": 1}),
            stats("han", {"Han": 9}, {"PERSON": 9}),
            stats("beijing", {"Beijing": 10, "BEIJING": 1}, {"GPE": 11}, 2),
            stats("united states", {"U.S.": 5, "United States": 2}, {"GPE": 7}),
        ],
        Decisions(),
    )
    uighur = res.entities["uighur"]
    assert (uighur.name, uighur.label, uighur.aliases) == ("Uighurs", "NORP", ("Uygurs",))
    assert res.entities["kazakhstan"].label == "GPE"
    assert res.entities["han"].label == "PERSON"  # a surname here, not the people
    assert res.entities["beijing"].name == "Beijing"
    assert res.entities["united-states"].name == "United States"
    assert res.entities["united-states"].aliases == ("U.S.",)


def test_user_merges_chain_and_ignores_win():
    table = [
        stats("acme", {"Acme": 3}, {"ORG": 3}),
        stats("acme widgets", {"Acme Widgets": 1}, {"ORG": 1}),
        stats("widgetco", {"WidgetCo": 1}, {"ORG": 1}),
        stats("monday club", {"Monday Club": 2}, {"ORG": 2}),
    ]
    auto = resolve(table, Decisions())
    assert len(set(auto.entity_of.values())) == 4
    res = resolve(
        table,
        Decisions(
            merges=[("acme", "acme widgets"), ("acme widgets", "WidgetCo")], ignored={"Monday Club"}
        ),
    )
    assert res.entity_of["acme"] == res.entity_of["acme widgets"] == res.entity_of["widgetco"]
    assert res.entity_of["acme"] == "acme"  # "b is a": a keeps its id
    assert "monday club" not in res.entity_of
    assert set(res.entities) == {"acme"}
    # Merging by entity id works too, and unknown names are skipped.
    res = resolve(table, Decisions(merges=[("acme", "monday-club"), ("nobody", "acme")]))
    assert res.entity_of["monday club"] == "acme"


def test_ids_are_stable_across_runs_and_order():
    table = [
        stats("wang yi", {"Wang Yi": 2, "Wang": 3}, {"PERSON": 2, "ORG": 3}),
        stats("china", {"China": 20}, {"GPE": 20}),
        stats("wang", {"Wang": 1}, {"ORG": 1}),
    ]
    a = resolve(table, Decisions())
    b = resolve(list(reversed(table)), Decisions())
    assert a.entity_of == b.entity_of and set(a.entities) == set(b.entities)


def test_key_stats_counts_forms_labels_and_articles():
    arts = [
        [M(0, 4, "Wang", "ORG", "wang yi"), M(9, 16, "Wang Yi", "PERSON", "wang yi")],
        [M(0, 7, "Wang Yi", "PERSON", "wang yi")],
    ]
    (s,) = key_stats(arts)
    assert (s.forms, s.labels, s.mentions, s.articles) == (
        {"Wang": 1, "Wang Yi": 2},
        {"ORG": 1, "PERSON": 2},
        3,
        2,
    )


def test_sixty_thousand_keys_in_about_a_second():
    import random

    rng = random.Random(7)
    first = ["anna", "boris", "chen", "dmitri", "elena", "farid", "grace", "hiro", "ivan", "jamal"]
    table = []
    for i in range(60_000):
        kind = i % 4
        if kind == 0:
            key = f"{rng.choice(first)} surname{i}"
            table.append(stats(key, {key.title(): 3}, {"PERSON": 3}))
        elif kind == 1:
            key = f"surname{i - 1}"
            table.append(stats(key, {key.title(): 2}, {"ORG": 1, "PERSON": 1}))
        else:
            key = f"place{i}"
            table.append(stats(key, {key.title(): 5, key.upper(): 1}, {"GPE": 5, "LOC": 1}))
    normalize.cache_clear()
    start = time.process_time()  # CPU time: the machine is shared
    res = resolve(table, Decisions(merges=[("place2", "place3")], ignored={"place6"}))
    elapsed = time.process_time() - start
    assert res.entity_of["surname0"] == res.entity_of[table[0].key]
    assert len(res.entity_of) == 60_000 - 1
    assert elapsed < 3.0, elapsed  # about 1 s on the project machine; slack for a busy CI box


# --- issue 10: links on evidence -------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Volkswagen AG VOWG.F", "Volkswagen"),
        ("Baker International <BKO>", "Baker International Corp"),
    ],
)
def test_tickers_and_firm_suffixes_leave_the_key(a, b):
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("U.S.A. Inc", "United States"),
        ("Wilson and Co.", "Wilson"),
        ("Birr, Wilson and Co.", "Birr Wilson"),
        ("ePA", "EPA"),
    ],
)
def test_a_firm_or_a_differently_cased_acronym_keeps_its_own_key(a, b):
    assert normalize(a) != normalize(b)


def test_an_acronym_the_article_defines_for_plain_words_is_not_the_famous_one():
    text = "JDRF leads artificial pancreas (AP) research. AP systems help."
    found = mentions(text, ("JDRF", "ORG"), ("AP", "ORG"), ("AP", "ORG"))
    keys = local_keys(text, found)
    assert keys[1] == keys[2] == "artificial pancreas"
    assert normalize("AP") != keys[1]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("A flaw in its Internet Explorer (IE) browser. IE users should update.",
         "Internet Explorer"),
        # reuters: "of the International Coffee Organization" took every ICO of the story
        ("Quotas of the International Coffee Organization (ICO) lapsed. ICO members met.",
         "International Coffee Organization"),
    ],
)
def test_an_acronym_of_a_name_takes_the_names_key_not_the_words_before_it(text, name):
    letters = text[text.index("(") + 1 : text.index(")")]
    found = mentions(text, (name, "ORG"), (letters, "ORG"), (letters, "ORG"))
    assert local_keys(text, found) == [normalize(name)] * 3


def test_a_surname_after_two_spellings_of_one_full_name_is_that_person():
    # ECB+ 26_6: sixteen "Gigante" were left to the library beside these two
    text = "Vincent Gigante died. Vincent L. Gigante was 77. Gigante feigned insanity."
    found = mentions(text, ("Vincent Gigante", "PERSON"), ("Vincent L. Gigante", "PERSON"),
                     ("Gigante", "PERSON"))
    assert local_keys(text, found)[2] == normalize("Vincent L. Gigante")
    text = "Vincent Gigante died. His brother Louis Gigante wept. Gigante was 77."
    found = mentions(text, ("Vincent Gigante", "PERSON"), ("Louis Gigante", "PERSON"),
                     ("Gigante", "PERSON"))
    assert local_keys(text, found)[2] == "gigante"


def test_a_surname_after_another_title_is_not_the_full_name_of_the_article():
    text = "President Reagan will visit Rome. Reagan and Nancy Reagan will be there."
    found = mentions(
        text, ("Reagan", "PERSON"), ("Rome", "GPE"), ("Reagan", "PERSON"), ("Nancy Reagan", "PERSON")
    )
    assert local_keys(text, found)[0] == "reagan" and local_keys(text, found)[2] == "reagan"


def test_a_surname_before_commission_is_the_commission():
    text = "John Tower spoke. The Tower commission said Reagan erred."
    found = mentions(text, ("John Tower", "PERSON"), ("Tower", "ORG"), ("Reagan", "PERSON"))
    assert local_keys(text, found)[1] == "tower commission"


def test_a_country_never_lends_its_name_as_a_surname():
    text = "He told Funaro Brazil had to pay. Brazil wants time."
    found = mentions(text, ("Funaro Brazil", "PERSON"), ("Brazil", "GPE"))
    assert local_keys(text, found)[1] == "brazil"


def test_full_names_join_only_on_compatible_given_names():
    res = resolve(
        [
            stats("frederick c larue", {"Frederick C. LaRue": 2}, {"PERSON": 2}),
            stats("fred larue", {"Fred LaRue": 17}, {"PERSON": 17}),
            stats("ronald wilson reagan", {"Ronald Wilson Reagan": 3}, {"PERSON": 3}),
            stats("nancy reagan", {"Nancy Reagan": 4}, {"PERSON": 4}),
        ],
        Decisions(),
    )
    assert res.entity_of["fred larue"] == res.entity_of["frederick c larue"]
    assert res.entity_of["nancy reagan"] != res.entity_of["ronald wilson reagan"]
    assert res.evidence["fred larue"] == ("frederick c larue", "the same name, written in full")


def test_a_firm_lends_no_surname_and_initials_join_the_one_org_they_fit():
    res = resolve(
        [
            stats("michael wilson", {"Michael Wilson": 5}, {"PERSON": 5}),
            stats("wilson and co", {"Wilson and Co.": 2}, {"PERSON": 2}),
            stats("trans world airlines", {"Trans World Airlines Inc": 14}, {"ORG": 14}),
            stats("twa", {"TWA": 60}, {"ORG": 60}),
            stats("nbc", {"NBC": 190}, {"ORG": 190}),
            stats("national bank of canada", {"National Bank of Canada": 3}, {"ORG": 3}),
            stats("american motors", {"American Motors Corp": 16}, {"ORG": 16}),
            stats("applied materials", {"Applied Materials Corp": 3}, {"ORG": 3}),
            stats("amc", {"AMC": 47}, {"ORG": 47}),
        ],
        Decisions(),
    )
    assert res.entity_of["wilson and co"] != res.entity_of["michael wilson"]
    assert res.entity_of["twa"] == res.entity_of["trans world airlines"]
    assert "the only organisation" in res.evidence["twa"][1]
    # far more written than the only name it fits: NBC is something else
    assert res.entity_of["nbc"] != res.entity_of["national bank of canada"]
    assert res.entity_of["amc"] not in (  # two firms are AMC: no guess
        res.entity_of["american motors"],
        res.entity_of["applied materials"],
    )


def test_a_users_merge_is_its_own_evidence():
    res = resolve(
        [stats("gm", {"GM": 3}, {"ORG": 3}), stats("gmac", {"GMAC": 1}, {"ORG": 1})],
        Decisions(merges=[("gm", "gmac")]),
    )
    assert res.evidence["gmac"] == ("gm", "your merge")


def test_a_place_that_plays_is_its_team_and_the_city_stays_the_city():
    text = "The New Orleans Saints won. New Orleans picked up Wynn for the playoffs. He lives in New Orleans."
    found = mentions(
        text, ("New Orleans Saints", "ORG"), ("New Orleans", "GPE"), ("New Orleans", "GPE")
    )
    assert local_keys(text, found) == ["new orleans saints", "new orleans saints", "new orleans"]
    text = "Boston manager Bobby Valentine spoke. Whales live off Boston."
    found = mentions(text, ("Boston", "GPE"), ("Bobby Valentine", "PERSON"), ("Boston", "GPE"))
    keys = local_keys(text, found)
    assert keys[0] == "boston (team)" and keys[2] == "boston"
    res = resolve(
        [
            stats("boston (team)", {"Boston": 4}, {"GPE": 4}),
            stats("boston", {"Boston": 30}, {"GPE": 30}),
            stats("boston red sox", {"Boston Red Sox": 9}, {"ORG": 9}),
            stats("boston globe", {"Boston Globe": 1}, {"ORG": 1}),
        ],
        Decisions(),
    )
    team = res.entity_of["boston (team)"]
    assert team == res.entity_of["boston red sox"] != res.entity_of["boston"]
    assert res.entities[res.entity_of["boston"]].name == "Boston"


def test_a_team_of_a_name_no_town_has_is_that_name_a_known_towns_stays_apart():
    # ECB+ 31: "Creighton (25 - 7)" was split from the 21 other Creighton of the same games
    res = resolve(
        [
            stats("creighton (team)", {"Creighton": 8}, {"GPE": 8}),
            stats("creighton", {"Creighton": 21}, {"GPE": 21}),
            stats("creighton athletic", {"Creighton Athletic": 1}, {"ORG": 1}),
            stats("creighton all american kyle korver", {"Creighton All-American Kyle Korver": 1},
                  {"ORG": 1}),
            stats("boston (team)", {"Boston": 4}, {"GPE": 4}),
            stats("boston", {"Boston": 30}, {"GPE": 30}),
        ],
        Decisions(),
    )
    assert res.entity_of["creighton (team)"] == res.entity_of["creighton"]
    assert res.entity_of["boston (team)"] != res.entity_of["boston"]


def test_in_a_story_about_sport_a_place_followed_by_a_teams_deed_is_the_team():
    # ECB+ 25, 29: "in New Orleans ’ loss", "Indianapolis (10 - 5)", "the Indianapolis 16 - yard line"
    text = ("The New Orleans Saints lost. He was hurt in New Orleans ’ loss to Atlanta.\n"
            "He lives in New Orleans. The playoffs start Saturday.")
    found = mentions(text, ("New Orleans Saints", "ORG"), ("New Orleans", "GPE"),
                     ("New Orleans", "GPE"))
    assert local_keys(text, found) == ["new orleans saints", "new orleans saints", "new orleans"]
    text = ("Indianapolis lost a 10 - point lead, but the win for Indianapolis (10 - 5) clinched a "
            "playoff berth. Charles fumbled at the Indianapolis 16 - yard line. He flew to "
            "Indianapolis.")
    found = mentions(text, *[("Indianapolis", "GPE")] * 4)
    assert local_keys(text, found) == ["indianapolis (team)"] * 3 + ["indianapolis"]
    # a crop report's "season" and figures are no team's: Reuters, "in Denmark 4,000"
    text = "This season traders in the Netherlands took 12,000 tonnes, in Denmark 4,000 and more."
    found = mentions(text, ("Netherlands", "GPE"), ("Denmark", "GPE"))
    assert local_keys(text, found) == ["netherlands", "denmark"]


def test_organisations_written_with_and_without_a_plural_are_one():
    # ECB+ 2: the Academy of Motion Picture(s) Arts and Sciences; Reuters: IBM, GATT, S&P
    res = resolve(
        [
            stats("academy of motion picture arts and sciences",
                  {"Academy of Motion Picture Arts and Sciences": 4}, {"ORG": 4}),
            stats("academy of motion pictures arts and sciences",
                  {"Academy of Motion Pictures Arts and Sciences": 2}, {"ORG": 2}),
            stats("international business machines", {"International Business Machines": 5},
                  {"ORG": 5}),
            stats("international business machine", {"International Business Machine Corp": 1},
                  {"ORG": 1}),
            # a person's or a two-word name keeps its letters: "Sears" is not "Sear"
            stats("john sears", {"John Sears": 2}, {"PERSON": 2}),
            stats("john sear", {"John Sear": 2}, {"PERSON": 2}),
            stats("texas instruments", {"Texas Instruments": 2}, {"ORG": 2}),
            stats("texas instrument", {"Texas Instrument": 1}, {"ORG": 1}),
        ],
        Decisions(),
    )
    e = res.entity_of
    assert e["academy of motion picture arts and sciences"] == e[
        "academy of motion pictures arts and sciences"]
    assert e["international business machines"] == e["international business machine"]
    assert e["john sears"] != e["john sear"] and e["texas instruments"] != e["texas instrument"]


def test_defense_officials_and_a_brass_mill_leave_a_country_a_country():
    text = "U.S. defense officials were worried. U.S. brass mill stocks fell in January."
    found = mentions(text, ("U.S.", "GPE"), ("U.S.", "GPE"))
    assert local_keys(text, found) == ["united states", "united states"]
    text = "The All Blacks scored late. New Zealand defence held firm for an hour."
    found = mentions(text, ("All Blacks", "ORG"), ("New Zealand", "GPE"))
    assert local_keys(text, found)[1] == "new zealand (rugby team)"


def test_a_place_the_story_shows_playing_is_its_team_there_unless_it_is_where():
    text = ("Wilkinson kicked 24 points as England beat Samoa.\n"
            "England and Tonga have met once, with England easing to a 101-10 victory.\n"
            "The scrum-half flew home to England on Sunday.")
    found = mentions(text, ("England", "GPE"), ("Samoa", "GPE"), ("England", "GPE"),
                     ("Tonga", "GPE"), ("England", "GPE"), ("England", "GPE"))
    keys = local_keys(text, found)
    assert keys[0] == keys[2] == keys[4] == "england (rugby team)"
    assert keys[5] == "england" and keys[1] == "samoa"


def test_each_name_of_a_list_of_counties_is_a_county_the_city_stays_the_city():
    text = ("Quakes hit Los Angeles and Orange counties, and San Diego and Riverside Counties. "
            "Rain fell on Texas and Oklahoma counties. He lives in Los Angeles.")
    found = mentions(text, ("Los Angeles", "GPE"), ("Orange", "NORP"), ("San Diego", "GPE"),
                     ("Riverside Counties", "LOC"), ("Texas", "GPE"), ("Oklahoma", "GPE"),
                     ("Los Angeles", "GPE"))
    assert local_keys(text, found) == [
        "los angeles county", "orange county", "san diego county", "riverside county",
        "texas", "oklahoma", "los angeles",
    ]


def test_a_places_teams_in_two_sports_are_two_teams():
    rugby = "England beat Samoa. Wilkinson kicked 24 points and the scrum-half ran the game."
    cricket = "Morkel bowled England captain Andrew Strauss before lunch on the second day."
    quiet = "England coach Andy Flower said little."
    keys = [
        local_keys(text, mentions(text, ("England", "GPE")))[0] for text in (rugby, cricket, quiet)
    ]
    assert keys == ["england (rugby team)", "england (cricket team)", "england (team)"]
    library = [
        stats("england (rugby team)", {"England": 4}, {"GPE": 4}),
        stats("england (cricket team)", {"England": 3}, {"GPE": 3}),
        stats("england (team)", {"England": 1}, {"GPE": 1}),
        stats("england", {"England": 40}, {"GPE": 40}),
    ]
    res = resolve(library, Decisions())
    entity = {k: res.entity_of[k] for k in ("england (rugby team)", "england (cricket team)",
                                              "england (team)", "england")}
    assert len(set(entity.values())) == 4  # which of the two "England captain" is, none can say
    assert res.entities[entity["england (rugby team)"]].name == "England (rugby team)"
    assert res.entities[entity["england (team)"]].name == "England (team)"
    # With one sport's team in the library, a team whose story named none is that one.
    res = resolve(library[1:], Decisions())
    assert res.entity_of["england (team)"] == res.entity_of["england (cricket team)"]
    assert "England (cricket team)" in res.evidence["england (team)"][1]


def test_a_long_surname_one_letter_off_is_a_typo_a_short_one_another_family():
    res = resolve(
        [
            stats("eduard shevardnadze", {"Eduard Shevardnadze": 20}, {"PERSON": 20}),
            stats("eduard shevardnaze", {"Eduard Shevardnaze": 1}, {"PERSON": 1}),
            stats("james baker", {"James Baker": 31}, {"PERSON": 31}),
            stats("james barker", {"James Barker": 1}, {"PERSON": 1}),
            stats("david wood", {"David Wood": 3}, {"PERSON": 3}),
            stats("david woods", {"David Woods": 2}, {"PERSON": 2}),
        ],
        Decisions(),
    )
    assert res.entity_of["eduard shevardnaze"] == res.entity_of["eduard shevardnadze"]
    assert res.evidence["eduard shevardnaze"][1] == "the same name, one letter apart"
    assert res.entity_of["james barker"] != res.entity_of["james baker"]
    assert res.entity_of["david wood"] != res.entity_of["david woods"]


def test_a_firm_is_never_a_person_and_a_tables_label_is_no_entity():
    res = resolve(
        [
            stats("manuel johnson", {"Manuel Johnson": 8}, {"PERSON": 8}),
            stats("johnson", {"Johnson": 6, "Johnson Co": 1}, {"PERSON": 7}),
            stats("chemlawn", {"ChemLawn Corp": 10, "ChemLawn": 9}, {"PERSON": 19}),
            stats("us dlrs", {"U.S. Dlrs": 21}, {"PERSON": 21}),
        ],
        Decisions(),
    )
    assert res.entity_of["johnson"] != res.entity_of["manuel johnson"]
    assert res.entities[res.entity_of["chemlawn"]].label == "ORG"
    assert "us dlrs" not in res.entity_of


def test_a_firm_or_exchange_named_after_a_place_takes_no_mention_of_the_place():
    text = "The New York Stock Exchange rose. Traders in New York said New York led gains."
    found = mentions(
        text, ("New York Stock Exchange", "ORG"), ("New York", "GPE"), ("New York", "GPE")
    )
    assert local_keys(text, found)[1:] == ["new york", "new york"]
    text = "Thailand Smelting and Refining Co said Thailand won a contract."
    found = mentions(text, ("Thailand Smelting and Refining Co", "ORG"), ("Thailand", "GPE"))
    assert local_keys(text, found)[1] == "thailand"


def test_usda_fits_the_agriculture_department_written_either_way():
    res = resolve(
        [
            stats("agriculture department", {"U.S. Agriculture Department": 41}, {"ORG": 41}),
            stats("usda", {"USDA": 44}, {"ORG": 44}),
        ],
        Decisions(),
    )
    assert res.entity_of["usda"] == res.entity_of["agriculture department"]


def test_the_head_of_an_x_of_y_name_stands_for_it_in_its_article():
    """ "the Bank" in a Bank of England story (25 of them in 2,000 Reuters stories), "the
    Duchess" after "the Duchess of Cambridge"; not when two such names share the head."""
    text = "The Bank of England cut rates. The Bank said so. The Duchess of Cambridge smiled."
    found = mentions(
        text, ("Bank of England", "ORG"), ("Bank", "ORG"), ("Duchess of Cambridge", "PERSON")
    )
    keys = local_keys(text, found)
    assert keys[1] == keys[0] == "bank of england"
    text = "The Bank of England and the Bank of France met. The Bank said so."
    found = mentions(text, ("Bank of England", "ORG"), ("Bank of France", "ORG"), ("Bank", "ORG"))
    assert local_keys(text, found)[2] == "bank"


def test_a_persons_name_where_one_goes_is_the_place_named_after_them():
    """ECB+: "Lohan checks into Betty Ford" in a story about the Betty Ford Center is the
    center; Betty Ford herself, and a town beside its university, stay as they are."""
    text = (
        "Lohan left the Betty Ford Center. She checked into Betty Ford in May. Betty Ford "
        "founded it. He lives in Cardiff and teaches at Cardiff University."
    )
    found = mentions(
        text, ("Lohan", "PERSON"), ("Betty Ford Center", "FAC"), ("Betty Ford", "PERSON"),
        ("Betty Ford", "PERSON"), ("Cardiff", "GPE"), ("Cardiff University", "ORG"),
    )
    keys = local_keys(text, found)
    assert keys[2] == "betty ford center" and keys[3] == "betty ford" and keys[4] == "cardiff"


@dataclass
class _Placed:
    start: int
    text: str
    label: str
    sent_start: int = 0


@pytest.mark.parametrize("name", [
    "U.S. Treasury", "U.S. Treasury Department", "U.S. Department of the Treasury",
])
def test_the_us_treasury_is_the_united_states_even_in_a_story_about_brazil(name):
    """ "U.S. Treasury Secretary James Baker said he believes Brazil will..." (reuters-2632):
    the country the name gives wins over every country around it."""
    from index.entities.institutions import qualify

    mentions = [_Placed(0, name, "ORG"), _Placed(40, "Brazil", "GPE"),
                _Placed(90, "Brazil", "GPE")]
    keys = qualify(mentions, [normalize(m.text) for m in mentions], "BRASILIA")
    assert keys[0] == "treasury (united states)"


def test_other_us_names_still_drop_the_us():
    assert normalize("U.S. Surgeon General") == normalize("Surgeon General")
    assert normalize("U.S. Department of Agriculture") == normalize("Agriculture Department")


def test_a_teams_nickname_in_a_story_about_sport_is_its_team():
    # ECB+ 5, 29, 31: "Sixers", "Jags", "Bluejays" and "Tar Heels" were each an entity of their own
    text = ("The Tar Heels beat Evansville in the basketball season opener, and Hansbrough broke "
            "North Carolina's scoring record. He was born in North Carolina.")
    found = mentions(text, ("Tar Heels", "PERSON"), ("Evansville", "GPE"),
                     ("North Carolina", "GPE"), ("North Carolina", "GPE"))
    assert local_keys(text, found) == ["north carolina (basketball team)", "evansville",
                                       "north carolina (basketball team)", "north carolina"]
    text = "The Jacksonville Jaguars lost at home; the Jags' quarterback was sacked five times."
    found = mentions(text, ("Jacksonville Jaguars", "ORG"), ("Jags", "ORG"))
    assert local_keys(text, found) == ["jacksonville jaguars"] * 2
    # not in a story about no sport, nor about another sport than the team's
    for text in ("Sixers, the fashion house, opened a store.",
                 "The Sixers pitcher threw a home run ball in the baseball season."):
        assert local_keys(text, mentions(text, ("Sixers", "ORG"))) == ["sixers"]
    text = "The Sixers won the NBA game in overtime; their coach Mo Cheeks was pleased."
    assert local_keys(text, mentions(text, ("Sixers", "ORG")))[0] == "philadelphia (basketball team)"
    res = resolve(
        [
            stats("philadelphia (basketball team)", {"Sixers": 7}, {"ORG": 7}),
            stats("philadelphia 76ers", {"Philadelphia 76ers": 12, "76ers": 5}, {"ORG": 17}),
            stats("philadelphia", {"Philadelphia": 30}, {"GPE": 30}),
        ],
        Decisions(),
    )
    e = res.entity_of
    assert e["philadelphia (basketball team)"] == e["philadelphia 76ers"] != e["philadelphia"]


def test_a_team_spacy_called_a_person_is_still_its_places_team():
    # ECB+ 29: "Jacksonville Jaguars" was mostly PERSON, so "Jags" (the Jacksonville team) joined
    # the city of Jacksonville instead, which no known-places list names
    res = resolve(
        [
            stats("jacksonville (american football team)", {"Jags": 2}, {"PERSON": 2}),
            stats("jacksonville jaguars", {"Jacksonville Jaguars": 8, "Jaguars": 10},
                  {"PERSON": 10, "FAC": 6, "ORG": 2}),
            stats("jacksonville stadium", {"Jacksonville Stadium": 1}, {"FAC": 1}),
            stats("jacksonville", {"Jacksonville": 11}, {"GPE": 11}),
            # a person whose surname ends in s is no team: "Paris Hilton" stays a person
            stats("paris (team)", {"Paris": 2}, {"GPE": 2}),
            stats("paris jones", {"Paris Jones": 3}, {"PERSON": 3}),
            stats("paris", {"Paris": 30}, {"GPE": 30}),
        ],
        Decisions(),
    )
    e = res.entity_of
    assert e["jacksonville (american football team)"] == e["jacksonville jaguars"]
    assert e["jacksonville"] != e["jacksonville jaguars"]
    assert e["paris (team)"] != e["paris jones"]


def test_mr_and_miss_before_a_surname_two_people_share_are_the_man_and_the_woman():
    # ECB+ 32: "Mr Jenkin" and "Miss Jenkin" were one entity, neither John nor Katie Jenkin
    text = ("John Jenkin, 23, appeared in court charged with the murders of his mother and "
            "sister Katie Jenkin, 20. Mr Jenkin said nothing. Miss Jenkin was a student. "
            "Jenkin will appear again in June.")
    found = mentions(text, ("John Jenkin", "PERSON"), ("Katie Jenkin", "PERSON"),
                     ("Jenkin", "PERSON"), ("Jenkin", "PERSON"), ("Jenkin", "PERSON"))
    assert local_keys(text, found) == ["john jenkin", "katie jenkin", "john jenkin",
                                       "katie jenkin", "jenkin"]
    # with nothing to say which is the man, "Mr Jenkin" is left to the library
    text = "John Jenkin and Katie Jenkin were in court. Mr Jenkin said nothing."
    found = mentions(text, ("John Jenkin", "PERSON"), ("Katie Jenkin", "PERSON"),
                     ("Jenkin", "PERSON"))
    assert local_keys(text, found)[2] == "jenkin"


def test_a_short_form_of_a_given_name_is_that_name():
    # ECB+ 5, 32: "Mo Cheeks", "Katie Jenkin"; Reuters: House Speaker Jim (James) Wright
    res = resolve(
        [
            stats("maurice cheeks", {"Maurice Cheeks": 18}, {"PERSON": 18}),
            stats("mo cheeks", {"Mo Cheeks": 3}, {"PERSON": 3}),
            stats("kathryn jenkin", {"Kathryn Jenkin": 4}, {"PERSON": 4}),
            stats("katie jenkin", {"Katie Jenkin": 6}, {"PERSON": 6}),
            stats("john jenkin", {"John Jenkin": 13}, {"PERSON": 13}),
            stats("james wright", {"James Wright": 3}, {"PERSON": 3}),
            stats("jim wright", {"Jim Wright": 4}, {"PERSON": 4}),
            # a short form of another name stays apart: "Bob" is not here for Robert
            stats("robert smith", {"Robert Smith": 5}, {"PERSON": 5}),
            stats("bob smith", {"Bob Smith": 2}, {"PERSON": 2}),
        ],
        Decisions(),
    )
    e = res.entity_of
    assert e["mo cheeks"] == e["maurice cheeks"]
    assert e["katie jenkin"] == e["kathryn jenkin"] != e["john jenkin"]
    assert e["james wright"] == e["jim wright"]
    assert e["bob smith"] != e["robert smith"]


def test_a_name_blended_from_a_persons_given_name_and_surname_is_that_person():
    # ECB+ 1: "LiLo" was an entity of its own beside Lindsay Lohan
    text = "Lindsay Lohan is back in rehab. LiLo checked in on Thursday. YouTube showed it."
    found = mentions(text, ("Lindsay Lohan", "PERSON"), ("LiLo", "PERSON"), ("YouTube", "ORG"))
    assert local_keys(text, found) == ["lindsay lohan", "lindsay lohan", "youtube"]
    # two people it could be: neither
    text = "Lindsay Lohan and Linda Lowe met. LiLo left."
    found = mentions(text, ("Lindsay Lohan", "PERSON"), ("Linda Lowe", "PERSON"), ("LiLo", "PERSON"))
    assert local_keys(text, found)[2] == "lilo"


def test_a_places_team_is_one_of_its_teams_not_its_newspaper():
    # ECB+: "Boston (baseball team)" stayed apart: the Boston Herald, Boston College and a
    # TV station weighed against the Red Sox
    res = resolve(
        [
            stats("boston (baseball team)", {"Boston": 5}, {"GPE": 5}),
            stats("boston red sox", {"Boston Red Sox": 7, "Boston": 4}, {"ORG": 7, "GPE": 4}),
            stats("boston herald", {"Boston Herald": 3}, {"ORG": 3}),
            stats("boston college", {"Boston College": 2}, {"ORG": 2}),
            stats("boston wcvb", {"Boston WCVB": 1}, {"ORG": 1}),
            stats("boston celtics", {"Boston Celtics": 2}, {"ORG": 2}),
            stats("boston", {"Boston": 8}, {"GPE": 8}),
        ],
        Decisions(),
    )
    e = res.entity_of
    assert e["boston (baseball team)"] == e["boston red sox"] != e["boston"]
    assert e["boston herald"] != e["boston red sox"]
