"""`make bench`: performance figures of the registry, printed, never asserted.

For each registry size (BENCH_PEOPLE, default 5000,50000) it builds a demo registry in a fresh
database (a temporary SQLite file, or DATABASE_URL when set) and times the operations that pages
and imports lean on. Medians over repeated runs; these machines are noisy.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def describe(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms   (n={len(samples)})"


def run(people: int) -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.test import Client

    from solidarity.registry.models import Person
    from solidarity.registry.services import refresh_all_derived_fields
    from solidarity.registry.snapshot import build_snapshot

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo_data", "--people", str(people), "--replace", stdout=open(os.devnull, "w"))  # noqa: SIM115
    build_seconds = time.perf_counter() - started

    database = django.db.connection.vendor
    print(f"\n== {people} people ({database}) ==")
    print(f"build the demo registry (once)            {build_seconds * 1000:10.0f} ms")
    day = datetime.date(2023, 5, 21)
    print(
        "count political prisoners on a date     ",
        describe(timed(lambda: Person.objects.political_prisoners_on(day).count(), 20)),
    )
    print("recompute everyone's status             ", describe(timed(refresh_all_derived_fields, 5)))
    client = Client()
    print("build the full snapshot export          ", describe(timed(build_snapshot, 3)))
    catalogue(client, people)
    stats_figures(client)
    if people <= 5000:
        imports()
        letters()


def imports() -> None:
    """The daily update on a registry snapshot of the same size: into an empty registry, again
    (nothing changes), and as a dry run."""
    import json

    from django.utils import timezone

    from solidarity.imports.applying import apply_plan
    from solidarity.imports.planning import plan_file
    from solidarity.registry.models import Person
    from solidarity.registry.snapshot import build_snapshot

    data = json.dumps(build_snapshot(), ensure_ascii=False).encode()
    Person.objects.all().delete()
    today = timezone.localdate()

    def full_import() -> dict:
        plan = plan_file(data, today=today)
        apply_plan(plan, actor_label="import: bench")
        return plan.summary()

    started = time.perf_counter()
    first = full_import()
    elapsed = (time.perf_counter() - started) * 1000
    print(f"import {first['new']} records into an empty registry  {elapsed:8.0f} ms")
    started = time.perf_counter()
    again = full_import()
    elapsed = (time.perf_counter() - started) * 1000
    print(f"re-import the same file ({again['unchanged']} unchanged)   {elapsed:8.0f} ms")
    print(
        "dry run of the same file                ", describe(timed(lambda: plan_file(data, today=today), 3))
    )


def stats_figures(client) -> None:
    import datetime as dt

    from django.utils import timezone

    from solidarity.registry import versioning
    from solidarity.stats import computations

    today = timezone.localdate()

    def everything_uncached():
        versioning.bump()  # a new version: nothing cached, the timelines read again
        computations.daily_series(computations.SERIES_START, today)
        computations.monthly_flows(computations.SERIES_START, today)
        computations.breakdowns(today)

    print("statistics: daily series + all breakdowns, uncached", describe(timed(everything_uncached, 5)))
    client.get("/en/statistics/")
    print(
        "render the statistics page (cached)     ", describe(timed(lambda: client.get("/en/statistics/"), 20))
    )
    print(
        "draw the daily chart (cached data)      ",
        describe(timed(lambda: client.get("/en/statistics/charts/daily.svg"), 10)),
    )
    day = dt.date(2023, 5, 21)
    print(
        "API daily series for one year           ",
        describe(
            timed(lambda: client.get(f"/api/v1/stats/daily?from={day.replace(month=1, day=1)}&to={day}"), 20)
        ),
    )


def realistic_queries(count: int) -> list[str]:
    """Names as visitors type them: any script, either order, partial, with a slip of the finger."""
    import random

    from solidarity.registry.models import Person

    rng = random.Random(1)
    pks = list(Person.objects.values_list("pk", flat=True))
    queries = []
    for person in Person.objects.filter(pk__in=rng.sample(pks, count)):
        first, last = rng.choice(
            [
                (person.first_name_be, person.last_name_be),
                (person.first_name_ru, person.last_name_ru),
                (person.first_name_en, person.last_name_en),
            ]
        )
        form = rng.choice(["full", "reversed", "surname", "partial", "typo", "lower"])
        if form == "reversed":
            queries.append(f"{last} {first}")
        elif form == "surname":
            queries.append(last)
        elif form == "partial":
            queries.append(f"{last[:5]} {first}")
        elif form == "typo":
            i = rng.randrange(1, len(last) - 1)
            queries.append(f"{first} {last[:i]}{last[i + 1 :]}")
        elif form == "lower":
            queries.append(f"{first} {last}".lower())
        else:
            queries.append(f"{first} {last}")
    return queries


def catalogue(client, people: int) -> None:
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from solidarity.catalogue import search
    from solidarity.registry import versioning
    from solidarity.registry.models import Person, Status

    versioning.bump()
    started = time.perf_counter()
    search.current_index()
    print(f"build the search index (once per change) {(time.perf_counter() - started) * 1000:10.0f} ms")
    queries = realistic_queries(min(300, people))
    samples = []
    for query in queries:
        began = time.perf_counter()
        search.search_people(query, limit=20)
        samples.append((time.perf_counter() - began) * 1000)
    print(f"search, {len(queries)} realistic queries       ", describe(samples))

    def queries_for(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    held = list(Person.objects.filter(status=Status.POLITICAL_PRISONER).values_list("pk", flat=True)[:30])
    profiles = iter(held * 4)
    # (name, how the next address is made): a kept page and a miss of the page cache ask for one
    # address; a page made afresh for a new one each time (a profile never rendered before).
    pages = [
        ("the home page", lambda: "/en/"),
        ("the list page (50 people)", lambda: "/en/people/"),
        ("the list page, filtered", lambda: "/en/people/?gender=female&age_min=30&sort=name"),
        ("the list page, searched", lambda: "/en/people/?q=" + queries[0]),
        ("a profile page", lambda: f"/en/people/{next(profiles)}/"),
        ("birthdays", lambda: "/en/birthdays/"),
        ("statistics", lambda: "/en/statistics/"),
        ("API: a page of 50 people", lambda: "/api/v1/people"),
        ("API: a search", lambda: "/api/v1/people?q=" + queries[1]),
    ]
    misses = iter(range(10**9))

    def missed(url: str) -> str:  # a query of its own misses the page cache, as a link's click id does
        return f"{url}{'&' if '?' in url else '?'}_bench={next(misses)}"

    def emptied() -> None:  # nothing kept: every part of the page is made afresh
        caches["pages"].clear()
        caches["fragments"].clear()

    def afresh(url: str) -> None:
        emptied()
        client.get(url)

    def queries_afresh(url: str) -> int:
        emptied()
        return queries_for(url)

    print("pages (in process; a kept page / a miss of the page cache / made from nothing):")
    for name, next_url in pages:
        kept = next_url()
        client.get(kept)
        print(f"  {name:36} kept     ", describe(timed(lambda kept=kept: client.get(kept), 30)))
        print(
            f"  {'':36} missed   ",
            describe(timed(lambda kept=kept: client.get(missed(kept)), 30)),
        )
        print(
            f"  {'':36} afresh   ",
            describe(timed(lambda next_url=next_url: afresh(next_url()), 30)),
            f"  {queries_afresh(next_url())} queries",
        )


def letters() -> None:
    """The checker on the test corpus, one letter's PDF, and a volunteers' batch of 100 letters
    with their envelopes."""
    import datetime
    import json

    from solidarity.letters import checker
    from solidarity.letters.pdf import Sheet, document_for
    from solidarity.letters.services import load_rules
    from solidarity.registry.models import Person, Status

    load_rules(country="BY", actor_label="bench", replace=True)
    corpus = json.loads((ROOT / "solidarity/letters/tests/corpus.json").read_text(encoding="utf-8"))
    texts = [letter["text"] for letter in corpus["letters"]]
    started = time.perf_counter()
    checker.check(texts[0])
    first = (time.perf_counter() - started) * 1000
    samples = []
    for text in texts * 3:
        started = time.perf_counter()
        checker.check(text)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"check a letter: first in a process (loads the language model) {first:8.0f} ms")
    print(f"check a letter of the corpus ({len(texts)} letters)       ", describe(samples))
    # The longest texts the API takes, built to make patterns backtrack: the worst case of a check.
    hostile = [c * checker.MAX_TEXT for c in "-.@:)1аwА"] + ["т." * 10_000, "а " * 10_000, "Мороз " * 3_333]
    # Every word a sentence term's part, in one endless sentence; a surname after a preposition.
    hostile += ["двор чай тогда " * 1_333, "судья матч " * 1_818, "пра Мароза. " * 1_666]
    worst = max(max(timed(lambda text=text: checker.check(text), 3)) for text in hostile)
    print(f"check the worst of {len(hostile)} hostile 20,000-character texts        {worst:8.0f} ms")
    # A postcard is also measured as it prints: the longest text, and one of a line per character.
    cards = [texts[0] * 40, "а\n" * 10_000, "ш" * checker.MAX_TEXT]
    worst_card = max(max(timed(lambda text=text: checker.check(text, kind="postcard"), 3)) for text in cards)
    print(f"check the worst of {len(cards)} hostile postcard texts                 {worst_card:8.0f} ms")

    people = list(
        Person.objects.filter(status=Status.POLITICAL_PRISONER, current_facility__isnull=False)
        .select_related("current_facility")
        .order_by("pk")[:100]
    )
    day = datetime.date.today()
    clean = [letter["text"] for letter in corpus["letters"] if letter["clean"]]

    def sheet(n: int, kind: str = "letter") -> Sheet:
        person = people[n % len(people)]
        return Sheet(person, person.current_facility, kind, "ru", clean[n % len(clean)], day, "birthday")

    print("one letter's PDF (A4 + envelope)        ", describe(timed(lambda: document_for([sheet(0)]), 20)))
    print(
        "one postcard's PDF (A6 both sides + env.)",
        describe(timed(lambda: document_for([sheet(0, "postcard")]), 20)),
    )
    batch = [sheet(n) for n in range(100)]
    size = len(document_for(batch))
    print(
        "a batch of 100 letters with envelopes   ",
        describe(timed(lambda: document_for(batch), 3)),
        f"  {size / 1024:.0f} KB",
    )


def friends_bench() -> None:
    """Befriending under load (20 concurrent clients, each with its own connection), and the
    friend's page with 10 people."""
    import threading
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from solidarity.friends import services
    from solidarity.friends.models import Friend
    from solidarity.registry.models import Person, Status

    call_command("migrate", verbosity=0)
    call_command("demo_data", "--people", "2000", "--replace", stdout=open(os.devnull, "w"))  # noqa: SIM115
    Friend.objects.all().delete()
    Person.objects.update(friend_count=0)
    people = list(Person.objects.filter(status=Status.POLITICAL_PRISONER).order_by("pk")[:50])
    friends = [services.create_friend()[0] for _ in range(2000)]
    clients = 20

    def work(chunk):
        try:
            for n, friend in enumerate(chunk):
                services.befriend(friend=friend, person=people[n % len(people)])
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(friends[i::clients],)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(Person.objects.filter(pk__in=[p.pk for p in people]).values_list("friend_count", flat=True))
    print(f"\n== friendship ({connection.vendor}) ==")
    print(
        f"befriend, {clients} concurrent clients: {len(friends) / elapsed:8.0f} per second "
        f"({len(friends)} in {elapsed:.2f} s; counts add up to {total})"
    )

    friend, codename = services.create_friend()
    for person in people[:10]:
        services.befriend(friend=friend, person=person)
    client = Client()
    client.post("/en/friends/restore/", {"codename": codename})
    client.get("/en/friends/me/")
    print(
        "render the friend's page, 10 people     ", describe(timed(lambda: client.get("/en/friends/me/"), 30))
    )


