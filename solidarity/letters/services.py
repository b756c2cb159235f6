"""Named operations on letters: what a writer and a volunteer can do, the deletion of what has
served its purpose, and the loading of the censor's rules. Views, the admin and the commands call
these; nothing else changes a letter's state.

A volunteer's operation writes one audit entry per letter, in its own transaction, with the
volunteer as author and the letter as record: the queue is part of the letter's history. An entry
holds the new state or date, never the letter's text, the reason it was returned (deleted with the
text) or anything of its writer. The writer's own operations (handing a letter over, reading or
deleting a reply) write none: an entry carries the moment it was made, and a writer's deeds keep
dates only.
"""

import datetime
import hashlib
import io
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from solidarity.audit import services as audit
from solidarity.audit.actions import named
from solidarity.audit.models import AuditEntry
from solidarity.core import pictures
from solidarity.core.versions import CacheVersion
from solidarity.friends import codenames
from solidarity.friends import services as friends
from solidarity.friends.models import Friend, Mark
from solidarity.registry.models import IN_CUSTODY, EventKind, Person

from . import checker, rules
from .models import Letter, Reachability, Reply, Rule, RuleSet
from .postcards import BY_SLUG, DESIGNS

APPROVED = named("letters.letter.approved", gettext_lazy("approved"))
RETURNED = named("letters.letter.returned", gettext_lazy("returned to the writer"))
PRINTED = named("letters.letter.printed", gettext_lazy("printed"))
MAILED = named("letters.letter.mailed", gettext_lazy("mailed"))
HANDED_OVER = named("letters.letter.handed_over", gettext_lazy("handed over on release"))
TEXT_DELETED = named("letters.letter.text_deleted", gettext_lazy("text deleted"))
REPLY_ATTACHED = named("letters.reply.attached", gettext_lazy("uploaded"))
REPLY_DELETED = named("letters.reply.deleted", gettext_lazy("deleted"))
RULES_LOADED = named("letters.ruleset.loaded", gettext_lazy("loaded from the data file"))
# What public pages show of letters (whether they arrive, how many went through us): kept pages
# are made afresh when it changes.
PUBLIC_VERSION = CacheVersion("letters:public-version")
PURGE = "purge_letters"  # the author of what the daily deletion does

# A scan's first bytes tell what it is, whatever its name says.
SCAN_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_SCAN_BYTES = 15 * 1024 * 1024


class LetterError(ValueError):
    """An operation that does not apply; its message is for the person who tried."""


class Flagged(LetterError):
    """The checker marked something in a letter handed over: the writer sees what (`result`), and
    may hand it over knowing the risk."""

    def __init__(self, result: checker.Result, message: str = ""):
        super().__init__(message or _("Change what is marked first, or tick “even so” if you know the risk."))
        self.result = result


class MustChange(Flagged):
    """The letter would not print as written (a postcard too long for the card, a sign the fonts
    lack): no accepted risk lets it through."""

    def __init__(self, result: checker.Result):
        problems = [f"{f.message} {f.fix}" for f in {f.rule: f for f in result.must_change}.values()]
        super().__init__(result, " ".join([*problems, _("Even at your own risk it cannot go as it is.")]))


@dataclass(frozen=True)
class Known:
    """Whether letters reach a person, and on whose word."""

    status: str
    as_of: datetime.date | None = None
    source: str = ""
    note: str = ""
    of_facility: bool = False

    @property
    def label(self) -> str:
        return Reachability.Status(self.status).label


def letters_mailed_to(person: Person) -> int:
    """What remains of every letter once its text is gone: that it was sent."""
    return person.letters.filter(state__in=[Letter.State.MAILED, Letter.State.HANDED_OVER]).count()


def reachability_of(person: Person) -> Known:
    """What is known now: the newer of the person's own report in this detention and an
    incommunicado event of this detention; else the newest report on their facility; else unknown."""
    since = person.imprisoned_since
    reports = person.reachability.all()
    own = (reports.filter(as_of__gte=since) if since else reports).first()
    incommunicado = (
        person.events.filter(kind=EventKind.INCOMMUNICADO, date__gte=since).order_by("-date", "-id").first()
        if since
        else None
    )
    if incommunicado and (own is None or incommunicado.date > own.as_of):
        return Known(Reachability.Status.INCOMMUNICADO, incommunicado.date, incommunicado.source)
    if own:
        return Known(own.status, own.as_of, own.source, own.note)
    if person.current_facility_id:
        facility = Reachability.objects.filter(facility_id=person.current_facility_id).first()
        if facility:
            return Known(facility.status, facility.as_of, facility.source, facility.note, of_facility=True)
    return Known(Reachability.Status.UNKNOWN)


