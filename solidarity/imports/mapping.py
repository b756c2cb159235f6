"""One record of a file, in whatever format, turned into what it says about one person (`Incoming`),
or refused with a reason (`Rejected`). Nothing here touches the database."""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext

from solidarity.registry.country import canonical_list, facility_kind_words, list_place_statuses
from solidarity.registry.models import Event, EventKind, Person, Sentence

EMPTY = {"", "false", "none", "null", "-", "—"}


class Rejected(ValueError):
    """A record that cannot be imported; the message is the reason, for the summary."""


@dataclass
class FacilityRef:
    title: str
    address: str = ""
    postal_code: str = ""
    city: str = ""
    street: str = ""
    kind: str = ""
    slug: str = ""  # set by snapshots, which name facilities by our slug

    @property
    def key(self) -> str:
        return self.slug or f"{self.title.strip().lower()}|{self.address.strip().lower()}"


@dataclass
class ArticleRef:
    code: str
    number: str
    part: str
    title_en: str = ""

    @property
    def key(self) -> str:
        return f"{self.code}:{self.number}:{self.part}"


@dataclass
class IncomingEvent:
    kind: str
    date: datetime.date
    facility: FacilityRef | None = None
    source_url: str = ""
    source_citation: str = ""
    note: str = ""
    note_code: str = ""  # one of Event.Note


@dataclass
class IncomingSentence:
    verdict_date: datetime.date | None
    term_months: int | None = None
    regime: str = ""
    articles: list[ArticleRef] = field(default_factory=list)
    court: str = ""
    judge: str = ""
    appeal_date: datetime.date | None = None
    note: str = ""
    source_url: str = ""
    source_citation: str = ""


@dataclass
class Incoming:
    number: int
    source_ref: str
    # Person fields the record gives values for (empty values are left out, never blanked).
    fields: dict = field(default_factory=dict)
    events: list[IncomingEvent] = field(default_factory=list)
    sentences: list[IncomingSentence] = field(default_factory=list)
    # Where the record says the person is held now (the list gives no date for it).
    facility: FacilityRef | None = None
    released: bool = False
    recognized: bool = True
    interests: list[str] | None = None
    snapshot_id: int | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        latin = settings.LATIN_LANGUAGE
        for code in (latin, *[c for c, _n in settings.LANGUAGES]):
            name = " ".join(
                filter(None, (self.fields.get(f"first_name_{code}"), self.fields.get(f"last_name_{code}")))
            )
            if name:
                return name
        return self.source_ref


def _text(value) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        raise Rejected(f"a text field holds {type(value).__name__}")
    return "" if value.strip().lower() in EMPTY else value.strip()


def parse_date(value, name: str) -> datetime.date | None:
    text = _text(value)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    raise Rejected(f"{name} {text!r} is not a date")


_YEARS = re.compile(r"(\d+)(?:[.,](5)|\s+(\d)/(\d))?\s*(?:years?|год[аы]?|лет|гадоў|гады?)", re.I)
_MONTHS = re.compile(r"(\d+)\s*(?:months?|месяц\w*|месяц\w*|месяц)", re.I)


def parse_term(text: str) -> int | None:
    """ "4 1/2 years" -> 54, "2 years 6 months" -> 30, "1 year of restricted freedom" -> 12."""
    months = 0
    found = False
    for whole, half, numerator, denominator in _YEARS.findall(text):
        found = True
        months += int(whole) * 12
        if half:
            months += 6
        if numerator:
            months += round(12 * int(numerator) / int(denominator))
    for count in _MONTHS.findall(text):
        found = True
        months += int(count)
    return months if found else None


