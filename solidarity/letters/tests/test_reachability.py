"""What is known of whether letters reach a person: their own report or an incommunicado event of
this detention, whichever is newer; else their facility's report; else nothing."""

import datetime

import pytest

from solidarity.letters.models import Reachability
from solidarity.letters.services import reachability_of
from solidarity.registry.models import EventKind
from solidarity.registry.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 10, 1)


def test_a_report_of_the_same_day_as_the_incommunicado_event_is_the_newer_word(viktar):
    EventFactory(person=viktar, kind=EventKind.INCOMMUNICADO, date=DAY, source_citation="The list")
    Reachability.objects.create(person=viktar, status="arrive", as_of=DAY, source_citation="A call")
    known = reachability_of(viktar)
    assert (known.status, known.as_of, known.of_facility) == ("arrive", DAY, False)
    Reachability.objects.filter(person=viktar).update(as_of=DAY - datetime.timedelta(days=1))
    assert reachability_of(viktar).status == "incommunicado"


def test_only_the_facilitys_report_says_it_is_the_facilitys(viktar):
    assert (reachability_of(viktar).status, reachability_of(viktar).of_facility) == ("unknown", False)
    Reachability.objects.create(
        facility=viktar.current_facility, status="relatives_only", as_of=DAY, source_citation="Reports"
    )
    assert (reachability_of(viktar).status, reachability_of(viktar).of_facility) == ("relatives_only", True)


def test_a_new_report_shows_on_the_profile_at_once_though_its_record_was_kept(client, viktar):
    profile = f"/en/people/{viktar.pk}/"
    assert "We have no report yet" in client.get(profile).content.decode()
    Reachability.objects.create(person=viktar, status="incommunicado", as_of=DAY, source_citation="A call")
    page = client.get(f"{profile}?ref=news").content.decode()
    assert "No letters are handed over now" in page and "We have no report yet" not in page
