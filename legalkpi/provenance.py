"""Provenance: where a piece of text stood in its file.

The shared base of readers and core alike (with :mod:`legalkpi.errors`): it imports nothing of
legalkpi, so readers can depend on it without depending on the interpreter.
"""

from __future__ import annotations

from dataclasses import dataclass


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
