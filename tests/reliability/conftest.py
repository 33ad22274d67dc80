"""Helpers for the survival tests: run the real ``reader`` command, read its SQLite file, check
that the library is sound afterwards."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Bytes no line printed to a terminal may carry: ESC, C1 controls (as UTF-8), NUL, and the
#: other C0 controls but tab and newline.
UNSAFE_OUTPUT = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


@dataclass
class Run:
    """One finished ``reader`` process."""

    args: list[str]
    code: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8")

    def __str__(self) -> str:  # what pytest shows when an assertion on a Run fails
        return f"reader {' '.join(self.args)} -> {self.code}\n--- stdout\n{self.out[-3000:]}\n--- stderr\n{self.err[-3000:]}"


def reader_env(**extra: str) -> dict[str, str]:
    """The environment a ``reader`` child gets: the test's isolated dirs, short lock waits."""
    env = dict(os.environ)
    env.setdefault("READER_LOCK_WAIT", "10")
    env.pop("READER_DEBUG", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def reader_cmd(library: Path | None, *args: str, module: str = "reader") -> list[str]:
    cmd = [sys.executable, "-m", module]
    if library is not None:
        cmd += ["--library", str(library)]
    return cmd + [str(a) for a in args]


def run_reader(
    library: Path | None,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    stdin: bytes | None = None,
    module: str = "reader",
) -> Run:
    """Run ``reader --library LIBRARY ARGS...`` to the end and return what it printed
    (``module``: what ``python -m`` runs, e.g. tests.parser_faults)."""
    proc = subprocess.run(
        reader_cmd(library, *args, module=module),
        input=stdin,
        capture_output=True,
        env=env or reader_env(),
        timeout=timeout,
        cwd=ROOT,
    )
    return Run([str(a) for a in args], proc.returncode, proc.stdout, proc.stderr)


def assert_one_line_errors(run: Run) -> None:
    """What a failing command prints: ``reader: ...`` lines, never a traceback."""
    assert "Traceback" not in run.err, run
    for line in run.err.splitlines():
        assert line.startswith("reader: "), f"stray stderr line {line!r}\n{run}"
    assert not UNSAFE_OUTPUT.search(run.stdout), run
    assert not UNSAFE_OUTPUT.search(run.stderr), run


def check_report(library: Path, *, repair: bool = False) -> dict:
    """``reader check --json`` as a dict (it must not crash)."""
    args = ["check", "--json"] + (["--repair"] if repair else [])
    run = run_reader(library, *args)
    assert "Traceback" not in run.err, run
    lines = [line for line in run.out.splitlines() if line.strip()]
    assert len(lines) == 1, run
    return json.loads(lines[0])


def assert_check_clean(library: Path) -> dict:
    """``reader check`` finds nothing wrong and SQLite's integrity_check says ok."""
    report = check_report(library)
    assert report["ok"], report
    assert report["integrity"] == "ok", report
    assert report["missing"] == report["orphans"] == report["leftovers"] == 0, report
    assert report["indexed"] == report["articles"], report
    with sqlite3.connect(library / "library.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    return report


def db_rows(library: Path, sql: str, args: tuple = ()) -> list[tuple]:
    """Read the library's SQLite file directly (a second connection, as another process would)."""
    db = sqlite3.connect(f"file:{quote(str(library / 'library.db'))}?mode=ro", uri=True)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def index_ids(library: Path) -> list[str]:
    """Every document id in the Whoosh index, duplicates included (read with Whoosh itself)."""
    from whoosh.index import open_dir

    ix = open_dir(str(library / "index"), indexname="MAIN")
    try:
        with ix.searcher() as s:
            return [f["id"] for f in s.all_stored_fields()]
    finally:
        ix.close()


def no_duplicates(library: Path) -> None:
    """No article twice in SQLite (by file record or by id) nor in the index."""
    dup = db_rows(
        library,
        "SELECT path, record, count(*) FROM articles GROUP BY path, record HAVING count(*) > 1",
    )
    assert dup == [], dup
    ids = index_ids(library)
    assert len(ids) == len(set(ids)), sorted(i for i in set(ids) if ids.count(i) > 1)[:10]


def children_of(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def zombies_of(pid: int) -> list[int]:
    out = []
    for child in children_of(pid):
        try:
            stat = Path(f"/proc/{child}/stat").read_text()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            out.append(child)
    return out


def processes_mentioning(marker: str) -> list[int]:
    """Live processes whose command line or environment holds ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            blob = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and marker.encode() in blob:
            found.append(int(entry.name))
    return found


_MOUNTS_OK: bool | None = None


def can_mount() -> bool:
    """Whether ``unshare -m`` with a tmpfs works here (root with CAP_SYS_ADMIN)."""
    global _MOUNTS_OK
    if _MOUNTS_OK is None:
        if shutil.which("unshare") is None or shutil.which("mount") is None:
            _MOUNTS_OK = False
        else:
            probe = subprocess.run(
                ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"],
                capture_output=True,
                timeout=30,
            )
            _MOUNTS_OK = probe.returncode == 0
    return _MOUNTS_OK


def require_mounts() -> None:
    """Skip (saying why) where private mounts are not allowed; CI runs as root and has them."""
    if not can_mount():
        pytest.skip("needs `unshare -m` and mount (root with CAP_SYS_ADMIN) for a real "
                    "full disk or read-only filesystem")


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A path for a new library (created by the first ``reader add``)."""
    return tmp_path / "library"
