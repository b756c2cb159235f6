import logging


class WithoutRequest(logging.Filter):
    """Drops the request object that Django attaches to log records.

    Django's request loggers pass `request=` in `extra`; a handler or formatter that printed it
    would write the visitor's address and headers. Removing it here makes that impossible.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            del record.request
        return True