@transaction.atomic
def hand_over(
    *,
    person: Person,
    body: str,
    kind: str,
    language: str,
    design: str = "",
    friend: Friend | None = None,
    follows: str = "",
    sealed: bool = False,
    accepted_risk: bool = False,
) -> tuple[Letter, str | None]:
    """A letter handed to the volunteers, checked again here: one the checker marks is refused
    (`Flagged`) unless the writer `accepted_risk`. It is followed by the `friend`'s codename, or
    by the codename whose keyed hash the writer's earlier letters are followed by (`follows`), or
    else by a new codename of its own. Returns it and that new codename (shown once, stored
    nowhere), if one was made."""
    if person.status not in IN_CUSTODY:
        raise LetterError(_("This person is not in custody now."))
    if person.current_facility_id is None:
        raise LetterError(
            _("We do not know where this person is held, so there is no address to write to yet.")
        )
    if sealed and reachability_of(person).status != Reachability.Status.INCOMMUNICADO:
        raise LetterError(_("Only a letter to someone held incommunicado can be kept sealed."))
    result = checker.check(body, kind=kind, addressee=person)
    if result.must_change:
        raise MustChange(result)
    if not result.ok and not accepted_risk:
        raise Flagged(result)
    codename = None if friend or follows else codenames.new_codename()
    if friend:
        # A friend who hands over a letter has written this month: their page stops reminding them.
        friends.mark(friend=friend, person=person, kind=Mark.Kind.LETTER, day=timezone.localdate())
    letter = Letter.objects.create(
        person=person,
        body=body.strip(),
        kind=kind,
        language=language,
        design=(design if design in BY_SLUG else DESIGNS[0].slug) if kind == Letter.Kind.POSTCARD else "",
        friend=friend,
        codename_hash=codenames.key_hash(codename) if codename else ("" if friend else follows),
        sealed=sealed,
        risk_accepted=not result.ok,
    )
    return letter, codename


def followed_by(codename: str) -> str | None:
    """The keyed hash a writer's letters are followed by, if the codename holds any."""
    if not codenames.looks_like_codename(codename):
        return None
    key = codenames.key_hash(codename)
    return key if Letter.objects.followed_by(key).exists() else None


def _change(chosen, *, action: str, data: dict, actor=None, actor_label: str = "", **changes) -> int:
    """Changes the chosen letters, locked first (a letter another volunteer moved meanwhile is
    chosen, or not, by its state once they are done), and writes an entry for each; returns how
    many changed. Runs in the calling operation's transaction."""
    ids = list(chosen.select_for_update(of=("self",)).values_list("pk", flat=True))
    Letter.objects.filter(pk__in=ids).update(**changes)
    transaction.on_commit(PUBLIC_VERSION.bump)
    audit.log_actions(
        action=action,
        objs=Letter.objects.filter(pk__in=ids).select_related("person"),
        actor=actor,
        actor_label=actor_label,
        data=data,
    )
    return len(ids)


@transaction.atomic
def approve(*, letters, by, day: datetime.date) -> int:
    """Waiting letters pass review: to be mailed, or, if the writer asked, to be kept sealed."""
    waiting = letters.filter(state=Letter.State.WAITING)
    decided = {"decided_on": day, "decided_by": by}
    return sum(
        _change(
            waiting.filter(sealed=sealed),
            action=APPROVED,
            actor=by,
            data={"state": state},
            state=state,
            **decided,
        )
        for sealed, state in ((False, Letter.State.APPROVED), (True, Letter.State.SEALED))
    )


@transaction.atomic
def return_to_writer(*, letters, by, day: datetime.date, reason: str) -> int:
    """Back to the writer, with the reason they will read; only before the letter has gone. The
    reason is not in the history: it is deleted with the text."""
    if not reason.strip():
        raise LetterError(_("Say why the letter is returned: the writer reads it."))
    return _change(
        letters.filter(state__in=[Letter.State.WAITING, Letter.State.APPROVED, Letter.State.SEALED]),
        action=RETURNED,
        actor=by,
        data={"state": Letter.State.RETURNED},
        state=Letter.State.RETURNED,
        return_reason=reason.strip(),
        decided_on=day,
        decided_by=by,
    )


