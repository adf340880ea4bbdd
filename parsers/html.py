"""Reader for HTML pages in the style of the official legal database (adilet.zan.kz).

The page is decoded from its BOM, its ``<meta charset>`` (or ``http-equiv`` content type) or,
failing both, the same UTF-8/cp1251 detection as the text renditions. It is parsed with
BeautifulSoup over lxml; ``<script>``, ``<style>`` and the like are dropped before anything
is read (never executed), as are elements hidden with ``hidden`` or ``display:none``.

The body is walked in order. Block elements (``p``, ``div``, headings, list items) end a
paragraph; notes ("Ескерту", "Примечание", "Сноска") marked with a class such as ``note`` or
``comment`` are paragraphs of their own even when they sit inline in a ``<p>``; ``<br>``
is a line break. Tables become grid tables: ``colspan`` gives ``col_span``; a cell spanning
rows (``rowspan``) holds its text once, in the top row, and each row below gets an EMPTY cell
at its place whose ``Source.cell`` names the top cell (as the DOCX reader does for vMerge);
rows in ``<thead>`` or made only of ``<th>`` are the header, and rows repeating the header
further down are dropped. ``<img>`` in a cell counts in ``Cell.images``.

Places are element paths from the body: ``body/div[1]/table[2]/tbody[1]/tr[5]/td[3]``.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass, field
from typing import Any

from legalkpi.errors import BadInput, LimitExceeded, Limits
from legalkpi.text import fold_inline
from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.textio import decode, decode_utf8_or_cp1251, sha256_of

NAME = "html"

_DROP = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "head",
    "svg",
    "math",
    "canvas",
)
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "section", "article",
    "header", "footer", "pre", "dd", "dt", "dl", "center", "main", "nav", "aside", "figure", "address",
    "hr", "form", "caption", "tr",
}  # fmt: skip
_NOTE_CLASSES = {"note", "notes", "comment", "footnote", "snoska", "eskertu"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WS = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_MAX_SPAN = 1000


def read(data: bytes, name: str, limits: Limits) -> Document:
    text, encoding = decode_html(data, name)
    from bs4 import BeautifulSoup  # heavy; imported only when an HTML file is met

    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(_DROP):
        tag.decompose()
    doc = Document(file=name, reader=NAME, encoding=encoding, sha256=sha256_of(data))
    body = soup.body if soup.body is not None else soup
    walker = _Walker(name, time.monotonic() + limits.max_seconds, limits.max_seconds, doc)
    try:
        walker.walk(body, "body")
        walker.flush("body")
    except RecursionError:
        raise BadInput("HTML nested too deeply to read", file=name) from None
    return doc


# --- decoding ------------------------------------------------------------------------------------


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding: BOM, then the declared charset, then UTF-8, then cp1251 when the
    page's visible text is mostly Cyrillic (the markup itself is Latin)."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        decoded = decode(data, name)
        return decoded.text, decoded.encoding
    declared = declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeError, LookupError):
            pass  # a wrong declaration is common; detect instead
    return decode_utf8_or_cp1251(
        data, name, what="HTML (no usable charset; neither UTF-8 nor cp1251)", visible=lambda t: _TAG.sub(" ", t)
    )


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    if not m:
        return None
    try:
        info = codecs.lookup(m.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None
    # "hex", "base64", "rot13", "zlib" are codecs but not text encodings; "undefined" decodes nothing
    return info.name if getattr(info, "_is_text_encoding", True) and info.name != "undefined" else None


# --- text --------------------------------------------------------------------------------------


def fold(s: str) -> str:
    return fold_inline(s)


def lines_to_text(chunks: list[str]) -> tuple[str, str]:
    """Cleaned text (lines folded, empty lines dropped, joined by newlines) and the raw text."""
    raw = "".join(chunks)
    return "\n".join(x for x in (fold(ln) for ln in raw.split("\n")) if x), raw.strip()


def _is_hidden(tag: Any) -> bool:
    return tag.has_attr("hidden") or bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _is_note(tag: Any) -> bool:
    classes = tag.get("class") or []
    return any(str(c).lower() in _NOTE_CLASSES for c in classes)


def _span(tag: Any, attr: str) -> int:
    try:
        return min(_MAX_SPAN, max(1, int(str(tag.get(attr, "1")).strip() or "1")))
    except ValueError:
        return 1


def _child_tags(el: Any) -> list[Any]:
    return [c for c in el.children if getattr(c, "name", None)]


def _paths(parent_path: str, children: list[Any]) -> list[str]:
    counts: dict[str, int] = {}
    out = []
    for c in children:
        counts[c.name] = counts.get(c.name, 0) + 1
        out.append(f"{parent_path}/{c.name}[{counts[c.name]}]")
    return out


def cell_content(td: Any) -> tuple[list[str], int]:
    """Text chunks of a cell ('\\n' for line breaks) and its image count."""
    chunks: list[str] = []
    images = 0

    def visit(el: Any) -> None:
        nonlocal images
        for child in el.children:
            name = getattr(child, "name", None)
            if name is None:
                if type(child).__name__ == "NavigableString":
                    chunks.append(_WS.sub(" ", str(child)))
            elif _is_hidden(child):
                continue
            elif name == "br":
                chunks.append("\n")
            elif name == "img":
                images += 1
            elif name in _BLOCK or name in ("table", "td", "th") or _is_note(child):
                chunks.append("\n")
                visit(child)
                chunks.append("\n" if name not in ("td", "th") else " ")
            else:
                visit(child)

    visit(td)
    return chunks, images


# --- walk --------------------------------------------------------------------------------------


@dataclass
class _Span:
    rows_left: int
    top: str
    col_span: int


@dataclass
class _Walker:
    file: str
    deadline: float
    seconds: float
    doc: Document
    buf: list[str] = field(default_factory=list)

    def _tick(self, place: str) -> None:
        if time.monotonic() > self.deadline:
            raise LimitExceeded(f"reading took over {self.seconds:g} s", file=self.file, place=place)

    def flush(self, path: str) -> None:
        text, raw = lines_to_text(self.buf)
        self.buf = []
        if text:
            self.doc.blocks.append(Paragraph(text=text, orig=raw, source=Source(self.file, cell=path)))

    def walk(self, el: Any, path: str) -> None:
        tags = _child_tags(el)
        paths = dict(zip(map(id, tags), _paths(path, tags), strict=True))
        for child in el.children:
            name = getattr(child, "name", None)
            if name is None:
                if type(child).__name__ == "NavigableString":  # not comments, CDATA, doctype
                    self.buf.append(_WS.sub(" ", str(child)))
                continue
            if _is_hidden(child):
                continue
            child_path = paths[id(child)]
            if name == "br":
                self.buf.append("\n")
            elif name == "table":
                self.flush(path)
                self.doc.blocks.append(self.table(child, child_path))
            elif name in _BLOCK or _is_note(child):
                self.flush(path)
                self.walk(child, child_path)
                self.flush(child_path)
            else:
                self.walk(child, path)

    def table(self, table: Any, path: str) -> Table:
        self._tick(path)
        rows: list[Row] = []
        header: list[list[str]] = []
        spans: dict[int, _Span] = {}
        for tr, tr_path, in_head in _table_rows(table, path):
            row, all_th = self.row(tr, tr_path, spans)
            texts = [c.text for c in row.cells if c.text]
            if (in_head or all_th) and len(rows) == len(header):
                header.append(texts)
            elif texts and texts in header:
                continue  # a header repeated lower down is not data
            rows.append(row)
        return Table(rows=rows, source=Source(self.file, cell=path))

    def row(self, tr: Any, path: str, spans: dict[int, _Span]) -> tuple[Row, bool]:
        cells: list[Cell] = []
        tds = [c for c in _child_tags(tr) if c.name in ("td", "th")]
        col = 0

        def fill_spanned() -> None:
            nonlocal col
            while col in spans:
                s = spans[col]
                cells.append(
                    Cell(text="", orig="", source=Source(self.file, cell=s.top), col_span=s.col_span)
                )
                s.rows_left -= 1
                if s.rows_left == 0:
                    del spans[col]
                col += s.col_span

        for td, td_path in zip(tds, _paths(path, tds), strict=True):
            fill_spanned()
            chunks, images = cell_content(td)
            text, raw = lines_to_text(chunks)
            span = _span(td, "colspan")
            cells.append(
                Cell(
                    text=text, orig=raw, source=Source(self.file, cell=td_path), col_span=span, images=images
                )
            )
            rowspan = _span(td, "rowspan")
            if rowspan > 1:
                spans[col] = _Span(rowspan - 1, td_path, span)
            col += span
        while any(c >= col for c in spans):
            col = min(c for c in spans if c >= col)
            fill_spanned()
        all_th = bool(tds) and all(td.name == "th" for td in tds)
        return Row(cells=cells, source=Source(self.file, cell=path)), all_th


def _table_rows(table: Any, path: str) -> list[tuple[Any, str, bool]]:
    """The table's own rows (not those of nested tables), with their paths and thead flag."""
    out: list[tuple[Any, str, bool]] = []
    children = _child_tags(table)
    for child, child_path in zip(children, _paths(path, children), strict=True):
        if child.name == "tr":
            out.append((child, child_path, False))
        elif child.name in ("thead", "tbody", "tfoot"):
            trs = [c for c in _child_tags(child) if c.name == "tr"]
            out.extend(
                (tr, p, child.name == "thead") for tr, p in zip(trs, _paths(child_path, trs), strict=True)
            )
    return out