def donations_bench() -> None:
    """Stripe webhooks under load (20 concurrent deliveries, each event twice, the payments read
    back from a Stripe double on 127.0.0.1 over real HTTP), and the campaign page's render time."""
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from solidarity.donations.models import Campaign, Gift, Payout, Provider
    from solidarity.donations.tests import fakes

    call_command("migrate", verbosity=0)
    server = fakes.FakeStripe()
    settings = {
        "STRIPE_SECRET_KEY": fakes.STRIPE_KEY,
        "STRIPE_WEBHOOK_SECRET": fakes.STRIPE_WEBHOOK_SECRET,
        "STRIPE_API_BASE": server.url,
        "STRIPE_CHECKOUT_ORIGIN": server.url,
    }
    with override_settings(**settings):
        campaign = Campaign.objects.create(title="Bench", goal=10**9, currency="EUR")
        events = []
        for number in range(500):
            intent = server.payment(1000 + number, "eur", {"campaign": str(campaign.pk)})
            events.append(server.event("payment_intent.succeeded", server.intents[intent]))
        deliveries = [server.delivery(event) for event in events] * 2
        clients = 20
        started = time.perf_counter()
        answers, _errors = fakes.deliver_concurrently(deliveries, clients)
        elapsed = time.perf_counter() - started
        total = campaign.gifts.net_total()
        print(f"\n== donations ({connection.vendor}) ==")
        print(
            f"Stripe webhooks, {clients} concurrent: {len(deliveries) / elapsed:6.0f} deliveries per second, "
            f"{len(events) / elapsed:6.0f} distinct events applied per second "
            f"({len(deliveries)} deliveries in {elapsed:.2f} s; {answers.count(200)} answered 200; total "
            f"{total} = expected {sum(1000 + n for n in range(500))})"
        )
        for _ in range(200):
            Gift.objects.create(campaign=campaign, provider=Provider.BANK, amount=2500)
        Payout.objects.create(campaign=campaign, amount=50_000)
        client = Client()
        path = f"/en/donate/{campaign.pk}/"
        client.get(path)
        print("campaign page, kept                     ", describe(timed(lambda: client.get(path), 50)))
        fresh = Client()
        fresh.cookies["sessionid"] = "none"  # a visitor with a cookie is never given a kept page
        fresh.get(path)
        print("campaign page, made afresh              ", describe(timed(lambda: fresh.get(path), 50)))
        print(
            "campaigns list, made afresh             ", describe(timed(lambda: fresh.get("/en/donate/"), 50))
        )
    server.stop()


