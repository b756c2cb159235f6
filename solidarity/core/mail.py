"""The embedded default's outbox: mail is not sent but written, a message per file, into
EMAIL_FILE_PATH (var/mail/), for whoever runs the site to open. Unlike Django's file backend it
keeps neither the recipient nor the time: no To, Cc, Date or Message-ID header, file names and
times by the hour, and messages older than a week (a confirmation link's life) are deleted."""

import datetime
import os
import secrets
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend
from django.utils import timezone

KEEP_DAYS = 7
NOT_KEPT = ("To", "Cc", "Bcc", "Date", "Message-ID")


def _hour() -> datetime.datetime:
    return timezone.localtime().replace(minute=0, second=0, microsecond=0)


class OutboxFileBackend(EmailBackend):
    def write_message(self, message):
        written = message.message()
        for header in NOT_KEPT:
            del written[header]
        self.stream.write(written.as_bytes() + b"\n")

    def _get_filename(self):
        if self._fname is None:
            self._fname = os.path.join(self.file_path, f"{_hour():%Y%m%d-%H}00-{secrets.token_hex(4)}.eml")
        return self._fname

    def open(self):
        Path(self.file_path).chmod(0o700)  # confirmation links are for the site's owner only
        cutoff = (timezone.now() - datetime.timedelta(days=KEEP_DAYS)).timestamp()
        for old in Path(self.file_path).glob("*.eml"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        return super().open()

    def close(self):
        super().close()
        if self._fname and os.path.exists(self._fname):
            hour = _hour().timestamp()
            os.chmod(self._fname, 0o600)
            os.utime(self._fname, (hour, hour))
        self._fname = None  # the next message, a file of its own
