"""Span trimming before resolution (issue 10): leading words that are no part of a name, names
doubled by a web page's hover card, and labels a span's own words rule out."""

from __future__ import annotations

from index.entities import Decisions, key_stats, resolve
from index.ingest import nlp as N
from tests.unit.test_nlp import check_offsets, ruler_pipeline, run


def names(nlp, text):
    (found,) = run(nlp, text)
    check_offsets(text, found)
    return found


def test_leading_verbs_and_adverbs_at_a_sentence_start_are_cut():
    nlp = ruler_pipeline(
        {
            "PERSON": ["Questioning Vindman", "Alexander Vindman", "Later Tim Cook", "Asked Smith"],
            "ORG": ["Meanwhile Apple"],
        }
    )
    text = (
        "Alexander Vindman testified. Questioning Vindman, Republicans pressed him.\n"
        "Later Tim Cook spoke. Meanwhile Apple rose. \u201cAsked Smith about it, he laughed."
    )
    got = [(m.text, m.label) for m in names(nlp, text)]
    assert got == [
        ("Alexander Vindman", "PERSON"),
        ("Vindman", "PERSON"),
        ("Tim Cook", "PERSON"),
        ("Apple", "ORG"),
        ("Smith", "PERSON"),
    ]


def test_a_lead_word_inside_a_sentence_or_a_name_stays():
    nlp = ruler_pipeline({"PERSON": ["Later Vindman", "Will Smith"], "ORG": ["First Union"]})
    text = "He saw Later Vindman. Will Smith came. First Union rose."
    assert [m.text for m in names(nlp, text)] == ["Later Vindman", "Will Smith", "First Union"]


def test_hosting_cook_no_longer_blocks_tim_cook():
    """Two people ending in "Cook" left every "Cook" unlinked; trimmed, all are Tim Cook."""
    nlp = ruler_pipeline({"PERSON": ["Hosting Cook", "Tim Cook", "Cook"]})
    text = (
        "Hosting Cook at the White House, the president praised Apple. Tim Cook smiled. "
        "Cook said Apple would build in Texas. Cook added more."
    )
    found = names(nlp, text)
    assert [m.text for m in found] == ["Cook", "Tim Cook", "Cook", "Cook"]
    res = resolve(key_stats([found]), Decisions())
    assert {res.entity_of[m.key] for m in found} == {res.entity_of["tim cook"]}


def test_an_ing_word_before_a_name_the_text_knows_is_cut():
    """Not in the word list, but a verb in -ing before a name the text uses alone."""
    nlp = ruler_pipeline({"PERSON": ["Grilling Vindman", "Vindman", "Sterling Hayden", "Hayden"]})
    text = "Grilling Vindman, they pressed. Vindman said no. Sterling Hayden acted. Hayden left."
    assert [m.text for m in names(nlp, text)] == [
        "Vindman", "Vindman", "Sterling Hayden", "Hayden"
    ]


def test_a_name_doubled_by_a_hover_card_is_one_name():
    nlp = ruler_pipeline(
        {
            "PERSON": [
                "Ilhan OmarIlhan Omar", "Rep. Ilhan OmarIlhan", "Ted Cruz Ted Cruz", "McDonald",
                "Mourad Mourad",
            ]
        }
    )
    text = (
        "Ilhan OmarIlhan Omar said so.\nThey met Rep. Ilhan OmarIlhan there.\n"
        "Ted Cruz Ted Cruz posted. McDonald agreed. Mourad Mourad ran."
    )
    assert [m.text for m in names(nlp, text)] == [
        "Ilhan Omar", "Ilhan Omar", "Ted Cruz", "McDonald", "Mourad Mourad"
    ]


