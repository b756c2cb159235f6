import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.parcels import checker, services
from solidarity.parcels.checker import Line
from solidarity.registry.country import load_country
from solidarity.registry.models import Facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    load_country()
    services.load_rules(country="by", actor_label="tests")
    facility = Facility.objects.select_related("kind").get(slug="sizo-1-minsk")
    return prisoner(
        facility=facility,
        detained=datetime.date(2025, 5, 1),
        first_name_ru="Мария",
        last_name_ru="Колесникова",
        first_name_en="Maryia",
        last_name_en="Kalesnikava",
        patronymic_ru="Александровна",
    )


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def test_vague_forbidden_and_unweighed_items_are_found_each_with_why_and_what_to_do():
    lines = [
        Line("Food", Decimal("2")),
        Line("Vodka, 0.5 l", Decimal("0.8")),
        Line("Чай чёрный, 250 г", None),
        Line("black tea, 250 g", Decimal("0.27")),
    ]
    findings = checker.check(lines, rules=[], from_abroad=False)
    assert codes(findings) == ["vague", "forbidden:alcohol", "weight-missing"]
    assert [finding.line for finding in findings] == [0, 1, 2]
    assert all(finding.reason and finding.advice for finding in findings)
    assert findings[0].source_url.startswith("https://")


def test_from_abroad_letters_inside_perishable_food_and_the_duty_free_limits_are_checked():
    lines = [
        Line("A letter to Masha", Decimal("0.02")),
        Line("Homemade jam", Decimal("0.5"), Decimal("5")),
        Line("Thermal underwear, black", Decimal("0.4"), Decimal("20")),
    ]
    abroad = codes(checker.check(lines, rules=[], from_abroad=True))
    assert abroad == ["forbidden:letters-inside", "forbidden:perishable", "duty"]  # 25 EUR > 22 EUR
    at_home = codes(checker.check(lines, rules=[], from_abroad=False))
    assert at_home == []
    assert checker.declaration_form(lines) == "CN22"
    assert checker.declaration_form([Line("A laptop", Decimal("2"), Decimal("450"))]) == "CN23"


def test_a_word_inside_another_is_not_taken_for_it():
    assert checker.check([Line("Wineberry jam", Decimal("0.3"))], rules=[], from_abroad=False) == []


def test_a_month_that_has_no_room_left_is_found(held):
    rules = services.rules_for(held.current_facility, regime="")
    findings = checker.check(
        [Line("Sugar, 1 kg", Decimal("12"))], rules=rules, from_abroad=False, kg_left=Decimal("10")
    )
    assert codes(findings) == ["over-month"]


def pdf_text(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def items_query(*lines, abroad=False) -> dict:
    query = {"items-TOTAL_FORMS": "8", "items-INITIAL_FORMS": "0", "relative": "yes", "action": "check"}
    for number, (name, count, kg, eur) in enumerate(lines):
        query.update(
            {
                f"items-{number}-name": name,
                f"items-{number}-count": count,
                f"items-{number}-kg": kg,
                f"items-{number}-eur": eur,
            }
        )
    if abroad:
        query["abroad"] = "on"
    return query


def test_the_forms_are_printed_with_the_facility_and_the_items_readable_back(client, held):
    query = items_query(
        ("Чай чёрный, 250 г", "2", "0.27", "4"), ("Warm wool socks, 3 pairs", "1", "0.3", "12"), abroad=True
    )
    page = client.post(reverse("parcel_plan", args=[held.pk]), query).content.decode()
    assert "Nothing found" in page and "customs declaration CN22" in page
    application, declaration = pdf_text(
        client.post(reverse("parcel_plan", args=[held.pk]), {**query, "action": "pdf"})
    )
    assert "ЗАЯВЛЕНИЕ" in application and "Колесникова Мария Александровна" in application
    assert "Чай чёрный, 250 г" in application and "Носки шерстяные тёплые, 3 пары" in application
    assert "СИЗО № 1 г. Минска" in application
    assert (
        "CN22" in declaration
        and "Black tea, 250 g" in declaration
        and "Warm wool socks, 3 pairs" in declaration
    )
    assert "Kalesnikava" in declaration and "BELARUS" in declaration
    assert "Total / Итого 3 0,84 20" in declaration  # 2 x 4 + 12 EUR


def test_no_forms_while_something_would_have_the_parcel_sent_back(client, held):
    query = items_query(("Food", "1", "2", ""))
    page = client.post(reverse("parcel_plan", args=[held.pk]), query).content.decode()
    assert "too vague" in page and "Download the forms (PDF)" not in page
    refused = client.post(reverse("parcel_plan", args=[held.pk]), {**query, "action": "pdf"})
    assert refused["Content-Type"].startswith("text/html") and "too vague" in refused.content.decode()


def test_bad_item_input_gets_messages_not_a_server_error(client, held):
    query = items_query(("Sugar", "-1", "abc", "1e309"))
    response = client.post(reverse("parcel_plan", args=[held.pk]), query)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert (
        client.get(
            reverse("parcel_plan", args=[held.pk]),
            {"items-TOTAL_FORMS": "9999", "items-INITIAL_FORMS": "0", "relative": "yes"},
        ).status_code
        == 200
    )


def test_the_planner_says_what_passes_customs_from_abroad_with_its_source(client, held):
    page = client.get(reverse("parcel_plan", args=[held.pk])).content.decode()
    assert "CN22 for contents under 300 SDR" in page
    assert "From abroad, a parcel of up to 22 EUR and 10 kg passes customs free of duty." in page
    assert "Указ № 360" in page


def test_a_parcel_heavier_than_the_months_kilograms_is_found_without_the_planners_answer(client, held):
    page = client.post(
        reverse("parcel_plan", args=[held.pk]), items_query(("Sugar, 1 kg", "45", "", ""))
    ).content.decode()
    assert "45" in page and "kg left this month" in page and "Download the forms (PDF)" not in page


def test_a_catalogue_items_weight_and_value_fill_in_and_unprintable_signs_are_refused(client, held):
    page = client.post(
        reverse("parcel_plan", args=[held.pk]), items_query(("Black tea, 250 g", "2", "", ""))
    ).content.decode()
    assert "Nothing found" in page  # 0.27 kg each from the catalogue
    emoji = client.post(
        reverse("parcel_plan", args=[held.pk]), items_query(("Tea 🍵", "1", "0.3", ""))
    ).content.decode()
    assert "cannot be printed on the forms" in emoji


def test_a_vague_word_with_a_count_is_still_vague():
    findings = checker.check([Line("Clothes, 3 items", Decimal("1"))], rules=[], from_abroad=False)
    assert codes(findings) == ["vague"]


def test_a_stem_finds_every_form_of_a_forbidden_word_and_only_whole_words_otherwise():
    for name in ("Бутылка водки", "водка 0.5", "алкогольный напиток", "Коньяк", "гарэлкі"):
        assert codes(checker.check([Line(name, Decimal("0.5"))], rules=[], from_abroad=False)) == [
            "forbidden:alcohol"
        ]
    for name in ("Винегрет в банке", "Wineberry jam", "Пивные дрожжи сухие"):
        assert checker.check([Line(name, Decimal("0.5"))], rules=[], from_abroad=False) == []
