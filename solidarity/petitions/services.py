"""The petitions' operations: signing (a mail to confirm; the address never stored), confirming
(the count moves in the same transaction, exactly), the daily ledger, expiry and closing, bulk
invalidation as previewed, and the exports for delivery."""

import base64
import datetime
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solidarity.audit.services import log_action
from solidarity.core import ratelimit
from solidarity.core.versions import CacheVersion

from . import ledger
from .addresses import address_hash, domain_of, stored_domain
from .models import CountryCount, Invalidation, LedgerEntry, Milestone, Petition, Signature

PUBLIC_VERSION = CacheVersion("petitions")
CONFIRM_DAYS = 7
MAILS_PER_ADDRESS_PER_DAY = 3
FEWEST_SHOWN = 5  # a country with fewer signers is not shown on its own: "other countries"
SHOWN_NAMES = 100  # the latest names shown on the petition's page (all of them go to the addressees)
SEALING_GRACE = datetime.timedelta(minutes=10)  # a day is sealed once what began in it has committed
BATCH = 500


class NotAllowed(Exception):
    """The step is refused; the message says why, in the user's language."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def this_hour() -> datetime.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def sign(
    petition: Petition,
    *,
    name: str,
    country: str,
    show_name: bool,
    email: str,
    language: str,
    link: Callable[[str], str],
) -> None:
    """Records a signature waiting for confirmation and mails the link (`link(token)` makes its
    address), or, if this address signed already, mails that it did. What the signer sees is the
    same either way, so that the form cannot be asked who signed. The address is used for the
    mail and forgotten: the row keeps only its keyed hash and its domain."""
    if not petition.accepts_signatures():
        raise NotAllowed(_("This petition is not taking signatures."))
    digest = address_hash(petition.pk, email)
    if not ratelimit.hit("petitions.mail", digest, limit=MAILS_PER_ADDRESS_PER_DAY, window=86400):
        raise NotAllowed(
            _("Several confirmation mails went to this address today: look for them, or try tomorrow.")
        )
    token = secrets.token_urlsafe(32)
    fields = {
        "name": name.strip() if show_name else "",
        "show_name": show_name,
        "country": country,
        "language": language,
        "email_domain": stored_domain(domain_of(email)),
        "token_hash": token_digest(token),
        "signed_hour": this_hour(),
    }
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update().filter(petition=petition, address_hash=digest).first()
        )
        if signature is None:
            try:
                with transaction.atomic():
                    Signature.objects.create(petition=petition, address_hash=digest, **fields)
            except IntegrityError:  # the same address, signing at this very moment elsewhere
                return
            mail = "confirm"
        elif signature.status == Signature.Status.PENDING:
            Signature.objects.filter(pk=signature.pk).update(**fields)
            mail = "confirm"
        elif signature.status == Signature.Status.CONFIRMED:
            mail = "already"
        else:
            mail = "invalidated"  # a mail all the same: the answer takes as long whatever the status
    _mail(
        mail, email=email, petition=petition, language=language, link=link(token) if mail == "confirm" else ""
    )


def _mail(kind: str, *, email: str, petition: Petition, language: str, link: str) -> None:
    """Plain text in the signer's language, no tracking of any kind."""
    with translation.override(language):
        subject = (
            _("Confirm your signature: %(title)s")
            if kind == "confirm"
            else _("About your signature: %(title)s")
        ) % {"title": petition.title}
        body = render_to_string(
            f"petitions/mail_{kind}.txt", {"petition": petition, "link": link, "days": CONFIRM_DAYS}
        )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email]).send()


def new_receipt(day: datetime.date) -> str:
    """A receipt shown once to the signer: the day it was counted, then 24 letters and digits (120
    random bits) in four groups of six. The day tells a verifier which ledger entry must list it."""
    raw = base64.b32encode(secrets.token_bytes(15)).decode()
    return f"{day:%Y%m%d}-" + "-".join(raw[i : i + 6] for i in range(0, 24, 6))


def pending_for(petition: Petition, token: str) -> Signature | None:
    # By the link alone (its index), then its petition checked: SQLite, given both, would walk
    # every signature of the petition instead.
    found = (
        Signature.objects.select_related("petition")
        .filter(token_hash=token_digest(token), status=Signature.Status.PENDING)
        .first()
        if token
        else None
    )
    return found if found is not None and found.petition_id == petition.pk else None


