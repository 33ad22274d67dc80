"""Reading files: every format, every encoding, and the hostile files that must fail alone."""

from __future__ import annotations

import gzip
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from index.ingest import records, sandbox
from index.errors import BadInput
from index.ingest.importer import kind_of, read
from index.models import RawDoc
from tests.parser_faults import parser_fault  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
SEEDS = CORPORA / "seeds" if (CORPORA / "seeds").exists() else ROOT / "reader" / "samples"
REUTERS_CORPUS = CORPORA / "reuters21578.jsonl.gz"

STORY = (
    "Café owners said the “naïve” plan would cost €5m — a figure they called ‘absurd’.\n\n"
    "The mayor’s office declined to comment on Tuesday, a spokesman said."
)


@pytest.fixture(scope="module", autouse=True)
def _workers():
    yield
    sandbox.close_workers()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_file(path: Path):
    return read(path, path.read_bytes())


def only(path: Path) -> RawDoc:
    result = read_file(path)
    assert result.errors == []
    assert len(result.docs) == 1
    return result.docs[0]


def bad(path: Path) -> str:
    with pytest.raises(BadInput) as caught:
        read_file(path)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def our_workers() -> list[int]:
    """Live child processes of this test process that are parser workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and b"_worker_main" in cmdline:
            found.append(int(entry.name))
    return found


def zombies() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] == "Z" and int(fields[1]) == os.getpid():
                found.append(int(entry.name))
    return found


# --- kinds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.txt", "text"), ("A.TXT", "text"), ("a.md", "markdown"), ("a.markdown", "markdown"),
        ("a.html", "html"), ("a.htm", "html"), ("a.json", "json"), ("a.jsonl", "jsonl"),
        ("a.jsonl.gz", "jsonl"), ("a.ndjson", "jsonl"), ("a.rss", "feed"), ("a.atom", "feed"),
        ("a.xml", "feed"), ("a.png", None), ("a.pdf", None), ("README", None), ("a.gz", None),
    ],
)
def test_kind_of(name, kind):
    assert kind_of(Path(name)) == kind


def test_unknown_type_is_refused_by_name(tmp_path):
    assert bad(write(tmp_path, "photo.png", b"\x89PNG")) == "unsupported file type (.png)"


# --- text: encodings and junk ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "encode"),
    [
        ("cp1252 without BOM", lambda s: s.encode("cp1252")),
        ("UTF-8 with BOM", lambda s: "\ufeff".encode() + s.encode("utf-8")),
        ("UTF-8", lambda s: s.encode("utf-8")),
        ("UTF-16 with BOM", lambda s: s.encode("utf-16")),
        ("UTF-16-BE with BOM", lambda s: "\ufeff".encode("utf-16-be") + s.encode("utf-16-be")),
    ],
)
def test_text_encodings_decode_right(tmp_path, label, encode):
    doc = only(write(tmp_path, "story.txt", encode("Council plan angers café owners\n\n" + STORY)))
    assert doc.title == "Council plan angers café owners", label
    assert doc.text == STORY, label


def test_windows_line_endings(tmp_path):
    doc = only(write(tmp_path, "crlf.txt", ("Headline for the story\r\n\r\n" + STORY).replace("\n", "\r\n").encode()))
    assert doc.text == STORY


def test_png_renamed_txt_is_not_a_text_file(tmp_path):
    png = (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
        + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0) + b"\x90wS\xde"
        + struct.pack(">I", 12) + b"IDAT" + zlib.compress(b"\x00\xff\x00\x00") + b"\x00" * 8
    )
    assert bad(write(tmp_path, "holiday.txt", png)) == "not a text file"


@pytest.mark.parametrize("data", [b"", b"   \n\t\n  ", "\ufeff".encode(), " \n".encode("utf-16")])
def test_empty_files(tmp_path, data):
    assert bad(write(tmp_path, "empty.txt", data)) == "empty file"


def test_text_with_only_furniture_has_no_article(tmp_path):
    page = b"Advertisement\nShare this article\nSign up for our newsletter\nRead more\n"
    assert bad(write(tmp_path, "junk.txt", page)) == "no article text found"


def test_seed_text_files_read(tmp_path):
    reuters = only(SEEDS / "reuters-china-us-xinjiang-militants.txt")
    scmp = only(SEEDS / "scmp-china-kazakhstan-xinjiang.txt")
    assert reuters.title == "China appeals for U.S. help to fight Xinjiang militants"
    assert (reuters.source, reuters.place) == ("Reuters", "BEIJING")
    assert scmp.source == "South China Morning Post"
    assert "Advertisement" not in scmp.text


def test_hostile_text_is_made_safe(tmp_path):
    evil = "Title \x1b]0;owned\x07with escape\n\nBody \x1b[2J\x9b31m text, it said.\x00\u202e"
    doc = only(write(tmp_path, "evil.txt", evil.encode("utf-8")))
    assert doc.title == "Title with escape"
    assert doc.text == "Body text, it said."


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown_title_and_plain_body(tmp_path):
    md = (
        "# Ports reopen after the storm\n\n"
        "The **northern** ports reopened on *Tuesday*, the [harbour authority](https://example.com/h) "
        "said in a `statement`.\n\n"
        "![a ship](ship.png)\n\n"
        "## Delays expected\n\n"
        "> Shipping firms expect __delays__ until the end of the week, a spokeswoman said.\n"
    )
    doc = only(write(tmp_path, "ports.md", md.encode()))
    assert doc.title == "Ports reopen after the storm"
    assert doc.text.split("\n\n") == [
        "The northern ports reopened on Tuesday, the harbour authority said in a statement.",
        "Delays expected",
        "Shipping firms expect delays until the end of the week, a spokeswoman said.",
    ]


def test_markdown_front_matter(tmp_path):
    md = (
        "---\ntitle: \"Front matter wins\"\ndate: 2020-03-04\nauthor: Ann Writer\nsource: The Gazette\n"
        "tags:\n  - ports\n  - weather\n---\n\nThe ports reopened on Tuesday after the storm, officials said.\n"
    )
    doc = only(write(tmp_path, "fm.md", md.encode()))
    assert (doc.title, doc.date, doc.author, doc.source) == (
        "Front matter wins", "2020-03-04", "Ann Writer", "The Gazette"
    )
    assert doc.meta["tags"] == "ports, weather"
    assert doc.text == "The ports reopened on Tuesday after the storm, officials said."


# --- JSON and JSON lines -------------------------------------------------------------------------


def test_thousand_json_lines_with_two_bad_records(tmp_path):
    lines = []
    for n in range(1, 1001):
        if n == 417:
            lines.append('{"id": 417, "title": "Broken", "body": "unterminated')
        elif n == 500:
            lines.append(json.dumps({"id": n, "title": "No body here"}))
        else:
            lines.append(json.dumps({"id": n, "title": f"Story {n}", "body": f"Text of story {n}.", "lang": "en"}))
    result = read_file(write(tmp_path, "batch.jsonl", "\n".join(lines).encode()))
    assert len(result.docs) == 998
    assert [where for where, _ in result.errors] == ["line 417", "line 500"]
    assert result.errors[0][1].startswith("invalid JSON: ")
    assert result.errors[1][1] == "no text"
    first = result.docs[0]
    assert (first.id, first.title, first.text, first.meta) == ("1", "Story 1", "Text of story 1.", {"lang": "en"})


def test_json_lines_surrogates_and_nul_come_out_safe(tmp_path):
    line = r'{"id": "x\u0000y", "title": "Bad \ud800 title\u0000", "text": "Body \udfff with \u0000 NUL and \u001b[2J.", "extra": "\ud83d"}'
    doc = only(write(tmp_path, "evil.jsonl", line.encode()))
    for value in (doc.id, doc.title, doc.text, doc.meta["extra"]):
        value.encode("utf-8")  # no lone surrogate: SQLite and print accept it
        assert "\x00" not in value and "\x1b" not in value
    assert doc.title == "Bad \ufffd title"
    assert doc.text == "Body \ufffd with  NUL and ."
    assert doc.id == "xy"


def test_json_file_object_list_and_errors(tmp_path):
    one = {"title": "One story", "content": "The text of it.", "date": "2019-05-17", "author": ["A B", "C D"],
           "source": "Gazette", "url": "https://example.com/1", "section": {"name": "World"}}
    doc = only(write(tmp_path, "one.json", json.dumps(one).encode()))
    assert (doc.title, doc.text, doc.date, doc.author, doc.source, doc.url) == (
        "One story", "The text of it.", "2019-05-17", "A B and C D", "Gazette", "https://example.com/1"
    )
    assert doc.meta == {"section": {"name": "World"}}
    listed = read_file(write(tmp_path, "many.json", json.dumps([one, {"title": "x"}, 5]).encode()))
    assert len(listed.docs) == 1
    assert listed.errors == [("item 2", "no text"), ("item 3", "not a JSON object")]
    assert bad(write(tmp_path, "broken.json", b'{"title": "x", ')).startswith("invalid JSON: ")
    assert bad(write(tmp_path, "notext.json", b'{"title": "x"}')) == "no article text found"


def test_deeply_nested_json_fails_alone(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    good = json.dumps({"text": "Fine text here."})
    result = read_file(write(tmp_path, "deep.jsonl", f"{deep}\n{good}\n".encode()))
    assert len(result.docs) == 1
    assert result.errors[0][0] == "line 1"


def test_gzipped_json_lines_and_gzip_bomb(tmp_path, monkeypatch):
    data = gzip.compress(b'{"id": "a", "body": "Zipped text."}\n')
    assert only(write(tmp_path, "z.jsonl.gz", data)).text == "Zipped text."
    monkeypatch.setattr(records, "MAX_RECORDS_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"{" + b" " * (8 * 1024 * 1024) + b"}")
    assert bad(write(tmp_path, "bomb.jsonl.gz", bomb)).startswith("file too large")
    assert bad(write(tmp_path, "notgz.jsonl.gz", b"\x1f\x8bnot really")).startswith("not a valid gzip file")


@pytest.mark.skipif(not REUTERS_CORPUS.exists(), reason="shared corpus not present")
def test_reuters_corpus_reads_fast_and_clean():
    data = REUTERS_CORPUS.read_bytes()
    started = time.process_time()  # CPU time: other suites may share the machine
    result = read(REUTERS_CORPUS, data)
    elapsed = time.process_time() - started
    assert elapsed < 2.0, f"{elapsed:.2f} s"
    assert len(result.docs) == 19_043 and result.errors == []
    first = result.docs[0]
    assert (first.id, first.title, first.source, first.date, first.place) == (
        "reuters-1", "BAHIA COCOA REVIEW", "Reuters", "1987-02-26T15:01:01", "SALVADOR"
    )
    assert first.meta["topics"] == ["cocoa"]
    assert not any(d.text.endswith(("REUTER", "Reuter")) for d in result.docs)


# --- HTML (in the sandbox) -----------------------------------------------------------------------

ARTICLE_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Site | China appeals for help</title><meta name="author" content="Jane Doe">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2015-08-05T10:00:00Z">
<link rel="canonical" href="https://example.com/a"></head>
<body><nav><a href="/">Home</a> <a href="/w">World</a></nav><article><h1>China appeals for U.S. help</h1>
<p>BEIJING (Reuters) - China has appealed for U.S. support in fighting Islamist militants in the far western region of Xinjiang, saying they are also a threat.</p>
<p>Advertisement</p>
<p>Chinese officials say the group recruits Uighurs, a largely Muslim ethnic minority from Xinjiang, and trains them abroad.</p>
<script>alert("x")</script>
<p>Many foreign experts, however, have questioned whether the group exists as the coherent force China claims it is.</p>
</article><footer>Copyright 2015 Example News</footer></body></html>"""


