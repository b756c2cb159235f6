"""Pictures uploaded to the magazine are held in memory, never in a temporary file: the original,
with its location and camera data and its unblurred faces, must not touch the disk. Django writes
uploads over 2.5 MB to a temporary file; this handler, first in `FILE_UPLOAD_HANDLERS`, takes the
magazine's back-office uploads instead, up to the largest picture accepted, and drops a larger one
unread (the form then asks for the picture)."""

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile

from .images import MAX_BYTES


class PicturesInMemory(MemoryFileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = self.request.path.startswith(f"/{settings.ADMIN_PATH}magazine/")
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        if self.activated:
            self.received += len(raw_data)
            if self.received > MAX_BYTES:
                raise SkipFile
        return super().receive_data_chunk(raw_data, start)
