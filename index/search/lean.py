"""Provides import_whoosh(): Whoosh loaded without two standard library modules it imports but a
search never uses.

``whoosh.compat`` imports ``urllib.request`` (with http.client, email and ssl behind it) for a
``urlretrieve`` nothing here calls, and Whoosh's reader imports the ``cached_property`` package,
which imports asyncio to ask whether a cached property is a coroutine (Whoosh's never are).
Together they were 30 ms of a 0.2 s ``reader search --json``. While Whoosh loads, each is a
stand-in that loads the real module the first time one of its names is used; then the stand-ins
leave ``sys.modules``, so every later ``import`` gets the real module. A process that has them
already (the TUI has asyncio) loads Whoosh as usual.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from typing import Any

__all__ = ["import_whoosh"]


class _Later(types.ModuleType):
    """A module that stands in for ``name`` until one of its names is used."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(_real(self.__name__, self), attr)


def _real(name: str, stand_in: types.ModuleType) -> types.ModuleType:
    module = sys.modules.get(name)
    if module is None or module is stand_in:
        sys.modules.pop(name, None)
        module = importlib.import_module(name)
    return module


def _urllib_request() -> _Later:
    later = _Later("urllib.request")

    def urlretrieve(*args: Any, **kwargs: Any) -> Any:
        return _real("urllib.request", later).urlretrieve(*args, **kwargs)

    later.urlretrieve = urlretrieve  # type: ignore[attr-defined]
    return later


def _asyncio() -> _Later:
    later = _Later("asyncio")

    def iscoroutinefunction(func: Any) -> bool:
        real = sys.modules.get("asyncio")
        if real is None or real is later:  # nothing can be marked an asyncio coroutine yet
            return inspect.iscoroutinefunction(func)
        return bool(real.iscoroutinefunction(func))

    later.iscoroutinefunction = iscoroutinefunction  # type: ignore[attr-defined]
    return later


def import_whoosh() -> None:
    """Import Whoosh's core modules (once) with stand-ins for what they import unused."""
    if "whoosh.reading" in sys.modules:
        return
    stand_ins = {}
    for name, make in (("urllib.request", _urllib_request), ("asyncio", _asyncio)):
        if name not in sys.modules:
            stand_ins[name] = sys.modules[name] = make()
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
