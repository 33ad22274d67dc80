"""Provides parse(): HTML and feed parsing in a worker process with a byte cap, a timeout and a
memory limit, so that a hostile or broken file fails alone and the import goes on.

A worker is a fresh interpreter started with ``subprocess`` (fork+exec in C, like
multiprocessing's "spawn": nothing is ever forked from the threaded TUI). multiprocessing itself
is not used because its spawn and forkserver methods re-import the parent's ``__main__`` in
the child, which runs an unguarded script or ``python -m`` module a second time. Requests and
replies are JSON plus raw bytes over the worker's stdin/stdout, never pickle, so even a
subverted parser cannot run code in the parent.

One worker is reused from file to file (starting one costs a fraction of a second); it is
replaced only after it was killed or crashed, and reaped each time (no zombies). A worker exits
when its parent dies; close_workers() (also run at exit) ends the idle ones.

``READER_PARSER_TIMEOUT`` (seconds), read at each call, overrides the timeout. ``WORKER`` names
the module whose ``_worker_main()`` a new worker runs (tests point it at a worker that fails on
demand: tests/parser_faults.py).
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from index.errors import BadInput
from index.ingest import web
from index.ingest.decode import MAX_BYTES, MB, check_size
from index.models import RawDoc, ReadResult

#: Seconds a parser may take for one file before its worker is killed.
TIMEOUT = 20.0
#: Address-space limit of a worker (RLIMIT_AS), in bytes.
MEMORY_LIMIT = 1024 * MB
#: Seconds a new worker may take to start (it imports trafilatura, lxml and feedparser).
START_TIMEOUT = 60.0
#: The module whose ``_worker_main()`` a new worker process runs.
WORKER = "index.ingest.sandbox"

_ROOT = str(Path(__file__).resolve().parents[2])
_HEADER = struct.Struct("!Q")
_MAX_REPLY = 16 * MAX_BYTES  # JSON of the largest accepted file, escapes and all
_lock = threading.Lock()
_idle: list[_Worker] = []
_generation = 0


def parse(
    kind: str,
    data: bytes,
    *,
    common_lines: frozenset[str] = frozenset(),
    timeout: float | None = None,
) -> ReadResult:
    """web.parse(kind, data): an HTML page or a feed parsed in a worker process.

    Raises BadInput when the file is refused (too large), the parser times out, runs out of
    memory or crashes, or the file itself is bad; the next call gets a working worker.
    """
    check_size(kind, len(data))
    limit = _timeout(timeout)
    request = {
        "kind": kind,
        "common_lines": sorted(common_lines),
    }
    worker = _acquire()
    healthy = False
    try:
        try:
            worker.send(request, data)
        except OSError:  # it died while idle: start afresh once
            worker.kill()
            worker = _Worker()
            try:
                worker.send(request, data)
            except OSError:
                raise BadInput(worker.crash_reason()) from None
        reply = worker.receive(limit)
        if reply is None:
            raise BadInput(f"parser timed out after {limit:g} s")
        status = reply.get("status")
        if status == "ok":
            try:
                result = _result(reply)
            except (KeyError, TypeError, ValueError):
                raise BadInput("parser sent a malformed reply") from None
            healthy = True
            return result
        if status == "bad":
            healthy = True
            raise BadInput(str(reply.get("message") or "parser failed"))
        if status == "fatal":
            raise BadInput(str(reply.get("message") or "parser failed"))
        raise BadInput(worker.crash_reason())
    finally:
        if healthy:
            _release(worker)
        else:
            worker.kill()


def close_workers() -> None:
    """End every idle worker now; a busy one ends when its file is done."""
    global _generation
    with _lock:
        workers, _idle[:] = list(_idle), []
        _generation += 1
    for worker in workers:
        worker.stop()


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return timeout
    try:
        return float(os.environ.get("READER_PARSER_TIMEOUT", "") or TIMEOUT)
    except ValueError:
        return TIMEOUT


def _acquire() -> _Worker:
    with _lock:
        if _idle:
            return _idle.pop()
    return _Worker()


def _release(worker: _Worker) -> None:
    with _lock:
        if worker.generation == _generation:
            _idle.append(worker)
            return
    worker.stop()


def _result(reply: dict) -> ReadResult:
    names = {f.name for f in dataclasses.fields(RawDoc)}
    docs = [RawDoc(**{k: v for k, v in d.items() if k in names}) for d in reply["docs"]]
    errors = [(str(where), str(why)) for where, why in reply["errors"]]
    return ReadResult(docs, errors, [str(w) for w in reply.get("warnings", [])])


class _Worker:
    """One parser process and the two pipes to it."""

    def __init__(self) -> None:
        self.generation = _generation
        code = (
            f"import sys; sys.path.insert(0, {_ROOT!r}); "
            f"from {WORKER} import _worker_main; _worker_main()"
        )
        from index.ingest.recognizer import sigint_blocked

        with sigint_blocked():
            self.process = subprocess.Popen(
                [sys.executable, "-c", code, str(os.getpid()), str(MEMORY_LIMIT)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # the TUI owns the terminal: a parser must not print
                bufsize=0,
                close_fds=True,
            )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin = self.process.stdin
        self.stdout = self.process.stdout
        if (self.receive(START_TIMEOUT) or {}).get("status") != "ready":
            self.kill()
            raise BadInput("parser process did not start")

    def send(self, request: dict, data: bytes) -> None:
        header = json.dumps(request).encode("utf-8")
        self.stdin.write(_HEADER.pack(len(header)) + header + _HEADER.pack(len(data)))
        self.stdin.write(data)
        self.stdin.flush()

    def receive(self, timeout: float) -> dict | None:
        """The next reply; None on timeout; {} when the worker died."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                return None
        size = _read_exact(self.stdout, _HEADER.size)
        length = _HEADER.unpack(size)[0] if size else 0
        if not 0 < length <= _MAX_REPLY:
            return {}  # dead, or talking nonsense: treated as a crash
        body = _read_exact(self.stdout, length)
        if not body:
            return {}
        try:
            reply = json.loads(body)
        except (ValueError, RecursionError):
            return {}
        return reply if isinstance(reply, dict) else {}

    def crash_reason(self) -> str:
        try:
            code = self.process.wait(5)
        except subprocess.TimeoutExpired:
            return "parser stopped answering"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"parser crashed ({name})"
        return f"parser crashed (exit status {code})"

    def stop(self) -> None:
        try:
            self.stdin.close()  # end of input: the worker leaves its loop
            self.process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()

    def kill(self) -> None:
        """Kill the process and reap it: no zombie is left behind."""
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a kernel that ignores SIGKILL
            pass
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = stream.read(min(size, 1 << 20))
        if not chunk:
            return b""
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


