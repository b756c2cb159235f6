"""The registry: people, the places they are held, the charges, and the dated, sourced timeline.

A person's status and facility are never typed in: they follow from the timeline (see
`timeline.py`). The stored `status`, `current_facility` and `imprisoned_since` columns are a cache of
that derivation for today, refreshed by `services.refresh_derived_fields` whenever a timeline changes,
so that lists can filter and sort on them.
"""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .country import court_in, postal_name


class Region(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class FacilityKind(models.Model):
    """Pre-trial detention centre, penal colony, prison...: the kinds a country's data file lists."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("kind of facility")
        verbose_name_plural = _("kinds of facility")

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    slug = models.SlugField(unique=True, max_length=100)
    kind = models.ForeignKey(FacilityKind, on_delete=models.PROTECT, verbose_name=_("kind"))
    name = models.CharField(_("name"), max_length=200)
    code_cyrillic = models.CharField(_("short name (Cyrillic)"), max_length=50, blank=True)
    code_latin = models.CharField(_("short name (Latin)"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    city = models.CharField(_("city"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    street_cyrillic = models.CharField(_("street address (Cyrillic)"), max_length=200, blank=True)
    street_latin = models.CharField(_("street address (Latin)"), max_length=200, blank=True)
    postal_address_cyrillic = models.TextField(
        _("postal address (Cyrillic)"),
        help_text=_("Exactly as it is to be written on an envelope, line by line, without the recipient."),
    )
    postal_address_latin = models.TextField(_("postal address (Latin)"), blank=True)
    holds_women = models.BooleanField(_("holds women"), default=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        return self.name

    @property
    def envelope_lines(self) -> list[str]:
        """The Cyrillic address line by line, then the country's name as international post reads
        it: a letter may be posted from abroad, and the country's own post reads it as well."""
        lines = [line.strip() for line in self.postal_address_cyrillic.splitlines() if line.strip()]
        country = postal_name()
        if lines and lines[-1].upper() != country:
            lines.append(country)
        return lines


class Article(models.Model):
    """An article (and part) of a legal code, e.g. part 1 of article 342 of the criminal code."""

    class Code(models.TextChoices):
        CRIMINAL = "criminal", _("Criminal Code")
        ADMINISTRATIVE = "administrative", _("Code of Administrative Offences")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, default=Code.CRIMINAL)
    number = models.CharField(_("article"), max_length=20)
    part = models.CharField(_("part"), max_length=10, blank=True)
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        ordering = ["code", "number", "part"]
        constraints = [
            models.UniqueConstraint(fields=["code", "number", "part"], name="unique_article_part"),
        ]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        if self.part:
            return _("Art. %(number)s part %(part)s") % {"number": self.number, "part": self.part}
        return _("Art. %(number)s") % {"number": self.number}


