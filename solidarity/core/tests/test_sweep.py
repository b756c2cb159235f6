"""No input gives a 500 (issue 12, item 9): every public address, and every field of every form
and query its pages carry (found in the pages themselves, so that a new field is swept the day it
appears), gets hostile values: a NUL, 10,000 characters, an invalid UTF-8 percent-encoding, huge
integers, negative numbers. Every answer must be below 500.

The bot guard is answered as a visitor without JavaScript would (a question, its signed answer),
so that hostile values reach the operations behind the guarded forms too."""

import datetime
import secrets
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core import guard
from solidarity.donations.models import Campaign
from solidarity.donations.tests import fakes
from solidarity.friends import services as friends
from solidarity.letters.services import load_rules
from solidarity.magazine.tests.helpers import published_article
from solidarity.petitions.tests.helpers import open_petition
from solidarity.registry.country import load_country
from solidarity.registry.models import Sentence
from solidarity.registry.tests.factories import ArticleFactory
from solidarity.testimonies import sealing

pytestmark = pytest.mark.django_db

# Hostile values, sent through the ordinary encoding of a form or a query...
VALUES = {
    "a NUL": "a\x00b",
    "10,000 characters": "x" * 10_000,
    "a huge integer": "9" * 30,
    "a huge negative integer": "-" + "9" * 30,
    "a negative number": "-1",
    "an exponent": "1e309",
}
# ...and as written into the address or the body, percent-encoded bytes that are no UTF-8.
RAW = {"invalid UTF-8": "%ff%fe", "a broken escape": "%"}
# A letter the checker finds nothing in.
LETTER = {
    "kind": "letter",
    "language": "ru",
    "body": "Здравствуйте!\n\nУ нас выпал первый снег, и мы лепили снеговика. Желаю Вам здоровья.\n\nОля",
}
# Path parameters by converter.
PETITION_TOKEN = "a" * 43  # a link of the confirmation mail's shape, of no signature
PATH_VALUES = {
    "int": ["9" * 30, "0", str(2**63), str(2**63 - 1)],
    "slug": ["x" * 10_000, "%ff%fe", "-"],
    "str": ["x" * 10_000, "%ff%fe", "%00"],
    "path": ["x" * 10_000, "%ff%fe"],
}
# Addresses outside the sweep: the back office (staff only, behind a one-time code), the API
# (its own sweep below, and schemathesis), and what is not ours (media files, the favicon).
NOT_PUBLIC = ("admin/", "api/", "media/", "favicon.ico")
# Query parameters a page reads that no form on it carries.
EXTRA_QUERY = {
    "people_list": ["page", "q", "interests", "sort"],
    "people_csv": ["q", "status", "gender", "region", "facility", "article", "age_min", "sort"],
    "statistics": ["date"],
    "stats_chart": ["date"],
    "stats_csv": ["date"],
    "search": ["q"],
    "suggest": ["interests"],
    "letters_evening": ["who", "count", "people"],
    "changes_feed": ["page"],
    "magazine": ["kind", "page"],
    "magazine_search": ["q", "page"],
    "magazine_tag": ["page"],
}


class Forms(HTMLParser):
    """The forms of a page: their method, action and fields with the values the page gives."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action") or "",
                    "fields": {},
                    "buttons": {},
                }
            )
        elif not self.forms or "name" not in attrs and tag != "option":
            return
        form = self.forms[-1]
        fields = form["fields"]
        if tag in ("input", "button", "textarea"):
            kind = (attrs.get("type") or "text").lower()
            value = attrs.get("value") or ("on" if kind == "checkbox" else "")
            if kind == "submit" or tag == "button":
                form["buttons"].setdefault(attrs["name"], []).append(value)
            fields.setdefault(attrs["name"], value)
        elif tag == "select":
            self._select = attrs["name"]
            fields.setdefault(self._select, "")
        elif tag == "option" and self._select and not fields.get(self._select):
            fields[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_on(url: str, html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        form["action"] = urlsplit(urljoin(url, form["action"])).path
    return parser.forms


def public_patterns(resolver=None, prefix: str = "") -> list[tuple[str, str]]:
    """(name, route) of every address of the urlconf outside NOT_PUBLIC."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(entry, URLResolver):
            found += public_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            found.append((entry.name, route))
    return found