def parcels_bench() -> None:
    """The parcel planner (rules for a facility, then the plan) and the forms' PDF."""
    import datetime
    import warnings
    from decimal import Decimal

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from solidarity.parcels import checker, pdf, services
    from solidarity.parcels.checker import Line
    from solidarity.registry.country import load_country
    from solidarity.registry.models import Facility, Person

    call_command("migrate", verbosity=0)
    load_country()
    services.load_rules(country="by", actor_label="bench")
    facility = Facility.objects.select_related("kind").get(slug="sizo-7-brest")
    today = datetime.date(2026, 11, 20)
    sent = [services.Sent(today, services.Counts.POSTED, kg=Decimal("5"))]

    def planned():
        rules = services.rules_for(facility, regime="")
        return services.plan(rules, relative=True, after_verdict=False, sent=sent, today=today)

    lines = [
        Line(item["name"]["ru"], Decimal(item["kg"]), Decimal(item["eur"]))
        for item in checker.country_data_items()
    ]
    person = Person(
        first_name_ru="Мария", last_name_ru="Колесникова", first_name_en="Maryia", last_name_en="Kalesnikava"
    )
    print(f"\n== parcels ({connection.vendor}) ==")
    print("plan a parcel (rules + plan)            ", describe(timed(planned, 200)))
    rules = services.rules_for(facility, regime="")
    print(
        f"check {len(lines)} items                          ",
        describe(timed(lambda: checker.check(lines, rules=rules, from_abroad=True), 200)),
    )
    made = pdf.forms(person=person, facility=facility, lines=lines, from_abroad=True, today=today)
    print(
        "the forms' PDF (application + CN23)     ",
        describe(
            timed(
                lambda: pdf.forms(
                    person=person, facility=facility, lines=lines, from_abroad=True, today=today
                ),
                20,
            )
        ),
        f"  {len(made) / 1024:.0f} KB",
    )