def test_labels_the_span_rules_out():
    """Reuters' and the web's top PERSONs that are no people."""
    nlp = ruler_pipeline(
        {
            "PERSON": [
                "U.S. Dlrs", "Canadian Dlrs", "Pizza Inn", "ICI Pharma", "MacBook Pro", "John Smith",
                "Robert Yen",
            ],
            "ORG": ["Executive Yuan"],
        }
    )
    text = (
        "It cost 5 mln U.S. Dlrs and 2 mln Canadian Dlrs. Pizza Inn and ICI Pharma gained. "
        "The MacBook Pro sold. John Smith spoke. Robert Yen went to the Executive Yuan."
    )
    got = [(m.text, m.label) for m in names(nlp, text)]
    assert got == [
        ("U.S.", "GPE"),
        ("Canadian", "NORP"),
        ("Pizza Inn", "ORG"),
        ("ICI Pharma", "ORG"),
        ("MacBook Pro", "PRODUCT"),
        ("John Smith", "PERSON"),
        ("Robert Yen", "PERSON"),  # a currency's name is a name too
        ("Executive Yuan", "ORG"),
    ]


def test_a_surname_of_the_texts_one_person_is_that_person():
    nlp = ruler_pipeline({"PERSON": ["Alexander Vindman"], "ORG": ["Vindman", "Apple"]})
    text = "Alexander Vindman testified. Vindman said Apple was fine."
    got = [(m.text, m.label) for m in names(nlp, text)]
    assert got == [("Alexander Vindman", "PERSON"), ("Vindman", "PERSON"), ("Apple", "ORG")]
    assert N._verb_like("Questioning") and not N._verb_like("Sterling")


def test_a_span_listing_names_is_one_mention_per_name():
    """spaCy runs a list into one span: "Orange, Riverside" (two counties), "Hulu, Apple TV"
    (two services) become one made-up entity each; they are two names."""
    nlp = ruler_pipeline({"ORG": ["Orange, Riverside", "Hulu, Apple TV", "Apple TV"]})
    text = (
        "Centers in Los Angeles, Orange, Riverside, Imperial Valley and San Bernardino.\n"
        "It streams on Hulu, Apple TV and for rent on Amazon. Apple TV said so."
    )
    assert [m.text for m in names(nlp, text)] == [
        "Orange", "Riverside", "Hulu", "Apple TV", "Apple TV"
    ]


def test_a_name_with_a_comma_in_it_stays_one_name():
    """Firms, a list inside a name, a generation, a degree, a known name, an acronym's long
    form, and a firm's name spaCy cut short ("Goldman, Sachs| and Co")."""
    kept = [
        "Birr, Wilson and Co.",
        "Acme Medical Group, Inc.",
        "Bureau of Alcohol, Tobacco, Firearms and Explosives",
        "Martin Luther King, Jr.",
        "Washington, D.C.",
        "SysAdmin, Audit, Network, Security (SANS) Institute",
        "Goldman, Sachs",
        "Kidder, Peabody Mortgage Assets Trust Five",
    ]
    nlp = ruler_pipeline({"ORG": kept})
    text = (
        "Birr, Wilson and Co. sold Acme Medical Group, Inc. shares. The Bureau of Alcohol, "
        "Tobacco, Firearms and Explosives came. Martin Luther King, Jr. spoke in Washington, "
        "D.C. today. The SysAdmin, Audit, Network, Security (SANS) Institute warned. Goldman, "
        "Sachs and Co managed it. Kidder, Peabody Mortgage Assets Trust Five, a unit of Kidder, "
        "Peabody and Co Inc, sold."
    )
    got = [m.text for m in names(nlp, text)]
    assert got[:4] == kept[:4] and "Washington, D.C." in got
    assert "SysAdmin, Audit, Network, Security" in got and "SANS" in got
    assert "Goldman, Sachs" in got and "Kidder, Peabody Mortgage Assets Trust Five" in got


def test_a_persons_surname_run_into_a_place_is_two_mentions():
    """reuters-950: "Lawson told Funaro Brazil had to solve" gave one PERSON "Funaro Brazil";
    it is Dilson Funaro and Brazil. A first name before a surname spaCy calls a place stays
    one name ("Lindsay Lohan")."""
    nlp = ruler_pipeline(
        {
            "PERSON": ["Dilson Funaro", "Funaro Brazil", "Funaro", "Lindsay Lohan", "Lindsay"],
            "GPE": ["Brazil", "Lohan"],
        }
    )
    text = (
        "Brazil's Finance Minister Dilson Funaro met Lawson. Lawson told Funaro Brazil had to "
        "solve its problems. Funaro left Brazil.\nLindsay Lohan spoke. Lindsay smiled. Lohan left."
    )
    found = names(nlp, text)
    got = [(m.text, m.label) for m in found]
    assert ("Funaro Brazil", "PERSON") not in got
    assert got[2:4] == [("Funaro", "PERSON"), ("Brazil", "GPE")]
    assert found[2].key == "dilson funaro" and found[3].key == "brazil"
    assert ("Lindsay Lohan", "PERSON") in got


