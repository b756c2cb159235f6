import datetime
import threading

import pytest
from django.db import connection

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.friends import codenames, services
from solidarity.friends.models import Friend, Friendship, Mark
from solidarity.registry.models import Person


def test_a_codename_is_seven_words_from_a_list_of_more_than_7000_with_over_90_bits():
    assert len(codenames.word_list()) >= 7000
    assert codenames.entropy_bits() >= 90
    codename = codenames.new_codename()
    assert len(codename.split()) == 7
    assert all(word in codenames.word_list() for word in codename.split())
    assert codenames.new_codename() != codename


def test_a_codename_is_the_same_however_it_is_typed():
    assert codenames.key_hash("Abacus  abdomen-ABDOMINAL\nx y z w") == codenames.key_hash(
        "abacus abdomen abdominal x y z w"
    )
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