@transaction.atomic
def confirm(petition: Petition, token: str, *, hide_name: bool = False) -> tuple[Signature, str]:
    """Counts the signature of this link as the confirmation page showed it (the signer may still
    choose not to show the name), and returns it with its receipt (shown once). The row is locked
    and the update conditional on the link, so a signing again meanwhile changes nothing counted;
    the count moves in the same transaction: however many confirm at once, each signature is
    counted once and the count equals the confirmed rows. Public figures follow within the hour
    (`shown_figures`), never at the moment a signature arrives."""
    digest = token_digest(token) if token else ""
    signature = (
        Signature.objects.select_for_update()
        .filter(token_hash=digest, status=Signature.Status.PENDING)
        .first()
        if digest
        else None
    )
    if signature is None or signature.petition_id != petition.pk:
        raise NotAllowed(_("This link was used already, or it is not one of ours."))
    if signature.signed_hour < timezone.now() - datetime.timedelta(days=CONFIRM_DAYS):
        raise NotAllowed(
            _("This link has expired: sign again, and confirm within %(days)s days.") % {"days": CONFIRM_DAYS}
        )
    if not petition.accepts_signatures():
        raise NotAllowed(_("This petition is not taking signatures."))
    today = timezone.localdate()
    receipt = new_receipt(today)
    shown = {"show_name": False, "name": ""} if hide_name else {}
    counted = Signature.objects.filter(
        pk=signature.pk, status=Signature.Status.PENDING, token_hash=digest
    ).update(
        status=Signature.Status.CONFIRMED,
        confirmed_on=today,
        token_hash="",
        receipt_digest=ledger.receipt_digest(receipt),
        **shown,
    )
    if not counted:
        raise NotAllowed(_("This link was used already, or it is not one of ours."))
    Petition.objects.filter(pk=petition.pk).update(signature_count=F("signature_count") + 1)
    _count_country(petition.pk, signature.country, 1)
    count = Petition.objects.values_list("signature_count", flat=True).get(pk=petition.pk)
    Milestone.objects.filter(petition=petition, reached_on=None, count__lte=count).update(reached_on=today)
    signature.refresh_from_db()
    return signature, receipt


def _count_country(petition_id: int, country: str, change: int) -> None:
    if CountryCount.objects.filter(petition_id=petition_id, country=country).update(
        count=F("count") + change
    ):
        return
    try:
        with transaction.atomic():
            CountryCount.objects.create(petition_id=petition_id, country=country, count=change)
    except IntegrityError:  # another confirmation from the same country made the row first
        CountryCount.objects.filter(petition_id=petition_id, country=country).update(
            count=F("count") + change
        )


def counted_by_receipt(petition: Petition, receipt: str) -> Signature | None:
    return Signature.objects.filter(
        petition=petition, receipt_digest=ledger.receipt_digest(receipt), confirmed_on__isnull=False
    ).first()


def by_country(counts: dict[str, int]) -> tuple[list[tuple[str, int]], int]:
    """Signatures by country, most first, and the signers of countries too few to show alone."""
    rows = sorted(((country, n) for country, n in counts.items() if n > 0), key=lambda row: (-row[1], row[0]))
    shown = [(country, n) for country, n in rows if n >= FEWEST_SHOWN]
    return shown, sum(n for _country, n in rows if n < FEWEST_SHOWN)


def exact_by_country(petition: Petition) -> dict[str, int]:
    return dict(petition.country_counts.filter(count__gt=0).values_list("country", "count"))


def shown_figures(
    petition: Petition, *, now: datetime.datetime | None = None, force: bool = False
) -> Petition:
    """The petition with its public figures (count, by country, the latest names shown) as of
    the hour: read again at most once an hour, or at once after an invalidation (`force`). The
    hour is the petition's, not a visitor's."""
    hour = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    if not force and petition.shown_as_of is not None and petition.shown_as_of >= hour:
        return petition
    count = Petition.objects.values_list("signature_count", flat=True).get(pk=petition.pk)
    countries = exact_by_country(petition)
    names = [
        [name, country]
        for name, country in petition.signatures.filter(status=Signature.Status.CONFIRMED, show_name=True)
        .exclude(name="")
        .order_by("-pk")
        .values_list("name", "country")[:SHOWN_NAMES]
    ]
    changed = (count, countries, names) != (
        petition.shown_count,
        petition.shown_countries,
        petition.shown_names,
    )
    Petition.objects.filter(pk=petition.pk).update(
        shown_count=count, shown_countries=countries, shown_names=names, shown_as_of=hour
    )
    petition.shown_count, petition.shown_countries, petition.shown_names = count, countries, names
    petition.shown_as_of = hour
    if changed:
        PUBLIC_VERSION.bump()
    return petition