def test_a_name_owned_by_another_name_is_two_mentions():
    """ "Craxi's Socialist Party" (reuters-1761) is Craxi and the Socialist Party, when the text
    names the owner by itself; a firm's name with a possessive stays whole ("Sam's Club",
    "Moody's Investors Service")."""
    nlp = ruler_pipeline(
        {
            "PERSON": ["Bettino Craxi", "Sam"],
            "ORG": [
                "Craxi's Socialist Party", "Sam's Club", "Moody's Investors Service", "Moody's"
            ],
        }
    )
    text = (
        "Prime Minister Bettino Craxi resigned. Craxi's Socialist Party objected.\n"
        "Sam said Sam's Club grew. Moody's Investors Service cut it. Moody's said so."
    )
    got = [(m.text, m.label) for m in names(nlp, text)]
    assert got == [
        ("Bettino Craxi", "PERSON"),
        ("Craxi", "PERSON"),
        ("Socialist Party", "ORG"),
        ("Sam", "PERSON"),
        ("Sam's Club", "ORG"),
        ("Moody's Investors Service", "ORG"),
        ("Moody's", "ORG"),
    ]


def test_a_span_cut_at_a_quote_is_the_name_after_it():
    """spaCy's span starts inside a nickname ('Chin" Gigante', ECB+ 26) or opens a quoted name
    ('Mark “Deep Throat'): the name is what follows the quote, a person's after a nickname.
    A quote closing a title keeps its span ('Medicine" Exhibition' is no nickname's)."""
    nlp = ruler_pipeline(
        {
            "WORK_OF_ART": ['Chin" Gigante', 'Medicine" Exhibition'],
            "PERSON": ["Mark \u201cDeep Throat", "Gray \u2019 s"],
        }
    )
    text = (
        'Vincent "The Chin" Gigante died. Mark \u201cDeep Throat\u201d Felt spoke.\n'
        'The "Changing Medicine" Exhibition opened. Gray \u2019 s book sold.'
    )
    got = [(m.text, m.label) for m in names(nlp, text)]
    assert got == [
        ('Vincent "The Chin" Gigante', "PERSON"),  # then the whole name, nickname and all
        ("Deep Throat", "PERSON"),
        ('Medicine" Exhibition', "WORK_OF_ART"),
        ("Gray", "PERSON"),
    ]


def test_the_team_or_firm_before_a_persons_role_is_a_mention():
    """news-kb: "Dodgers manager Don Mattingly", "Illinois congressman Jesse Jackson Jr." left
    the team and the state out. Words that are no name before a role add nothing: a title, a
    date, a sentence's first word the text does not name, another name's tail."""
    nlp = ruler_pipeline(
        {
            "PERSON": [
                "Don Mattingly", "Jesse Jackson Jr.", "Kobe Bryant", "Chang Chi-cheng",
                "Peter Lynch", "Sean Payton", "Mervyn King", "Richard Vietor",
            ],
            "ORG": ["Bank of England", "Merrill Lynch and Co"],
        }
    )
    text = (
        "It is different, Dodgers manager Don Mattingly said.\n"
        "NECN - Illinois congressman Jesse Jackson Jr. is in Minnesota.\n"
        "When Los Angeles Lakers player Kobe Bryant faced charges, he spoke.\n"
        "Central bank governor Chang Chi-cheng said no. Public defender Peter Lynch agreed.\n"
        "On Thursday coach Sean Payton left. Bank of England governor Mervyn King spoke.\n"
        "Merrill Lynch and Co analyst Richard Vietor said so."
    )
    got = [(m.text, m.label) for m in names(nlp, text)]
    added = [(t, lb) for t, lb in got if lb != "PERSON" and t not in (
        "Bank of England", "Merrill Lynch and Co"
    )]
    assert added == [("Dodgers", "ORG"), ("Illinois", "GPE"), ("Los Angeles Lakers", "ORG")]


