"""Named operations of friendship. The friend count on a person moves only here, in the same
transaction as the row it counts, so it is exact under any concurrency and never negative.

Friends are anonymous visitors: nothing here writes to the audit history, whose entries carry the
moment they were made (nothing may tie a codename to a time finer than the day)."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from solidarity.registry.models import Person, Status

from . import codenames
from .models import Friend, Friendship, Mark


@transaction.atomic
def create_friend() -> tuple[Friend, str]:
    """A new friend and their codename: the codename is returned once and stored nowhere."""
    codename = codenames.new_codename()
    friend = Friend.objects.create(
        key_hash=codenames.key_hash(codename),
        calendar_hash=codenames.calendar_hash(codenames.calendar_token(codename)),
    )
    return friend, codename


def find_friend(codename: str) -> Friend | None:
    if not codenames.looks_like_codename(codename):
        return None
    return Friend.objects.filter(key_hash=codenames.key_hash(codename)).first()


class NotBefriendable(Exception):
    """A friendship with someone who is not held as a political prisoner now (released, died, or
    not recognised): there is nobody in prison to write to."""

    def __init__(self, person: Person):
        super().__init__(
            _(
                "%(name)s is not held as a political prisoner now: "
                "a friendship can only begin with someone who is."
            )
            % {"name": person.full_name}
        )


def befriended_names(friend: Friend) -> list[str]:
    """Whose friend this codename is, for a page that asks a signed-in browser which codename to use:
    a codename someone else planted in the browser shows itself by names the visitor does not know."""
    return [
        f.person.full_name for f in friend.friendships.select_related("person").order_by("person__last_name")
    ]


def may_befriend(person: Person) -> bool:
    """Only someone held as a political prisoner now can be befriended (the profile offers it by the
    same rule)."""
    return person.status == Status.POLITICAL_PRISONER


@transaction.atomic
def befriend(*, friend: Friend, person: Person) -> bool:
    """Returns whether a new friendship began (befriending twice counts once); refuses someone who
    may not be befriended (`NotBefriendable`)."""
    if not may_befriend(person):
        raise NotBefriendable(person)
    try:
        with transaction.atomic():  # a savepoint: the duplicate is refused, the transaction goes on
            Friendship.objects.create(friend=friend, person=person)
    except IntegrityError:
        return False
    Person.objects.filter(pk=person.pk).update(friend_count=F("friend_count") + 1)
    return True


@transaction.atomic
def befriend_with_new_codename(*, person: Person) -> tuple[Friend, str]:
    """A newcomer's first friendship: a new codename and its friendship, or neither."""
    friend, codename = create_friend()
    befriend(friend=friend, person=person)
    return friend, codename


@transaction.atomic
def unfriend(*, friend: Friend, person: Person) -> bool:
    _total, per_model = Friendship.objects.filter(friend=friend, person=person).delete()
    ended = per_model.get(Friendship._meta.label, 0)
    if ended:
        Person.objects.filter(pk=person.pk, friend_count__gte=ended).update(
            friend_count=F("friend_count") - ended
        )
    return bool(ended)


@transaction.atomic
def forget(*, friend: Friend) -> int:
    """Deletes the codename's friendships and marks at once; returns how many friendships ended."""
    people = list(friend.friendships.values_list("person_id", flat=True))
    friend.delete()
    Person.objects.filter(pk__in=people, friend_count__gt=0).update(friend_count=F("friend_count") - 1)
    return len(people)


@transaction.atomic
def mark(*, friend: Friend, person: Person, kind: str, day: datetime.date) -> bool:
    """ "I wrote" / "I sent a parcel" today; once per kind and day."""
    friendship = Friendship.objects.filter(friend=friend, person=person).first()
    if friendship is None or kind not in Mark.Kind.values:
        return False
    _mark, created = Mark.objects.get_or_create(friendship=friendship, kind=kind, date=day)
    return created