def test_html_article(tmp_path):
    doc = only(write(tmp_path, "a.html", ARTICLE_HTML.encode()))
    assert doc.title == "China appeals for U.S. help"
    assert (doc.source, doc.author, doc.date, doc.url, doc.place) == (
        "Example News", "Jane Doe", "2015-08-05", "https://example.com/a", "BEIJING"
    )
    body = doc.text.split("\n\n")
    assert len(body) == 3
    assert body[0].startswith("BEIJING (Reuters) - China has appealed")
    assert "Advertisement" not in doc.text and "alert" not in doc.text and "Home" not in doc.text


def test_scmp_seed_as_a_web_page(tmp_path):
    lines = [p for p in (SEEDS / "scmp-china-kazakhstan-xinjiang.txt").read_text().split("\n") if p.strip()]
    page = (
        "<html><head><title>China thanks Kazakhstan | SCMP</title>"
        "<meta property='og:site_name' content='South China Morning Post'></head><body>"
        "<header><a href='/'>Home</a></header><main><article>"
        + "".join(f"<p>{line}</p>" for line in lines)
        + "</article></main></body></html>"
    )
    doc = only(write(tmp_path, "scmp.html", page.encode()))
    # The page's <title> is shortened; the full headline above the body wins.
    assert doc.title == (
        "China thanks Kazakhstan for ‘understanding and support’ on Xinjiang de-radicalisation scheme"
    )
    assert doc.source == "South China Morning Post"
    assert doc.text.startswith("Chinese Foreign Minister Wang Yi and his Kazakh counterpart")
    for furniture in ("Advertisement", "myNEWS", "Learn more", "Photo: Xinhua", "EU rejects", "print edition"):
        assert furniture not in doc.text