def guard_answer() -> dict:
    """The guard's question answered, as a visitor without JavaScript answers it (one use each)."""
    token = signing.dumps({"answer": 7, "nonce": secrets.token_hex(8)}, salt=guard.QUESTION_SALT)
    return {"answer": "7", "question_token": token}


class Sweep:
    def __init__(self, client: Client):
        self.client = client
        self.failures: list[str] = []
        self.sent = 0
        self.seen: set[tuple] = set()  # a form on every page (the search) is swept once

    def send(self, method: str, path: str, query: str = "", body: str | None = None) -> None:
        self.sent += 1
        address = f"{path}?{query}" if query else path
        if method == "get":
            response = self.client.get(address)
        else:
            response = self.client.post(address, body or "", content_type="application/x-www-form-urlencoded")
        if response.status_code >= 500:
            shown = address if len(address) < 300 else address[:150] + "…" + address[-100:]
            what = "" if body is None else f" with {body[:150]!r}…"
            self.failures.append(f"{method.upper()} {shown}{what}: {response.status_code}")

    def fields(self, method: str, path: str, fields: dict, names=None) -> None:
        """Each field (or each of `names`) in turn gets each hostile value, the others as given."""
        for name in names or list(fields):
            rest = {key: value for key, value in fields.items() if key != name}
            if "question_token" in fields and name not in ("answer", "question_token"):
                rest |= guard_answer()
            candidates = [urlencode({**rest, name: value}) for value in VALUES.values()]
            candidates += [f"{urlencode(rest)}&{quote(name)}={raw}".lstrip("&") for raw in RAW.values()]
            candidates.append(f"{urlencode(rest)}&%ff%fe={quote(fields.get(name) or 'x')}".lstrip("&"))
            for encoded in candidates:
                if method == "get":
                    self.send("get", path, query=encoded)
                else:
                    self.send("post", path, body=encoded)

    def page(self, path: str, extra: list[str] = (), buttons: bool = True) -> str:
        """Sweeps the page's query (its extras and its GET forms' fields) and its forms."""
        response = self.client.get(path)
        assert response.status_code < 500, path
        html = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
        self.fields("get", path, {}, names=extra)
        for form in forms_on(path, html):
            self.form(form, buttons)
        return html

    def form(self, form: dict, buttons: bool = True) -> None:
        """The form swept once for each of its buttons (each may lead somewhere else)."""
        variants = [{}]
        if buttons:
            variants += [{name: value} for name, values in form["buttons"].items() for value in values[1:]]
        for pressed in variants:
            fields = form["fields"] | pressed
            seen = (form["method"], form["action"], tuple(sorted(fields)), tuple(pressed.items()))
            if seen not in self.seen:
                self.seen.add(seen)
                self.fields(form["method"], form["action"], fields)


@pytest.fixture
def registry(db, settings):
    load_country()
    load_rules(country="BY", actor_label="tests")
    article = ArticleFactory(code="criminal", number="342", part="1")
    person = prisoner(detained=datetime.date(2021, 1, 1), birth_date=datetime.date(1980, 5, 4))
    Sentence.objects.create(
        person=person, term_months=36, regime="general", source_url="https://example.org/s"
    )
    person.sentences.get().articles.add(article)
    prisoner(detained=datetime.date(2022, 5, 1), released=datetime.date(2024, 2, 1))
    Campaign.objects.create(person=person, title="A lawyer", goal=100_000, currency="EUR")
    published_article(slug="a-story", subjects=[person], tags=["family"])
    open_petition("an-appeal").people.add(person)
    # The sweep posts hundreds of times from one client: the limits have their own tests.
    settings.FRIENDS_LIMIT_PER_HOUR = settings.FRIENDS_LIMIT_PER_HOUR_WITHOUT_JS = 10**6
    settings.LETTERS_LIMIT_PER_HOUR = 10**6
    settings.DONATION_LIMIT_PER_HOUR = 10**6
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TESTIMONY_PUBLIC_KEY = sealing.new_key_pair()[0]
    return person


