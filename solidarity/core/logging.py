import logging
import re

from gunicorn import glogging


class WithoutRequest(logging.Filter):
    """Drops the request object that Django attaches to log records.

    Django's request loggers pass `request=` in `extra`; a handler or formatter that printed it
    would write the visitor's address and headers. Removing it here makes that impossible.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            del record.request
        return True


# IPv4 and IPv6 addresses, wherever they stand in a message.
ADDRESS = re.compile(
    r"\b\d{1,3}(?:\.\d{1,3}){3}\b"  # IPv4
    r"|(?<![\w:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}",  # IPv6, mapped IPv4 too
    re.IGNORECASE,
)


class WithoutAddresses(logging.Filter):
    """Replaces every IP address in a record's message, whoever wrote it: gunicorn logs malformed
    requests as "Invalid request from ip=...", and its error log must name no client."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = ADDRESS.sub("[address]", message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


class PrivateGunicornLogger(glogging.Logger):
    """gunicorn's logger with addresses removed from its error log (its access log is off)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(WithoutAddresses())