def test_a_ministers_portfolio_is_no_organisation():
    """Reuters, first 3,000 stories: "Finance Minister Dilson Funaro", "Finance and Petroleum
    Minister Sheikh Abdul-Aziz" made "Finance" an organisation of 17 mentions. A minister's
    or secretary's portfolio is part of the title; what the text names as an organisation
    ("Treasury Secretary James Baker") or a place stays a mention."""
    nlp = ruler_pipeline(
        {
            "PERSON": ["Dilson Funaro", "Abdul-Aziz", "James Baker", "Richard Lyng", "Jim Thompson"],
            "ORG": ["Treasury", "Finance", "Agriculture"],
            "GPE": ["Illinois"],
        }
    )
    text = (
        "Funds came, Finance Minister Dilson Funaro said.\n"
        "The budget came today, Finance and Petroleum Minister Abdul-Aziz said.\n"
        "On Monday, Treasury Secretary James Baker agreed. The Treasury said so.\n"
        "Farm aid grew, Agriculture Secretary Richard Lyng said.\n"
        "It passed, Illinois Governor Jim Thompson said."
    )
    got = [(m.text, m.label) for m in names(nlp, text) if m.label != "PERSON"]
    assert got == [("Treasury", "ORG"), ("Treasury", "ORG"), ("Illinois", "GPE")]


def test_a_firm_named_after_its_partners_is_one_name():
    """Reuters (reuters-4, reuters-16): spaCy split "Birr, Wilson and Co." into "Birr" and
    "Wilson and Co.", and "Birr" became an organisation of its own. Two firms in a list stay
    two."""
    nlp = ruler_pipeline({"ORG": ["Birr", "Wilson and Co.", "Chrysler", "Ford Motor Co"],
                          "PERSON": ["Joseph Arsenio"]})
    text = (
        "It rose, said Joseph Arsenio, analyst with Birr, Wilson and Co.\n"
        "Shares of Chrysler, Ford Motor Co fell."
    )
    got = [m.text for m in names(nlp, text) if m.label == "ORG"]
    assert got == ["Birr, Wilson and Co.", "Chrysler", "Ford Motor Co"]


def test_a_headline_span_becomes_the_names_the_body_uses():
    """ECB+ titles: "Woman Killed In Queens" was a PERSON, "Obama Administration Restores
    Endangered Species Act Protections" an ORG. They become the names the story's body uses;
    a headline name whose last word heads a name stays whole."""
    nlp = ruler_pipeline(
        {
            "PERSON": ["Woman Killed In Queens"],
            "ORG": ["Obama Administration Restores Endangered Species Act Protections",
                    "Betty Ford Clinic"],
            "GPE": ["Queens"],
            "LAW": ["Endangered Species Act"],
        }
    )
    nlp.get_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Obama"}])
    text = (
        "Woman Killed In Queens\n"
        "Obama Administration Restores Endangered Species Act Protections\n"
        "Lohan Checks Into Betty Ford Clinic\n"
        "A woman was killed in Queens on Friday. Obama said the administration restores the "
        "Endangered Species Act rules. She went to the clinic run by Betty Ford."
    )
    got = [(m.text, m.label) for m in names(nlp, text)]
    assert got[:4] == [
        ("Queens", "GPE"),
        ("Obama", "PERSON"),
        ("Endangered Species Act", "LAW"),
        ("Betty Ford Clinic", "ORG"),
    ]