class Interest(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    POLITICAL_PRISONER = "political_prisoner", _("political prisoner")
    PERSECUTED = "persecuted", _("in custody, not recognised as a political prisoner")
    RELEASED = "released", _("released")
    DIED = "died", _("died")
    AT_LARGE = "at_large", _("not in custody")


# The statuses of someone held now, recognised or not: letters reach them, their names are others' risk.
IN_CUSTODY = frozenset({Status.POLITICAL_PRISONER, Status.PERSECUTED})


class EventKind(models.TextChoices):
    DETAINED = "detained", _("detained")
    CHARGED = "charged", _("charged")
    SENTENCED = "sentenced", _("sentenced")
    TRANSFERRED = "transferred", _("transferred")
    RECOGNIZED = "recognized", _("recognised as a political prisoner")
    RELEASED = "released", _("released")
    PARDONED = "pardoned", _("pardoned")
    DIED = "died", _("died")
    INCOMMUNICADO = "incommunicado", _("held incommunicado")


# The same events said of a woman: Belarusian and Russian agree the participle with the person.
EVENT_LABELS_FOR_WOMEN = {
    EventKind.DETAINED: pgettext_lazy("woman", "detained"),
    EventKind.CHARGED: pgettext_lazy("woman", "charged"),
    EventKind.SENTENCED: pgettext_lazy("woman", "sentenced"),
    EventKind.TRANSFERRED: pgettext_lazy("woman", "transferred"),
    EventKind.RECOGNIZED: pgettext_lazy("woman", "recognised as a political prisoner"),
    EventKind.RELEASED: pgettext_lazy("woman", "released"),
    EventKind.PARDONED: pgettext_lazy("woman", "pardoned"),
    EventKind.DIED: pgettext_lazy("woman", "died"),
    EventKind.INCOMMUNICADO: pgettext_lazy("woman", "held incommunicado"),
}

# The events that end a detention.
ENDING_KINDS = frozenset({EventKind.RELEASED, EventKind.PARDONED, EventKind.DIED})


class PersonQuerySet(models.QuerySet):
    def published(self) -> "PersonQuerySet":
        return self.filter(is_published=True)

    def political_prisoners_on(self, day: datetime.date) -> "PersonQuerySet":
        """The people who were political prisoners on `day`, by the timeline rule.

        Recognised on or before the day, and their latest detention on or before the day not
        followed (on a later date, up to and including the day) by a release, pardon or death.
        `timeline.is_political_prisoner_on` is the same rule in Python; tests hold them equal.
        """
        events_so_far = Event.objects.filter(person=OuterRef("pk"), date__lte=day)
        latest_detention = events_so_far.filter(kind=EventKind.DETAINED).order_by("-date").values("date")[:1]
        ended = Event.objects.filter(
            person=OuterRef("pk"),
            kind__in=ENDING_KINDS,
            date__lte=day,
            date__gt=OuterRef("latest_detention"),
        )
        return (
            self.annotate(latest_detention=Subquery(latest_detention))
            .filter(Exists(events_so_far.filter(kind=EventKind.RECOGNIZED)), latest_detention__isnull=False)
            .exclude(Exists(ended))
        )


class Sourced(models.Model):
    """A fact about a person is only as good as its source: a URL, a citation, or both."""

    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_citation = models.CharField(
        _("source citation"),
        max_length=500,
        blank=True,
        help_text=_("A publication, document or statement, when there is no URL."),
    )

    class Meta:
        abstract = True

    @property
    def source(self) -> str:
        return self.source_url or self.source_citation


SOURCE_REQUIRED = _("Give a source: a URL, a citation, or both.")


def has_source() -> Q:
    return ~Q(source_url="") | ~Q(source_citation="")


class Person(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("woman")
        MALE = "male", _("man")

    # Names are translated fields: one column per interface language. The Latin spelling lives
    # in the LATIN_LANGUAGE column (English).
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    photo = models.ImageField(_("photo"), upload_to="people/", blank=True)
    photo_source_url = models.URLField(
        _("photo's original address"),
        max_length=500,
        blank=True,
        help_text=_("Where the photo was published. It is never shown from there: only a copy we serve."),
    )
    description = models.CharField(_("short description"), max_length=300, blank=True)
    story = models.TextField(_("story"), blank=True)
    interests = models.ManyToManyField(Interest, blank=True, verbose_name=_("interests"))
    source_ref = models.CharField(
        _("identifier in the canonical list"),
        max_length=100,
        blank=True,
        help_text=_("For example viasna:1234; the daily import matches people by it."),
    )
    source_url = models.URLField(_("page in the canonical list"), max_length=500, blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    # Derived from the timeline by services.refresh_derived_fields; never edited by hand.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.AT_LARGE,
        editable=False,
        db_index=True,
    )
    current_facility = models.ForeignKey(
        Facility,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="current_people",
        verbose_name=_("current facility"),
    )
    imprisoned_since = models.DateField(_("in custody since"), null=True, blank=True, editable=False)
    # Kept exact by the friendship operations (a later app); here so lists can sort on it.
    friend_count = models.PositiveIntegerField(_("friends"), default=0, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    # Fields the audit history leaves out: derived caches and bookkeeping.
    audit_exclude = frozenset(
        {"status", "current_facility", "imprisoned_since", "friend_count", "created_at", "updated_at"}
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_ref"], condition=~Q(source_ref=""), name="unique_person_source_ref"
            ),
        ]
        indexes = [
            # The list's default order, newest in custody first, read in index order instead of
            # sorted per request (SQLite puts NULLs last in a descending index, as the list asks).
            models.Index(fields=["status", "-imprisoned_since", "-id"], name="person_newest"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def name_in(self, language: str) -> str:
        """First name, patronymic and last name as written in one language's columns."""
        parts = (
            getattr(self, f"{field}_{language}", "") for field in ("first_name", "patronymic", "last_name")
        )
        return " ".join(part for part in parts if part)

    def first_name_in(self, language: str) -> str:
        return getattr(self, f"first_name_{language}", "") or self.first_name

    @property
    def initials(self) -> str:
        """For the placeholder shown where there is no photo."""
        return "".join(part[:1] for part in (self.first_name, self.last_name) if part).upper()

    @property
    def formal_name(self) -> str:
        """Last name, first name and patronymic: how a name is written on an envelope or a list."""
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    def next_birthday(self, today: datetime.date) -> datetime.date | None:
        return next_birthday(self.birth_date, today)

    def age_on(self, day: datetime.date) -> int | None:
        if not self.birth_date:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def get_admin_url(self) -> str:
        return reverse("admin:registry_person_change", args=[self.pk])


def next_birthday(birth_date: datetime.date | None, today: datetime.date) -> datetime.date | None:
    """The next birthday on or after today; in a common year, 29 February is kept on the 28th."""
    if not birth_date:
        return None
    for year in (today.year, today.year + 1):
        try:
            day = birth_date.replace(year=year)
        except ValueError:
            day = datetime.date(year, 2, 28)
        if day >= today:
            return day
    raise AssertionError("unreachable")


class Event(Sourced):
    class Note(models.TextChoices):
        """What the daily import says of an event, shown in the reader's language."""

        RECOGNITION_DATE_FROM_ARREST = (
            "recognition_date_from_arrest",
            _("The list gives no date of recognition; the date of arrest stands for it."),
        )
        RELEASE_DATE_UNKNOWN = "release_date_unknown", _("Released on a date the list does not give.")
        HELD_ACCORDING_TO_LIST = "held_according_to_list", _("Held here according to the list.")
        SEEN_IN_LIST = "seen_in_list", _("Seen at this facility in the list on this date.")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="events", verbose_name=_("person")
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("facility"),
        help_text=_("Where the person is held from this date on, if the event says."),
    )
    note_code = models.CharField(_("standard note"), max_length=40, choices=Note.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=has_source(), name="event_has_source", violation_error_message=SOURCE_REQUIRED
            )
        ]
        indexes = [
            models.Index(fields=["person", "kind", "date"]),
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["-date", "-id"], name="event_recent"),
        ]
        verbose_name = _("event")
        verbose_name_plural = _("timeline")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def label(self) -> str:
        """What happened, in words that agree with the person (load `person` with the event)."""
        if self.person.gender == Person.Gender.FEMALE:
            return EVENT_LABELS_FOR_WOMEN[self.kind]
        return self.get_kind_display()

    @property
    def note_text(self) -> str:
        """The standard note in the reader's language, then the editors' own words."""
        return " ".join(part for part in (str(self.get_note_code_display()), self.note) if part)


class Sentence(Sourced):
    class Regime(models.TextChoices):
        GENERAL = "general", _("general-regime penal colony")
        ENHANCED = "enhanced", _("medium-security penal colony")
        STRICT = "strict", _("high-security penal colony")
        SPECIAL = "special", _("special-regime penal colony")
        PRISON = "prison", _("prison")
        SETTLEMENT = "settlement", _("colony-settlement")
        OPEN = "open", _("restricted freedom in an open-type institution")
        HOME = "home", _("restricted freedom at home")
        ARREST = "arrest", pgettext_lazy("penalty", "arrest")
        FINE = "fine", _("fine")
        SUSPENDED = "suspended", _("suspended sentence")
        TREATMENT = "treatment", _("compulsory psychiatric treatment")
        OTHER = "other", _("other")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="sentences", verbose_name=_("person")
    )
    articles = models.ManyToManyField(Article, blank=True, verbose_name=_("articles"))
    court = models.CharField(_("court"), max_length=200, blank=True)
    judge = models.CharField(_("judge"), max_length=200, blank=True)
    verdict_date = models.DateField(_("date of the verdict"), null=True, blank=True)
    term_months = models.PositiveIntegerField(_("term in months"), null=True, blank=True)
    regime = models.CharField(_("regime"), max_length=20, choices=Regime.choices, blank=True)
    appeal_date = models.DateField(_("date of the appeal"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["verdict_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=has_source(), name="sentence_has_source", violation_error_message=SOURCE_REQUIRED
            )
        ]
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")

    def __str__(self) -> str:
        return f"{self.verdict_date or '?'}: {self.term_months or '?'} / {self.get_regime_display()}"

    @property
    def court_name(self) -> str:
        """The court in the reader's language where the country's glossary knows it."""
        return court_in(self.court, get_language() or "") if self.court else ""
