"""A realistic demo registry: invented people, real facilities, timelines that follow the
published counts.

The daily number of political prisoners follows a curve through the counts others published (the
country file's `published_counts`) exactly: a day-by-day simulation recognises new people while the
count is below the curve and releases people early (pardons, mostly) when it is above. Between and
around the published counts the curve follows the country file's assumed points (`demo`). Every
person, name and event is invented; every event says so in its source.
"""

import datetime
import heapq
import json
import random
from bisect import bisect_right
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import country
from .models import Article, Event, EventKind, Facility, Interest, Person, Region, Sentence
from .services import refresh_all_derived_fields

DEMO_SOURCE = "Demo data: an invented person, not a real record"
RECOGNIZED_SHARE = 0.88  # the rest of a demo registry: persecuted, not (yet) recognised


@dataclass(frozen=True)
class Curve:
    """The daily count of political prisoners the demo registry follows."""

    published: dict[datetime.date, int]
    points: list[tuple[datetime.date, int]]  # the published counts and the assumed ones, by date
    women: tuple[datetime.date, int]  # how many of those held on that date were women
    pardon_season: tuple[datetime.date, datetime.date]

    @property
    def start(self) -> datetime.date:
        return self.points[0][0]

    @property
    def women_share(self) -> float:
        day, women = self.women
        return women / self.published[day]

    def on(self, day: datetime.date) -> float:
        """The curve's value on a day: linear between its points, flat after the last."""
        dates = [d for d, _ in self.points]
        i = bisect_right(dates, day)
        if i == 0:
            return 0.0
        if i == len(self.points):
            return float(self.points[-1][1])
        (d0, c0), (d1, c1) = self.points[i - 1], self.points[i]
        return c0 + (c1 - c0) * (day - d0).days / (d1 - d0).days


def published_curve(code: str | None = None) -> Curve:
    """The curve through the country file's published counts and the demo's assumed points."""
    data = country.read_country(code)
    day = datetime.date.fromisoformat
    counts = data["published_counts"]["counts"]
    published = {day(item["date"]): item["value"] for item in counts}
    women = next((day(item["date"]), item["women"]) for item in counts if "women" in item)
    assumed = {day(item["date"]): item["value"] for item in data["demo"]["assumed_counts"]}
    season = data["demo"]["pardon_season"]
    return Curve(
        published=published,
        points=sorted({**assumed, **published}.items()),
        women=women,
        pardon_season=(day(season["from"]), day(season["to"])),
    )


@dataclass
class Stay:
    """One recognised person's time as a political prisoner, as the simulation decides it."""

    recognized: datetime.date
    end: datetime.date | None = None
    end_kind: str = EventKind.RELEASED
    female: bool = False


@dataclass
class Plan:
    stays: list[Stay] = field(default_factory=list)
    scale: float = 1.0


def _days(start: datetime.date, end: datetime.date):
    for n in range((end - start).days + 1):
        yield start + datetime.timedelta(days=n)


def _sentence_days(rng: random.Random) -> int:
    # Terms cluster at 2-4 years with a long tail to 15 and more (lognormal, median ~3.2 years).
    return max(30, int(rng.lognormvariate(7.05, 0.6)))


def simulate(
    rng: random.Random, curve: Curve, *, stretch: float, scale: float, today: datetime.date
) -> list[Stay]:
    """Day by day: release those whose time is up, release early (pardons) while above the curve,
    recognise new people while below it. Stays last a sampled term times `stretch`."""
    stays: list[Stay] = []
    ends: list[tuple[datetime.date, int]] = []  # heap of (planned end, stay index)
    active: list[int] = []  # stay indexes, with their positions, for O(1) removal and fair sampling
    position: dict[int, int] = {}

    def release(index: int, day: datetime.date) -> None:
        last = active.pop()
        if last != index:
            active[position[index]] = last
            position[last] = position[index]
        del position[index]
        stays[index].end = day

    for day in _days(curve.start, today):
        while ends and ends[0][0] <= day:
            _end, index = heapq.heappop(ends)
            if index in position:
                release(index, day)
        target = round(curve.on(day) * scale)
        if len(active) > target:
            in_pardon_season = curve.pardon_season[0] <= day <= curve.pardon_season[1]
            for index in rng.sample(active, len(active) - target):
                release(index, day)
                if in_pardon_season or rng.random() < 0.3:
                    stays[index].end_kind = EventKind.PARDONED
        while len(active) < target:
            days = max(7, int(_sentence_days(rng) * stretch))
            stays.append(Stay(recognized=day))
            index = len(stays) - 1
            position[index] = len(active)
            active.append(index)
            heapq.heappush(ends, (day + datetime.timedelta(days=days), index))
    return stays


