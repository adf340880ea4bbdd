"""Format readers. Each turns one file into the neutral grid of :mod:`parsers.grid`.

The reader is chosen from the content (magic bytes, then the text's layout), never from the
file name. Binary formats (DOCX, PDF) and HTML have their own modules, imported only when a
file of that kind is met so that text extraction stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from legalkpi.errors import DEFAULT_LIMITS, BadInput, LegalKpiError, LimitExceeded, Limits, UnknownLayout
from parsers import cells, pdftext, prose
from parsers.grid import Document
from parsers.textio import decode, split_lines

if TYPE_CHECKING:
    from parsers.words import Vocabulary

TEXT_READERS = (cells, pdftext, prose)


def sniff_kind(data: bytes) -> str:
    """'docx', 'pdf', 'html' or 'text' from the first bytes."""
    head = data[:2048].lstrip()
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if data.startswith(b"%PDF") or head.startswith(b"%PDF"):
        return "pdf"
    low = head.lower()
    if low.startswith((b"<!doctype html", b"<html")) or (b"<html" in low and b"<body" in data[:65536].lower()):
        return "html"
    return "text"


def read_document(
    path: str | Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
    display_name: str | None = None,
    kazakh_texts: Sequence[str] = (),
    vocabulary: Vocabulary | None = None,
) -> Document:
    """Read any supported file into a :class:`Document`; raise a ``LegalKpiError`` subclass.

    ``kazakh_texts``: other Kazakh texts of the corpus, from which the PDF-text reader learns the
    vocabulary it uses to rejoin words split by stray spaces; ``vocabulary``: that vocabulary given
    outright. Neither: the vocabulary shipped with the package (:func:`parsers.words.shipped`).
    """
    p = Path(path)
    name = display_name or str(p)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise BadInput(f"cannot read file: {e.strerror}; check the path and that you may read it", file=name) from None
    if size > limits.max_bytes:
        raise LimitExceeded(f"file is {size} bytes, limit is {limits.max_bytes}", file=name)
    if p.is_dir():
        raise BadInput("is a folder, not a file: give one file of the folder", file=name)
    data = p.read_bytes()
    return read_bytes(data, name, limits=limits, kazakh_texts=kazakh_texts, vocabulary=vocabulary)


def read_bytes(
    data: bytes,
    name: str,
    *,
    limits: Limits = DEFAULT_LIMITS,
    kazakh_texts: Sequence[str] = (),
    vocabulary: Vocabulary | None = None,
) -> Document:
    """Read bytes with the reader their content calls for; every failure is a ``LegalKpiError``.

    The readers refuse what they know to be wrong with the place; whatever a library
    (python-docx, lxml, zipfile, pdfminer, BeautifulSoup) still raises is caught here, at the
    boundary, and named with the file and the reader that met it.
    """
    kind = sniff_kind(data)
    try:
        return _read_bytes(data, name, limits, kazakh_texts, vocabulary)
    except LegalKpiError:
        raise
    except RecursionError:
        raise LimitExceeded(f"the {_FORMS.get(kind, kind)} is nested too deeply to read", file=name) from None
    except MemoryError:
        raise LimitExceeded(f"the {_FORMS.get(kind, kind)} needs more memory than is available", file=name) from None
    except Exception as e:  # noqa: BLE001 - a library's own exception, named with the file
        raise BadInput(
            f"damaged or unusual {_FORMS.get(kind, kind)}: it cannot be read ({type(e).__name__}: {_first_line(e)}); "
            "open it and save it again, or give another form of the act (text, DOCX, PDF, HTML)",
            file=name,
        ) from None


_FORMS = {"docx": "DOCX file", "pdf": "PDF file", "html": "HTML page", "text": "text"}


def _first_line(e: BaseException) -> str:
    text = str(e).strip().split("\n")[0]
    return text if len(text) <= 200 else text[:199] + "…"


def _read_bytes(
    data: bytes, name: str, limits: Limits, kazakh_texts: Sequence[str], vocabulary: Vocabulary | None
) -> Document:
    if not data.strip():
        raise BadInput("file is empty: give the file that holds the act's text", file=name)
    kind = sniff_kind(data)
    if kind == "ole2":
        # Word 97-2003 files and password-protected Office files share this container.
        raise BadInput("legacy .doc or encrypted Office file: not read; save it as DOCX without a password", file=name)
    if kind == "docx":
        from parsers import docx

        return docx.read(data, name, limits)
    if kind == "pdf":
        from parsers import pdf

        return pdf.read(data, name, limits)
    if kind == "html":
        from parsers import html

        return html.read(data, name, limits)
    decoded = decode(data, name)
    lines = split_lines(decoded.text)
    scores = sorted(((r.sniff(lines), r.NAME, r) for r in TEXT_READERS), key=lambda t: t[0], reverse=True)
    best_score, _, reader = scores[0]
    if best_score < 0.05:
        raise UnknownLayout(
            "this text has no KPI table: no header naming the indicator column was found, and it is not laid out "
            "as rules (numbered points \"1. …\"); check that the file is the act's full text, or give its DOCX, "
            "PDF or the legal database's HTML",
            file=name,
        )
    if reader is pdftext:
        return pdftext.read(decoded.text, name, decoded.encoding, decoded.sha256, kazakh_texts=kazakh_texts, vocabulary=vocabulary)
    return reader.read(decoded.text, name, decoded.encoding, decoded.sha256)
