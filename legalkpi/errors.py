"""Errors as data: one base class, a few kinds a user can act on.

Each error carries a stable ``code``, the ``file`` and the ``place`` (line, page, cell)
so the CLI prints one clear line and reports can serialize it.
"""

from __future__ import annotations

from dataclasses import dataclass


class LegalKpiError(Exception):
    """Base of every error legalkpi raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, file: str | None = None, place: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.place = place

    def line(self) -> str:
        """The one line the CLI prints: ``file:place: message [code]``."""
        where = ":".join(p for p in (self.file, self.place) if p)
        return f"{where}: {self.message} [{self.code}]" if where else f"{self.message} [{self.code}]"

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "file": self.file, "place": self.place}


class BadInput(LegalKpiError):
    """The file is empty, binary, truncated, undecodable or of an unknown layout."""

    code = "bad-input"


class UnknownLayout(BadInput):
    code = "unknown-layout"


class NotAnIndicatorAct(BadInput):
    """The file is read fine but holds no indicator table (a report, a rules order)."""

    code = "not-an-indicator-act"


class LimitExceeded(LegalKpiError):
    """A set limit (size, pages, time, entries) was reached."""

    code = "limit-exceeded"


class RefusedUnsafe(LegalKpiError):
    """The file carries something dangerous (XML entities, zip bomb, encryption)."""

    code = "refused-unsafe"


class OutputError(LegalKpiError):
    """An output cannot be written: a folder where a file is wanted, no permission, disk full."""

    code = "cannot-write"


class CorpusBusy(LegalKpiError):
    """Another run holds the corpus lock (``add``, ``remove`` or ``build``)."""

    code = "corpus-busy"


class ManifestError(LegalKpiError):
    """The corpus manifest is wrong, or a file does not match its recorded hash."""

    code = "manifest"


@dataclass(frozen=True)
class Limits:
    """Limits every reader obeys; the CLI may raise them with options."""

    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 500
    max_seconds: float = 120.0
    max_zip_entries: int = 2000
    max_unzipped_bytes: int = 200 * 1024 * 1024


DEFAULT_LIMITS = Limits()
