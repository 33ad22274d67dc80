"""The article list shows the language of articles not in English."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Library
from tests.app.helpers import settle, screen_text

pytestmark = [pytest.mark.anyio, pytest.mark.model]

WEB = Path(__file__).resolve().parents[1] / "data" / "web"


async def test_list_shows_the_language_of_a_japanese_page(make_app, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(WEB / "ja-nikkei.html", folder)
    with Library.open(tmp_path / "lib") as lib:
        assert lib.add([folder], jobs=1).added == 1
    app = make_app(tmp_path / "lib")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "東京経済新聞 · 2023-07-28 · ja" in text