def plan(people: int, seed: int, today: datetime.date, curve: Curve) -> Plan:
    """Finds how long stays must be so that about RECOGNIZED_SHARE of `people` are recognised
    while the curve is followed; a registry too small for the real curve gets a scaled-down one."""
    wanted = max(1, int(people * RECOGNIZED_SHARE))

    def run(stretch: float, scale: float) -> list[Stay]:
        return simulate(random.Random(seed), curve, stretch=stretch, scale=scale, today=today)

    shortest, longest = 0.02, 6.0
    scale = 1.0
    best = run(longest, scale)
    while len(best) > wanted:  # too few people even with the longest stays
        scale *= 0.97 * wanted / len(best)
        best = run(longest, scale)
    low, high = shortest, longest
    for _step in range(12):
        stretch = (low + high) / 2
        stays = run(stretch, scale)
        if len(stays) > wanted:
            low = stretch
        else:
            high, best = stretch, stays
    return Plan(best, scale)


class DemoRegistry:
    """Turns a plan into people, events and sentences, and saves them in bulk."""

    def __init__(self, people: int, seed: int, today: datetime.date | None = None):
        self.people = people
        self.rng = random.Random(seed)
        self.seed = seed
        self.today = today or timezone.localdate()
        self.names = json.loads((country.DATA_DIR / "demo_names.json").read_text(encoding="utf-8"))
        self.languages = [code for code, _ in settings.LANGUAGES]
        self.curve = published_curve()

    # --- reference data ---------------------------------------------------------------------------

    def _load_reference(self) -> None:
        country.load_country()
        data = country.read_country()
        for item in self.names["interests"]:
            Interest.objects.update_or_create(
                slug=item["slug"],
                defaults={f"name_{code}": item["name"].get(code, "") for code in self.languages},
            )
        self.regions = list(Region.objects.all())
        weights = {item["slug"]: item.get("weight", 1) for item in data["regions"]}
        self.region_weights = [weights.get(r.slug, 1) for r in self.regions]
        facilities = list(Facility.objects.select_related("kind"))
        self.by_kind: dict[str, list[Facility]] = {}
        for facility in facilities:
            self.by_kind.setdefault(facility.kind.slug, []).append(facility)
        self.articles = list(Article.objects.all())
        self.courts = [court["ru"] for court in data["courts"]]  # named as the list names them
        weights = {(a["number"], a.get("part", "")): a.get("weight", 1) for a in data["articles"]}
        self.article_weights = [weights.get((a.number, a.part), 1) for a in self.articles]
        self.interests = list(Interest.objects.all())

    def _pick_facility(
        self, kinds: list[str], *, female: bool, region: Region | None = None
    ) -> Facility | None:
        candidates = [f for kind in kinds for f in self.by_kind.get(kind, [])]
        if kinds == ["colony"] or "colony" in kinds:
            candidates = [f for f in candidates if f.holds_women == female] or candidates
        if region is not None:
            local = [f for f in candidates if f.region_id == region.pk]
            if local and self.rng.random() < 0.8:
                candidates = local
        return self.rng.choice(candidates) if candidates else None

    # --- people -----------------------------------------------------------------------------------

    def _name(self, female: bool) -> dict[str, str]:
        first = self.rng.choice(self.names["female_first" if female else "male_first"])
        father = self.rng.choice(self.names["male_first"])
        surname = self.rng.choice(self.names["surnames"])
        suffix = "_f" if female else ""
        patronymic = father.get("patronymic", {})
        values = {
            "be": (first["be"], patronymic.get("be_f" if female else "be_m", ""), surname["be" + suffix]),
            "ru": (first["ru"], patronymic.get("ru_f" if female else "ru_m", ""), surname["ru" + suffix]),
            "latin": (first["latin"], "", surname["latin" + suffix]),
        }
        fields: dict[str, str] = {}
        for code in self.languages:
            key = "latin" if code == settings.LATIN_LANGUAGE else code
            first_name, patronymic_name, last_name = values.get(key, values["latin"])
            fields[f"first_name_{code}"] = first_name
            fields[f"patronymic_{code}"] = patronymic_name
            fields[f"last_name_{code}"] = last_name
        return fields

    def _person(self, number: int, female: bool, detained: datetime.date | None) -> Person:
        rng = self.rng
        age = rng.choices(
            [rng.randint(16, 17), rng.randint(18, 30), rng.randint(31, 50), rng.randint(51, 78)],
            weights=[1, 30, 47, 22],
        )[0]
        reference = detained or self.today
        birth = reference - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        description = rng.choice(self.names["descriptions"])
        person = Person(
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            birth_date=birth,
            region=rng.choices(self.regions, weights=self.region_weights)[0],
            source_ref=f"demo:{number}",
            **self._name(female),
            **{f"description_{code}": description.get(code, "") for code in self.languages},
        )
        return person

    def _event(
        self, person: Person, kind: str, date: datetime.date, facility: Facility | None = None
    ) -> Event:
        return Event(person=person, kind=kind, date=date, facility=facility, source_citation=DEMO_SOURCE)

    def _timeline(
        self,
        person: Person,
        detained: datetime.date,
        recognized: datetime.date | None,
        end: datetime.date | None,
        end_kind: str,
    ) -> tuple[list[Event], Sentence | None]:
        """Events from detention to the end (or today), and the sentence if one was passed."""
        rng = self.rng
        female = person.gender == Person.Gender.FEMALE
        limit = end or self.today
        events = []
        first_place = self._pick_facility(
            ["temporary"] if rng.random() < 0.45 else ["pretrial"], female=female, region=person.region
        )
        events.append(self._event(person, EventKind.DETAINED, detained, first_place))
        day = detained + datetime.timedelta(days=rng.randint(2, 10))
        if day < limit:
            events.append(self._event(person, EventKind.CHARGED, day))
        if first_place and first_place.kind.slug == "temporary":
            day = detained + datetime.timedelta(days=rng.randint(3, 12))
            if day < limit:
                events.append(
                    self._event(
                        person,
                        EventKind.TRANSFERRED,
                        day,
                        self._pick_facility(["pretrial"], female=female, region=person.region),
                    )
                )
        if recognized and recognized <= self.today:
            events.append(self._event(person, EventKind.RECOGNIZED, recognized))
        sentence = None
        verdict = detained + datetime.timedelta(days=rng.randint(60, 330))
        if verdict < limit:
            term_days = (
                (end - detained).days if end and end_kind == EventKind.RELEASED else _sentence_days(rng)
            )
            months = max(6, round(term_days / 30.44))
            regime = rng.choices(
                [
                    Sentence.Regime.GENERAL,
                    Sentence.Regime.ENHANCED,
                    Sentence.Regime.STRICT,
                    Sentence.Regime.PRISON,
                    Sentence.Regime.OPEN,
                    Sentence.Regime.HOME,
                ],
                weights=[40, 30, 8, 2, 14, 6],
            )[0]
            events.append(self._event(person, EventKind.SENTENCED, verdict))
            sentence = Sentence(
                person=person,
                verdict_date=verdict,
                term_months=months,
                regime=regime,
                court=self.rng.choice(self.courts),
                source_citation=DEMO_SOURCE,
            )
            sentence.chosen_articles = self._articles()
            place_kind = {
                Sentence.Regime.PRISON: ["prison"],
                Sentence.Regime.OPEN: ["open"],
                Sentence.Regime.HOME: [],
            }.get(regime, ["colony"])
            day = verdict + datetime.timedelta(days=rng.randint(20, 75))
            if place_kind and day < limit:
                events.append(
                    self._event(
                        person, EventKind.TRANSFERRED, day, self._pick_facility(place_kind, female=female)
                    )
                )
                if rng.random() < 0.12:
                    day += datetime.timedelta(days=rng.randint(120, 700))
                    if day < limit:
                        events.append(
                            self._event(
                                person,
                                EventKind.TRANSFERRED,
                                day,
                                self._pick_facility(place_kind, female=female),
                            )
                        )
            if recognized and rng.random() < 0.03:
                day = verdict + datetime.timedelta(days=rng.randint(90, 500))
                if day < limit:
                    events.append(self._event(person, EventKind.INCOMMUNICADO, day))
        if end:
            events.append(self._event(person, end_kind, end))
        return events, sentence

    def _articles(self) -> list[Article]:
        count = self.rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
        return list(
            {a.pk: a for a in self.rng.choices(self.articles, weights=self.article_weights, k=count)}.values()
        )

    # --- the whole registry -----------------------------------------------------------------------

    @transaction.atomic
    def build(self) -> dict:
        self._load_reference()
        the_plan = plan(self.people, self.seed, self.today, self.curve)
        stays = the_plan.stays
        self._choose_women(stays, the_plan.scale)
        self._choose_deaths(stays)
        people, events, sentences = [], [], []
        for number, stay in enumerate(stays, start=1):
            lag = self.rng.randint(7, 150)
            detained = max(
                self.curve.start - datetime.timedelta(days=90), stay.recognized - datetime.timedelta(days=lag)
            )
            person = self._person(number, stay.female, detained)
            people.append(person)
            person_events, sentence = self._timeline(
                person, detained, stay.recognized, stay.end, stay.end_kind
            )
            events += person_events
            if sentence:
                sentences.append(sentence)
        # The persecuted who were never recognised: most released, some still held.
        for number in range(len(stays) + 1, self.people + 1):
            female = self.rng.random() < 0.18
            start = self.curve.start
            detained = start + datetime.timedelta(days=self.rng.randint(0, (self.today - start).days - 1))
            end = detained + datetime.timedelta(days=self.rng.randint(5, 900))
            person = self._person(number, female, detained)
            people.append(person)
            person_events, sentence = self._timeline(
                person, detained, None, end if end < self.today else None, EventKind.RELEASED
            )
            events += person_events
            if sentence:
                sentences.append(sentence)
        self._save(people, events, sentences)
        refresh_all_derived_fields(today=self.today)
        return {
            "people": len(people),
            "recognized": len(stays),
            "events": len(events),
            "scale": the_plan.scale,
        }

    def _choose_women(self, stays: list[Stay], scale: float) -> None:
        """Women are the published share of everyone, and exactly the published number on its date."""
        day, women = self.curve.women
        held = [s for s in stays if s.recognized <= day and (s.end is None or s.end > day)]
        chosen = set(map(id, self.rng.sample(held, min(len(held), round(women * scale)))))
        for stay in stays:
            held_then = stay.recognized <= day and (stay.end is None or stay.end > day)
            stay.female = id(stay) in chosen if held_then else self.rng.random() < self.curve.women_share

    def _choose_deaths(self, stays: list[Stay]) -> None:
        """A few people die in custody: one in five hundred of those ever recognised."""
        ended = [s for s in stays if s.end is not None]
        for stay in self.rng.sample(ended, min(len(ended), max(1, round(len(stays) * 0.002)))):
            stay.end_kind = EventKind.DIED

    def _save(self, people: list[Person], events: list[Event], sentences: list[Sentence]) -> None:
        Person.objects.bulk_create(people, batch_size=1000)
        for event in events:
            event.person_id = event.person.pk
        Event.objects.bulk_create(events, batch_size=2000)
        for sentence in sentences:
            sentence.person_id = sentence.person.pk
        Sentence.objects.bulk_create(sentences, batch_size=1000)
        Sentence.articles.through.objects.bulk_create(
            [
                Sentence.articles.through(sentence_id=s.pk, article_id=a.pk)
                for s in sentences
                for a in s.chosen_articles
            ],
            batch_size=2000,
        )
        Person.interests.through.objects.bulk_create(
            [
                Person.interests.through(person_id=p.pk, interest_id=i.pk)
                for p in people
                for i in self.rng.sample(self.interests, self.rng.randint(0, 3))
            ],
            batch_size=2000,
        )


def counts_on_published_dates(curve: Curve) -> dict[datetime.date, tuple[int, int]]:
    """(published, ours) for every published date: what `demo_data` prints and tests check."""
    return {
        day: (published, Person.objects.political_prisoners_on(day).count())
        for day, published in curve.published.items()
    }
