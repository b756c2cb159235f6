import datetime

import pytest

from solidarity.catalogue.search import search_facilities, search_people, skeleton, words
from solidarity.registry.tests.factories import FacilityFactory, PersonFactory

from .helpers import prisoner


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Віктар", "Viktor"),
        ("Бабарыка", "Babariko"),
        ("Бабарико", "Babaryka"),
        ("Калеснікава", "Kolesnikova"),
        ("Ціханоўская", "Tikhanovskaya"),
        ("Дзмітрый", "Dmitriy"),
        ("Сяргей", "Sergey"),
        ("Siarhiej", "Sergei"),
        ("Пётр", "Piotr"),
        ("Бяляцкі", "Beliatskiy"),
        ("Юрый", "Yury"),
        ("Аляксандр", "Aleksandr"),
        ("Уладзімір", "Vladimir"),
        ("Aliaksei", "Alexey"),
        ("Alesya", "Алеся"),
        ("Kowalski", "Kovalsky"),
    ],
)
def test_spellings_of_one_name_fold_to_one_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


def test_different_names_stay_different():
    assert skeleton("Бабарыка") != skeleton("Барабаш")
    assert skeleton("Maria") != skeleton("Marta")


def test_words_split_on_punctuation_and_drop_empty_ones():
    assert words(" Бабарыка,  Віктар-Дзмітрыевіч ") == ["babarika", "uiktar", "dmitreuic"]
    assert words("  ,, ") == []


@pytest.fixture
def people(db):
    babaryka = prisoner(
        first_name_be="Віктар",
        first_name_ru="Виктор",
        first_name_en="Viktar",
        last_name_be="Бабарыка",
        last_name_ru="Бабарико",
        last_name_en="Babaryka",
    )
    kalesnikava = prisoner(
        first_name_be="Марыя",
        first_name_ru="Мария",
        first_name_en="Maryia",
        patronymic_be="Аляксандраўна",
        patronymic_ru="Александровна",
        last_name_be="Калеснікава",
        last_name_ru="Колесникова",
        last_name_en="Kalesnikava",
        gender="female",
    )
    other = prisoner(
        first_name_be="Віктар",
        first_name_ru="Виктор",
        first_name_en="Viktar",
        last_name_be="Барабаш",
        last_name_ru="Барабаш",
        last_name_en="Barabash",
    )
    return {"babaryka": babaryka, "kalesnikava": kalesnikava, "other": other}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Віктар Бабарыка",
        "Виктор Бабарико",
        "Viktar Babaryka",
        "Viktor Babariko",
        "babaryka viktar",
        "Бабарыка",
        "Babarika",
        "Babaryka V",
        "Бабар",
        "Viktor Babarkio",
        "Віктар Бабарыко",
    ],
)
def test_every_spelling_finds_the_same_person_first(people, query):
    hits = search_people(query)
    assert hits, query
    assert hits[0].pk == people["babaryka"].pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Мария Колесникова",
        "Maria Kolesnikova",
        "Kalesnikava Maryia",
        "Калесьнікава",
        "Mariya Kalesnikova",
        "колесникова мария александровна",
        "Kalesnikowa",
    ],
)
def test_a_womans_name_is_found_in_any_form(people, query):
    assert search_people(query)[0].pk == people["kalesnikava"].pk


@pytest.mark.django_db
def test_a_first_name_alone_finds_everyone_with_it(people):
    assert {hit.pk for hit in search_people("Viktor")} == {people["babaryka"].pk, people["other"].pk}


@pytest.mark.django_db
def test_nonsense_finds_nobody(people):
    assert search_people("Zzyzx Qwerty") == []
    assert search_people("") == []


@pytest.mark.django_db
def test_unpublished_people_are_never_found(people):
    person = people["babaryka"]
    person.is_published = False
    person.save()
    assert all(hit.pk != person.pk for hit in search_people("Бабарыка"))


@pytest.mark.django_db
def test_a_new_person_is_found_at_once(people):
    assert search_people("Лосік") == []
    newcomer = PersonFactory(last_name_be="Лосік", last_name_ru="Лосик", last_name_en="Losik")
    assert [hit.pk for hit in search_people("Losik")] == [newcomer.pk]


@pytest.mark.django_db
def test_facilities_are_found_by_name_short_name_and_town(db):
    colony = FacilityFactory(
        name_be="Папраўчая калонія № 17",
        name_ru="Исправительная колония № 17",
        name_en="Penal colony No. 17",
        code_cyrillic="ИК-17",
        code_latin="IK-17",
        city_be="Шклоў",
        city_ru="Шклов",
        city_en="Shklou",
    )
    FacilityFactory(city_be="Гомель", city_ru="Гомель", city_en="Homiel")
    for query in ("Шклов", "Shklov", "shklou", "колония 17", "ИК-17", "penal colony shklou"):
        assert search_facilities(query)[0].pk == colony.pk, query


@pytest.mark.django_db
@pytest.mark.parametrize(("surname", "typed"), [("Les", "Los"), ("Ilin", "Iln"), ("Лось", "Лес")])
def test_a_short_surname_forgives_one_typo(people, surname, typed):
    short = prisoner(first_name_en="Pavel", last_name_en=surname, last_name_ru=surname, last_name_be=surname)
    assert search_people(typed)[0].pk == short.pk
    assert search_people(f"Pavel {typed}")[0].pk == short.pk


@pytest.mark.django_db
def test_a_three_letter_typo_reaches_only_short_surnames_and_ranks_below_what_matches(people):
    """ "Bab" is the start of Babaryka; one edit from it is not looked for among long names or first
    names, and a surname one edit away ranks after the one that begins with it."""
    bub = prisoner(first_name_en="Pavel", last_name_en="Bub", last_name_ru="Буб", last_name_be="Буб")
    hits = [hit.pk for hit in search_people("Bab")]
    assert hits == [people["babaryka"].pk, bub.pk]
    assert (
        search_people("Pal") == []
    )  # one edit from Pavel's start, but no first name forgives a typo this short


@pytest.mark.django_db
def test_a_search_among_the_held_finds_only_them_in_the_same_order(people):
    released = prisoner(
        first_name_en="Viktar",
        last_name_en="Babaryka",
        last_name_ru="Бабарико",
        last_name_be="Бабарыка",
        released=datetime.date(2022, 1, 5),
    )
    everyone = [hit.pk for hit in search_people("Viktar")]
    held = [hit.pk for hit in search_people("Viktar", held_only=True)]
    assert released.pk in everyone
    assert held == [pk for pk in everyone if pk != released.pk]
    assert held == [people["babaryka"].pk, people["other"].pk]


@pytest.mark.django_db
def test_a_name_query_with_the_default_status_ranks_only_the_held(client, people, monkeypatch):
    """Released namesakes who match better do not take the ranked places of the held: with the
    default status, the list and the API rank among the held alone."""
    monkeypatch.setattr("solidarity.catalogue.forms.SEARCH_LIMIT", 2)
    for _ in range(3):
        prisoner(first_name_en="Viktar", last_name_en="Viktar", released=datetime.date(2022, 1, 5))
    found = client.get("/api/v1/people", {"q": "Viktar"}).json()
    assert [item["id"] for item in found["items"]] == [people["babaryka"].pk, people["other"].pk]
    assert found["count"] == 2
    assert client.get("/api/v1/people", {"q": "Viktar", "status": "released"}).json()["count"] == 2
