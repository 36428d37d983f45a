"""A logging filter that keeps sensitive request data out of log lines."""

import logging


class ScrubSensitiveFilter(logging.Filter):
    """Drop the request (and with it any body, header or IP) from log records.

    Django attaches the request to error records; formatters and error
    reporters may print its POST data, which can be a complaint narrative.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True