def printable(letters, *, again: bool = False):
    """The chosen approved and sealed letters not printed yet (or, `again`, those already printed),
    in the order they came."""
    chosen = letters.filter(
        state__in=[Letter.State.APPROVED, Letter.State.SEALED], printed_on__isnull=not again
    )
    return chosen.select_related("person__current_facility").order_by("submitted_on", "id")


@transaction.atomic
def mark_printed(*, letters, by, day: datetime.date) -> int:
    return _change(
        letters.filter(state__in=[Letter.State.APPROVED, Letter.State.SEALED]),
        action=PRINTED,
        actor=by,
        data={"printed_on": day},
        printed_on=day,
    )


@transaction.atomic
def mark_mailed(*, letters, by, day: datetime.date) -> int:
    """Approved letters that were printed; a letter not printed cannot have been mailed."""
    return _change(
        letters.filter(state=Letter.State.APPROVED, printed_on__isnull=False),
        action=MAILED,
        actor=by,
        data={"mailed_on": day},
        state=Letter.State.MAILED,
        mailed_on=day,
    )


@transaction.atomic
def hand_over_sealed(*, letters, by, day: datetime.date) -> int:
    """Printed sealed letters, given to the person after their release."""
    return _change(
        letters.filter(state=Letter.State.SEALED, printed_on__isnull=False).exclude(
            person__status__in=IN_CUSTODY
        ),
        action=HANDED_OVER,
        actor=by,
        data={"handed_over_on": day},
        state=Letter.State.HANDED_OVER,
        mailed_on=day,
        decided_by=by,
    )


def check_scan(scan) -> str:
    """The scan's real type, read from its first bytes; a file of any other kind is refused."""
    if scan.size > MAX_SCAN_BYTES:
        raise LetterError(_("The scan is larger than 15 MB."))
    head = scan.read(16)
    scan.seek(0)
    content_type = next((kind for magic, kind in SCAN_TYPES.items() if head.startswith(magic)), None)
    if content_type is None:
        raise LetterError(_("The scan must be a PDF, PNG or JPEG file."))
    if content_type.startswith("image/"):
        try:
            with Image.open(scan) as image:
                image.verify()
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            raise LetterError(_("The scan could not be read as an image.")) from error
        finally:
            scan.seek(0)
    return content_type


@transaction.atomic
def attach_reply(*, letter: Letter, scan, by) -> Reply:
    """A volunteer's scan of the prisoner's reply: a PDF, PNG or JPEG, at most 15 MB."""
    letter = Letter.objects.select_for_update(of=("self",)).select_related("person").get(pk=letter.pk)
    if letter.state not in (Letter.State.MAILED, Letter.State.HANDED_OVER):
        raise LetterError(_("A reply can only come to a letter that was mailed."))
    content_type = check_scan(scan)
    reply = Reply(letter=letter, content_type=content_type)
    reply.scan.save(
        f"{letter.pk}.{content_type.rsplit('/', 1)[1]}", _without_metadata(scan, content_type), save=False
    )
    reply.save()
    Letter.objects.filter(pk=letter.pk).update(replies_received=F("replies_received") + 1)
    audit.log_action(
        action=REPLY_ATTACHED, obj=reply, record=letter, actor=by, data={"content_type": content_type}
    )
    return reply


def _without_metadata(scan, content_type: str):
    """A photo of a reply carries where and with what it was taken (EXIF, PNG text): drawn again,
    only its pixels remain. A PDF is kept as it came (a scanner's PDF carries no location)."""
    if not content_type.startswith("image/"):
        return scan
    with Image.open(scan) as image:  # `check_scan` has verified it
        pixels = pictures.pixels_only(image)
        if content_type == "image/jpeg":
            pixels = pictures.on_white(pixels)
        out = io.BytesIO()
        pixels.save(out, format="JPEG" if content_type == "image/jpeg" else "PNG", quality=90)
    return ContentFile(out.getvalue())