@pytest.fixture
def friend_client(registry):
    """A browser signed in with a friend's codename."""
    _friend, codename = friends.befriend_with_new_codename(person=registry)
    client = Client()
    client.post("/en/friends/restore/", {"codename": codename})
    return client, codename


def urls(person) -> dict[str, str]:
    """An address of every public pattern, by name."""
    facility = person.current_facility.slug
    this_month = timezone.localdate()
    return {
        "home": "/en/",
        "people_list": "/en/people/",
        "people_csv": "/en/people.csv",
        "person_detail": f"/en/people/{person.pk}/",
        "person_print": f"/en/people/{person.pk}/print/",
        "birthdays": "/en/birthdays/",
        "search": "/en/search/",
        "facility_detail": f"/en/facilities/{facility}/",
        "changes_feed": "/en/changes.atom",
        "statistics": "/en/statistics/",
        "stats_chart": "/en/statistics/charts/daily.svg",
        "stats_csv": "/en/statistics/data/region.csv",
        "embed_counter": "/en/embed/counter/",
        "embed_chart": "/en/embed/daily.svg",
        "friends_home": "/en/friends/",
        "friends_me": "/en/friends/me/",
        "friends_restore": "/en/friends/restore/",
        "friends_remember": "/en/friends/remember/",
        "friends_forget": "/en/friends/forget/",
        "friends_calendar": "/en/friends/calendar/token.ics",
        "befriend": f"/en/people/{person.pk}/befriend/",
        "unfriend": f"/en/people/{person.pk}/unfriend/",
        "friends_mark": f"/en/people/{person.pk}/mark/",
        "forgotten": "/en/forgotten/",
        "suggest": "/en/forgotten/suggest/",
        "compose_letter": f"/en/people/{person.pk}/write/",
        "hand_over_letter": f"/en/people/{person.pk}/write/hand-over/",
        "letters_follow": "/en/letters/follow/",
        "read_reply": "/en/letters/replies/1/",
        "delete_reply": "/en/letters/replies/1/delete/",
        "letters_evening": "/en/letters/evening/",
        "parcel_plan": f"/en/people/{person.pk}/parcel/",
        "parcel_report": f"/en/facilities/{facility}/parcel-report/",
        "campaigns": "/en/donate/",
        "campaign": f"/en/donate/{person.campaigns.get().pk}/",
        "give": f"/en/donate/{person.campaigns.get().pk}/give/",
        "gift_thanks": "/en/donate/thanks/",
        "gift_receipt": "/en/donate/receipt/",
        "stop_monthly": "/en/donate/monthly/stop/",
        "donations_summary": "/en/donate/summary/",
        "donations_summary_csv": "/en/donate/summary.csv",
        "donations_summary_chart": "/en/donate/summary.svg",
        "magazine": "/en/magazine/",
        "magazine_search": "/en/magazine/search/",
        "magazine_feed": "/en/magazine/feed/",
        "magazine_tag": "/en/magazine/tag/family/",
        "magazine_person": f"/en/magazine/about/{person.pk}/",
        "magazine_person_feed": f"/en/magazine/about/{person.pk}/feed/",
        "magazine_issues": "/en/magazine/issues/",
        "magazine_issue_epub": f"/en/magazine/issues/{this_month:%Y-%m}.epub",
        "magazine_issue_pdf": f"/en/magazine/issues/{this_month:%Y-%m}.pdf",
        "magazine_article": "/en/magazine/a-story/",
        "testimonies": "/en/testimonies/",
        "testimony_new": "/en/testimonies/new/",
        "testimony_follow": "/en/testimonies/follow/",
        "testimony_add": "/en/testimonies/follow/add/",
        "testimony_withdraw": "/en/testimonies/follow/withdraw/",
        "testimony_leave": "/en/testimonies/leave/",
        "petitions": "/en/petitions/",
        "petition": "/en/petitions/an-appeal/",
        "petition_sign": "/en/petitions/an-appeal/sign/",
        "petition_confirm": f"/en/petitions/an-appeal/confirm/{PETITION_TOKEN}/",
        "petition_receipt": "/en/petitions/an-appeal/receipt/",
        "petition_ledger": "/en/petitions/an-appeal/ledger/",
        "petition_ledger_json": "/en/petitions/an-appeal/ledger.json",
        "stripe_webhook": "/donations/webhooks/stripe/",
        "btcpay_webhook": "/donations/webhooks/btcpay/",
    }