def test_html_cp1252_without_declaration(tmp_path):
    page = f"<html><body><article><h1>Café plan</h1><p>{STORY.replace(chr(10), ' ')}</p></article></body></html>"
    doc = only(write(tmp_path, "w.htm", page.encode("cp1252")))
    assert "Café owners said the “naïve” plan would cost €5m" in doc.text


def test_navigation_only_html(tmp_path):
    links = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(30))
    page = f"<html><head><title>Home</title></head><body><nav><ul>{links}</ul></nav><footer><a href='/about'>About us</a></footer></body></html>"
    assert bad(write(tmp_path, "nav.html", page.encode())) == "no article text found"


def test_deep_div_nest_is_refused_or_read_in_time(tmp_path):
    depth = 200_000
    page = "<html><body>" + "<div>" * depth + "<p>Deep text that is a sentence, they said.</p>" + "</div>" * depth + "</body></html>"
    path = write(tmp_path, "deep.html", page.encode())
    started = time.perf_counter()
    try:
        read_file(path)
    except BadInput:
        pass  # refused with a message: fine; a RecursionError would have escaped as itself
    assert time.perf_counter() - started < sandbox.TIMEOUT


def test_oversized_html_is_refused_unread(tmp_path):
    data = b"<html><body>" + b"<p>word word word.</p>" * (30 * 1024 * 1024 // 22) + b"</body></html>"
    assert bad(write(tmp_path, "huge.html", data)) == "file too large (30 MB; limit 20 MB)"


def test_worker_is_reused_between_files(tmp_path):
    path = write(tmp_path, "a.html", ARTICLE_HTML.encode())
    read_file(path)
    before = our_workers()
    for _ in range(3):
        read_file(path)
    assert our_workers() == before and len(before) == 1


def test_parser_that_never_returns_is_killed_and_the_next_file_works(tmp_path, monkeypatch, parser_fault):  # noqa: F811
    path = write(tmp_path, "a.html", ARTICLE_HTML.encode())
    read_file(path)
    (hung,) = our_workers()
    parser_fault("hang")
    monkeypatch.setenv("READER_PARSER_TIMEOUT", "1")
    started = time.perf_counter()
    assert bad(path) == "parser timed out after 1 s"
    assert time.perf_counter() - started < 5
    assert not Path(f"/proc/{hung}").exists()  # killed and reaped: no zombie
    assert zombies() == []
    parser_fault("")
    assert only(path).title == "China appeals for U.S. help"  # a fresh worker


def test_parser_out_of_memory_and_crash(tmp_path, parser_fault):  # noqa: F811
    path = write(tmp_path, "a.html", ARTICLE_HTML.encode())
    parser_fault("hog")
    assert bad(path) == "parser ran out of memory"
    parser_fault("crash")
    assert bad(path).startswith("parser crashed")
    parser_fault("")
    assert only(path).source == "Example News"
    assert zombies() == []


def test_worker_dies_with_its_parent(tmp_path):
    path = write(tmp_path, "a.html", ARTICLE_HTML.encode())
    code = (
        "import os, sys; from pathlib import Path; from index.ingest import importer, sandbox;"
        f"p = Path({str(path)!r}); importer.read(p, p.read_bytes());"
        "print(sandbox._idle[0].process.pid, flush=True); sys.stdin.read()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as parent:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        parent.kill()  # like kill -9: no atexit, no close_workers()
    deadline = time.monotonic() + 5
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{worker}").exists()


def test_closing_workers():
    sandbox.close_workers()
    assert our_workers() == []


# --- feeds (in the sandbox) ----------------------------------------------------------------------

RSS = (
    '<?xml version="1.0" encoding="{enc}"?>\n<rss version="2.0"><channel><title>Café news</title>'
    "<item><title>Café ’quoted’ 中文 [/] title</title>"
    "<description>&lt;p&gt;Naïve — the council met on Tuesday, officials said.&lt;/p&gt;"
    "&lt;p&gt;Second paragraph of the entry.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description>"
    "<pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate><guid>g1</guid><link>http://example.com/1</link>"
    "<author>ann@example.com (Ann)</author></item>"
    "<item><title>Headline only</title></item></channel></rss>"
)


def test_rss_feed(tmp_path):
    result = read_file(write(tmp_path, "news.rss", RSS.format(enc="utf-8").encode()))
    assert result.errors == [("entry 2", "no text")]
    (doc,) = result.docs
    assert (doc.title, doc.source, doc.id, doc.url, doc.date) == (
        "Café ’quoted’ 中文 [/] title", "Café news", "g1", "http://example.com/1", "2003-06-10T04:00:00+00:00"
    )
    assert doc.text == "Naïve — the council met on Tuesday, officials said.\n\nSecond paragraph of the entry."
    assert "feed_warning" not in doc.meta


def test_atom_feed_html_title_and_content(tmp_path):
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom T</title>'
        '<entry><title type="html">A &lt;b&gt;bold&lt;/b&gt; title</title><id>urn:1</id>'
        "<updated>2020-01-02T03:04:05+02:00</updated><author><name>Ann</name></author>"
        '<content type="html">&lt;p&gt;Para one is here and it is long enough.&lt;/p&gt;&lt;p&gt;Para two.&lt;/p&gt;</content>'
        '<link href="http://x/1"/></entry></feed>'
    )
    doc = only(write(tmp_path, "a.atom", atom.encode()))
    assert (doc.title, doc.author, doc.id, doc.url, doc.date) == (
        "A bold title", "Ann", "urn:1", "http://x/1", "2020-01-02T01:04:05+00:00"
    )
    assert doc.text == "Para one is here and it is long enough.\n\nPara two."


@pytest.mark.parametrize("declared", ["iso-8859-1", "x-klingon"])
def test_feed_with_wrong_declared_encoding(tmp_path, declared):
    result = read_file(write(tmp_path, "wrong.xml", RSS.format(enc=declared).encode("utf-8")))
    doc = result.docs[0]
    assert doc.title == "Café ’quoted’ 中文 [/] title"
    assert declared in doc.meta["feed_warning"]
    assert result.warnings


def test_utf16_xml_feed(tmp_path):
    feed = RSS.format(enc="utf-16").encode("utf-16")
    assert read_file(write(tmp_path, "u16.xml", feed)).docs[0].source == "Café news"


def test_two_threads_parse_at_once(tmp_path):
    path = write(tmp_path, "a.html", ARTICLE_HTML.encode())
    titles: list[str] = []
    threads = [threading.Thread(target=lambda: titles.append(only(path).title)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert titles == ["China appeals for U.S. help"] * 2


def test_xml_that_is_not_a_feed(tmp_path):
    assert bad(write(tmp_path, "config.xml", b"<?xml version='1.0'?><config><a>1</a></config>")) == "not an RSS or Atom feed"


def test_billion_laughs_feed(tmp_path):
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    feed = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n{entities}]>\n'
        '<rss version="2.0"><channel><title>Laughs</title><item><title>Laugh &lol9;</title>'
        "<description>Entry text &lol9; ends here, it said.</description></item></channel></rss>"
    )
    started = time.perf_counter()
    try:
        docs = read_file(write(tmp_path, "lol.rss", feed.encode())).docs
    except BadInput:
        docs = []
    assert time.perf_counter() - started < 5
    assert all("lollollol" not in d.text + d.title and len(d.text) < 10_000 for d in docs)


def test_quadratic_blowup_feed(tmp_path):
    feed = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + b"A" * 100_000 + b'">]>\n'
        b'<rss version="2.0"><channel><title>Quad</title><item><title>t</title><description>'
        + b"&a;" * 20_000 + b"</description></item></channel></rss>"
    )
    started = time.perf_counter()
    try:
        docs = read_file(write(tmp_path, "quad.rss", feed)).docs
    except BadInput:
        docs = []
    assert time.perf_counter() - started < 5
    assert all("AAAAAAAAAA" not in d.text and len(d.text) < 1_000_000 for d in docs)


