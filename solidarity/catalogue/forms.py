"""The list's filters: all in the URL (GET), so that a filtered list can be linked and bookmarked,
and needs no cookie and no JavaScript."""

import datetime

from django import forms
from django.db.models import F, Func, IntegerField, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from solidarity.registry import versioning
from solidarity.registry.country import post_days
from solidarity.registry.models import Article, Facility, Interest, Person, Region, Status
from solidarity.registry.snapshot import article_id

from . import search
from .listing import AmongIds

# A name query ranks at most this many people: enough for any real search, bounded for the database.
SEARCH_LIMIT = 1000


class QuickSelect(forms.Select):
    """A select drawn in Python: Django's template per option costs more than the whole list of
    people on the page. Same HTML, escaped the same way."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen = {str(item) for item in (value if isinstance(value, list | tuple) else [value]) if item}
        options = "".join(
            format_html(
                '<option value="{}"{}>{}</option>',
                key,
                mark_safe(" selected") if str(key) in chosen else "",
                label,
            )
            for key, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{attributes}>{options}</select>")  # noqa: S308 (all parts escaped above)


class QuickCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes drawn in Python, each in its label, for the same reason."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        chosen = {str(item) for item in value or ()}
        return mark_safe(  # noqa: S308 (every part is escaped by format_html)
            "".join(
                format_html(
                    '<label><input type="checkbox" name="{}" value="{}"{}> {}</label>',
                    name,
                    key,
                    mark_safe(" checked") if str(key) in chosen else "",
                    label,
                )
                for key, label in self.choices
            )
        )


_choice_lists: dict[tuple, list[tuple[str, str]]] = {}


def registry_choices(kind: str) -> list[tuple[str, str]]:
    """(public id, name) of the registry's regions, facilities, articles or interests in the active
    language, read once per registry version and language in each process."""
    key = (kind, versioning.current_version(), get_language())
    if key not in _choice_lists:
        if kind == "region":
            rows = [(r.slug, str(r.name)) for r in Region.objects.all()]
        elif kind == "facility":
            rows = [(f.slug, str(f.name)) for f in Facility.objects.all()]
        elif kind == "article":
            rows = [(article_id(a), f"{a.label} {a.title}") for a in Article.objects.all()]
        else:
            rows = [(i.slug, str(i.name)) for i in Interest.objects.all()]
        if len(_choice_lists) > 64:  # old versions
            _choice_lists.clear()
        _choice_lists[key] = rows
    return _choice_lists[key]


class PeopleFilter(forms.Form):
    STATUS_CHOICES = [
        ("now", _("imprisoned now")),
        ("released", _("released")),
        ("all", pgettext_lazy("people", "all")),
    ]
    SORT_CHOICES = [
        ("newest", _("newest arrests first")),
        ("name", _("by name")),
        ("fewest_friends", _("fewest friends first")),
    ]

    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False, widget=QuickSelect)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", pgettext_lazy("gender", "any"))] + Person.Gender.choices,
        required=False,
        widget=QuickSelect,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=lambda: [("", pgettext("region", "any")), *registry_choices("region")],
        required=False,
        widget=QuickSelect,
    )
    facility = forms.ChoiceField(
        label=_("Facility"),
        choices=lambda: [("", pgettext("facility", "any")), *registry_choices("facility")],
        required=False,
        widget=QuickSelect,
    )
    article = forms.ChoiceField(
        label=_("Article"),
        choices=lambda: [("", pgettext("article", "any")), *registry_choices("article")],
        required=False,
        widget=QuickSelect,
    )
    age_min = forms.IntegerField(label=_("Age from"), min_value=0, max_value=120, required=False)
    age_max = forms.IntegerField(label=_("Age to"), min_value=0, max_value=120, required=False)
    birthday_within = forms.IntegerField(
        label=_("Birthday within (days)"), min_value=0, max_value=366, required=False
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        choices=lambda: registry_choices("interest"),
        required=False,
        widget=QuickCheckboxes,
    )
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False, widget=QuickSelect)

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The upper age must not be below the lower one."))
        return cleaned

    def valid_filters(self) -> dict:
        """The filters that are valid: a bad one is left out (its field says why), the others
        still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filter(self, people: QuerySet, today: datetime.date) -> QuerySet:
        """The people matching the valid filters; invalid ones are left out, not guessed at."""
        data = self.valid_filters()
        status = data.get("status") or "now"
        if status == "now":
            people = people.filter(status=Status.POLITICAL_PRISONER)
        elif status == "released":
            people = people.filter(status=Status.RELEASED)
        if data.get("gender"):
            people = people.filter(gender=data["gender"])
        if data.get("region"):
            people = people.filter(region__slug=data["region"])
        if data.get("facility"):
            people = people.filter(current_facility__slug=data["facility"])
        if data.get("article"):
            code, number, part = data["article"].split(":")
            people = people.filter(
                sentences__articles__code=code,
                sentences__articles__number=number,
                sentences__articles__part=part,
            ).distinct()
        if data.get("age_min") is not None:
            people = people.filter(birth_date__lte=_years_before(today, data["age_min"]))
        if data.get("age_max") is not None:
            after = _years_before(today, data["age_max"] + 1)
            people = people.filter(birth_date__gt=after)
        if data.get("birthday_within") is not None:
            people = birthdays_within(people, today, data["birthday_within"])
        if data.get("interests"):
            people = people.filter(interests__slug__in=data["interests"]).distinct()
        return people

    def order(self, people: QuerySet) -> tuple[QuerySet, list[int] | None]:
        """People in the chosen order; with a name query, best match first (and the ranking)."""
        data = self.valid_filters()
        if data.get("q"):
            held_only = (data.get("status") or "now") == "now"  # the index knows who is held
            ranked = [
                hit.pk for hit in search.search_people(data["q"], limit=SEARCH_LIMIT, held_only=held_only)
            ]
            return (people.filter(AmongIds("pk", ranked)) if ranked else people.none()), ranked
        sort = data.get("sort") or "newest"
        if sort == "name":
            return people.order_by("last_name", "first_name", "pk"), None
        if sort == "fewest_friends":
            return people.order_by("friend_count", F("imprisoned_since").asc(nulls_last=True), "pk"), None
        return people.order_by(F("imprisoned_since").desc(nulls_last=True), "-pk"), None


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def month_day_keys(today: datetime.date, days: int) -> list[int]:
    """MMDD numbers of the days from today to today + days. In a year without 29 February, those
    born on it celebrate on the 28th."""
    keys = [int((today + datetime.timedelta(days=n)).strftime("%m%d")) for n in range(days + 1)]
    if 228 in keys and 229 not in keys:
        keys.append(229)
    return keys


class MonthDay(Func):
    """A date's month and day as one number, MMDD, in the database's own functions: Django's
    ExtractMonth on SQLite calls back into Python for every row (a third of the birthdays page)."""

    template = (
        "CAST(EXTRACT(MONTH FROM %(expressions)s) * 100 + EXTRACT(DAY FROM %(expressions)s) AS integer)"
    )
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps a date as its ISO text, YYYY-MM-DD.
        template = "CAST(substr(%(expressions)s, 6, 2) || substr(%(expressions)s, 9, 2) AS integer)"
        return self.as_sql(compiler, connection, template=template, **extra)


def birthdays_within(people: QuerySet, today: datetime.date, days: int) -> QuerySet:
    """Those whose birthday falls from `today` to `today` + `days`."""
    return people.annotate(birthday_key=MonthDay("birth_date")).filter(
        birthday_key__in=month_day_keys(today, days)
    )


def birthdays_in_time_for_the_post(people: QuerySet, today: datetime.date, days: int) -> QuerySet:
    """Those whose birthday is far enough ahead for a letter posted today to arrive in time (the
    country's `post_days`), over the `days` after that first day."""
    return birthdays_within(people, today + datetime.timedelta(days=post_days()), days)
