import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from solidarity.audit.models import AuditEntry
from solidarity.catalogue.tests.helpers import prisoner
from solidarity.friends import services as friends
from solidarity.friends.models import Friendship, Mark
from solidarity.parcels import services
from solidarity.parcels.models import ParcelRule
from solidarity.parcels.services import Counts, Sent
from solidarity.registry.country import load_country
from solidarity.registry.models import Facility, Sentence

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def country():
    load_country()
    services.load_rules(country="by", actor_label="tests")
    return Facility.objects.select_related("kind")


def windows_by_counts(windows):
    return {window.rule.counts: window for window in windows}


def test_the_countrys_rules_load_with_their_sources_once(country):
    assert ParcelRule.objects.count() == 7
    assert services.load_rules(country="by", actor_label="again") == 0  # nothing changed, nothing audited
    for rule in ParcelRule.objects.all():
        assert rule.source_citation and rule.confirmed_on
    assert AuditEntry.objects.filter(object_id=str(ParcelRule.objects.first().pk)).count() == 1


def test_a_detention_centre_takes_posted_parcels_without_limit_and_30_kg_a_month_handed_in(country):
    minsk = country.get(slug="sizo-1-minsk")
    rules = services.rules_for(minsk, regime="")
    assert [rule.counts for rule in rules] == [Counts.POSTED, Counts.HANDED]
    sent = [
        Sent(TODAY - datetime.timedelta(days=3), Counts.HANDED, kg=Decimal("18")),
        Sent(TODAY, Counts.POSTED),
    ]
    windows = windows_by_counts(
        services.plan(rules, relative=False, after_verdict=False, sent=sent, today=TODAY)
    )
    assert windows[Counts.POSTED].may_send and windows[Counts.POSTED].left_this_year is None
    assert windows[Counts.HANDED].kg_left_this_month == Decimal("12")
    full = services.plan(
        rules,
        relative=True,
        after_verdict=False,
        sent=[Sent(TODAY, Counts.HANDED, kg=Decimal("30"))],
        today=TODAY,
    )
    handed = windows_by_counts(full)[Counts.HANDED]
    assert not handed.may_send and handed.next_on == datetime.date(2026, 12, 1)


def test_a_centres_own_rule_counts_posted_parcels_toward_its_30_kg(country):
    brest = country.get(slug="sizo-7-brest")
    (rule,) = services.rules_for(brest, regime="")
    assert rule.counts == Counts.PARCELS and rule.facility == brest and "Viasna" in rule.note_en
    sent = [Sent(TODAY, Counts.POSTED, kg=Decimal("20")), Sent(TODAY, Counts.HANDED, kg=Decimal("10"))]
    (window,) = services.plan([rule], relative=True, after_verdict=False, sent=sent, today=TODAY)
    assert not window.may_send and window.kg_left_this_month == 0


def test_a_juvenile_colony_gives_six_parcels_and_two_packets_and_two_more_parcels_in_improved_conditions(
    country,
):
    colony = country.get(slug="vk-2-babruisk")
    ordinary = windows_by_counts(
        services.plan(
            services.rules_for(colony, regime="general"),
            relative=True,
            after_verdict=True,
            sent=[Sent(datetime.date(2026, m, 1), Counts.PARCELS) for m in (1, 3, 5, 7, 9)]
            + [Sent(datetime.date(2025, 12, 1), Counts.PARCELS)],  # last year's does not count
            today=TODAY,
        )
    )
    assert ordinary[Counts.PARCELS].left_this_year == 1 and ordinary[Counts.PARCELS].may_send
    assert ordinary[Counts.PACKETS].left_this_year == 2
    improved = services.rules_for(colony, regime="general", conditions=ParcelRule.Conditions.IMPROVED)
    assert {rule.counts: rule.per_year for rule in improved} == {Counts.PARCELS: 8, Counts.PACKETS: 2}
    used_up = services.plan(
        services.rules_for(colony, regime="general"),
        relative=True,
        after_verdict=True,
        sent=[Sent(datetime.date(2026, m, 1), Counts.HANDED) for m in range(1, 7)],
        today=TODAY,
    )
    parcels = windows_by_counts(used_up)[Counts.PARCELS]
    assert not parcels.may_send and parcels.next_on == datetime.date(2027, 1, 1)


def test_after_the_verdict_a_relatives_only_rule_refuses_others_and_says_what_to_do(country):
    colony = country.get(slug="vk-2-babruisk")
    ParcelRule.objects.filter(facility_kind="juvenile").update(
        senders=ParcelRule.Senders.RELATIVES_AFTER_VERDICT
    )
    rules = services.rules_for(colony, regime="general")
    stranger = windows_by_counts(
        services.plan(rules, relative=False, after_verdict=True, sent=[], today=TODAY)
    )
    assert not stranger[Counts.PARCELS].may_send
    assert "facility's head" in stranger[Counts.PARCELS].reasons[0]
    before = services.plan(rules, relative=False, after_verdict=False, sent=[], today=TODAY)
    assert all(window.may_send for window in before)
    relative = services.plan(rules, relative=True, after_verdict=True, sent=[], today=TODAY)
    assert all(window.may_send for window in relative)


