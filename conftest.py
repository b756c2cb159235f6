"""Fixtures shared by every app's tests: staff users, and a real headless Chromium."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "test-artifacts"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_report = report
    return report


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Skips where there is none; fails in CI."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
    # are still synchronous, so Django's async guard is lifted for browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


class PageRecord:
    """What a page did: every request it made and every console error it logged."""

    def __init__(self):
        self.requests: list[str] = []
        self.console_errors: list[str] = []

    def hosts(self) -> set[str]:
        return {urlsplit(url).netloc for url in self.requests if urlsplit(url).scheme in {"http", "https"}}


@pytest.fixture
def page(browser, request):
    """A fresh browser context and page; a screenshot is kept in test-artifacts/ if the test fails."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.record = PageRecord()
    page.on("request", lambda req: page.record.requests.append(req.url))
    page.on("console", lambda msg: msg.type == "error" and page.record.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.record.console_errors.append(str(error)))
    yield page
    report = getattr(request.node, "call_report", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
