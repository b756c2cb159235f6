"""The testimonies' operations. What a witness writes is sealed to the legal team's public key
before it is stored (`sealing`); what the server keeps in the clear is only what the legal team
needs to handle a testimony unopened, and the chain of custody (`CustodyEvent`), dated by the day.
Nothing here is audited with content or logged: the custody events are the record."""

import datetime
import hashlib
import hmac
import io
import json
import secrets
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from solidarity.core.pictures import on_white, pixels_only
from solidarity.friends.codenames import new_codename, normalise

from . import sealing
from .models import CustodyEvent, Question, SealedFile, SealedPart, Testimony, UploadTicket

BUNDLE_FORMAT = "solidarity-testimonies/1"
MAX_PHOTO_BYTES = 40 * 1024 * 1024  # a photo cleaned of its metadata is held whole in memory
MAX_PHOTO_PIXELS = 50_000_000  # ...and decoded: a small file may unpack to gigabytes
LARGEST_FILES_PER_POST = 3  # one post may carry at most this many largest files' worth
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
SITE, WITNESS, LEGAL, RETENTION = "site", "witness", "legal team", "retention"


class NotAllowed(Exception):
    """The step is refused; the message says why, in the user's language."""


@lru_cache(maxsize=4)
def _parsed_key(encoded: str):
    return sealing.public_key(encoded)


def public_key():
    """The legal team's public key, or None while none (or none valid: `check` says so) is
    configured; the form is then closed."""
    encoded = settings.TESTIMONY_PUBLIC_KEY
    try:
        return _parsed_key(encoded) if encoded else None
    except ValueError:
        return None


def _pepper() -> bytes:
    secret = settings.TESTIMONIES_PEPPER or settings.SECRET_KEY
    return hmac.new(secret.encode(), b"testimonies:follow-up", hashlib.sha256).digest()


def follow_up_hash(codename: str) -> str:
    """The codename as the server knows it: a keyed hash with a key of the testimonies' own, so
    that it cannot be matched against a friend's codename hash (`friends.codenames.key_hash`)."""
    return hmac.new(_pepper(), normalise(codename).encode(), hashlib.sha256).hexdigest()


def without_metadata(data: bytes, content_type: str) -> bytes | None:
    """A photo's pixels only, upright: no location, device or time. None if it cannot be read
    (it is then sealed as it came, and the manifest says its metadata was not removed)."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            if picture.width * picture.height > MAX_PHOTO_PIXELS:
                return None
            picture.load()
            kind = {"image/png": "PNG", "image/webp": "WEBP"}.get(content_type, "JPEG")
            clean = pixels_only(picture)
            if kind == "JPEG":
                clean = on_white(clean)
            out = io.BytesIO()
            clean.save(out, format=kind, quality=95)
            return out.getvalue()
    except Exception:  # noqa: BLE001 (Pillow raises many kinds on a broken file; none may end the upload)
        return None


def _seal_json(value: dict) -> bytes:
    return sealing.seal(json.dumps(value, ensure_ascii=False).encode(), public_key())


def _custody(reference: str, what: str, role: str) -> None:
    CustodyEvent.objects.create(reference=reference, what=what, role=role)


def _reference() -> str:
    while True:
        reference = "T-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not Testimony.objects.filter(reference=reference).exists():
            return reference


def _attach(testimony: Testimony, files) -> None:
    """The pending sealed files of this post become the testimony's."""
    SealedFile.objects.filter(pk__in=[upload.file_id for upload in files], testimony=None).update(
        testimony=testimony
    )


def discard(files) -> None:
    """Sealed attachments of a submission that did not go through: nothing of them stays."""
    ids = [upload.file_id for upload in files if hasattr(upload, "file_id")]
    SealedFile.objects.filter(pk__in=ids, testimony=None).delete()


