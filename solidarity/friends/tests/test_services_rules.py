"""The rules of the friendship operations that mutation testing found untested: an operation on
one codename's friendship touches that friendship and that person's count only, a count never goes
below zero even when it drifted, a friendship neither begins nor ends (nor is a codename forgotten)
unless its count moves with it, and a mark is refused (and says so) unless it is of a known kind on
a friendship of this codename with this person."""

import datetime

import pytest
from django.db import DatabaseError
from django.db.models import QuerySet

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.friends import services
from solidarity.friends.models import Friend, Friendship, Mark
from solidarity.registry.models import Person

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 21)


def friend_count(person) -> int:
    return Person.objects.get(pk=person.pk).friend_count


def friends_of(*people):
    """A new codename that befriends each of the people."""
    friend, _codename = services.create_friend()
    for person in people:
        services.befriend(friend=friend, person=person)
    return friend


def test_unfriending_ends_only_this_codenames_friendship_with_the_person():
    person = prisoner()
    leaving, staying = friends_of(person), friends_of(person)
    assert services.unfriend(friend=leaving, person=person) is True
    assert list(Friendship.objects.filter(person=person).values_list("friend", flat=True)) == [staying.pk]
    assert friend_count(person) == 1


def test_unfriending_when_the_count_already_drifted_to_zero_ends_the_friendship_and_keeps_zero():
    person = prisoner()
    friend = friends_of(person)
    Person.objects.filter(pk=person.pk).update(friend_count=0)
    assert services.unfriend(friend=friend, person=person) is True
    assert not Friendship.objects.exists()
    assert friend_count(person) == 0


@pytest.fixture
def refuse_count_changes(monkeypatch):
    """Once called, the database refuses every change of a friend count (as a lost connection would)."""
    update = QuerySet.update

    def refused_for_counts(queryset, **changes):
        if queryset.model is Person and "friend_count" in changes:
            raise DatabaseError("the count could not move")
        return update(queryset, **changes)

    def refuse():
        monkeypatch.setattr(QuerySet, "update", refused_for_counts)

    return refuse


def test_a_friendship_does_not_begin_when_its_count_cannot_move_with_it(refuse_count_changes):
    person = prisoner()
    friend, _codename = services.create_friend()
    refuse_count_changes()
    with pytest.raises(DatabaseError):
        services.befriend(friend=friend, person=person)
    assert not Friendship.objects.filter(friend=friend, person=person).exists()
    assert friend_count(person) == 0


def test_a_friendship_does_not_end_when_its_count_cannot_move_with_it(refuse_count_changes):
    person = prisoner()
    friend = friends_of(person)
    refuse_count_changes()
    with pytest.raises(DatabaseError):
        services.unfriend(friend=friend, person=person)
    assert Friendship.objects.filter(friend=friend, person=person).exists()
    assert friend_count(person) == 1


def test_a_codename_is_not_forgotten_when_the_counts_cannot_move_with_it(refuse_count_changes):
    person = prisoner()
    friend = friends_of(person)
    friend_id = friend.pk  # a deleted instance forgets its key, even when the deletion is undone
    refuse_count_changes()
    with pytest.raises(DatabaseError):
        services.forget(friend=friend)
    assert Friendship.objects.filter(friend_id=friend_id, person=person).exists()
    assert friend_count(person) == 1


def test_forgetting_a_codename_lowers_only_the_counts_of_the_people_it_befriended():
    befriended, bystander = prisoner(), prisoner()
    forgotten = friends_of(befriended)
    friends_of(befriended, bystander)
    assert services.forget(friend=forgotten) == 1
    assert friend_count(befriended) == 1
    assert friend_count(bystander) == 1


def test_forgetting_a_codename_never_takes_a_drifted_count_below_zero():
    person = prisoner()
    friend = friends_of(person)
    Person.objects.filter(pk=person.pk).update(friend_count=0)
    assert services.forget(friend=friend) == 1
    assert friend_count(person) == 0


def test_a_mark_lands_on_the_friendship_with_the_person_named():
    first, second = prisoner(), prisoner()
    friend = friends_of(first, second)
    assert services.mark(friend=friend, person=second, kind=Mark.Kind.LETTER, day=DAY) is True
    assert services.mark(friend=friend, person=first, kind=Mark.Kind.PARCEL, day=DAY) is True
    assert set(Mark.objects.values_list("friendship__person", "kind")) == {
        (second.pk, Mark.Kind.LETTER),
        (first.pk, Mark.Kind.PARCEL),
    }


def test_a_codename_that_is_not_a_friend_of_the_person_cannot_mark_them():
    person = prisoner()
    friends_of(person)  # someone else's friendship with the same person
    stranger = friends_of(prisoner())
    assert services.mark(friend=stranger, person=person, kind=Mark.Kind.LETTER, day=DAY) is False
    assert not Mark.objects.exists()


def test_a_mark_of_an_unknown_kind_is_refused_on_a_real_friendship():
    person = prisoner()
    friend = friends_of(person)
    assert services.mark(friend=friend, person=person, kind="visit", day=DAY) is False
    assert not Mark.objects.exists()


def test_the_same_mark_twice_on_one_day_counts_once():
    person = prisoner()
    friend = friends_of(person)
    assert services.mark(friend=friend, person=person, kind=Mark.Kind.PARCEL, day=DAY) is True
    assert services.mark(friend=friend, person=person, kind=Mark.Kind.PARCEL, day=DAY) is False
    assert services.mark(friend=friend, person=person, kind=Mark.Kind.LETTER, day=DAY) is True
    assert Mark.objects.count() == 2


def test_a_friendship_cannot_begin_with_someone_not_held_as_a_political_prisoner_now():
    released = prisoner(released=datetime.date(2025, 1, 10))
    friend = friends_of()
    with pytest.raises(services.NotBefriendable):
        services.befriend(friend=friend, person=released)
    with pytest.raises(services.NotBefriendable):
        services.befriend_with_new_codename(person=released)
    assert not Friendship.objects.exists() and friend_count(released) == 0
    assert list(Friend.objects.all()) == [friend]  # the newcomer's codename went with the refusal