def parse_regime(text: str) -> str:
    """The regime a penalty's words name. Words match at the start of a word, so that the
    "prison" in "imprisonment in a maximum-security penal colony" names no prison."""
    text = text.lower()
    rules = [
        (("suspended", "условн"), Sentence.Regime.SUSPENDED),
        (("home confinement", "domashnyaya", "домашн"), Sentence.Regime.HOME),
        (("open", "khimiya", "химия", "открыт"), Sentence.Regime.OPEN),
        (("psychiatric", "compulsory treatment", "принудительн"), Sentence.Regime.TREATMENT),
        (("settlement", "поселени"), Sentence.Regime.SETTLEMENT),
        (("special", "особ"), Sentence.Regime.SPECIAL),
        (("medium-security", "medium security", "enhanced", "усилен"), Sentence.Regime.ENHANCED),
        (("maximum-security", "maximum security", "strict-regime"), Sentence.Regime.STRICT),
        (("general", "общ"), Sentence.Regime.GENERAL),
        (("strict", "строг"), Sentence.Regime.STRICT),
        (("prison", "тюрем"), Sentence.Regime.PRISON),
        (("high-security", "high security"), Sentence.Regime.STRICT),
        (("fine", "штраф"), Sentence.Regime.FINE),
        (("arrest", "арест"), Sentence.Regime.ARREST),
    ]
    for words, regime in rules:
        if any(re.search(rf"\b{re.escape(word)}", text) for word in words):
            return regime
    return Sentence.Regime.OTHER if text.strip() else ""


_ARTICLE = re.compile(
    r"(?:(?:part|ч\.?|часть)\s*(\d+)\s*(?:of\s*)?)?(?:art(?:icle)?\.?|ст\.?|статьи|статья)\s*(\d+(?:-\d+)?)",
    re.I,
)


def parse_article(text: str) -> ArticleRef:
    """ "Part 2 of Art. 293 of the Criminal Code — Participation in riots" -> 293 part 2.
    With preparation or attempt (Article 13 or 14 and Article 293), the main article counts."""
    found = [(part, number) for part, number in _ARTICLE.findall(text) if number not in {"13", "14", "16"}]
    if not found:
        raise Rejected(f"article {text[:60]!r} names no article number")
    part, number = found[-1]
    title = re.split(r"\s[—–-]\s", text, maxsplit=1)
    code = "administrative" if re.search(r"administrative|КоАП|адміністрацыйн", text, re.I) else "criminal"
    return ArticleRef(
        code=code, number=number, part=part, title_en=title[1].strip() if len(title) > 1 else ""
    )


_POSTAL = re.compile(r"^\s*(\d{6})\s*,?\s*(.*)$")


def parse_facility(title: str, address: str) -> FacilityRef | None:
    title, address = _text(title), _text(address)
    if not title and not address:
        return None
    ref = FacilityRef(title=title or address, address=address)
    match = _POSTAL.match(address)
    if match:
        ref.postal_code = match.group(1)
        parts = [p.strip() for p in match.group(2).split(",") if p.strip()]
        if (
            parts
            and parts[0].lower().endswith(("region", "voblasć", "вобласць", "область"))
            and len(parts) > 1
        ):
            parts = parts[1:]
        if parts:
            ref.city, ref.street = parts[0], ", ".join(parts[1:])
    lowered = ref.title.lower()
    ref.kind = next((kind for word, kind in facility_kind_words() if word in lowered), "")
    return ref


def place_status(ref: FacilityRef) -> str:
    """What a place of detention of the list says when it names no place: "released" (no longer
    held: "Released awaiting the commencement of the sentence"), "not_a_place" (house arrest,
    restricted freedom, a place the list does not know), "unknown" (words that are neither a kind
    of facility nor an address); "" for a place."""
    title = ref.title.lower()
    for word, meaning in list_place_statuses():
        if word in title:
            return meaning
    if not ref.kind and not ref.postal_code:
        return "unknown"
    return ""


def _split_latin_name(name: str) -> tuple[str, str]:
    """ "Katsiaryna Andreyeva (Bakhvalava)" -> ("Katsiaryna", "Andreyeva (Bakhvalava)"): a name in
    brackets (a maiden or a real name) goes with the last name, never stands for it."""
    match = re.match(r"^(.*?)\s*(\(.*)$", name)
    main, aside = (match.group(1), match.group(2).strip()) if match else (name, "")
    parts = main.split()
    if not parts:
        return "", aside
    last = " ".join(filter(None, (parts[-1], aside)))
    return " ".join(parts[:-1]), last