# --- in the worker ------------------------------------------------------------------------------


def _worker_main() -> None:
    """The worker's loop: one file at a time until its input ends or the parent is gone."""
    from index.ingest.recognizer import ignore_sigint

    ignore_sigint()
    parent, memory_limit = int(sys.argv[1]), int(sys.argv[2])
    # Keep the protocol on private descriptors; anything a library prints goes nowhere.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    _exit_with_parent(parent)
    _limit_memory(memory_limit)
    import logging

    logging.disable(logging.CRITICAL)
    web.preload_parsers()
    _reply(replies, {"status": "ready"})
    while True:
        size = _read_exact(requests, _HEADER.size)
        if not size:
            return
        request = json.loads(_read_exact(requests, _HEADER.unpack(size)[0]))
        size = _read_exact(requests, _HEADER.size)
        data = _read_exact(requests, _HEADER.unpack(size)[0]) if size else b""
        reply = _handle(request, data)
        del data
        try:
            _reply(replies, reply)
        except MemoryError:
            reply = {"status": "fatal", "message": "parser ran out of memory"}
            _reply(replies, reply)
        if reply["status"] == "fatal":
            return


def _reply(stream: IO[bytes], reply: dict) -> None:
    body = json.dumps(reply).encode("utf-8")
    stream.write(_HEADER.pack(len(body)) + body)


def _handle(request: dict, data: bytes) -> dict:
    try:
        common = frozenset(request.get("common_lines") or ())
        result = web.parse(request["kind"], data, common_lines=common)
        return {
            "status": "ok",
            "docs": [dataclasses.asdict(doc) for doc in result.docs],
            "errors": result.errors,
            "warnings": result.warnings,
        }
    except BadInput as exc:
        return {"status": "bad", "message": str(exc)}
    except MemoryError:
        return {"status": "fatal", "message": "parser ran out of memory"}
    except RecursionError:
        return {"status": "bad", "message": "document nested too deeply"}
    except Exception as exc:  # a parser bug: this file fails, the worker goes on
        reason = " ".join(str(exc).split())[:200]
        return {"status": "bad", "message": f"parser failed ({type(exc).__name__}: {reason})"}


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the timeout still bounds the worker
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _exit_with_parent(parent: int) -> None:
    """A watcher thread ends this process once its parent is gone (even mid-parse)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    if os.getppid() != parent:
        os._exit(0)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


atexit.register(close_workers)
