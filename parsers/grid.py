"""The neutral grid: what every reader produces and everything downstream reads.

A :class:`Document` is a sequence of blocks, each a :class:`Paragraph` or a :class:`Table`
of :class:`Row` of :class:`Cell`. Every piece keeps its :class:`Source` (file and line span for
text renditions, page for PDF, table/row/cell for DOCX, element path for HTML) and, like
docling-core's ``TextItem``, the raw text (``orig``) beside the cleaned one (``text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from legalkpi.provenance import Source

__all__ = ["Block", "Cell", "Document", "Paragraph", "Row", "Source", "Table"]


@dataclass
class Cell:
    text: str  # cleaned: paragraphs joined by "\n", spaces folded
    source: Source
    orig: str = ""  # as it stood in the file
    col_span: int = 1
    images: int = 0  # images (formulas) the cell held, recorded as such

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


@dataclass
class Row:
    cells: list[Cell]
    source: Source
    mended: tuple[str, ...] = ()  # repairs the reader made to this row ("row-rejoined"), reported as warnings

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def non_empty(self) -> list[Cell]:
        return [c for c in self.cells if not c.is_empty]


@dataclass
class Table:
    rows: list[Row]
    source: Source


@dataclass
class Paragraph:
    text: str
    source: Source
    orig: str = ""


Block = Paragraph | Table


@dataclass
class Document:
    """One file read by one reader."""

    file: str
    reader: str  # which reader produced it ("cells", "pdftext", "prose", "docx", "pdf", "html")
    encoding: str
    sha256: str
    blocks: list[Block] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def rows(self) -> list[Row]:
        return [r for t in self.tables() for r in t.rows]

    def text(self) -> str:
        """Every text of the document in reading order, one block or row per line."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend(" | ".join(r.texts()) for r in b.rows)
        return "\n".join(out)
