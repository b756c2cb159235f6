"""Attachments are sealed as they arrive: this upload handler, first in `FILE_UPLOAD_HANDLERS`,
takes the testimony forms' files, encrypts each chunk and writes the ciphertext into the database
(`SealedChunk`), handing the view only the sealed result. The plaintext is never written
anywhere, not even as Django's temporary upload file, and memory stays bounded: a megabyte of
ciphertext at a time, or one photo when the witness asked for its location and device data to be
removed (which needs the whole picture).

Files are parsed before the view (and before the CSRF check) runs, so what may be sealed is
decided here: only posts to the two forms that take files, only with an upload ticket a page of
ours handed out and nobody used yet, and only while the files pending across every post stay
under `TESTIMONY_PENDING_BYTES`. Anything else is dropped unread."""

import hashlib
import io
import json
import re
import secrets

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import Resolver404, resolve

from . import sealing, services
from .models import SealedChunk, SealedFile, UploadTicket

UPLOAD_VIEWS = {"testimony_new", "testimony_add"}
# Any address under the app, in any language, whatever the view: a post that misses a view (a
# missing slash, another page) must not hand a witness's file to Django's temporary file.
UNDER_THE_APP = re.compile(r"^/(?:[a-z]{2}/)?testimonies(?:/|$)")
FILES_PER_POST = 20
PHOTOS = {"image/jpeg", "image/png", "image/webp"}
ROW_BYTES = 1024 * 1024  # ciphertext gathered before it is written as one row
TICKET_SALT = "testimonies.upload-ticket"
TICKET_DAYS = 2  # a form may stay open a long time, and an upload over Tor takes long


class SealedUpload(UploadedFile):
    """What reaches the view of a sealed attachment: its pending row, never its bytes."""

    def __init__(self, *, file_id: int):
        super().__init__(file=io.BytesIO(), name="sealed", content_type="application/octet-stream", size=0)
        self.file_id = file_id


def new_ticket() -> str:
    """An upload ticket for a form page's address: its files may be sealed once, within two days."""
    return signing.dumps(secrets.token_hex(16), salt=TICKET_SALT)


def _use_ticket(ticket: str) -> bool:
    try:
        nonce = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_DAYS * 86400)
    except signing.BadSignature:
        return False
    try:
        with transaction.atomic():
            UploadTicket.objects.create(digest=hashlib.sha256(str(nonce).encode()).hexdigest())
    except IntegrityError:
        return False
    return True


def pending_bytes() -> int:
    return SealedFile.objects.filter(testimony=None).aggregate(total=Sum("size"))["total"] or 0


def not_cleaned(request) -> int:
    """How many photos of this request could not be cleaned of their data (sealed as they came)."""
    return getattr(request, "_testimony_not_cleaned", 0)


def refused(request) -> int:
    """How many attachments of this request were dropped unread (too large, too many, no ticket)."""
    return getattr(request, "_testimony_files_refused", 0)


def refusal(request) -> str | None:
    """Why this request's files were dropped, if they were not simply too large or too many:
    "ticket" (the form was sent before, or is too old) or "busy" (too much is pending)."""
    return getattr(request, "_testimony_refusal", None)


class SealingUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = bool(UNDER_THE_APP.match(self.request.path_info))
        if not self.activated:
            return
        try:
            name = resolve(self.request.path_info).url_name
        except Resolver404:
            name = None
        # Where no file is expected, or nothing can be sealed, files are dropped unread.
        self.recipient = services.public_key() if name in UPLOAD_VIEWS else None
        self.clean_photos = self.request.GET.get("photos") == "clean"
        self.files = self.total = 0
        self.ticket_checked = False
        self.row = None

    def _may_seal(self) -> bool:
        if self.recipient is None or self.files > FILES_PER_POST:
            return False
        if not self.ticket_checked:  # the first file uses the ticket, the others ride on it
            self.ticket_checked = True
            if not _use_ticket(self.request.GET.get("ticket", "")):
                self.request._testimony_refusal = "ticket"
                self.recipient = None
                return False
        if pending_bytes() > settings.TESTIMONY_PENDING_BYTES:
            self.request._testimony_refusal = "busy"
            return False
        return True

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if not self.activated:
            return
        self.row = None
        self.files += 1
        if not self._may_seal():
            self.request._testimony_files_refused = refused(self.request) + 1
            raise SkipFile
        self.row = SealedFile.objects.create(stored_name=secrets.token_hex(16))
        self.sealer = sealing.FileSealer()
        self.buffer = bytearray(self.sealer.header)
        self.chunks = self.received = 0
        self.photo = bytearray() if self.clean_photos and content_type in PHOTOS else None
        if self.clean_photos and self.photo is None:  # a video, a document: nothing is removed
            self.request._testimony_not_cleaned = not_cleaned(self.request) + 1
        raise StopFutureHandlers  # no other handler sees this file's bytes

    def _write(self, ciphertext: bytes, *, last: bool = False) -> None:
        self.buffer += ciphertext
        if len(self.buffer) >= ROW_BYTES or (last and self.buffer):
            SealedChunk.objects.create(file=self.row, number=self.chunks, data=bytes(self.buffer))
            self.chunks += 1
            self.row.size += len(self.buffer)
            # The size so far counts against the pending ceiling while the upload goes on.
            SealedFile.objects.filter(pk=self.row.pk).update(size=self.row.size)
            self.buffer = bytearray()

    def receive_data_chunk(self, raw_data, start):
        if not self.activated:
            return raw_data
        self.received += len(raw_data)
        self.total += len(raw_data)
        limit = settings.TESTIMONY_MAX_BYTES if self.photo is None else services.MAX_PHOTO_BYTES
        if (
            self.received > limit
            or self.total > settings.TESTIMONY_MAX_BYTES * services.LARGEST_FILES_PER_POST
        ):
            self._discard()
            self.request._testimony_files_refused = refused(self.request) + 1
            raise SkipFile
        if self.photo is not None:
            self.photo += raw_data
        else:
            self._write(self.sealer.push(raw_data))
        return None

    def file_complete(self, file_size):
        if not self.activated or self.row is None:
            return None
        removed = False
        if self.photo is not None:
            cleaned = services.without_metadata(bytes(self.photo), self.content_type)
            removed = cleaned is not None
            if not removed:
                self.request._testimony_not_cleaned = not_cleaned(self.request) + 1
            self._write(self.sealer.push(cleaned if removed else bytes(self.photo)))
            self.photo = None
        self._write(self.sealer.finish(), last=True)
        meta = {
            "name": self.file_name,
            "content_type": self.content_type,
            "sha256": self.sealer.sha256.hexdigest(),
            "size": self.sealer.size,
            "metadata_removed": removed,
        }
        SealedFile.objects.filter(pk=self.row.pk).update(
            sealed_key=sealing.seal(self.sealer.key, self.recipient),
            sealed_meta=sealing.seal(json.dumps(meta).encode(), self.recipient),
        )
        upload = SealedUpload(file_id=self.row.pk)
        self.row = None
        return upload

    def upload_interrupted(self):
        if self.activated and getattr(self, "row", None) is not None:
            self._discard()

    def _discard(self) -> None:
        SealedFile.objects.filter(pk=self.row.pk).delete()
        self.row = self.photo = None