def submit(*, answers: dict, consent: dict, files, language: str) -> tuple[Testimony, str]:
    """Stores a testimony sealed, and returns it with the witness's new codename (shown once)."""
    if public_key() is None:
        raise NotAllowed(_("Testimonies cannot be received yet: the legal team's key is not set."))
    codename = new_codename(language)
    salt = secrets.token_bytes(sealing.SALT_BYTES)
    # Argon2id takes a third of a second: before the transaction, which holds SQLite's write lock.
    witness_key = bytes(sealing.witness_keys(normalise(codename), salt).public_key)
    with transaction.atomic():
        testimony = Testimony.objects.create(
            reference=_reference(),
            consent_legal_team=consent.get("legal_team", False),
            consent_court=consent.get("court", False),
            consent_publication=consent.get("publication", False),
            follow_up=follow_up_hash(codename),
            witness_salt=salt,
            witness_key=witness_key,
            delete_after=timezone.localdate() + datetime.timedelta(days=settings.TESTIMONY_KEEP_DAYS),
        )
        SealedPart.objects.create(
            testimony=testimony,
            kind=SealedPart.Kind.ANSWERS,
            sealed=_seal_json({"language": language, "answers": answers}),
        )
        _attach(testimony, files)
        _custody(testimony.reference, CustodyEvent.What.RECEIVED, SITE)
    return testimony, codename


def find(codename: str) -> Testimony | None:
    return Testimony.objects.filter(follow_up=follow_up_hash(codename)).first()


@transaction.atomic
def add(testimony: Testimony, *, text: str, files, language: str) -> None:
    """What the witness adds later: more words, more files, an answer to a question."""
    if text.strip():
        SealedPart.objects.create(
            testimony=testimony,
            kind=SealedPart.Kind.ADDITION,
            sealed=_seal_json({"language": language, "answers": {"addition": text}}),
        )
    _attach(testimony, files)
    if text.strip() or files:
        _custody(testimony.reference, CustodyEvent.What.ADDED, WITNESS)
        # What was added is not in any export yet: the legal team exports it before confirming.
        Testimony.objects.filter(pk=testimony.pk).update(status=Testimony.Status.RECEIVED)


@transaction.atomic
def withdraw(testimony: Testimony) -> None:
    """The witness withdraws every consent: the legal team sees it, and may use nothing."""
    Testimony.objects.filter(pk=testimony.pk).update(
        consent_legal_team=False,
        consent_court=False,
        consent_publication=False,
        withdrawn_on=timezone.localdate(),
    )
    _custody(testimony.reference, CustodyEvent.What.WITHDRAWN, WITNESS)


@transaction.atomic
def ask(testimony: Testimony, *, text: str) -> Question:
    """The legal team's question, sealed at once to the witness's key: kept only as ciphertext."""
    if not text.strip():
        raise NotAllowed(_("Write the question."))
    sealed = sealing.seal(text.strip().encode(), sealing.PublicKey(bytes(testimony.witness_key)))
    question = Question.objects.create(testimony=testimony, sealed=sealed)
    _custody(testimony.reference, CustodyEvent.What.ASKED, LEGAL)
    return question


def questions_for(testimony: Testimony, codename: str) -> list[tuple[datetime.date, str]]:
    """The legal team's questions, opened with the key the codename gives."""
    private = sealing.witness_keys(normalise(codename), bytes(testimony.witness_salt))
    return [
        (question.asked_on, sealing.unseal(question.sealed, private).decode())
        for question in testimony.questions.all()
    ]