@transaction.atomic
def read_reply(*, reply: Reply, day: datetime.date) -> None:
    if reply.first_read_on is None:
        Reply.objects.filter(pk=reply.pk, first_read_on__isnull=True).update(first_read_on=day)
        reply.first_read_on = day


@transaction.atomic
def delete_reply(*, reply: Reply, by=None) -> None:
    """A reply deleted by a volunteer (`by`, in the history) or by its writer (not in it). Its file
    goes with it (`models.delete_scan_file`)."""
    if by is not None:
        audit.log_action(action=REPLY_DELETED, obj=reply, record=reply.letter, actor=by)
    reply.delete()


@transaction.atomic
def purge(*, today: datetime.date) -> tuple[int, int]:
    """Deletes the texts of letters mailed, handed over or returned more than LETTERS_TEXT_DAYS ago,
    and replies first read more than LETTERS_REPLY_DAYS ago (or never read in LETTERS_UNREAD_REPLY_DAYS).
    The letters' rows (the counts) stay.
    Returns (texts deleted, replies deleted)."""
    text_cutoff = today - datetime.timedelta(days=settings.LETTERS_TEXT_DAYS)
    texts = Letter.objects.filter(text_deleted_on__isnull=True).filter(
        Q(mailed_on__lte=text_cutoff) | Q(state=Letter.State.RETURNED, decided_on__lte=text_cutoff)
    )
    deleted_texts = _change(
        texts,
        action=TEXT_DELETED,
        actor_label=PURGE,
        data={},
        body="",
        return_reason="",
        text_deleted_on=today,
    )
    read_cutoff = today - datetime.timedelta(days=settings.LETTERS_REPLY_DAYS)
    unread_cutoff = today - datetime.timedelta(days=settings.LETTERS_UNREAD_REPLY_DAYS)
    replies = list(
        Reply.objects.filter(
            Q(first_read_on__lte=read_cutoff) | Q(first_read_on__isnull=True, received_on__lte=unread_cutoff)
        ).select_related("letter__person")
    )
    AuditEntry.objects.bulk_create(
        [
            audit.action_entry(action=REPLY_DELETED, obj=reply, record=reply.letter, actor_label=PURGE)
            for reply in replies
        ],
        batch_size=1000,
    )
    Reply.objects.filter(pk__in=[reply.pk for reply in replies]).delete()  # their files go on commit
    return deleted_texts, len(replies)


@transaction.atomic
def load_rules(*, country: str, actor_label: str, replace: bool = False) -> int:
    """Loads a country's rules from its data file. Rules staff have edited are kept unless asked
    to `replace` them; rules as the file last loaded them follow a newer file. Returns how many
    rules were created (0: kept as they are)."""
    data = rules.country_file(country)
    ruleset, created = RuleSet.objects.get_or_create(
        country=data["country"].upper(), defaults={"max_characters": data["max_characters"]}
    )
    from_file = [
        (item["category"], item.get("language", ""), "\n".join(item["terms"])) for item in data["rules"]
    ]
    file_digest = _rules_digest(data["max_characters"], from_file)
    if not created and not replace and ruleset.rules.exists():
        stored = _rules_digest(
            ruleset.max_characters, ruleset.rules.values_list("category", "language", "terms")
        )
        if stored != ruleset.loaded_digest or stored == file_digest:
            return 0  # edited by staff (or never loaded from a file), or the file is unchanged
    replaced, _per_model = ruleset.rules.all().delete()
    ruleset.max_characters = data["max_characters"]
    ruleset.loaded_digest = file_digest
    ruleset.save(update_fields=["max_characters", "loaded_digest"])
    new = [
        Rule(ruleset=ruleset, category=category, language=language, terms=terms)
        for category, language, terms in from_file
    ]
    for rule in new:
        rule.clean()
    Rule.objects.bulk_create(new)
    audit.log_action(
        action=RULES_LOADED,
        obj=ruleset,
        actor_label=actor_label,
        data={"rules": len(new), "replaced": replaced, "max_characters": ruleset.max_characters},
    )
    # Once committed, every process compiles the new rules (a check in between may have compiled
    # the old ones under the version the save above bumped).
    transaction.on_commit(rules.VERSION.bump)
    return len(new)


def _rules_digest(max_characters: int, rules_given) -> str:
    """One fingerprint of a set of rules, whatever their order."""
    content = json.dumps([max_characters, sorted(list(rule) for rule in rules_given)], ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()