def test_the_facility_page_and_the_profile_show_the_rules_with_their_sources(client, country):
    minsk = country.get(slug="sizo-1-minsk")
    page = client.get(reverse("facility_detail", args=[minsk.slug])).content.decode()
    assert (
        "30 kg a month all together" in page and "п. 78" in page and "last confirmed 30 November 2022" in page
    )
    person = prisoner(facility=minsk, detained=datetime.date(2025, 5, 1))
    profile = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Plan a parcel" in profile and "No weight limit for minors" in profile


def test_a_convicted_persons_profile_says_plainly_when_the_regime_is_not_known(client, country):
    colony = country.get(slug="vk-2-babruisk")
    person = prisoner(facility=colony, detained=datetime.date(2024, 5, 1))
    Sentence.objects.create(person=person, term_months=24, source_url="https://example.org/v")
    profile = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Their regime is not known yet" in profile


def test_the_planner_answers_from_the_form_and_from_a_friends_marks_and_stores_nothing(client, country):
    minsk = country.get(slug="sizo-1-minsk")
    person = prisoner(facility=minsk, detained=datetime.date(2025, 5, 1))
    url = reverse("parcel_plan", args=[person.pk])
    assert "May I send one now?" in client.get(url).content.decode()
    answer = client.post(
        url, {"relative": "no", "parcels": "1", "packets": "0", "kg": "25", "action": "plan"}
    )
    assert (
        "5 kg left this month." in answer.content.decode()
        and "you may send one now." in answer.content.decode()
    )
    assert "Select a valid choice" in client.post(url, {"relative": "maybe"}).content.decode()
    assert client.post(url, {"relative": "yes", "kg": "-3"}).status_code == 200
    friend, codename = friends.befriend_with_new_codename(person=person)
    Mark.objects.create(
        friendship=Friendship.objects.get(friend=friend), kind=Mark.Kind.PARCEL, date=datetime.date.today()
    )
    client.post("/en/friends/restore/", {"codename": codename})
    assert "you sent 1 parcel this year" in client.get(url).content.decode()


def test_someone_released_has_no_parcel_to_plan(client, country):
    person = prisoner(detained=datetime.date(2021, 1, 1), released=datetime.date(2023, 1, 1))
    page = client.get(reverse("parcel_plan", args=[person.pk])).content.decode()
    assert "nowhere to send a parcel" in page


def test_editors_see_which_rules_are_stale(verified_client, editor):
    load_country()
    services.load_rules(country="by", actor_label="tests")
    client = verified_client(editor)
    stale = client.get(reverse("admin:parcels_parcelrule_changelist"), {"stale": "yes"}).content.decode()
    assert "by-pretrial-handed" in stale and "by-juvenile-parcels" not in stale


def test_a_juvenile_colonys_parcels_are_spaced_evenly_two_months_apart(country):
    colony = country.get(slug="vk-2-babruisk")
    rules = [r for r in services.rules_for(colony, regime="general") if r.counts == Counts.PARCELS]
    soon = services.plan(
        rules,
        relative=True,
        after_verdict=True,
        sent=[Sent(datetime.date(2026, 10, 1), Counts.PARCELS)],
        today=TODAY,
    )
    assert not soon[0].may_send and soon[0].next_on == datetime.date(2026, 12, 1)
    later = services.plan(
        rules,
        relative=True,
        after_verdict=True,
        sent=[Sent(datetime.date(2026, 9, 1), Counts.PARCELS)],
        today=TODAY,
    )
    assert later[0].may_send and later[0].left_this_year == 5


def test_a_friend_is_told_when_the_parcel_window_opens_on_their_page_and_in_their_calendar(client, country):
    import icalendar
    import recurring_ical_events

    from solidarity.friends import calendar
    from solidarity.friends.dues import dues_for

    colony = country.get(slug="vk-2-babruisk")
    person = prisoner(facility=colony, detained=datetime.date(2024, 5, 1))
    Sentence.objects.create(
        person=person, term_months=24, regime="general", source_url="https://example.org/v"
    )
    friend, _codename = friends.befriend_with_new_codename(person=person)
    friendship = Friendship.objects.select_related("person").get(friend=friend)
    (due,) = [d for d in dues_for(friendship, [], TODAY) if d.kind == "parcel"]
    assert due.text == "A parcel may go now (6 left this year)" and due.url == reverse(
        "parcel_plan", args=[person.pk]
    )
    mark = Mark.objects.create(friendship=friendship, kind=Mark.Kind.PARCEL, date=datetime.date(2026, 11, 2))
    (due,) = [d for d in dues_for(friendship, [mark], TODAY) if d.kind == "parcel"]
    assert due.text == "Parcel window opens on 2 January 2027"
    feed = icalendar.Calendar.from_ical(calendar.build([friendship], TODAY, "Site"))
    windows = [
        (str(e["SUMMARY"]), e["DTSTART"].dt)
        for e in recurring_ical_events.of(feed).between(TODAY, datetime.date(2027, 3, 1))
        if str(e["SUMMARY"]).startswith("Parcel")
    ]
    assert windows == [(f"Parcel window opens for {person.full_name}", datetime.date(2027, 1, 2))]