def _lenient_date(value, name: str, flags: list[str]) -> datetime.date | None:
    """A date the import can do without: an unreadable one is flagged, never a rejection."""
    try:
        return parse_date(value, name)
    except Rejected:
        flags.append(gettext("%(field)s %(value)r is not a date: ignored") % {"field": name, "value": value})
        return None


def from_list_export(number: int, raw, today: datetime.date) -> Incoming:
    """A record of the canonical list's JSON or CSV export."""
    if not isinstance(raw, dict):
        raise Rejected(f"the record is a {type(raw).__name__}, not an object")
    if raw.get("_error"):
        raise Rejected(f"the row {raw['_error']}")
    source_id = _text(raw.get("id"))
    if not source_id:
        raise Rejected("no id")
    if not isinstance(raw.get("name"), str):
        raise Rejected("the name is missing or not text")
    name = _text(raw.get("name"))
    if not name:
        raise Rejected("no name")
    status = _text(raw.get("status")).lower()
    if status not in {"active", "former", "np"}:
        raise Rejected(f"unknown status {status!r} (expected active, former or np)")
    gender = _text(raw.get("gender")).lower()
    if gender not in {"", Person.Gender.MALE, Person.Gender.FEMALE}:
        raise Rejected(f"unknown gender {gender!r}")
    flags: list[str] = []
    birthday = parse_date(raw.get("birthday"), "birthday")
    arrested = parse_date(raw.get("arrested"), "arrested")
    verdict = parse_date(raw.get("verdict_date"), "verdict_date")
    appeal = parse_date(raw.get("appeal_date"), "appeal_date")
    release = parse_date(raw.get("release_date"), "release_date")
    penalty_start = _lenient_date(raw.get("penalty_start_date"), "penalty_start_date", flags)
    for label, day in (("arrested", arrested), ("verdict_date", verdict), ("release_date", release)):
        if day and day > today:
            raise Rejected(f"{label} {day} is in the future")

    url = _text(raw.get("url"))
    first, last = _split_latin_name(name)
    latin = settings.LATIN_LANGUAGE
    the_list = canonical_list()
    incoming = Incoming(
        number=number,
        source_ref=f"{the_list.source_ref_prefix}:{source_id}",
        recognized=status != "np",
        flags=flags,
    )
    incoming.fields = {
        key: value
        for key, value in {
            f"first_name_{latin}": first,
            f"last_name_{latin}": last,
            "gender": gender,
            "birth_date": birthday,
            f"description_{latin}": _text(raw.get("description")),
            "photo_source_url": _text(raw.get("photo")),
            "source_url": url,
        }.items()
        if value
    }
    source = {"source_url": url, "source_citation": "" if url else the_list.citation}

    if arrested:
        incoming.events.append(IncomingEvent(EventKind.DETAINED, arrested, **source))
    else:
        incoming.flags.append("no date of arrest: the person is not counted until an editor adds one")
    if status != "np":
        recognized_on = arrested or verdict
        declaration = _text(raw.get("declaration"))
        if recognized_on:
            incoming.events.append(
                IncomingEvent(
                    EventKind.RECOGNIZED,
                    recognized_on,
                    source_url=declaration or url,
                    source_citation="" if (declaration or url) else the_list.citation,
                    note_code=Event.Note.RECOGNITION_DATE_FROM_ARREST,
                )
            )

    texts = [_text(raw.get(f"articles/{i}")) for i in range(13)] + re.split(
        r"[\n;]+", _text(raw.get("articles"))
    )
    # One article named twice ("Art. 293" and "Part 1 of Article 13 and Article 293") is one article.
    articles: list[ArticleRef] = []
    for ref in (parse_article(text) for text in texts if text):
        if all(ref.key != known.key for known in articles):
            articles.append(ref)
    decision, penalty = _text(raw.get("decision")), _text(raw.get("penalty"))
    if verdict or decision or penalty:
        regime = parse_regime(penalty)
        # A fine's amount ("150 base rates") is no term of months; the note keeps it.
        term = parse_term(decision) if decision and regime != Sentence.Regime.FINE else None
        if decision and term is None and regime != Sentence.Regime.FINE:
            incoming.flags.append(f"term {decision!r} not understood")
        incoming.sentences.append(
            IncomingSentence(
                verdict_date=verdict,
                term_months=term,
                regime=regime,
                articles=articles,
                judge=_text(raw.get("judge")),
                appeal_date=appeal,
                note=" / ".join(filter(None, (decision, penalty))),
                **source,
            )
        )
        if verdict:
            incoming.events.append(IncomingEvent(EventKind.SENTENCED, verdict, **source))
    elif articles:
        incoming.flags.append("articles without a sentence: kept for the editors in the summary only")

    prison_title = raw.get("prison/title", raw.get("prison"))
    prison_address = raw.get("prison/address", "")
    if "prison/title" not in raw and _text(prison_title):
        match = re.match(r"^(.*?)[,;]?\s*(\d{6}\s*,.*)$", _text(prison_title))
        if match:
            prison_title, prison_address = match.group(1), match.group(2)
    facility = parse_facility(prison_title, prison_address)
    status_of_place = place_status(facility) if facility else ""
    if status_of_place:
        # A status is not a place: no facility is ever made of it.
        if status_of_place != "released":
            incoming.flags.append(
                gettext("the place of detention %(place)r is not a facility: none recorded")
                % {"place": facility.title}
            )
        facility = None
    # A release date on or before the arrest cannot end that detention: the list's release is an
    # earlier one, or a mistake.
    release_usable = release if release and not (arrested and release <= arrested) else None
    if release and not release_usable:
        incoming.flags.append(
            gettext("release date %(release)s is not after the arrest %(arrested)s")
            % {"release": release, "arrested": arrested}
        )
    free_now = (
        status == "former" or release_usable is not None or (status_of_place == "released" and arrested)
    )
    died = _text(raw.get("died"))
    if free_now:
        incoming.released = True
        if release_usable:
            released_on, note_code = release_usable, ""
        elif release:
            # Dated the day after the arrest: the nearest the record allows to a release it gives.
            released_on = min(arrested + datetime.timedelta(days=1), today)
            note_code = Event.Note.RELEASE_DATE_UNKNOWN
        else:
            # "Released awaiting the commencement of the sentence": released when sentenced, as a rule.
            sentenced = (
                verdict
                if status_of_place == "released" and verdict and not (arrested and verdict <= arrested)
                else None
            )
            released_on, note_code = sentenced or today, Event.Note.RELEASE_DATE_UNKNOWN
            incoming.flags.append("released on an unknown date: check and correct the date")
        incoming.events.append(IncomingEvent(EventKind.RELEASED, released_on, **source, note_code=note_code))
    elif facility:
        incoming.facility = facility
        # Held there since the latest date the record gives, never before the arrest nor after today.
        known = [day for day in (arrested, verdict, appeal, penalty_start) if day and day <= today]
        incoming.events.append(
            IncomingEvent(
                EventKind.TRANSFERRED,
                max(known, default=today),
                facility=facility,
                **source,
                note_code=Event.Note.HELD_ACCORDING_TO_LIST,
            )
        )
    if died:
        died_on = parse_date(died, "died") if re.match(r"\d", died) else None
        if died_on:
            incoming.events.append(IncomingEvent(EventKind.DIED, died_on, **source))
        else:
            incoming.flags.append("marked as died, without a date: check")
    return incoming


