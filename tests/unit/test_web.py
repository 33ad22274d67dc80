"""Web pages as a user sees them imported: titles without the site, authors that are names,
a source that names the publisher, line breaks kept, link lists and hover cards gone, and pages
in scripts without spaces accepted. Pages in tests/data/web mimic the pages that went wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.ingest import page, web

WEB = Path(__file__).resolve().parents[1] / "data" / "web"
STORY = (
    "<p>State officials closed a 12-mile stretch of Highway 9 on Thursday as the Clear River"
    " crested nearly four feet above flood stage, forcing hundreds from their homes.</p>"
    "<p>Emergency crews used boats to reach people stranded in low-lying neighborhoods"
    " overnight. No injuries were reported, the county sheriff said.</p>{block}"
    "<p>Officials urged drivers to avoid the area and to never drive through flooded roads.</p>"
)


def read(name: str):
    return web.parse("html", (WEB / name).read_bytes()).docs[0]


def read_page(body: str, head: str = "<title>Flooding closes highway</title>"):
    html = f"<html><head>{head}</head><body><div class='text'><h1>Flooding closes highway</h1>"
    return web.parse("html", (html + body + "</div></body></html>").encode()).docs[0]


def paragraphs(doc) -> list[str]:
    return doc.text.split("\n\n")


def test_japanese_page_without_spaces_is_an_article():
    doc = read("ja-nikkei.html")
    assert doc.title == "日銀、大規模緩和の修正を決定 長期金利の上限引き上げ"
    assert doc.source == "東京経済新聞"
    assert paragraphs(doc) == (WEB / "ja-nikkei.txt").read_text().strip().split("\n\n")


def test_title_loses_a_section_suffix_the_page_shows_as_its_kicker():
    doc = read("editorial-suffix.html")
    assert doc.title == "The city cannot keep ignoring its bridges"
    assert doc.source == "The Harbour Times"


@pytest.mark.parametrize(
    ("raw", "sites", "shown", "want"),
    [
        ("Knesset votes to dissolve - The Jerusalem Post", ["The Jerusalem Post | JPost.com"], [],
         "Knesset votes to dissolve"),
        ("Launch slips to December – SpaceNews", ["SpaceNews"], [], "Launch slips to December"),
        ("Opinion | Why the Fed must act", ["Daily Ledger"], ["Opinion"], "Why the Fed must act"),
        ("Bridges are crumbling | Editorial", ["Harbour Times"], ["Bridges are crumbling"],
         "Bridges are crumbling"),
        ("Biden - Putin summit ends without a deal", ["Wire"], [],
         "Biden - Putin summit ends without a deal"),
        ("Storm hits coast | BBC News", ["bbc.co.uk"], [], "Storm hits coast"),
    ],
)
def test_title_suffix_is_compared_with_the_site_name(raw, sites, shown, want):
    assert page.title(raw, sites=sites, headings=shown) == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("JERUSALEM POST STAFF NOVEMBER", ""),
        ("Jeff Foust Monday; November", "Jeff Foust"),
        ("Phil Helsel is a reporter", "Phil Helsel"),
        ("Phil Helsel is a reporter for NBC News.", "Phil Helsel"),
        ("By Jane Doe and John Roe", "Jane Doe, John Roe"),
        ("Ludwig van Beethoven, Staff Writer", "Ludwig van Beethoven"),
        ("Reuters Staff", ""),
        ("Anna Petrova; 12 March 2020, 10:30 GMT", "Anna Petrova"),
        ("Анна Петрова", "Анна Петрова"),
        ("admin", ""),
        ("Jane Doe, Associated Press", "Jane Doe"),
        ("By Agence France-Presse", ""),
    ],
)
def test_authors_are_names(raw, want):
    assert page.authors(raw, sites=["The Jerusalem Post"]) == want


def test_authors_from_pages_are_names():
    assert read("staff-byline.html").author == ""
    assert read("dated-byline.html").author == "Jeff Foust"
    assert read("bio-byline.html").author == "Phil Helsel"
    assert read("ru-exclusive.html").author == "Анна Петрова"


@pytest.mark.parametrize(
    ("meta", "want"),
    [
        ('<meta property="og:site_name" content="Hosted">', "example.com"),
        ('<meta name="copyright" content="Copyright 2014">', "example.com"),
        ('<meta property="og:site_name" content="https://www.example.com/news/">', "example.com"),
        ("", "example.com"),
        ('<meta property="og:site_name" content="The Jerusalem Post | JPost.com">',
         "The Jerusalem Post"),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "publisher":'
         ' {"@type": "Organization", "name": "Example Daily"}}</script>', "Example Daily"),
    ],
)
def test_source_is_the_publisher_or_site_name_else_the_domain(meta, want):
    head = f"<title>Flooding closes highway</title>{meta}"
    html = (
        "<!-- saved from url=(0030)https://www.example.com/flood -->"
        f"<html><head>{head}</head><body><article><h1>Flooding closes highway</h1>"
        + STORY.format(block="") + "</article></body></html>"
    )
    doc = web.parse("html", html.encode()).docs[0]
    assert doc.source == want


def test_source_without_any_name_or_address_is_the_domain_of_the_canonical_link():
    doc = read("bio-byline.html")  # its footer says "Copyright 2014 NBCUniversal Media, LLC"
    assert doc.source == "nbcnews.com"


def test_br_breaks_lines():
    doc = read("bio-byline.html")
    assert "on Wednesday.\n\nThe stabbing happened" in doc.text
    assert "Wednesday.The" not in doc.text


@pytest.mark.parametrize("br", ["<br><br>", "<br>", "<br />\n<br />"])
def test_br_between_blocks_breaks_lines(br):
    block = (
        f"<blockquote><div>He said he was on the platform on Wednesday.</div>{br}"
        "<div>The stabbing happened shortly after 8 a.m. on a crowded platform, police said.</div>"
        "</blockquote>"
    )
    doc = read_page(STORY.format(block=block))
    assert "on Wednesday.\n\nThe stabbing" in doc.text


def test_link_lists_are_removed():
    doc = read("link-lists.html")
    assert paragraphs(doc) == (WEB / "link-lists.txt").read_text().strip().split("\n\n")


@pytest.mark.parametrize(
    "block",
    [
        '<h3>Top stories</h3><ul><li><a href="/c">School board approves new budget after long'
        ' debate</a></li><li><a href="/d">Police identify driver in fatal crash</a></li></ul>'
        '<h3>Partner news</h3><ul><li><a href="/x">These 10 cars hold their value best</a>'
        "</li></ul>",
        '<div class="top"><h2>Top stories</h2><div><a href="/c">School board approves new budget'
        ' after long debate</a><p>The board voted 5-2 after a meeting that ran past midnight.</p>'
        '</div><div><a href="/d">Police identify driver in fatal crash on Route 4</a><p>The driver'
        ' was 34 and lived in the next town.</p></div></div>',
        "<p>Top stories</p><p>School board approves new budget after long debate</p><p>Police"
        " identify driver in fatal crash on Route 4</p><p>Partner news</p><p>These 10 cars hold"
        " their value best</p>",
        '<div><span>Top stories</span> <a href="/c">School board approves new budget after long'
        ' debate</a> <a href="/d">Police identify driver in fatal crash</a> <span>Partner'
        ' news</span> <a href="/x">These 10 cars hold their value best</a></div>',
        '<aside><h4>Related:</h4><ul><li><a href="/r1">Dam inspection finds cracks in spillway'
        "</a></li></ul></aside>",
    ],
    ids=["headed-lists", "teaser-cards", "plain-lines", "inline-links", "related-aside"],
)
def test_link_list_blocks_leave_the_body(block):
    doc = read_page(STORY.format(block=block))
    assert len(paragraphs(doc)) == 3, doc.text
    for word in ("Top stories", "Partner news", "Related", "School board", "cars", "Dam"):
        assert word not in doc.text


def test_a_story_paragraph_after_a_related_link_stays():
    block = (
        '<h2>Related</h2><div><a href="/c">School board approves new budget after long debate'
        '</a></div><p><a href="/p">President Joe Biden</a> said on Monday that the state would'
        " receive federal disaster aid within days of the request.</p>"
    )
    doc = read_page(STORY.format(block=block))
    assert "School board" not in doc.text
    assert "President Joe Biden said on Monday" in doc.text


def test_hover_card_does_not_double_a_name():
    doc = read("hover-card.html")
    assert paragraphs(doc) == (WEB / "hover-card.txt").read_text().strip().split("\n\n")


def test_a_name_doubled_by_an_unknown_card_is_left_once():
    block = (
        '<p>Rep. <a href="/p">Ilhan Omar</a><span class="person-card">Ilhan Omar</span> said on'
        " Tuesday that she would vote against it.</p>"
    )
    doc = read_page(STORY.format(block=block))
    assert "Rep. Ilhan Omar said on Tuesday" in doc.text
    assert page.text("Walla Walla and Bora Bora") == "Walla Walla and Bora Bora"


def truth(name: str) -> list[str]:
    return (WEB / f"{name}.txt").read_text(encoding="utf-8").strip().split("\n\n")


def test_an_old_page_laid_out_in_a_table_keeps_its_paragraphs_and_names_itself():
    doc = read("br-paragraphs.html")  # <br><br> between paragraphs, inside a layout table
    assert paragraphs(doc) == truth("br-paragraphs")
    assert doc.title == "County approves new jail budget"  # not "... :: Lakeside Gazette"
    assert doc.source == "Lakeside Gazette"  # no site name, no address: the title's suffix
    assert doc.author == "Dale Martin"  # not "Dale Martin, Staff Writer"


def test_a_section_suffix_is_not_taken_for_the_source():
    html = (
        "<html><head><title>Why the council must act | Opinion</title></head><body><article>"
        "<div>Opinion</div><h1>Why the council must act</h1>" + STORY.format(block="")
        + "</article></body></html>"
    )
    doc = web.parse("html", html.encode()).docs[0]
    assert (doc.title, doc.source) == ("Why the council must act", "")


def test_german_link_list_and_the_teaser_paragraph():
    doc = read("de-mehr-zum-thema.html")
    assert paragraphs(doc) == truth("de-mehr-zum-thema")  # the teaser is the standfirst


def test_blog_comments_and_newsletter_box_stay_out():
    doc = read("blog-comments.html")
    assert paragraphs(doc) == truth("blog-comments")
    assert doc.author == "Sarah Kim"


def test_pull_quote_and_caption_credit():
    doc = read("pullquote-caption.html")
    assert paragraphs(doc) == truth("pullquote-caption")
    assert doc.author == "Eli Turner"


def test_the_year_of_a_copyright_line_is_not_the_date():
    assert read("bio-byline.html").date is None  # footer: "Copyright 2014 NBCUniversal ..."
    assert read("de-mehr-zum-thema.html").date is None  # footer: "© Rheinische Rundschau 2023"
    assert read("staff-byline.html").date == "2019-11-12"
    assert page.date("2020-01-01", "<p>Published January 1, 2020</p><p>© 2020</p>") == "2020-01-01"


@pytest.mark.parametrize(
    ("title", "paras"),
    [
        ("央行宣布降息", ["中国人民银行周一宣布下调贷款市场报价利率十个基点，这是今年以来的第二次降息。",
                          "分析人士认为，此举旨在支持经济复苏，并缓解房地产市场的压力。"]),
        ("รัฐบาลประกาศมาตรการใหม่", [
            "รัฐบาลไทยประกาศมาตรการกระตุ้นเศรษฐกิจชุดใหม่เมื่อวันจันทร์ เพื่อช่วยเหลือเกษตรกรและผู้มีรายได้น้อยทั่วประเทศ",
            "นายกรัฐมนตรีกล่าวว่ามาตรการดังกล่าวจะเริ่มใช้ในเดือนหน้า และคาดว่าจะช่วยให้เศรษฐกิจขยายตัวได้มากขึ้น",
        ]),
    ],
    ids=["chinese", "thai"],
)
def test_pages_in_scripts_without_spaces_keep_their_paragraphs(title, paras):
    body = "".join(f"<p>{p}</p>" for p in paras)
    html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}"
    doc = web.parse("html", (html + "</article></body></html>").encode()).docs[0]
    assert (doc.title, paragraphs(doc)) == (title, paras)


def test_a_hidden_label_is_not_text():
    label = "<p>Share <span hidden>opens in a new window</span> this story with friends.</p>"
    doc = read_page(STORY.format(block=label))
    assert "Share this story with friends." in doc.text
    assert "new window" not in doc.text