def export(testimonies: list[Testimony]) -> Path:
    """A bundle of the testimonies as sealed (the offline tool opens it), in a temporary file
    under PRIVATE_ROOT: sealed files are copied into it a row at a time, never whole in memory."""
    handle, name = tempfile.mkstemp(suffix=".zip", dir=_private_folder())
    day = timezone.localdate()
    midnight = (day.year, day.month, day.day, 0, 0, 0)
    entries = []
    with open(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as bundle:
        for testimony in testimonies:
            files = []
            for sealed in testimony.files.all():
                path = f"files/{sealed.stored_name}.sealed"
                entry = zipfile.ZipInfo(path, date_time=midnight)
                with bundle.open(entry, "w", force_zip64=True) as out:
                    for data in sealed.chunks.order_by("number").values_list("data", flat=True).iterator(4):
                        out.write(data)
                files.append(
                    {
                        "path": path,
                        "added_on": sealed.added_on.isoformat(),
                        "sealed_key": sealing.b64(sealed.sealed_key),
                        "sealed_meta": sealing.b64(sealed.sealed_meta),
                    }
                )
            custody = CustodyEvent.objects.filter(reference=testimony.reference)
            entries.append(
                {
                    "reference": testimony.reference,
                    "received_on": testimony.received_on.isoformat(),
                    "consent": {
                        "legal_team": testimony.consent_legal_team,
                        "court": testimony.consent_court,
                        "publication": testimony.consent_publication,
                    },
                    "withdrawn_on": testimony.withdrawn_on.isoformat() if testimony.withdrawn_on else None,
                    "parts": [
                        {
                            "kind": part.kind,
                            "added_on": part.added_on.isoformat(),
                            "sealed": sealing.b64(part.sealed),
                        }
                        for part in testimony.parts.all()
                    ],
                    "files": files,
                    "custody": [
                        {"what": event.what, "role": event.role, "on": event.on.isoformat()}
                        for event in custody
                    ]
                    + [
                        {
                            "what": CustodyEvent.What.EXPORTED,
                            "role": LEGAL,
                            "on": timezone.localdate().isoformat(),
                        }
                    ],
                }
            )
        bundle.writestr(
            zipfile.ZipInfo("bundle.json", date_time=midnight),
            json.dumps(
                {
                    "format": BUNDLE_FORMAT,
                    "exported_on": timezone.localdate().isoformat(),
                    "testimonies": entries,
                },
                indent=1,
            ),
        )
    with transaction.atomic():
        for testimony in testimonies:
            _custody(testimony.reference, CustodyEvent.What.EXPORTED, LEGAL)
        Testimony.objects.filter(pk__in=[t.pk for t in testimonies], status=Testimony.Status.RECEIVED).update(
            status=Testimony.Status.EXPORTED
        )
    return Path(name)


def _private_folder() -> Path:
    path = Path(settings.PRIVATE_ROOT) / "testimonies"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _delete(testimony: Testimony, role: str) -> None:
    reference = testimony.reference
    testimony.delete()
    _custody(reference, CustodyEvent.What.DELETED, role)


@transaction.atomic
def confirm_received(testimony: Testimony) -> None:
    """The legal team holds the export: the sealed answers and files here are deleted; the row
    stays (day, consent, questions), so that the witness can still follow up, withdraw consent
    and read questions, and the custody is kept."""
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if testimony.status != Testimony.Status.EXPORTED:
        raise NotAllowed(
            _("Export it first: only what was exported, and nothing added since, can be confirmed.")
        )
    testimony.parts.all().delete()
    testimony.files.all().delete()
    Testimony.objects.filter(pk=testimony.pk).update(status=Testimony.Status.CONFIRMED)
    _custody(testimony.reference, CustodyEvent.What.CONFIRMED, LEGAL)
    _custody(testimony.reference, CustodyEvent.What.DELETED, LEGAL)


@transaction.atomic
def purge(today: datetime.date | None = None) -> int:
    """Deletes the sealed data of testimonies kept past their time (`TESTIMONY_KEEP_DAYS`); files
    sealed for a post that never became a testimony (refused, or cut off), once a day has passed
    (an upload over Tor may still be arriving past midnight); and used upload tickets that have
    expired anyway."""
    from .uploads import TICKET_DAYS

    today = today or timezone.localdate()
    expired = list(Testimony.objects.filter(delete_after__lt=today))
    for testimony in expired:
        _delete(testimony, RETENTION)
    SealedFile.objects.filter(testimony=None, added_on__lt=today - datetime.timedelta(days=1)).delete()
    UploadTicket.objects.filter(used_on__lt=today - datetime.timedelta(days=TICKET_DAYS)).delete()
    return len(expired)