def test_a_headline_person_made_of_a_common_noun_and_a_past_participle_is_no_one():
    """ECB+ 21: "Woman Killed" and "Driver Charged" stayed PERSONs where the story says
    "died" and "arrested"; a name ending so, which the story writes elsewhere, stays."""
    nlp = ruler_pipeline({"PERSON": ["Woman Killed", "Driver Charged", "Raj Chohan",
                                     "Baker Mohammed", "Mohammed"]})
    text = (
        "Woman Killed In Queens, Driver Charged\n"
        "A woman died when a driver hit her. Raj Chohan was 46.\n"
    )
    assert [m.text for m in names(nlp, text)] == ["Raj Chohan"]
    text = "Baker Mohammed Visits Plant\nThe baker toured it. Mohammed smiled.\n"
    assert [m.text for m in names(nlp, text)][-2:] == ["Mohammed", "Mohammed"]


def test_a_headline_span_of_the_storys_ordinary_words_is_no_name_whatever_its_label():
    """ECB+ 4: "Swimmer And Actress Dies Aged" was an entity; Reuters: "CHARTS SIGNAL BULLISH
    BREAKOUT IN DEBT FUTURES". A span whose last word heads a name stays ("Copper Study
    Group")."""
    nlp = ruler_pipeline({"WORK_OF_ART": ["Swimmer And Actress Dies Aged"],
                          "ORG": ["Copper Study Group"], "PERSON": ["Esther Williams"]})
    text = (
        "Swimmer And Actress Dies Aged 91\n"
        "The former swimmer and actress Esther Williams, who was aged 91, dies in her sleep.\n"
    )
    assert [m.text for m in names(nlp, text)] == ["Esther Williams"]
    text = "Copper Study Group Meets\nThe group of copper producers met for a study.\n"
    assert [m.text for m in names(nlp, text)] == ["Copper Study Group"]


def test_a_headline_span_is_cut_at_a_verb_the_story_writes_in_another_form():
    """ECB+ 1_6: "Lindsay Lohan Checks Into Rehab" where the story says "checked into rehab"
    was a WORK_OF_ART, then spread into three other stories' headlines."""
    nlp = ruler_pipeline({"WORK_OF_ART": ["Lindsay Lohan Checks Into Rehab"],
                          "ORG": ["Betty Ford Center"]})
    text = ("Lindsay Lohan Checks Into Rehab\n"
            "Early Friday the actress checked into rehab at Betty Ford Center.\n")
    assert [m.text for m in names(nlp, text)] == ["Lindsay Lohan", "Betty Ford Center"]


def test_a_headline_person_made_of_the_storys_ordinary_words_is_no_one():
    """ECB+ titles gave the PERSONs "Driver Charged" and "Jewellery Stolen"; their words are
    the story's ordinary words, so they are no names. A real name in a headline stays."""
    nlp = ruler_pipeline({"PERSON": ["Driver Charged", "Raj Chohan"]})
    text = (
        "Driver Charged After Raj Chohan Dies\n"
        "The driver was charged on Friday. A man charged the driver with murder."
    )
    assert [m.text for m in names(nlp, text)] == ["Raj Chohan"]


def test_a_nickname_in_parentheses_between_given_name_and_surname_is_one_name():
    # ECB+ 19: "Kimani (Kiki) Gray" (ORG) became "Kimani" and "Kiki", and his "Gray" nobody's
    nlp = ruler_pipeline({"ORG": ["Kimani (Kiki) Gray", "Apple (Beijing) Ltd"],
                          "PERSON": ["Gray"]})
    text = ("Friends mourned Kimani (Kiki) Gray on Sunday. Police said Gray was armed. "
            "Apple (Beijing) Ltd opened.")
    found = names(nlp, text)
    assert [m.text for m in found] == ["Kimani (Kiki) Gray", "Gray", "Apple", "Beijing"]
    assert found[0].key == found[1].key == "kimani gray"
    assert N.normalize("Kimani (Kiki) Gray") == N.normalize("Kimani Gray")
    # spaCy kept only the given name and the surname: the surname takes the whole name
    nlp = ruler_pipeline({"PERSON": ["Kimani", "Gray"], "ORG": ["Kiki"]})
    found = names(nlp, "Police shot Kimani (Kiki) Gray on Sunday.")
    assert [(m.text, m.key) for m in found] == [("Kimani (Kiki) Gray", "kimani gray")]