def test_the_sweep_knows_every_public_address_of_the_urlconf(registry):
    assert {name for name, _route in public_patterns()} - {"set_language"} <= set(urls(registry))


def test_no_path_parameter_gives_a_server_error(client, registry):
    sweep = Sweep(client)
    for _name, route in public_patterns():
        if "<" not in route:
            continue
        for converter, values in PATH_VALUES.items():
            if f"<{converter}:" not in route:
                continue
            for value in values:
                path = "/" + route
                for part in route.split("<")[1:]:
                    token = "<" + part.split(">")[0] + ">"
                    path = path.replace(token, value if token.startswith(f"<{converter}:") else "1")
                for method in ("get", "post"):
                    sweep.send(method, path.replace("//", "/"))
    assert sweep.sent > 50 and not sweep.failures, "\n".join(sweep.failures)


@pytest.mark.parametrize(
    "names",
    [
        ["home", "people_list", "people_csv", "person_detail", "person_print", "birthdays", "search"],
        ["facility_detail", "changes_feed"],
        ["statistics", "stats_chart", "stats_csv", "embed_counter", "embed_chart"],
    ],
    ids=["catalogue", "facilities and feed", "statistics"],
)
def test_no_query_of_the_public_pages_gives_a_server_error(client, registry, names):
    sweep = Sweep(client)
    for name in names:
        sweep.page(urls(registry)[name], EXTRA_QUERY.get(name, []))
    assert sweep.sent > 10 and not sweep.failures, "\n".join(sweep.failures)


def test_no_field_of_the_parcels_pages_gives_a_server_error(client, registry):
    pages = urls(registry)
    sweep = Sweep(client)
    for name in ("parcel_plan", "parcel_report"):
        sweep.page(pages[name])
    assert sweep.sent > 50 and not sweep.failures, "\n".join(sweep.failures)


def test_no_field_of_the_friends_pages_gives_a_server_error(client, friend_client, registry):
    signed_in, codename = friend_client
    pages = urls(registry)
    for visitor in (client, signed_in):
        sweep = Sweep(visitor)
        for name in ("friends_home", "befriend", "forgotten", "suggest", "friends_me"):
            sweep.page(pages[name], EXTRA_QUERY.get(name, []))
        sweep.fields("post", pages["friends_restore"], {"codename": codename, "remember": "on"})
        sweep.fields("post", pages["friends_remember"], {"codename": codename})
        sweep.fields("post", pages["friends_mark"], {"kind": "letter"})
        sweep.fields("get", pages["friends_calendar"], {}, names=["token"])
        assert sweep.sent > 50 and not sweep.failures, "\n".join(sweep.failures)


