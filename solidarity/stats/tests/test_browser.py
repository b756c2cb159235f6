"""The statistics page as a reader sees it, in real headless Chromium (a screenshot is kept)."""

import datetime
from urllib.parse import urlsplit

import pytest

from solidarity.catalogue.tests.helpers import prisoner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parents[3] / "test-artifacts"


def test_the_statistics_page_shows_its_charts_and_tables(page, live_server):
    for offset in range(6):
        prisoner(
            detained=datetime.date(2021, 1, 1) + datetime.timedelta(days=40 * offset),
            gender="female" if offset % 2 else "male",
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/en/statistics/")
    page.wait_for_load_state("networkidle")

    assert page.locator(".count data").inner_text() == "6"
    sizes = page.evaluate("Array.from(document.querySelectorAll('figure img')).map(i => i.naturalWidth)")
    assert len(sizes) == 9 and all(width > 0 for width in sizes)  # every chart loaded and drew
    page.locator("#chart-gender summary").click()
    assert "women" in page.locator("#chart-gender table").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "statistics.png"), full_page=True)
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}
