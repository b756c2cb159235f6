"""Plug-in points: where an app adds itself to pages and services that other apps own.

Each point is a `PluginPoint`, filled from the registering app's `AppConfig.ready()`; the owner
asks it for its entries, in order, and shows what each returns. A registration carries no business
logic: a profile section is a function of (person, today) returning its context; the rules behind
it live in its own app's services.

| point | entry | asked by |
|---|---|---|
| `profile_sections` | `ProfileSection` | the catalogue's profile page and its printable version |
| `facility_sections` | `FacilitySection` | the catalogue's facility page |
| `dues` | f(friendship, marks, today) -> Due or None | the friend's page (`friends.dues`) |
| `friend_actions` | `PersonAction` | the friend's page, beside each person they support |
| `calendar_events` | f(friendship, today) -> list of icalendar events | the friend's calendar feed |
| `help_cards` | `HelpCard` | the home page's "How you can help" |
| `api_routers` | `ApiRouter` | the open-data API (`api`), one ninja router per app |
| `role_permissions` | `RolePermissions` | the staff roles (`staff.roles`), after every migrate |
| `page_versions` | a `CacheVersion` of data that public pages show | the page cache (`core.page_cache`) |
| `country_loaders` | f(country code) -> what it loaded, in words | `manage.py load_country` |
| `warm_ups` | `WarmUp`: derived values, pages to render first | `core.warmup`, as a worker starts |
| `chores` | `Chore`: a management command, run daily or as the worker starts | `core.chores`, by the worker |
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Entry = TypeVar("Entry")


class PluginPoint(Generic[Entry]):
    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, tuple[int, Entry]] = {}

    def register(self, key: str, entry: Entry, *, order: int = 100) -> Entry:
        """Adds (or, under the same key, replaces) an entry; lower `order` comes first."""
        self._entries[key] = (order, entry)
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def __iter__(self) -> Iterator[Entry]:
        ordered = sorted(self._entries.items(), key=lambda item: (item[1][0], item[0]))
        return iter([entry for _key, (_order, entry) in ordered])

    def __repr__(self) -> str:
        return f"<PluginPoint {self.name}: {', '.join(self._entries)}>"


@dataclass(frozen=True)
class ProfileSection:
    """A part of a person's profile: `template` rendered with what `context(person, today)`
    returns as `section`, or nothing when it returns None; in "How to help" (`place` "help") or
    after the person's story ("after")."""

    template: str
    context: Callable[[Any, datetime.date], dict | None]
    place: str = "help"


@dataclass(frozen=True)
class FacilitySection:
    """A part of a facility's page: `template` rendered with what `context(facility, today)`
    returns as `section`, or nothing when it returns None."""

    template: str
    context: Callable[[Any, datetime.date], dict | None]


@dataclass(frozen=True)
class HelpCard:
    """One way to help on the home page, linking to a page that does it (`url_name`)."""

    title: Any
    text: Any
    url_name: str


@dataclass(frozen=True)
class PersonAction:
    """Something a friend can do for a person they support: a link labelled `label` to what
    `url(person)` returns, or no link when it returns None."""

    label: Any
    url: Callable[[Any], str | None]


@dataclass(frozen=True)
class ApiRouter:
    """A ninja Router mounted under /api/v1/<prefix>; `prefix` may be empty."""

    prefix: str
    router: Any


# The staff roles (groups) an app may grant permissions to; `staff.roles` keeps them in step.
EDITOR = "editor"
AUTHOR = "author"
LETTERS_VOLUNTEER = "letters volunteer"
FINANCE = "finance"
TESTIMONY_REVIEWER = "testimony reviewer"
STAFF_ROLES = (EDITOR, AUTHOR, LETTERS_VOLUNTEER, FINANCE, TESTIMONY_REVIEWER)
EDIT = ("view", "add", "change", "delete")


@dataclass(frozen=True)
class WarmUp:
    """What a worker makes before it serves anyone: its `derived` values (`core.derived`: an
    index, facts), then the paths `pages()` gives in each language (it is called with the
    language active), so that templates are compiled and catalogues loaded. The background worker
    makes the values after an import."""

    derived: tuple[Any, ...] = ()
    pages: Callable[[], list[str]] = list


@dataclass(frozen=True)
class Chore:
    """Scheduled work: the management command `command` with `args`, run by the background worker
    once a day at `CHORES_AT` (`daily`) and/or each time the worker starts (`at_start`), in the
    points' order. Each runs whatever the one before did: a failure is logged, never stops the rest."""

    command: str
    args: tuple[str, ...] = ()
    daily: bool = True
    at_start: bool = False


@dataclass(frozen=True)
class RolePermissions:
    """What one app grants a staff role: {"app.model": ("view", "change", ...)}."""

    role: str
    permissions: dict[str, tuple[str, ...]] = field(default_factory=dict)


profile_sections: PluginPoint[ProfileSection] = PluginPoint("profile_sections")
facility_sections: PluginPoint[FacilitySection] = PluginPoint("facility_sections")
dues: PluginPoint[Callable] = PluginPoint("dues")
friend_actions: PluginPoint[PersonAction] = PluginPoint("friend_actions")
calendar_events: PluginPoint[Callable] = PluginPoint("calendar_events")
help_cards: PluginPoint[HelpCard] = PluginPoint("help_cards")
api_routers: PluginPoint[ApiRouter] = PluginPoint("api_routers")
role_permissions: PluginPoint[RolePermissions] = PluginPoint("role_permissions")
page_versions: PluginPoint[Any] = PluginPoint("page_versions")
country_loaders: PluginPoint[Callable[[str | None], str]] = PluginPoint("country_loaders")
warm_ups: PluginPoint["WarmUp"] = PluginPoint("warm_ups")
chores: PluginPoint[Chore] = PluginPoint("chores")