def magazine_bench() -> None:
    """The magazine's pages kept and made afresh, its Markdown, and the monthly issue's files, on
    the demo's six articles in three languages (one with a picture) about a small demo registry."""
    import os as _os
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from solidarity.magazine import issues, reading
    from solidarity.magazine.models import Article
    from solidarity.magazine.text import to_html

    call_command("migrate", verbosity=0)
    quiet = open(_os.devnull, "w")  # noqa: SIM115
    call_command("load_country", stdout=quiet)
    call_command("demo_data", "--people", "300", "--replace", stdout=quiet)
    Article.objects.all().delete()
    call_command("demo_magazine", stdout=quiet)
    article = reading.published().order_by("published_at").last()
    person = article.subjects.first()
    month = issues.months()[0][0]
    kept, fresh = Client(), Client()
    fresh.cookies["sessionid"] = "none"  # a visitor with a cookie is never given a kept page
    print(f"\n== magazine ({connection.vendor}) ==")
    for name, path in (
        ("front page", "/en/magazine/"),
        ("an article", f"/en/magazine/{article.slug}/"),
        ("a person's stories", f"/en/magazine/about/{person.pk}/"),
        ("the Atom feed", "/en/magazine/feed/"),
    ):
        kept.get(path)
        print(f"{name + ', kept':40}", describe(timed(lambda path=path: kept.get(path), 50)))
        print(f"{name + ', made afresh':40}", describe(timed(lambda path=path: fresh.get(path), 50)))
    body = article.body_ru * 4
    print(f"Markdown to safe HTML ({len(body)} characters)", describe(timed(lambda: to_html(body), 50)))
    epub = issues.epub(month, "en", "http://127.0.0.1:8000/")
    print(
        "the month's EPUB                        ",
        describe(timed(lambda: issues.epub(month, "en", "http://x/"), 20)),
        f"  {len(epub) / 1024:.0f} KB",
    )
    pdf = issues.pdf(month, "en", "http://127.0.0.1:8000/")
    print(
        "the month's PDF                         ",
        describe(timed(lambda: issues.pdf(month, "en", "http://x/"), 10)),
        f"  {len(pdf) / 1024:.0f} KB",
    )


