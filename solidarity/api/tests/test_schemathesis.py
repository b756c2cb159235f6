"""No input gives the API a 500 (issue 12, item 9): schemathesis reads our OpenAPI document and
sends what it describes, and what it forbids (wrong types, out-of-range numbers, strings that are
too long, missing fields), to the app in-process through WSGI. Every answer must be below 500 and,
when it is one of the documented answers, look as the document says."""

import datetime
import time
from collections import Counter, defaultdict

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.registry.country import load_country
from solidarity.registry.models import Sentence
from solidarity.registry.tests.factories import ArticleFactory

# Examples per operation. The eight operations of /api/v1/ answer 2,000+ generated requests in
# all (three have no parameter and need one); the test prints the count and its time.
EXAMPLES = 420
REQUESTS_AT_LEAST = 2000

# The app's own OpenAPI document, as the app serves it (no database needed to read it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
sent: dict[str, Counter] = defaultdict(Counter)  # operation -> status -> requests


@pytest.fixture
def registry(db, monkeypatch):
    """A small registry to answer from, and the app called in the test's transaction."""
    load_country()
    article = ArticleFactory(code="criminal", number="342", part="1")
    person = prisoner(detained=datetime.date(2021, 1, 1), first_name_en="Ales")
    Sentence.objects.create(
        person=person, term_months=36, regime="general", source_url="https://example.org/s"
    )
    person.sentences.get().articles.add(article)
    prisoner(detained=datetime.date(2022, 5, 1), released=datetime.date(2024, 2, 1))
    # Hundreds of checks from one client would soon be answered 429; that answer has its own test.
    monkeypatch.setattr("solidarity.letters.api.CHECKS_PER_HOUR", 10**6)
    # Django's own test client keeps the test's transaction open across requests the same way:
    # after each request Django would close a connection that is inside a transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def count_the_requests():
    started = time.perf_counter()
    yield
    total, elapsed = sum(sum(statuses.values()) for statuses in sent.values()), time.perf_counter() - started
    print(f"\nschemathesis: {total} requests to {len(sent)} operations in {elapsed:.0f} s")
    for label, statuses in sorted(sent.items()):
        print(f"  {label}: {dict(sorted(statuses.items()))}")
    if len(sent) == len(list(schema.get_all_operations())):  # the whole module ran
        assert total >= REQUESTS_AT_LEAST, f"only {total} requests were generated"


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
    print_blob=True,
)
def test_no_generated_request_gets_a_server_error_and_answers_look_as_documented(registry, case):
    response = case.call()
    sent[case.operation.label][response.status_code] += 1
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
