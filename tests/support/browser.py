"""Debian's Chromium driven by Playwright (Playwright's own browser download does not work here)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}  # a small phone: the pages are made for this first


@asynccontextmanager
async def chromium() -> AsyncIterator:
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed; infra/setup.sh installs it where apt-get can")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],
        )
        try:
            yield browser
        finally:
            await browser.close()


async def fits_the_screen(page) -> bool:
    """Nothing sticks out sideways: no horizontal scrolling on a phone."""
    return await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
