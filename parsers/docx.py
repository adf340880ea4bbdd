"""Reader for Word DOCX files: body paragraphs and tables, in document order.

The package is checked from its bytes before python-docx opens it: entry count, declared and
actually unzipped sizes (zip bombs) and any DOCTYPE/ENTITY in an XML part (entity expansion,
external entities) are refused. Then the body XML is walked in order so that paragraphs and
tables interleave as in the document.

Tables follow the Word grid:

- ``w:gridSpan`` gives the cell's ``col_span`` (a section title merged across the table is
  one cell with ``col_span`` equal to the table width);
- a vertically merged cell (``w:vMerge``) holds its text once, in the top cell; each
  continuation below is kept as an EMPTY cell (so rows keep their width) whose
  ``Source.cell`` names the top cell it continues, e.g. ``t1/r5/c6``;
- header rows marked ``w:tblHeader`` at the top of a table are kept once; later rows marked
  as headers, or repeating the header's text, are dropped (documents assembled from pieces
  repeat them);
- images (``w:drawing``, VML ``w:pict``, OLE ``w:object`` — formulas pasted as pictures) are
  counted in ``Cell.images``; OMML formulas keep their text.

Addresses: ``t{table}/r{row}/c{cell}`` (0-based, rows and cells as they stand in the XML) and
``p{n}`` for the n-th body paragraph.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from legalkpi.errors import BadInput, LimitExceeded, Limits, RefusedUnsafe
from legalkpi.text import fold_inline
from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.textio import sha256_of

NAME = "docx"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
# A DOCX never needs a DTD; any DOCTYPE or ENTITY declaration is refused outright.
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 << 16


def read(data: bytes, name: str, limits: Limits) -> Document:
    check_package(data, name, limits)
    import docx as python_docx  # heavy; imported only when a DOCX is met

    try:
        body = python_docx.Document(io.BytesIO(data)).element.body
    except Exception as e:  # python-docx raises many kinds on a malformed package
        raise BadInput(f"not a readable DOCX ({type(e).__name__}: {e})", file=name) from None
    doc = Document(file=name, reader=NAME, encoding="utf-8", sha256=sha256_of(data))
    walker = _Walker(name, time.monotonic() + limits.max_seconds, limits.max_seconds)
    walker.walk(body, doc)
    return doc


# --- package checks -------------------------------------------------------------------------


def check_package(data: bytes, name: str, limits: Limits) -> None:
    """Refuse bombs, DTDs and non-DOCX zips; raise one clear error."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise BadInput(f"not a readable DOCX (bad zip: {e})", file=name) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_zip_entries:
            raise LimitExceeded(f"zip has {len(infos)} entries, limit is {limits.max_zip_entries}", file=name)
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_unzipped_bytes:
            raise RefusedUnsafe(
                f"zip bomb: entries declare {declared} bytes unzipped, limit is {limits.max_unzipped_bytes}",
                file=name,
            )
        if "word/document.xml" not in {i.filename for i in infos}:
            raise BadInput("not a DOCX: the zip has no word/document.xml", file=name)
        total = 0
        deadline = time.monotonic() + limits.max_seconds
        for info in infos:
            body = _unzip_entry(zf, info, name, limits, limits.max_unzipped_bytes - total, deadline)
            total += len(body)
            if info.filename.endswith((".xml", ".rels")) and _has_dtd(body):
                raise RefusedUnsafe(
                    "XML part declares a DOCTYPE/ENTITY (entity expansion refused)",
                    file=name,
                    place=info.filename,
                )


def _unzip_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits, budget: int, deadline: float
) -> bytes:
    # Count what actually comes out: the declared sizes may lie.
    chunks: list[bytes] = []
    got = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                got += len(chunk)
                if got > info.file_size:
                    raise RefusedUnsafe(
                        f"zip bomb: entry unzips beyond its declared {info.file_size} bytes",
                        file=name,
                        place=info.filename,
                    )
                if got > budget:
                    raise RefusedUnsafe(
                        f"zip bomb: more than {limits.max_unzipped_bytes} bytes unzipped",
                        file=name,
                        place=info.filename,
                    )
                if time.monotonic() > deadline:
                    raise LimitExceeded(f"unzipping took over {limits.max_seconds:g} s", file=name)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as e:
        raise BadInput(
            f"not a readable DOCX (damaged zip entry: {e})", file=name, place=info.filename
        ) from None
    return b"".join(chunks)


def _has_dtd(body: bytes) -> bool:
    if _DTD.search(body):
        return True
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # an XML part may be UTF-16
        try:
            return bool(re.search(r"<!\s*(DOCTYPE|ENTITY)", body.decode("utf-16"), re.IGNORECASE))
        except UnicodeDecodeError:
            return True
    return False


# --- text of paragraphs and cells ----------------------------------------------------------


def fold(s: str) -> str:
    return fold_inline(s)