def testimonies_bench() -> None:
    """Sealing a 200 MB attachment through the upload handler into the database, as a witness's
    upload arrives in 64 KB chunks: the time, the process's peak memory (which must not grow with
    the file), and streaming it back out into an export bundle."""
    import contextlib
    import resource
    import tracemalloc
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings
    from django.core.files.uploadhandler import StopFutureHandlers
    from django.core.management import call_command
    from django.test import RequestFactory, override_settings
    from django.utils import translation

    from solidarity.testimonies import sealing, services, uploads
    from solidarity.testimonies.models import SealedFile, Testimony

    call_command("migrate", verbosity=0)
    megabytes = 200
    public, _private = sealing.new_key_pair()
    request = RequestFactory().post(f"/en/testimonies/new/?ticket={uploads.new_ticket()}")
    chunk = os.urandom(64 * 1024)
    settings_for_the_run = {
        "TESTIMONY_PUBLIC_KEY": public,
        "TESTIMONY_MAX_BYTES": (megabytes + 1) * 1024 * 1024,
    }
    with override_settings(**settings_for_the_run), translation.override("en"):
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        started = time.perf_counter()
        handler = uploads.SealingUploadHandler(request)
        handler.handle_raw_input(None, {}, megabytes * 1024 * 1024, b"x")
        with contextlib.suppress(StopFutureHandlers):  # the handler keeps the file from any other
            handler.new_file("attachments", "video.mp4", "video/mp4", None)
        for number in range(megabytes * 16):
            handler.receive_data_chunk(chunk, number * len(chunk))
        sealed = handler.file_complete(megabytes * 1024 * 1024)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    row = SealedFile.objects.get(pk=sealed.file_id)
    print("\n== testimonies ==")
    print(
        f"seal a {megabytes} MB file through the upload handler into {row.chunks.count()} rows: "
        f"{elapsed:.2f} s ({megabytes / elapsed:.0f} MB/s); peak Python allocations "
        f"{peak / 1024 / 1024:.1f} MB; peak RSS grew {(rss_after - rss_before) / 1024:.1f} MB "
        f"(to {rss_after / 1024:.0f} MB); sealed {row.size / 1024 / 1024:.1f} MB "
        f"on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    )
    with override_settings(**settings_for_the_run), translation.override("en"):
        testimony, _codename = services.submit(
            answers={"what_happened": "x"}, consent={}, files=[sealed], language="en"
        )
        tracemalloc.start()
        started = time.perf_counter()
        bundle = services.export([Testimony.objects.get(pk=testimony.pk)])
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        f"export it into a bundle: {elapsed:.2f} s; peak Python allocations {peak / 1024 / 1024:.1f} MB; "
        f"bundle {bundle.stat().st_size / 1024 / 1024:.1f} MB"
    )
    bundle.unlink()
    services.purge(testimony.delete_after + datetime.timedelta(days=1))


