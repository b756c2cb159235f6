"""Every kind of public page on a phone (390 px) and a desktop (1280 px), in Belarusian and
English, in real headless Chromium: no page is wider than its screen, axe-core finds no
accessibility violation of any impact, and a Belarusian page shows no interface string in English.

axe-core comes from the `axe-playwright-python` package and is evaluated in the page by Playwright:
nothing is loaded from another host.
"""

import datetime
import re
from pathlib import Path

import polib
import pytest

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.donations.models import Campaign, Gift, Payout
from solidarity.letters.services import load_rules
from solidarity.magazine.tests.helpers import published_article
from solidarity.registry.country import load_country
from solidarity.registry.models import Article, Facility, Sentence
from solidarity.testimonies import sealing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "be" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def registry(settings):
    settings.TESTIMONY_PUBLIC_KEY = sealing.new_key_pair()[0]
    load_country()
    load_rules(country="BY", actor_label="tests")
    colony = Facility.objects.get(slug="ik-4-gomel")
    person = prisoner(
        facility=colony,
        detained=datetime.date(2021, 3, 12),
        first_name_be="Марыя",
        first_name_ru="Мария",
        first_name_en="Maryia",
        last_name_be="Калеснікава",
        last_name_ru="Колесникова",
        last_name_en="Kalesnikava",
        patronymic_ru="Александровна",
        gender="female",
        birth_date=datetime.date.today() - datetime.timedelta(days=40 * 365 - 25),
    )
    sentence = Sentence.objects.create(
        person=person,
        verdict_date=datetime.date(2021, 9, 6),
        term_months=132,
        regime="general",
        source_url="https://example.org/verdict",
    )
    sentence.articles.add(Article.objects.filter(number="342").first())
    prisoner(first_name_en="Ales", last_name_en="Bialiatski", detained=datetime.date(2021, 7, 14))
    campaign = Campaign.objects.create(
        person=person,
        title_be="Адвакат для Марыі",
        title_ru="Адвокат для Марии",
        title_en="A lawyer for Maryia",
        description_be="Абарона ў апеляцыі.",
        description_en="The defence in the appeal.",
        goal=500_000,
        currency="EUR",
    )
    Gift.objects.create(
        campaign=campaign, provider="bank", amount=125_000, received_on=datetime.date(2025, 4, 1)
    )
    Payout.objects.create(campaign=campaign, amount=50_000, paid_on=datetime.date(2025, 6, 1))
    published_article(
        "forty-envelopes",
        subjects=[person],
        tags=["letters"],
        title_be="Сорак канвертаў",
        lead_be="Вечар лістоў у невялікім горадзе.",
        body_be="Па чацвяргах дзесяць чалавек пішуць лісты.\n\n## Адказ\n\n> Часам адказ прыходзіць.",
    )
    return person


def public_pages(person) -> dict[str, str]:
    """A page of every kind a visitor reads, by name; each path follows the language prefix."""
    return {
        "home": "",
        "list": "people/",
        "list filtered": "people/?status=all&gender=female",
        "profile": f"people/{person.pk}/",
        "printable profile": f"people/{person.pk}/print/",
        "birthdays": "birthdays/",
        "facility": f"facilities/{person.current_facility.slug}/",
        "forgotten": "forgotten/",
        "statistics": "statistics/",
        "search": "search/?q=Kalesnikava",
        "friends": "friends/",
        "befriend": f"people/{person.pk}/befriend/",
        "compose": f"people/{person.pk}/write/",
        "evening": "letters/evening/",
        "evening kit": "letters/evening/?who=fewest&count=5",
        "follow": "letters/follow/",
        "parcel plan": f"people/{person.pk}/parcel/",
        "parcel report": f"facilities/{person.current_facility.slug}/parcel-report/",
        "campaigns": "donate/",
        "campaign": f"donate/{person.campaigns.get().pk}/",
        "giving": f"donate/{person.campaigns.get().pk}/give/",
        "donations summary": "donate/summary/",
        "receipt": "donate/receipt/",
        "stop monthly": "donate/monthly/stop/",
        "magazine": "magazine/",
        "magazine article": "magazine/forty-envelopes/",
        "magazine tag": "magazine/tag/letters/",
        "magazine person": f"magazine/about/{person.pk}/",
        "magazine search": "magazine/search/?q=envelopes",
        "magazine issues": "magazine/issues/",
        "testimonies": "testimonies/",
        "testimony": "testimonies/new/?photos=original",
        "testimony follow-up": "testimonies/follow/",
    }


def interface_strings() -> list[str]:
    """The catalogue's English sentences that Belarusian pages must never show as they are:
    those of two words or more, cut at their placeholders."""
    found = set()
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.msgstr == entry.msgid or entry.obsolete:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", entry.msgid):
            piece = piece.strip(" .,:;·()")
            if len(piece) >= 12 and " " in piece:
                found.add(piece)
    return sorted(found)