def paragraph_text(p: Any) -> tuple[str, int]:
    """Raw text of one ``w:p`` (line breaks as newlines) and the number of images in it."""
    out: list[str] = []
    images = 0
    for el in p.iter():
        tag = el.tag
        if tag in (f"{_W}t", f"{_M}t"):
            out.append(el.text or "")
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            out.append("-")
        elif tag in (f"{_W}drawing", f"{_W}pict", f"{_W}object"):
            images += 1
    return "".join(out), images


def block_lines(container: Any) -> tuple[list[str], int]:
    """Raw paragraphs of a cell (nested tables flattened, one row per line) and its images."""
    lines: list[str] = []
    images = 0
    for child in container:
        if child.tag == f"{_W}p":
            text, n = paragraph_text(child)
            lines.extend(text.split("\n"))
            images += n
        elif child.tag == f"{_W}tbl":
            for tr in child.findall(f"{_W}tr"):  # own rows and cells only: nested tables are read once,
                row: list[str] = []  # by the recursion (iter() re-walked them at every level: exponential)
                for tc in tr.findall(f"{_W}tc"):
                    sub, n = block_lines(tc)
                    images += n
                    row.append(" ".join(fold(x) for x in sub if fold(x)))
                lines.append(" ".join(x for x in row if x))
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            sub, n = block_lines(child if child.tag != f"{_W}sdt" else _sdt_content(child))
            lines.extend(sub)
            images += n
    return lines, images


def _sdt_content(sdt: Any) -> Any:
    content = sdt.find(f"{_W}sdtContent")
    return content if content is not None else []


def clean(lines: list[str]) -> str:
    """Paragraphs joined by newlines, spaces folded, empty paragraphs dropped."""
    return "\n".join(x for x in (fold(ln) for ln in lines) if x)


# --- body walk -------------------------------------------------------------------------------


@dataclass
class _Slot:
    """Where a cell stands in the Word grid, to find the top of a vertical merge."""

    address: str
    col: int
    span: int


class _Walker:
    def __init__(self, file: str, deadline: float, seconds: float) -> None:
        self.file = file
        self.deadline = deadline
        self.seconds = seconds
        self.n_par = 0
        self.n_tab = 0

    def _tick(self, place: str) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"reading took over {self.seconds:g} s", file=self.file, place=place)

    def walk(self, container: Any, doc: Document) -> None:
        for child in container:
            if child.tag == f"{_W}p":
                self._paragraph(child, doc)
            elif child.tag == f"{_W}tbl":
                doc.blocks.append(self._table(child))
            elif child.tag == f"{_W}sdt":
                self.walk(_sdt_content(child), doc)
            elif child.tag == f"{_W}customXml":
                self.walk(child, doc)

    def _paragraph(self, p: Any, doc: Document) -> None:
        address = f"p{self.n_par}"
        self.n_par += 1
        raw, _ = paragraph_text(p)
        text = clean(raw.split("\n"))
        if text:
            doc.blocks.append(Paragraph(text=text, orig=raw, source=Source(self.file, cell=address)))

    def _table(self, tbl: Any) -> Table:
        t = self.n_tab
        self.n_tab += 1
        self._tick(f"t{t}")
        rows: list[Row] = []
        header: list[list[str]] = []
        in_header_run = True
        above: dict[int, _Slot] = {}  # grid column -> the cell that occupies it in the previous row
        for r, tr in enumerate(tbl.findall(f"{_W}tr")):
            is_header = tr.find(f"{_W}trPr/{_W}tblHeader") is not None and _on(
                tr.find(f"{_W}trPr/{_W}tblHeader")
            )
            row, above = self._row(tr, t, r, above)
            texts = [c.text for c in row.cells if c.text]
            if is_header and in_header_run:
                header.append(texts)
            else:
                in_header_run = False
                # A header repeated lower down (flagged, or the same texts) is not data.
                if is_header or (texts and texts in header):
                    continue
            rows.append(row)
        return Table(rows=rows, source=Source(self.file, cell=f"t{t}"))

    def _row(self, tr: Any, t: int, r: int, above: dict[int, _Slot]) -> tuple[Row, dict[int, _Slot]]:
        cells: list[Cell] = []
        here: dict[int, _Slot] = {}
        col = _int_attr(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        for c, tc in enumerate(tr.findall(f"{_W}tc")):
            span = max(1, _int_attr(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1))
            address = f"t{t}/r{r}/c{c}"
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            continues = vmerge is not None and vmerge.get(f"{_W}val", "continue") == "continue"
            top = above.get(col) if continues else None
            if top is not None:
                cell = Cell(text="", orig="", source=Source(self.file, cell=top.address), col_span=span)
                here[col] = top
            else:
                lines, images = block_lines(tc)
                cell = Cell(
                    text=clean(lines),
                    orig="\n".join(lines),
                    source=Source(self.file, cell=address),
                    col_span=span,
                    images=images,
                )
                here[col] = _Slot(address, col, span)
            cells.append(cell)
            col += span
        return Row(cells=cells, source=Source(self.file, cell=f"t{t}/r{r}")), here


def _on(el: Any) -> bool:
    return el.get(f"{_W}val", "true") not in ("0", "false", "off")


def _int_attr(el: Any, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(f"{_W}val", default))
    except ValueError:
        return default