class HourlyVersion:
    """The version public pages of petitions follow: the data's, and the hour, so that a page
    kept whole is made again each hour with the figures of that hour."""

    def current(self) -> str:
        return f"{PUBLIC_VERSION.current()}:{this_hour():%Y%m%d%H}"


def counted_by_country(petition: Petition) -> dict[str, int]:
    """The same, counted from the rows (for the recount)."""
    return dict(
        Signature.objects.filter(petition=petition, status=Signature.Status.CONFIRMED)
        .values_list("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )


@transaction.atomic
def count_from_rows(petition: Petition) -> None:
    """Sets the petition's count and its counts by country from its confirmed rows: for data
    written in bulk (the demo), never in the course of signing."""
    found = counted_by_country(petition)
    petition.country_counts.all().delete()
    CountryCount.objects.bulk_create(
        CountryCount(petition=petition, country=c, count=n) for c, n in found.items()
    )
    Petition.objects.filter(pk=petition.pk).update(signature_count=sum(found.values()))


# The ledger


def _day_lists(petition: Petition, day: datetime.date) -> tuple[list[str], list[str]]:
    counted = Signature.objects.filter(petition=petition, confirmed_on__isnull=False)
    confirmed = sorted(counted.filter(confirmed_on=day).values_list("receipt_digest", flat=True))
    invalidated = sorted(counted.filter(invalidated_on=day).values_list("receipt_digest", flat=True))
    return confirmed, invalidated


def seal_ledger(today: datetime.date | None = None) -> int:
    """Writes the ledger's entries for every day before today not written yet: every day while a
    petition is open, and later only days when something was counted or invalidated. Returns how
    many. Cheap when there is nothing to write (no transaction is opened: the ledger's pages call
    it), and safe when two processes write at once (the day is unique: the second gives way)."""
    # A confirmation that began before midnight may commit just after: a day is sealed only once
    # the next has run for a few minutes.
    today = today or (timezone.localtime() - SEALING_GRACE).date()
    written = 0
    for petition in Petition.objects.exclude(status=Petition.Status.DRAFT).exclude(opened_on=None):
        last = petition.ledger.order_by("-day").first()
        since = last.day if last else petition.opened_on - datetime.timedelta(days=1)
        yesterday = today - datetime.timedelta(days=1)
        if since >= yesterday:
            continue
        if (
            petition.status != Petition.Status.OPEN
            and not petition.signatures.filter(
                Q(confirmed_on__gt=since, confirmed_on__lte=yesterday)
                | Q(invalidated_on__gt=since, invalidated_on__lte=yesterday)
            ).exists()
        ):
            continue  # a closed petition's quiet days are not written
        try:
            with transaction.atomic():
                written += _seal(petition, last, today)
        except IntegrityError:
            continue
    if written:
        PUBLIC_VERSION.bump()
    return written


def _seal(petition: Petition, last: LedgerEntry | None, today: datetime.date) -> int:
    day = last.day + datetime.timedelta(days=1) if last else petition.opened_on
    previous, count = (last.digest, last.count) if last else (ledger.GENESIS, 0)
    written = 0
    while day < today:
        confirmed, invalidated = _day_lists(petition, day)
        if confirmed or invalidated or petition.status == Petition.Status.OPEN:
            entry = {
                "day": day.isoformat(),
                "confirmed": confirmed,
                "invalidated": invalidated,
                "count": count + len(confirmed) - len(invalidated),
                "previous": previous,
            }
            digest = ledger.entry_digest(petition.slug, entry)
            LedgerEntry.objects.create(
                petition=petition, day=day, confirmed=confirmed, invalidated=invalidated,
                count=entry["count"], previous=previous, digest=digest,
            )  # fmt: skip
            previous, count, written = digest, entry["count"], written + 1
        day += datetime.timedelta(days=1)
    return written


def published_ledger(petition: Petition) -> dict:
    return {
        "format": ledger.FORMAT,
        "petition": petition.slug,
        "entries": [
            {
                "day": entry.day.isoformat(),
                "confirmed": entry.confirmed,
                "invalidated": entry.invalidated,
                "count": entry.count,
                "previous": entry.previous,
                "digest": entry.digest,
            }
            for entry in petition.ledger.order_by("day")
        ],
    }


@dataclass
class Recount:
    petition: Petition
    stored: int
    confirmed: int
    ledger_problems: list[str]

    @property
    def agrees(self) -> bool:
        return self.stored == self.confirmed and not self.ledger_problems


def recount(petition: Petition) -> Recount:
    """The stored count beside the confirmed rows, and the ledger verified by its own rules and
    against the rows: its last count plus what was counted and invalidated since."""
    stored = Petition.objects.values_list("signature_count", flat=True).get(pk=petition.pk)
    confirmed = petition.signatures.filter(status=Signature.Status.CONFIRMED).count()
    published = published_ledger(petition)
    found = ledger.problems(published)
    stored_countries = dict(petition.country_counts.filter(count__gt=0).values_list("country", "count"))
    if stored_countries != counted_by_country(petition):
        found.append("the counts by country differ from the confirmed signatures")
    if published["entries"]:
        last = published["entries"][-1]
        since = datetime.date.fromisoformat(last["day"])
        counted = petition.signatures.filter(confirmed_on__isnull=False)
        expected = (
            last["count"]
            + counted.filter(confirmed_on__gt=since).count()
            - counted.filter(invalidated_on__gt=since).count()
        )
        if expected != confirmed:
            found.append(
                f"the ledger up to {last['day']} and the rows since make {expected}, the rows {confirmed}"
            )
    return Recount(petition, stored, confirmed, found)


# Expiry and closing


@transaction.atomic
def daily(today: datetime.date | None = None) -> dict:
    """Unconfirmed signatures past their week go; petitions past their deadline close; the
    ledger gets yesterday's entry."""
    today = today or timezone.localdate()
    expired, _by_model = Signature.objects.filter(
        status=Signature.Status.PENDING,
        signed_hour__lt=timezone.now() - datetime.timedelta(days=CONFIRM_DAYS),
    ).delete()
    closed = Petition.objects.filter(status=Petition.Status.OPEN, deadline__lt=today).update(
        status=Petition.Status.CLOSED
    )
    if closed:
        PUBLIC_VERSION.bump()
    return {"expired": expired, "closed": closed, "ledger entries": seal_ledger()}  # with its grace


@transaction.atomic
def open_petition(petition: Petition) -> None:
    Petition.objects.filter(pk=petition.pk).update(
        status=Petition.Status.OPEN, opened_on=timezone.localdate()
    )
    PUBLIC_VERSION.bump()


@transaction.atomic
def close_petition(petition: Petition) -> None:
    """No more signatures; links not followed yet count nothing."""
    Petition.objects.filter(pk=petition.pk, status=Petition.Status.OPEN).update(status=Petition.Status.CLOSED)
    PUBLIC_VERSION.bump()


@transaction.atomic
def mark_delivered(petition: Petition) -> None:
    Petition.objects.filter(pk=petition.pk).update(
        status=Petition.Status.DELIVERED, delivered_on=timezone.localdate()
    )
    PUBLIC_VERSION.bump()


# Moderation


@dataclass(frozen=True)
class Criteria:
    """Which signatures an invalidation takes: any of pending and confirmed that match every
    criterion given (an e-mail domain, a window of hours, a country)."""

    domain: str = ""
    hour_from: datetime.datetime | None = None
    hour_to: datetime.datetime | None = None
    country: str = ""
    pending_only: bool = False

    def query(self, petition: Petition):
        statuses = (
            [Signature.Status.PENDING]
            if self.pending_only
            else [Signature.Status.PENDING, Signature.Status.CONFIRMED]
        )
        found = Signature.objects.filter(petition=petition, status__in=statuses)
        if self.domain:
            found = found.filter(email_domain=stored_domain(self.domain))
        if self.hour_from:
            found = found.filter(signed_hour__gte=self.hour_from)
        if self.hour_to:
            found = found.filter(signed_hour__lt=self.hour_to)
        if self.country:
            found = found.filter(country=self.country)
        return found

    def described(self) -> dict:
        return {
            "domain": self.domain,
            "from": self.hour_from.isoformat() if self.hour_from else "",
            "to": self.hour_to.isoformat() if self.hour_to else "",
            "country": self.country,
            "pending only": self.pending_only,
        }

    @property
    def empty(self) -> bool:
        return not (self.domain or self.hour_from or self.hour_to or self.country)


@dataclass
class Preview:
    matched: int
    confirmed: int
    pending: int
    fingerprint: str
    by_domain: list[tuple[str, int]]
    by_hour: list[tuple[datetime.datetime, int]]


def _fingerprint(rows) -> str:
    """Of the matching rows and their statuses: a pending one confirmed since changes it."""
    return hashlib.sha256(",".join(f"{pk}:{status}" for pk, status in sorted(rows)).encode()).hexdigest()


def preview(petition: Petition, criteria: Criteria) -> Preview:
    found = criteria.query(petition)
    rows = list(found.values_list("pk", "status"))
    confirmed = sum(1 for _pk, status in rows if status == Signature.Status.CONFIRMED)
    return Preview(
        matched=len(rows),
        confirmed=confirmed,
        pending=len(rows) - confirmed,
        fingerprint=_fingerprint(rows),
        by_domain=list(found.values_list("email_domain").annotate(n=Count("pk")).order_by("-n")[:10]),
        by_hour=list(found.values_list("signed_hour").annotate(n=Count("pk")).order_by("-n")[:10]),
    )


def bursts(petition: Petition, limit: int = 10) -> list[tuple[datetime.datetime, int]]:
    """The hours with the most signatures: where a burst shows."""
    return list(
        petition.signatures.exclude(status=Signature.Status.INVALIDATED)
        .values_list("signed_hour")
        .annotate(n=Count("pk"))
        .order_by("-n", "-signed_hour")[:limit]
    )


@transaction.atomic
def invalidate(petition: Petition, criteria: Criteria, *, fingerprint: str, reason: str, by) -> Invalidation:
    """Invalidates exactly what the preview showed (its fingerprint): if the matching signatures
    changed since, nothing is done and the editor previews again. Invalidated signatures stay,
    marked, and the ledger lists their receipts on the day."""
    if criteria.empty:
        raise NotAllowed(_("Say which signatures: a domain, a time window or a country."))
    if not reason.strip():
        raise NotAllowed(_("Give the reason: it is kept with the invalidation."))
    Petition.objects.select_for_update().filter(pk=petition.pk).first()  # one invalidation at a time
    rows = list(criteria.query(petition).select_for_update().values_list("pk", "status", "country"))
    if not rows:
        raise NotAllowed(_("No signature matches: nothing to invalidate."))
    if _fingerprint((pk, status) for pk, status, _country in rows) != fingerprint:
        raise NotAllowed(_("The signatures that match changed since the preview: look at the new preview."))
    counted = [country for _pk, status, country in rows if status == Signature.Status.CONFIRMED]
    confirmed = len(counted)
    invalidation = Invalidation.objects.create(
        petition=petition,
        criteria=criteria.described(),
        reason=reason.strip(),
        invalidated=len(rows),
        confirmed=confirmed,
        by=by,
    )
    pks = [pk for pk, _status, _country in rows]
    for start in range(0, len(pks), BATCH):
        Signature.objects.filter(pk__in=pks[start : start + BATCH]).update(
            status=Signature.Status.INVALIDATED,
            invalidated_on=timezone.localdate(),
            invalidation=invalidation,
            token_hash="",
        )
    Petition.objects.filter(pk=petition.pk).update(signature_count=F("signature_count") - confirmed)
    for country in set(counted):
        _count_country(petition.pk, country, -counted.count(country))
    log_action(
        action="invalidate signatures",
        obj=petition,
        actor=by,
        data={
            "criteria": criteria.described(),
            "invalidated": len(rows),
            "confirmed": confirmed,
            "reason": reason,
        },
    )
    shown_figures(petition, force=True)  # an invalidation shows at once: nothing to hide in it
    PUBLIC_VERSION.bump()
    return invalidation


def shown_names(petition: Petition) -> list[tuple[str, str]]:
    return list(
        petition.signatures.filter(status=Signature.Status.CONFIRMED, show_name=True)
        .exclude(name="")
        .order_by("country", "name")
        .values_list("name", "country")
    )


def open_petitions():
    return Petition.objects.filter(status=Petition.Status.OPEN).filter(
        Q(deadline__isnull=True) | Q(deadline__gte=timezone.localdate())
    )