def _snapshot_source(raw: dict) -> dict:
    source = raw.get("source")
    if not isinstance(source, dict):
        raise Rejected("an event or sentence has no source")
    url, citation = _text(source.get("url")), _text(source.get("citation"))
    if not url and not citation:
        raise Rejected("an event or sentence has an empty source")
    return {"source_url": url, "source_citation": citation}


def _article_from_id(article_id: str) -> ArticleRef:
    parts = _text(article_id).split(":")
    if len(parts) != 3:
        raise Rejected(f"article id {article_id!r} is not code:number:part")
    return ArticleRef(*parts)


def from_snapshot(number: int, raw) -> Incoming:
    """A person of our own snapshot format (docs/snapshot-format.md): the whole record."""
    if not isinstance(raw, dict):
        raise Rejected(f"the record is a {type(raw).__name__}, not an object")
    names = raw.get("names")
    if not isinstance(names, dict) or not names:
        raise Rejected("no names")
    snapshot_id = raw.get("id")
    if not isinstance(snapshot_id, int):
        raise Rejected("the id is not a number")
    incoming = Incoming(number=number, source_ref=_text(raw.get("source_ref")), snapshot_id=snapshot_id)
    fields: dict = {}
    for code, _language in settings.LANGUAGES:
        key = "latin" if code == settings.LATIN_LANGUAGE else code
        name = names.get(key) or {}
        if not isinstance(name, dict):
            raise Rejected(f"names.{key} is not an object")
        fields[f"first_name_{code}"] = _text(name.get("first"))
        fields[f"patronymic_{code}"] = _text(name.get("patronymic"))
        fields[f"last_name_{code}"] = _text(name.get("last"))
        for text_field in ("description", "story"):
            texts = raw.get(text_field) or {}
            if not isinstance(texts, dict):
                raise Rejected(f"{text_field} is not an object of languages")
            fields[f"{text_field}_{code}"] = _text(texts.get(code))
    if not any(fields[f"last_name_{code}"] for code, _l in settings.LANGUAGES):
        raise Rejected("no last name in any spelling")
    gender = _text(raw.get("gender"))
    if gender not in {"", Person.Gender.MALE, Person.Gender.FEMALE}:
        raise Rejected(f"unknown gender {gender!r}")
    fields.update(
        gender=gender,
        birth_date=parse_date(raw.get("birth_date"), "birth_date"),
        region=_text(raw.get("region")) or None,
        photo=_text(raw.get("photo")),
        photo_source_url=_text(raw.get("photo_source_url")),
        source_url=_text(raw.get("source_url")),
        is_published=bool(raw.get("is_published", True)),
    )
    incoming.fields = fields
    interests = raw.get("interests") or []
    if not isinstance(interests, list):
        raise Rejected("interests is not a list")
    incoming.interests = [_text(slug) for slug in interests]
    events = raw.get("events") or []
    if not isinstance(events, list):
        raise Rejected("events is not a list")
    for event in events:
        if not isinstance(event, dict):
            raise Rejected("an event is not an object")
        kind = _text(event.get("kind"))
        if kind not in EventKind.values:
            raise Rejected(f"unknown event kind {kind!r}")
        day = parse_date(event.get("date"), "event date")
        if day is None:
            raise Rejected("an event has no date")
        slug = _text(event.get("facility"))
        note_code = _text(event.get("note_code"))
        if note_code and note_code not in Event.Note.values:
            raise Rejected(f"unknown note code {note_code!r}")
        incoming.events.append(
            IncomingEvent(
                kind,
                day,
                FacilityRef(title=slug, slug=slug) if slug else None,
                note=_text(event.get("note")),
                note_code=note_code,
                **_snapshot_source(event),
            )
        )
    sentences = raw.get("sentences") or []
    if not isinstance(sentences, list):
        raise Rejected("sentences is not a list")
    for sentence in sentences:
        if not isinstance(sentence, dict):
            raise Rejected("a sentence is not an object")
        term = sentence.get("term_months")
        if term is not None and (not isinstance(term, int) or term < 0):
            raise Rejected(f"term_months {term!r} is not a number of months")
        regime = _text(sentence.get("regime"))
        if regime and regime not in Sentence.Regime.values:
            raise Rejected(f"unknown regime {regime!r}")
        incoming.sentences.append(
            IncomingSentence(
                verdict_date=parse_date(sentence.get("verdict_date"), "verdict_date"),
                term_months=term,
                regime=regime,
                articles=[_article_from_id(a) for a in sentence.get("articles") or []],
                court=_text(sentence.get("court")),
                judge=_text(sentence.get("judge")),
                appeal_date=parse_date(sentence.get("appeal_date"), "appeal_date"),
                note=_text(sentence.get("note")),
                **_snapshot_source(sentence),
            )
        )
    return incoming
