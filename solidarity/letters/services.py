"""Named operations on letters: what a writer and a volunteer can do, and the deletion of what has
served its purpose. Views and the admin call these; nothing else changes a letter's state."""

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from solidarity.friends import codenames
from solidarity.friends import services as friends
from solidarity.friends.models import Friend, Mark
from solidarity.registry.models import EventKind, Person, Status

from .models import Letter, Reachability, Reply
from .postcards import BY_SLUG, DESIGNS

# A scan's first bytes tell what it is, whatever its name says.
SCAN_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_SCAN_BYTES = 15 * 1024 * 1024


class LetterError(ValueError):
    """An operation that does not apply; its message is for the person who tried."""


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
    sealed: bool = False,
) -> tuple[Letter, str | None]:
    """A letter handed to the volunteers. Returns it and, for a writer without a friend codename,
    the letter's own new codename (shown once, stored nowhere)."""
    if sealed and reachability_of(person).status != Reachability.Status.INCOMMUNICADO:
        raise LetterError(_("Only a letter to someone held incommunicado can be kept sealed."))
    codename = None if friend else codenames.new_codename()
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
        codename_hash=codenames.key_hash(codename) if codename else "",
        sealed=sealed,
    )
    return letter, codename


def followed_by(codename: str) -> str | None:
    """The keyed hash a writer's letters are followed by, if the codename holds any."""
    if len(codenames.normalise(codename).split()) != codenames.WORDS_PER_CODENAME:
        return None
    key = codenames.key_hash(codename)
    return key if Letter.objects.followed_by(key).exists() else None


def _move(letters, allowed_from: set[str], **changes) -> int:
    """Moves the letters that are in one of the allowed states; returns how many moved."""
    return letters.filter(state__in=allowed_from).update(**changes)


def approve(letters, *, by, day: datetime.date) -> int:
    """Waiting letters pass review: to be mailed, or, if the writer asked, to be kept sealed."""
    waiting = letters.filter(state=Letter.State.WAITING)
    decided = {"decided_on": day, "decided_by": by}
    return waiting.filter(sealed=False).update(state=Letter.State.APPROVED, **decided) + waiting.filter(
        sealed=True
    ).update(state=Letter.State.SEALED, **decided)


def return_to_writer(letters, *, by, day: datetime.date, reason: str) -> int:
    """Back to the writer, with the reason they will read; only before the letter has gone."""
    if not reason.strip():
        raise LetterError(_("Say why the letter is returned: the writer reads it."))
    return _move(
        letters,
        {Letter.State.WAITING, Letter.State.APPROVED, Letter.State.SEALED},
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


def mark_printed(letters, *, day: datetime.date) -> int:
    return letters.filter(state__in=[Letter.State.APPROVED, Letter.State.SEALED]).update(printed_on=day)


def mark_mailed(letters, *, day: datetime.date) -> int:
    """Approved letters that were printed; a letter not printed cannot have been mailed."""
    return _move(
        letters.filter(printed_on__isnull=False),
        {Letter.State.APPROVED},
        state=Letter.State.MAILED,
        mailed_on=day,
    )


def hand_over_sealed(letters, *, by, day: datetime.date) -> int:
    """Printed sealed letters, given to the person after their release."""
    released = letters.filter(printed_on__isnull=False).exclude(
        person__status__in=[Status.POLITICAL_PRISONER, Status.PERSECUTED]
    )
    return _move(
        released, {Letter.State.SEALED}, state=Letter.State.HANDED_OVER, mailed_on=day, decided_by=by
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
def attach_reply(letter: Letter, scan) -> Reply:
    """A volunteer's scan of the prisoner's reply: a PDF, PNG or JPEG, at most 15 MB."""
    if letter.state not in (Letter.State.MAILED, Letter.State.HANDED_OVER):
        raise LetterError(_("A reply can only come to a letter that was mailed."))
    content_type = check_scan(scan)
    reply = Reply(letter=letter, content_type=content_type)
    reply.scan.save(
        f"{letter.pk}.{content_type.rsplit('/', 1)[1]}", _without_metadata(scan, content_type), save=False
    )
    reply.save()
    Letter.objects.filter(pk=letter.pk).update(replies_received=F("replies_received") + 1)
    return reply


def _without_metadata(scan, content_type: str):
    """A photo of a reply carries where and with what it was taken (EXIF, PNG text): drawn again,
    only its pixels remain. A PDF is kept as it came (a scanner's PDF carries no location)."""
    if not content_type.startswith("image/"):
        return scan
    with Image.open(scan) as image:  # `check_scan` has verified it
        image = ImageOps.exif_transpose(image)  # upright, now that the orientation tag is gone
        pixels = image.convert("RGB") if content_type == "image/jpeg" else image
        out = io.BytesIO()
        pixels.save(out, format="JPEG" if content_type == "image/jpeg" else "PNG", quality=90)
    return ContentFile(out.getvalue())


def read_reply(reply: Reply, *, day: datetime.date) -> None:
    if reply.first_read_on is None:
        Reply.objects.filter(pk=reply.pk, first_read_on__isnull=True).update(first_read_on=day)
        reply.first_read_on = day


def delete_reply(reply: Reply) -> None:
    reply.delete()  # the file goes with the row (`models.delete_scan_file`)


def purge(*, today: datetime.date) -> tuple[int, int]:
    """Deletes the texts of letters mailed, handed over or returned more than LETTERS_TEXT_DAYS ago,
    and replies first read more than LETTERS_REPLY_DAYS ago (or never read in LETTERS_UNREAD_REPLY_DAYS).
    The letters' rows (the counts) stay.
    Returns (texts deleted, replies deleted)."""
    text_cutoff = today - datetime.timedelta(days=settings.LETTERS_TEXT_DAYS)
    texts = Letter.objects.filter(text_deleted_on__isnull=True).filter(
        Q(mailed_on__lte=text_cutoff) | Q(state=Letter.State.RETURNED, decided_on__lte=text_cutoff)
    )
    deleted_texts = texts.update(body="", return_reason="", text_deleted_on=today)
    read_cutoff = today - datetime.timedelta(days=settings.LETTERS_REPLY_DAYS)
    unread_cutoff = today - datetime.timedelta(days=settings.LETTERS_UNREAD_REPLY_DAYS)
    replies = list(
        Reply.objects.filter(
            Q(first_read_on__lte=read_cutoff) | Q(first_read_on__isnull=True, received_on__lte=unread_cutoff)
        )
    )
    for reply in replies:
        delete_reply(reply)
    return deleted_texts, len(replies)
