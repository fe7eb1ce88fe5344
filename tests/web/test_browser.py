"""End to end in a real headless Chromium: search the directory and read a theme page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import BotApp
from bot.handlers.web import install_routes
from tests.conftest import CHAIR
from tests.web.chromium import Browser, executable

pytestmark = pytest.mark.skipif(
    executable() is None,
    reason="chromium is not installed (Debian package `chromium`, which .ci/run installs)",
)

# WCAG relative luminance and contrast ratio, computed from what the browser renders.
CONTRAST = """(() => {
  const rgb = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const bg = getComputedStyle(document.body).backgroundColor;
  const worst = [...document.querySelectorAll('main *, footer *')]
    .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => ratio(getComputedStyle(e).color, bg));
  return Math.min(...worst);
})()"""


@pytest.fixture
async def site_url(services) -> AsyncIterator[str]:
    app = BotApp(services)
    install_routes(app)
    runner = web.AppRunner(app.web)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


async def test_search_a_typo_and_read_the_theme_page(site_url, ask, tmp_path: Path):
    await ask("/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG", who=CHAIR)
    async with Browser(tmp_path / "profile") as browser:
        await browser.open(f"{site_url}/themes")
        assert await browser.evaluate("document.querySelector('h1').innerText") == (
            "Themes of common interest"
        )
        await browser.type_into_label("Find a theme, sub-topic or abbreviation", "accesibility")
        await browser.press_enter()
        assert await browser.evaluate("location.search") == "?q=accesibility"
        results = await browser.evaluate("document.querySelector('main').innerText")
        assert (
            "A guess: no theme is called “accesibility”, so it was read as Accessibility."
            in results
        )

        await browser.click_link("Accessibility", within="main .results")
        assert await browser.evaluate("location.pathname") == "/themes/accessibility"
        assert await browser.evaluate("document.title") == "Accessibility · ISCG assistant"
        text = await browser.evaluate("document.querySelector('main').innerText")
        assert text.startswith("Accessibility\n")
        assert "persons with disabilities" in text
        assert "Jane Doe (TSAG), jane@example.org" in text
        assert "General Secretariat\tnone recorded" in text
        assert "Report to the Council on the implementation of Resolution 191" in text
        assert await browser.evaluate(CONTRAST) >= 7.0

        # 200% zoom of a 1280-pixel window: half as many CSS pixels, nothing cut off.
        await browser.call(
            "Emulation.setDeviceMetricsOverride",
            width=640,
            height=450,
            deviceScaleFactor=2,
            mobile=False,
        )
        assert await browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        await browser.call("Emulation.clearDeviceMetricsOverride")
        shot = tmp_path / "accessibility-theme.png"
        await browser.screenshot(shot)
    assert shot.read_bytes().startswith(b"\x89PNG")
    print(f"screenshot: {shot}")