def wider_than_the_screen(page) -> list[str]:
    """What sticks out to the right of the screen: the page's own width, and its widest elements."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const out = [...document.body.querySelectorAll('*')]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .filter(el => !el.closest('.visually-hidden, .honeypot'))
                .slice(0, 5)
                .map(el => `${el.tagName.toLowerCase()}.${el.className} `
                    + `${Math.round(el.getBoundingClientRect().right)}px`);
            return document.documentElement.scrollWidth > width
                ? [`page ${document.documentElement.scrollWidth}px > ${width}px`, ...out] : [];
        }"""
    )


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
        for violation in results.response["violations"]
        for node in violation["nodes"][:3]
    ]


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("language", ["be", "en"])
def test_every_public_page_fits_the_screen_and_passes_axe(browser, live_server, registry, language, screen):
    context = browser.new_context(viewport=SCREENS[screen], locale=language, is_mobile=screen == "phone")
    page = context.new_page()
    english = interface_strings()
    problems, english_seen = [], set()
    for name, path in public_pages(registry).items():
        response = page.goto(f"{live_server.url}/{language}/{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        problems += [f"{name}: too wide: {line}" for line in wider_than_the_screen(page)]
        problems += [f"{name}: axe: {line}" for line in axe_violations(page)]
        text = page.evaluate("document.title + '\\n' + document.body.innerText")
        english_seen |= {string for string in english if string in text}
    context.close()
    if language == "be":
        problems += [f"in English: {string!r}" for string in sorted(english_seen)]
    else:  # the same look finds the interface's sentences where they belong
        assert len(english_seen) > 50
    assert problems == [], "\n".join(problems)


def test_on_a_phone_the_list_shows_its_results_first_and_folds_the_filters(browser, live_server, registry):
    phone = browser.new_context(viewport=SCREENS["phone"], locale="be", is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/be/people/")
    assert page.locator(".results .card").first.is_visible()
    assert not page.locator("form.filters").is_visible()
    assert page.locator(".results").bounding_box()["y"] < SCREENS["phone"]["height"] / 2
    page.locator(".filters-box > summary").click()  # one tap unfolds them
    assert page.locator("form.filters").is_visible()
    page.goto(f"{live_server.url}/be/people/?gender=female")
    assert page.locator("form.filters").is_visible()  # filters in use stay in sight
    phone.close()
    desktop = browser.new_context(viewport=SCREENS["desktop"], locale="be")
    page = desktop.new_page()
    page.goto(f"{live_server.url}/be/people/")
    assert page.locator("form.filters").is_visible()  # beside the results
    filters, results = page.locator("form.filters").bounding_box(), page.locator(".results").bounding_box()
    assert filters["x"] < results["x"] and abs(filters["y"] - results["y"]) < 80
    desktop.close()


def test_on_a_phone_the_letter_box_comes_first_and_postcard_pictures_only_for_a_postcard(
    browser, live_server, registry
):
    phone = browser.new_context(viewport=SCREENS["phone"], locale="be", is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/be/people/{registry.pk}/write/")
    letter_box = page.locator("textarea[name=body]")
    assert letter_box.bounding_box()["y"] < page.locator(".address").bounding_box()["y"]
    assert letter_box.bounding_box()["y"] < 2 * SCREENS["phone"]["height"]
    assert not page.locator(".designs").is_visible()
    page.locator("input[name=kind][value=postcard]").check()
    assert page.locator(".designs").is_visible()
    phone.close()


@pytest.mark.parametrize("language", ["be", "en"])
def test_a_supporter_on_a_phone_finds_a_prisoner_befriends_her_and_prints_a_letter(
    browser, live_server, registry, language
):
    """Home → search → profile → befriend (a codename in the page's language) → write → the PDF,
    on a 390 px phone: no page wider than the screen, none with English on a Belarusian page."""
    from solidarity.friends import codenames
    from solidarity.friends.models import Friend
    from solidarity.letters.tests.helpers import pdf_pages

    context = browser.new_context(
        viewport=SCREENS["phone"], locale=language, is_mobile=True, accept_downloads=True
    )
    page = context.new_page()
    english = interface_strings() if language == "be" else []

    def looks_right(step: str) -> None:
        page.wait_for_load_state("networkidle")
        text = page.evaluate("document.body.innerText")
        problems = [f"{step}: {line}" for line in wider_than_the_screen(page)]
        problems += [f"{step}: in English: {string!r}" for string in english if string in text]
        assert problems == [], "\n".join(problems)

    page.goto(f"{live_server.url}/{language}/")
    looks_right("home")
    page.locator("#site-search-q").fill("Kolesnikova")  # another spelling than the registry's
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/search/?q=Kolesnikova")
    looks_right("search")
    page.locator(f'.cards a[href$="/people/{registry.pk}/"]').first.click()
    page.wait_for_url(f"**/people/{registry.pk}/")
    looks_right("profile")
    page.locator(f'a[href$="/people/{registry.pk}/befriend/"]').click()
    looks_right("befriend")
    page.locator("form button[type=submit]").last.click()  # the proof of work runs in the page
    page.wait_for_selector("#codename", timeout=60_000)
    looks_right("codename")
    codename = page.locator("#codename").inner_text()
    assert set(codename.split()) <= set(codenames.word_list(language))
    assert len(codename.split()) == codenames.WORDS_PER_CODENAME[language]
    assert Friend.objects.count() == 1
    page.goto(f"{live_server.url}/{language}/people/{registry.pk}/")
    page.locator(f'a[href$="/people/{registry.pk}/write/"]').first.click()
    looks_right("write")
    body = "Здравствуйте, Мария! У нас выпал первый снег, и мы вспоминаем Вас каждый день."
    page.locator("textarea[name=body]").fill(body)
    with page.expect_download() as download:
        page.locator("button[name=action][value=pdf]").click()
    content = Path(download.value.path()).read_bytes()
    letter = pdf_pages(content)[0]
    assert "У нас выпал первый снег" in re.sub(r"\s+", " ", letter)
    context.close()
