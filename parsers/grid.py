"""The neutral grid: what every reader produces and everything downstream reads.

A :class:`Document` is a sequence of blocks, each a :class:`Paragraph` or a :class:`Table`
of :class:`Row` of :class:`Cell`. Every piece keeps its :class:`Source` (file and line span for
text renditions, page for PDF, table/row/cell for DOCX, element path for HTML) and, like
docling-core's ``TextItem``, the raw text (``orig``) beside the cleaned one (``text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    file: str
    first_line: int | None = None
    last_line: int | None = None
    page: int | None = None
    cell: str | None = None  # "t2/r5/c3" for DOCX, an element path for HTML

    def lines(self) -> list[int]:
        if self.first_line is None:
            return []
        return [self.first_line, self.last_line if self.last_line is not None else self.first_line]

    def place(self) -> str:
        """Human form: ``12-15`` or ``p3`` or ``t0/r4/c2``."""
        parts = []
        if self.page is not None:
            parts.append(f"p{self.page}")
        if self.first_line is not None:
            last = self.last_line if self.last_line is not None else self.first_line
            parts.append(str(self.first_line) if last == self.first_line else f"{self.first_line}-{last}")
        if self.cell:
            parts.append(self.cell)
        return ":".join(parts)

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"file": self.file, "lines": self.lines()}
        if self.page is not None:
            d["page"] = self.page
        if self.cell is not None:
            d["cell"] = self.cell
        return d

    def merge(self, other: Source) -> Source:
        """The span covering both (same file)."""
        firsts = [x for x in (self.first_line, other.first_line) if x is not None]
        lasts = [x for x in (self.last_line, other.last_line, *firsts) if x is not None]
        return Source(
            file=self.file,
            first_line=min(firsts) if firsts else None,
            last_line=max(lasts) if lasts else None,
            page=self.page if self.page is not None else other.page,
            cell=self.cell or other.cell,
        )


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
