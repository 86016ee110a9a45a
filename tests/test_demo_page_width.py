"""The demo page on a phone (375 px wide, headless Chromium): the header fits and the person picker is whole."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from bot.demo.page import render_page
from bot.demo.server import demo_people
from bot.school import School
from tests.test_demo_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

PHONE = {"width": 375, "height": 740}


def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"the page test needs {CHROMIUM} (apt-get install chromium; see .ci/run)"
        if os.environ.get("STAFFROOM_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.mark.parametrize("width", [320, 375, 1000])
async def test_the_header_fits_and_the_person_picker_is_not_cut_off(school: School, tmp_path: Path,
                                                                    width: int) -> None:
    page_file = tmp_path / "demo.html"
    # Web Chat itself is not needed to lay out the header: an empty script stands in for it.
    (tmp_path / "webchat.js").write_text("window.WebChat = undefined;\n")
    page_file.write_text(render_page(demo_people(school), "webchat.js", "Mon 23 Nov 09:14"), encoding="utf-8")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium()), args=CHROMIUM_ARGS,
                                                   headless=True)
        try:
            page = await browser.new_page(viewport={**PHONE, "width": width})
            await page.goto(page_file.as_uri())
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(ARTIFACTS / f"header-{width}px.png"))
            picker = await page.locator("#person").bounding_box()
            header = await page.locator("header").bounding_box()
            title = await page.locator("header h1").bounding_box()
            scroll_width = await page.evaluate("document.documentElement.scrollWidth")
        finally:
            await browser.close()
    assert picker is not None and header is not None and title is not None
    assert scroll_width <= width  # nothing sticks out sideways
    assert picker["x"] >= 0 and picker["x"] + picker["width"] <= width  # the picker is whole
    assert picker["y"] + picker["height"] <= header["y"] + header["height"]  # and inside the header
    assert title["height"] < 2 * 1.1 * 16 * 1.4  # the title stays on one line
    if width >= 1000:
        assert header["height"] < 60  # on a wide screen, one row