def petitions_bench() -> None:
    """A petition with 100,000 confirmed signatures: its page, the count by country, the daily
    ledger over a month, a moderation preview, the recount; and signing plus confirming, one
    after the other, as a visitor's requests run them (the mail in memory)."""
    import datetime
    import secrets
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.utils import timezone, translation

    from solidarity.petitions import services
    from solidarity.petitions.models import Petition, Signature

    call_command("migrate", verbosity=0)
    signatures, days = 100_000, 30
    today = timezone.localdate()
    petition = Petition.objects.create(
        slug=f"bench-{secrets.token_hex(3)}", title="Bench", text="A petition.", addressees="Everyone",
        status=Petition.Status.OPEN, opened_on=today - datetime.timedelta(days=days),
    )  # fmt: skip
    countries = ["DE", "PL", "LT", "FR", "NL", "SE", "GB", "CZ", "UA", "US", "IS", "MT"]
    rows = [
        Signature(
            petition=petition,
            status=Signature.Status.CONFIRMED,
            country=countries[n % len(countries)],
            language="en",
            address_hash=secrets.token_hex(32),
            email_domain=f"d{n % 50}.example",
            signed_hour=timezone.now() - datetime.timedelta(hours=n % (days * 24)),
            confirmed_on=today - datetime.timedelta(days=1 + n % days),
            receipt_digest=secrets.token_hex(32),
        )  # fmt: skip
        for n in range(signatures)
    ]
    Signature.objects.bulk_create(rows, batch_size=2000)
    services.count_from_rows(petition)
    print(f"\n== petitions ({signatures:,} confirmed signatures) ==")
    started = time.perf_counter()
    services.seal_ledger()
    print(
        f"the ledger's {days} days written                 {(time.perf_counter() - started) * 1000:8.1f} ms"
    )
    print(
        "count by country                        ",
        describe(timed(lambda: services.by_country(services.exact_by_country(petition)), 20)),
    )
    client = Client()
    page = f"/en/petitions/{petition.slug}/"
    assert client.get(page).status_code == 200
    print("the petition's page (form, count, table)", describe(timed(lambda: client.get(page), 20)))
    criteria = services.Criteria(domain="d7.example")
    print(
        "moderation preview (one domain, 2,000)  ",
        describe(timed(lambda: services.preview(petition, criteria), 5)),
    )
    print("recount (rows and the whole ledger)     ", describe(timed(lambda: services.recount(petition), 5)))
    email_backend = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(EMAIL_BACKEND=email_backend), translation.override("en"):
        tokens = []
        print(
            "public figures, made again for the hour  ",
            describe(timed(lambda: services.shown_figures(petition, force=True), 20)),
        )

        def sign_one():
            services.sign(
                petition, name="", country="DE", show_name=False, email=f"{secrets.token_hex(6)}@example.org",
                language="en", link=tokens.append,
            )  # fmt: skip

        print("sign (row, hash, mail)                  ", describe(timed(sign_one, 200)))
        confirm = iter(tokens)
        print(
            "confirm (count moved, receipt)          ",
            describe(timed(lambda: services.confirm(petition, next(confirm)), 200)),
        )
    Petition.objects.filter(pk=petition.pk).delete()


def main() -> None:
    sizes = [int(n) for n in os.environ.get("BENCH_PEOPLE", "5000,50000").split(",")]
    if sys.argv[1:] == ["friends"]:
        friends_bench()
        return
    if sys.argv[1:] == ["donations"]:
        donations_bench()
        return
    if sys.argv[1:] == ["parcels"]:
        parcels_bench()
        return
    if sys.argv[1:] == ["magazine"]:
        magazine_bench()
        return
    if sys.argv[1:] == ["testimonies"]:
        testimonies_bench()
        return
    if sys.argv[1:] == ["petitions"]:
        petitions_bench()
        return
    if len(sys.argv) > 1:  # one size, in its own process and database
        run(int(sys.argv[1]))
        return
    import subprocess

    for people in sizes:
        with tempfile.TemporaryDirectory() as var_dir:
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidarity.settings_test", "VAR_DIR": var_dir}
            command = [sys.executable, "-m", "bench", str(people)]  # our own interpreter and module
            subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603
    # Friendship under concurrency, on PostgreSQL when BENCH_POSTGRES_URL names a scratch database.
    with tempfile.TemporaryDirectory() as var_dir:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidarity.settings_test", "VAR_DIR": var_dir}
        if os.environ.get("BENCH_POSTGRES_URL"):
            env["DATABASE_URL"] = os.environ["BENCH_POSTGRES_URL"]
        else:
            print("\n(friendship on SQLite: set BENCH_POSTGRES_URL to a scratch database for PostgreSQL)")
        subprocess.run([sys.executable, "-m", "bench", "friends"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([sys.executable, "-m", "bench", "donations"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([sys.executable, "-m", "bench", "parcels"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([sys.executable, "-m", "bench", "magazine"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([sys.executable, "-m", "bench", "testimonies"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([sys.executable, "-m", "bench", "petitions"], cwd=ROOT, env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