def test_no_field_of_the_letters_pages_gives_a_server_error(client, friend_client, registry):
    signed_in, _codename = friend_client
    pages = urls(registry)
    for visitor in (client, signed_in):
        sweep = Sweep(visitor)
        # Each button of the compose page (check, phrases, PDF, hand over) once; who writes
        # matters only from the hand-over on.
        sweep.page(pages["compose_letter"], buttons=visitor is client)
        for name in ("letters_follow", "letters_evening"):
            sweep.page(pages[name], EXTRA_QUERY.get(name, []))
        # The hand-over step is a page of its own, shown after "hand over" on the compose page.
        step = visitor.post(pages["compose_letter"], {**LETTER, "action": "hand_over"}).content.decode()
        assert "Hand the letter to our volunteers" in step
        for form in forms_on(pages["compose_letter"], step):
            sweep.form(form)
        assert sweep.sent > 50 and not sweep.failures, "\n".join(sweep.failures)


def test_no_field_of_the_donations_pages_gives_a_server_error(client, registry, settings):
    with fakes.stripe_double(settings) as fake_stripe, fakes.btcpay_double(settings):
        sweep_donations(client, registry, fake_stripe)


def sweep_donations(client, registry, fake_stripe):
    pages = urls(registry)
    sweep = Sweep(client)
    for name in ("campaigns", "campaign", "give", "gift_receipt", "stop_monthly", "donations_summary"):
        sweep.page(pages[name])
    for inside in ("yes", "no"):  # the ways to pay, as each answer shows them
        step = client.post(pages["give"], {"inside": inside}).content.decode()
        assert 'name="method"' in step
        for form in forms_on(pages["give"], step):
            sweep.form(form)
    session = fake_stripe.sessions[next(iter(fake_stripe.sessions))]["id"] if fake_stripe.sessions else "cs_x"
    sweep.fields("get", pages["gift_thanks"], {"session_id": session, "invoice": "Inv1"})
    sweep.fields("post", pages["gift_thanks"], {"session_id": session, "name": "x"})
    sweep.fields("get", pages["donations_summary_chart"], {"currency": "EUR", "size": "narrow"})
    for webhook in ("stripe_webhook", "btcpay_webhook"):
        sweep.fields("post", pages[webhook], {"type": "x", "id": "y"})
        sweep.send("post", pages[webhook], body="%ff%fe")
    assert sweep.sent > 50 and not sweep.failures, "\n".join(sweep.failures)


def test_no_field_of_the_petitions_pages_gives_a_server_error(client, registry):
    pages = urls(registry)
    sweep = Sweep(client)
    for name in ("petitions", "petition", "petition_confirm", "petition_receipt", "petition_ledger"):
        sweep.page(pages[name])
    sweep.fields(
        "post", pages["petition_sign"], {"country": "DE", "email": "a@example.org", **guard_answer()}
    )
    assert sweep.sent > 50 and not sweep.failures, "\n".join(sweep.failures)


def test_no_parameter_of_the_api_gives_a_server_error(client, registry):
    sweep = Sweep(client)
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        if "{" in path:
            for value in [*PATH_VALUES["int"], "x" * 10_000, "-1", "%ff%fe"]:
                sweep.send("get", path.split("{")[0] + value)
            continue
        if "get" not in operations:
            continue
        names = [parameter["name"] for parameter in operations["get"].get("parameters", [])]
        sweep.fields("get", path, {}, names=names or ["x"])
    for value in [*VALUES.values(), 10**30, -(10**30), -1]:
        for field in ("text", "country", "kind", "person", "lang"):
            body = {"text": "Привет", field: value}
            response = client.post("/api/v1/letters/check", body, content_type="application/json")
            sweep.sent += 1
            if response.status_code >= 500:
                sweep.failures.append(
                    f"POST /api/v1/letters/check {field}={str(value)[:40]!r}: {response.status_code}"
                )
    for raw in (b'{"text": "\xff\xfe"}', b'{"text": "\\ud800"}', b"{", b'{"text": 1e309}'):
        response = client.post("/api/v1/letters/check", raw, content_type="application/json")
        sweep.sent += 1
        if response.status_code >= 500:
            sweep.failures.append(f"POST /api/v1/letters/check {raw!r}: {response.status_code}")
    assert sweep.sent > 50 and not sweep.failures, "\n".join(sweep.failures)
