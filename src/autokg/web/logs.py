"""The server's logs: credentials never reach them, whoever logs (uvicorn, Starlette, autokg)."""

from __future__ import annotations

import logging

__all__ = ["RedactCredentials", "install_redaction"]


class RedactCredentials(logging.Filter):
    """A log filter that keeps credentials out of every message and traceback, whatever logged it."""

    def __init__(self, secrets: tuple[str, ...] = ()):
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        from .data import redact

        message = record.getMessage()
        clean = redact(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info), self.secrets)
        return True


def install_redaction(secrets: tuple[str, ...]) -> None:
    """Filter every logger and handler the server writes through."""
    redactor = RedactCredentials(secrets)
    for name in ("", "autokg", "autokg.web", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).addFilter(redactor)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