def test_a_visitor_reports_a_rule_not_applied_and_editors_see_it_beside_the_rule(
    client, country, verified_client, editor
):
    from solidarity.friends.tests.helpers import solved
    from solidarity.parcels.models import DeviationReport

    brest = country.get(slug="sizo-7-brest")
    assert (
        reverse("parcel_report", args=[brest.slug])
        in client.get(reverse("facility_detail", args=[brest.slug])).content.decode()
    )
    url = reverse("parcel_report", args=[brest.slug])
    page = client.get(url).content.decode()
    rule = ParcelRule.objects.get(key="by-sizo-7-brest-together")
    sent = {
        **solved(page),
        "rule": rule.pk,
        "happened_on": "2026-11-10",
        "what": "Refused a 12 kg parcel in November.",
    }
    answer = client.post(url, sent)
    assert "Your report has reached the editors." in answer.content.decode()
    report = DeviationReport.objects.get()
    assert (report.rule, report.facility, report.what) == (rule, brest, "Refused a 12 kg parcel in November.")
    future = client.post(
        url, {**solved(client.get(url).content.decode()), "happened_on": "2031-01-01", "what": "x"}
    )
    assert "within the last five years" in future.content.decode() and DeviationReport.objects.count() == 1
    staff = verified_client(editor)
    beside = staff.get(reverse("admin:parcels_parcelrule_change", args=[rule.pk])).content.decode()
    assert "Refused a 12 kg parcel in November." in beside


def test_spacing_is_counted_in_days_and_a_used_up_year_still_waits_for_it(country):
    colony = country.get(slug="vk-2-babruisk")
    improved = [
        r
        for r in services.rules_for(colony, regime="general", conditions="improved")
        if r.counts == Counts.PARCELS
    ]
    (window,) = services.plan(
        improved,
        relative=True,
        after_verdict=True,
        sent=[Sent(datetime.date(2026, 10, 15), Counts.PARCELS)],
        today=TODAY,
    )
    assert not window.may_send and window.next_on == datetime.date(2026, 11, 30)  # 46 days for eight a year
    ordinary = [r for r in services.rules_for(colony, regime="general") if r.counts == Counts.PARCELS]
    six = [Sent(datetime.date(2026, m, 1), Counts.PARCELS) for m in (1, 3, 5, 7, 9)] + [
        Sent(datetime.date(2026, 11, 15), Counts.PARCELS)
    ]
    (used,) = services.plan(ordinary, relative=True, after_verdict=True, sent=six, today=TODAY)
    assert used.next_on == datetime.date(2027, 1, 15)  # the new year, and 61 days after the last


def test_what_the_sender_says_is_dated_as_they_said_it(client, country):
    colony = country.get(slug="vk-2-babruisk")
    person = prisoner(facility=colony, detained=datetime.date(2024, 5, 1))
    url = reverse("parcel_plan", args=[person.pk])
    undated = client.post(url, {"relative": "yes", "parcels": "2", "action": "plan"}).content.decode()
    assert "you may send one now." in undated and "4 left this year." in undated  # no date: no spacing
    with time_machine.travel(datetime.date(2027, 1, 10)):  # last year's parcel still spaces the next one
        spaced = client.post(url, {"relative": "yes", "parcels": "0", "last": "2026-12-20", "action": "plan"})
    assert "spaced evenly" in spaced.content.decode() and "19 February 2027" in spaced.content.decode()
    kg_only = client.post(
        url, {"relative": "yes", "parcels": "0", "kg": "3", "action": "plan"}
    ).content.decode()
    assert "6 left this year." in kg_only  # kilograms handed in are no parcel of the year's count


def test_a_person_in_a_colony_without_a_known_sentence_is_after_the_verdict(client, country):
    person = prisoner(facility=country.get(slug="vk-2-babruisk"), detained=datetime.date(2024, 5, 1))
    situation = services.situation_of(person)
    assert situation.after_verdict and situation.regime == ""
    assert (
        "Their regime is not known yet"
        in client.get(reverse("person_detail", args=[person.pk])).content.decode()
    )
    Sentence.objects.create(person=person, term_months=24, regime="weird", source_url="https://example.org/v")
    assert client.get(reverse("parcel_plan", args=[person.pk])).status_code == 200
