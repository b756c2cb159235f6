"""Attachments are sealed as they arrive: this upload handler, first in `FILE_UPLOAD_HANDLERS`,
takes the testimony forms' files, encrypts each chunk into a file under PRIVATE_ROOT and hands the
view only the sealed result. The plaintext is never written anywhere, not even as Django's
temporary upload file, and memory stays bounded: a chunk at a time, or one photo when the witness
asked for its location and device data to be removed (which needs the whole picture)."""

import io
import json
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopFutureHandlers
from django.urls import Resolver404, resolve

from . import sealing, services

UPLOAD_VIEWS = {"testimony_new", "testimony_add"}
# Any address under the app, in any language, whatever the view: a post that misses a view (a
# missing slash, another page) must not hand a witness's file to Django's temporary file.
UNDER_THE_APP = re.compile(r"^/(?:[a-z]{2}/)?testimonies(?:/|$)")
FILES_PER_POST = 20
PHOTOS = {"image/jpeg", "image/png", "image/webp"}


class SealedUpload(UploadedFile):
    """What reaches the view of a sealed attachment: where it is, and its sealed key and manifest."""

    def __init__(self, *, stored_name: str, sealed_key: bytes, sealed_meta: bytes, sealed_size: int):
        super().__init__(file=io.BytesIO(), name="sealed", content_type="application/octet-stream", size=0)
        self.stored_name, self.sealed_key, self.sealed_meta = stored_name, sealed_key, sealed_meta
        self.sealed_size = sealed_size


def folder() -> Path:
    path = Path(settings.PRIVATE_ROOT) / "testimonies"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def not_cleaned(request) -> int:
    """How many photos of this request could not be cleaned of their data (sealed as they came)."""
    return getattr(request, "_testimony_not_cleaned", 0)


def refused(request) -> int:
    """How many attachments of this request were too large and were dropped unread."""
    return getattr(request, "_testimony_files_refused", 0)


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

    def new_file(
        self, field_name, file_name, content_type, content_length, charset=None, content_type_extra=None
    ):
        super().new_file(field_name, file_name, content_type, content_length, charset, content_type_extra)
        if not self.activated:
            return
        self.out = None
        self.files += 1
        if self.recipient is None or self.files > FILES_PER_POST:
            self.request._testimony_files_refused = refused(self.request) + 1
            raise SkipFile
        self.stored_name = secrets.token_hex(16)
        self.path = folder() / f"{self.stored_name}.sealed"
        self.out = open(self.path, "xb")  # noqa: SIM115 (closed in file_complete or when interrupted)
        self.path.chmod(0o600)
        self.sealer = sealing.FileSealer()
        self.out.write(self.sealer.header)
        self.received = 0
        self.photo = bytearray() if self.clean_photos and content_type in PHOTOS else None
        if self.clean_photos and self.photo is None:  # a video, a document: nothing is removed
            self.request._testimony_not_cleaned = not_cleaned(self.request) + 1
        raise StopFutureHandlers  # no other handler sees this file's bytes

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
            self.out.write(self.sealer.push(raw_data))
        return None

    def file_complete(self, file_size):
        if not self.activated:
            return None
        removed = False
        if self.photo is not None:
            cleaned = services.without_metadata(bytes(self.photo), self.content_type)
            removed = cleaned is not None
            if not removed:
                self.request._testimony_not_cleaned = not_cleaned(self.request) + 1
            self.out.write(self.sealer.push(cleaned if removed else bytes(self.photo)))
            self.photo = None
        self.out.write(self.sealer.finish())
        self.out.close()
        services.dated_by_the_day(self.path)
        meta = {
            "name": self.file_name,
            "content_type": self.content_type,
            "sha256": self.sealer.sha256.hexdigest(),
            "size": self.sealer.size,
            "metadata_removed": removed,
        }
        return SealedUpload(
            stored_name=self.stored_name,
            sealed_key=sealing.seal(self.sealer.key, self.recipient),
            sealed_meta=sealing.seal(json.dumps(meta).encode(), self.recipient),
            sealed_size=self.path.stat().st_size,
        )

    def upload_interrupted(self):
        if self.activated and getattr(self, "out", None) is not None and not self.out.closed:
            self._discard()

    def _discard(self) -> None:
        self.out.close()
        self.path.unlink(missing_ok=True)
        self.photo = None
