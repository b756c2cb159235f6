import datetime
import threading

import pytest
from django.db import connection
from django.utils import translation

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.friends import codenames, services
from solidarity.friends.models import Friend, Friendship, Mark
from solidarity.registry.models import Person

# Words a codename written on paper must never hold: found on a person at a search, they would read
# as politics, prison or violence.
ALARMING = {
    "be": {
        *("свабода", "воля", "турма", "крата", "суд", "міліцыя", "амон", "зброя", "нож", "кроў"),
        *("вайна", "пратэст", "плошча", "сцяг", "герб", "беларусь", "жыве", "пагоня"),
    },
    "ru": {
        *("свобода", "воля", "тюрьма", "решётка", "суд", "милиция", "омон", "оружие", "нож", "кровь"),
        *("война", "протест", "площадь", "флаг", "герб", "беларусь", "революция"),
    },
    "en": {
        *("freedom", "prison", "jail", "police", "riot", "weapon", "gun", "knife", "blood", "war"),
        *("protest", "revolution", "bomb", "bullet", "arrest", "judge"),
    },
}


def test_a_codename_is_seven_words_from_a_list_of_more_than_7000_with_over_90_bits():
    assert len(codenames.word_list()) >= 7000
    assert codenames.entropy_bits() >= 90
    codename = codenames.new_codename("en")
    assert len(codename.split()) == 7
    assert all(word in codenames.word_list() for word in codename.split())
    assert codenames.new_codename("en") != codename


@pytest.mark.parametrize(
    ("language", "letters"),
    [("be", "абвгдеёжзійклмнопрстуўфхцчшыьэюя"), ("ru", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя")],
)
def test_a_codename_in_belarusian_or_russian_is_nine_common_words_with_over_90_bits(language, letters):
    words = codenames.word_list(language)
    assert len(words) >= 1024 and codenames.entropy_bits(language) >= 90
    assert all(set(word) <= set(letters) and 2 <= len(word) <= 12 for word in words)
    folded = {codenames.normalise(word) for word in words}
    assert len(folded) == len(words)  # no two words a different keyboard would type alike
    with translation.override(language):
        codename = codenames.new_codename()
    assert len(codename.split()) == 9 and all(word in words for word in codename.split())


@pytest.mark.parametrize("language", ["be", "ru", "en"])
def test_no_codename_word_is_political_or_alarming(language):
    words = set(codenames.word_list(language))
    assert not words & ALARMING[language]


def test_a_codename_follows_the_interface_language_and_english_stands_in_for_the_rest():
    with translation.override("be"):
        assert set(codenames.new_codename().split()) <= set(codenames.word_list("be"))
    assert set(codenames.new_codename("de").split()) <= set(codenames.word_list("en"))


def test_a_codename_is_the_same_however_it_is_typed():
    assert codenames.key_hash("Abacus  abdomen-ABDOMINAL\nx y z w") == codenames.key_hash(
        "abacus abdomen abdominal x y z w"
    )
    # On a Russian keyboard a Belarusian word is typed with и and у; ё is often typed as е.
    assert codenames.key_hash("Вавёрка, ЎЗГОРАК; ліпа") == codenames.key_hash("ваверка узгорак липа")
    assert codenames.key_hash("abacus abdomen abdominal x y z w") != codenames.key_hash(
        "abacus abdomen abdominal x y z v"
    )


@pytest.mark.django_db
def test_the_server_keeps_only_a_keyed_hash_of_the_codename():
    friend, codename = services.create_friend()
    row = Friend.objects.filter(pk=friend.pk).values().get()
    assert codename not in str(row)
    assert all(word not in str(row) for word in codename.split())
    assert services.find_friend(codename.upper()) == friend
    assert services.find_friend("not seven words") is None


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["be", "ru"])
def test_a_codename_of_any_list_finds_its_friend_whatever_the_interface_language(language):
    with translation.override(language):
        friend, codename = services.create_friend()
    assert len(codename.split()) == 9
    with translation.override("en"):
        assert services.find_friend(codename) == friend
        assert services.find_friend(" ".join(codename.split()[:8])) is None  # a word short


@pytest.mark.django_db
def test_befriending_fifty_times_with_one_codename_counts_once():
    person = prisoner()
    friend, _codename = services.create_friend()
    results = [services.befriend(friend=friend, person=person) for _ in range(50)]
    assert results.count(True) == 1
    person.refresh_from_db()
    assert person.friend_count == 1 == Friendship.objects.count()


@pytest.mark.django_db
def test_unfriend_and_forget_me_restore_the_count_and_never_go_below_zero():
    first, second = prisoner(), prisoner()
    friend, _ = services.create_friend()
    other, _ = services.create_friend()
    for person in (first, second):
        services.befriend(friend=friend, person=person)
    services.befriend(friend=other, person=first)
    services.mark(friend=friend, person=first, kind=Mark.Kind.LETTER, day=datetime.date(2026, 11, 1))
    assert Person.objects.get(pk=first.pk).friend_count == 2

    assert services.unfriend(friend=friend, person=second) is True
    assert services.unfriend(friend=friend, person=second) is False
    assert Person.objects.get(pk=second.pk).friend_count == 0

    assert services.forget(friend=friend) == 1
    assert Person.objects.get(pk=first.pk).friend_count == 1
    assert not Mark.objects.exists()
    assert not Friend.objects.filter(pk=friend.pk).exists()
    Person.objects.filter(pk=second.pk).update(friend_count=0)
    assert services.unfriend(friend=other, person=second) is False
    assert Person.objects.get(pk=second.pk).friend_count == 0


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_befriends_of_one_person_count_exactly_two_hundred():
    person = prisoner()
    friends = [services.create_friend()[0] for _ in range(200)]
    workers = 20 if connection.vendor == "postgresql" else 4  # SQLite has one writer at a time anyway
    errors: list[Exception] = []

    def befriend_all(chunk):
        try:
            for friend in chunk:
                services.befriend(friend=friend, person=person)
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=befriend_all, args=(friends[i::workers],)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    person.refresh_from_db()
    assert person.friend_count == 200 == Friendship.objects.filter(person=person).count()

    def unfriend_all(chunk):
        try:
            for friend in chunk:
                services.unfriend(friend=friend, person=person)
                services.unfriend(friend=friend, person=person)
        finally:
            connection.close()

    threads = [threading.Thread(target=unfriend_all, args=(friends[i::workers],)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    person.refresh_from_db()
    assert person.friend_count == 0