@pytest.fixture
def listener():
    """A loopback TCP server that records whether anyone connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    hits: list[bool] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            hits.append(True)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join()
    server.close()


def test_external_entities_are_never_read_or_requested(tmp_path, listener):
    port, hits = listener
    secret = write(tmp_path, "secret.txt", b"TOPSECRET")
    feed = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY file SYSTEM "file://{secret}">'
        f'<!ENTITY net SYSTEM "http://127.0.0.1:{port}/x">]>\n'
        '<rss version="2.0"><channel><title>X</title><item><title>t &file; &net;</title>'
        "<description>Story text &file; &net; here, he said.</description></item></channel></rss>"
    )
    try:
        docs = read_file(write(tmp_path, "xxe.rss", feed.encode())).docs
    except BadInput:
        docs = []
    assert all("TOPSECRET" not in d.text + d.title for d in docs)
    url_only = write(tmp_path, "url.rss", f"http://127.0.0.1:{port}/feed".encode())
    with pytest.raises(BadInput):
        read_file(url_only)  # bytes, never a URL to fetch
    time.sleep(0.3)
    assert hits == []


# --- layering ------------------------------------------------------------------------------------


def test_readers_never_import_the_ui(tmp_path):
    path = write(tmp_path, "a.html", ARTICLE_HTML.encode())
    code = (
        "import sys; from pathlib import Path; from index.ingest import importer, clean, sandbox;"
        f"p = Path({str(path)!r}); importer.parse('html', p.read_bytes()); importer.parse('feed', b'<rss/>') "
        "if False else None; sandbox.close_workers();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'reader')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
