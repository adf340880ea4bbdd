"""Inputs for the fuzz suite: small seeds (corpus windows, a hand-written KPI table as HTML, DOCX
and PDF) and the hostile fragments a fuzzer splices into them.

The property every input must keep (:func:`survives`): it is read into records, or refused with
a ``LegalKpiError``; never another exception. An input that breaks it is saved under
``tests/fixtures/fuzz/`` (named by its hash) so it stays a regression test for good.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pdfbytes import write_pdf

from legalkpi.errors import LegalKpiError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FUZZ_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fuzz"

TEXTS = ["1157-ru.txt", "1157-kk.txt", "124-kk-consolidated-151.txt", "601-nk-ru.txt", "report-2024q1-ru.txt"]

# Fragments that broke, or could break, a reader: markup, controls, huge numbers, runs, headers.
NASTY = [
    "\t", "\t" * 300, "\n", "\n\n\n", "\r", "\x00", "\x1b[2J", "\u202e", "\ufeff", "[/]", "[link=https://x]", "[[[[[[[[",
    "((((((((", "1. ", "2. ", "99999999999. ", "9" * 400, "9" * 5000 + ". ", "1) ", "17-1. ", "%", " %", "—", "–", "-",
    "99,74", "0", "5 %", "рост на 15 %", "Наименование показателя", "Көрсеткіштің атауы", "Единица измерения",
    "2025", "2026", "2027", "Вес", "Глава 1. ", "Параграф 1. ", "Приложение", "Утверждены приказом", "Сноска. ",
    "Министерство", "министрлігі", "(промышленность)", "ПРИКАЗ", "от 31 декабря 2024 года № 1157", "٣٤", "Ұ", "ё",
    "<p>", "</td>", "$x^2$", "@octocat", "https://evil.example", "\u00a0", "\u2028", "𝔸",
]  # fmt: skip

HTML_NASTY = [
    '<meta charset="hex">', '<meta charset="base64">', '<meta charset="rot13">', '<meta charset="zlib">',
    '<meta charset="undefined">', '<meta charset="utf-16">', '<meta charset="cp1251">', '<td colspan="999999999">',
    '<td rowspan="99999">', '<td colspan="-3">', '<td colspan="x">', "<table><tr><td>", "</table>", "<tr>", "</tr>",
    "<!DOCTYPE x [<!ENTITY a 'b'>]>", "&amp;", "&#0;", "&#x110000;", "<br>", "<script>", "<![CDATA[", "<!--",
    "<th>", "<table>" * 40, "<div>" * 200,
]  # fmt: skip

DOCX_NASTY = [
    "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>", '<w:gridSpan w:val="999999999"/>', '<w:gridSpan w:val="-1"/>',
    '<w:gridSpan w:val="x"/>', '<w:vMerge w:val="continue"/>', "<w:vMerge/>", '<w:gridBefore w:val="99999"/>',
    "<w:tab/>" * 50, "<w:br/>", "<w:tblHeader/>", "<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>",
    "<w:drawing/>", "<!DOCTYPE x>", "<w:t>[/]\x1b</w:t>", "<w:tbl><w:tr><w:tc>" * 30, "</w:tc></w:tr></w:tbl>",
    "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>",
]  # fmt: skip

PDF_NASTY = [
    b"[0 0 1e309 1e309]", b"[]", b"[0 0 612]", b"[0 0 -5 -5]", b"[a b c d]", b"<< 10 >>", b"<<", b">>", b"BT", b"ET",
    b"(\xd0\x9f\xd1\x80) Tj", b"/F1 12 Tf", b"1 0 0 1 50 700 Tm", b"99999999999999999999 0 Td", b"[(a) -1e309 (b)] TJ",
    b"q", b"Q", b"0 0 m 100 100 l S", b"re", b"1e309 1e309 1e309 1e309 re f", b"/Resources 7", b"/Contents 5",
    b"/Rotate 45", b"/Rotate 1e309", b"/UserUnit 0", b"stream", b"endstream", b"%%EOF", b"\x00" * 8,
]  # fmt: skip

YEARS = (2025, 2026)


def kpi_rows() -> list[list[str]]:
    """A small KPI table written by hand: header, column numbers, a section title, two indicators."""
    return [
        ["№", "Наименование показателя", "Единица измерения", "2025", "Вес", "2026", "Вес"],
        ["1", "2", "3", "4", "5", "6", "7"],
        ["Общие показатели"],
        ["1", "Доля услуг, оказанных в электронном виде", "%", "90", "5 %", "95", "5 %"],
        ["2", "Количество обученных служащих", "ед.", "100", "10 %", "–", "–"],
    ]


def kpi_html(rows: list[list[str]] | None = None, charset: str = "utf-8") -> str:
    body = "".join(
        "<tr>" + "".join(f'<td colspan="7">{c}</td>' if len(r) == 1 else f"<td>{c}</td>" for c in r) + "</tr>"
        for r in rows or kpi_rows()
    )
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>Акт</title></head><body>'
            f"<p>Приложение к приказу</p><table>{body}</table></body></html>")  # fmt: skip


def kpi_document_xml(rows: list[list[str]] | None = None) -> str:
    def cell(text: str, span: int = 1) -> str:
        pr = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
        return f"<w:tc>{pr}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    body = "".join(
        "<w:tr>" + (cell(r[0], 7) if len(r) == 1 else "".join(cell(c) for c in r)) + "</w:tr>" for r in rows or kpi_rows()
    )
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            f"<w:p><w:r><w:t>Приложение к приказу</w:t></w:r></w:p><w:tbl>{body}</w:tbl></w:body></w:document>")  # fmt: skip


_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    ),
}


def docx_bytes(document_xml: str | bytes, members: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _DOCX_PARTS.items():
            z.writestr(name, text)
        z.writestr("word/document.xml", document_xml)
        for name, body in (members or {}).items():
            z.writestr(name, body)
    return out.getvalue()


def pdf_bytes(page: bytes, content: bytes) -> bytes:
    """A one-page PDF with the page dictionary's extra entries and the content stream as given."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> " + page + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return write_pdf(objects)


PDF_PAGE = b"/MediaBox [0 0 612 792]"
PDF_CONTENT = b"BT /F1 12 Tf 50 700 Td (Naimenovanie pokazatelya) Tj ET"


def splice(base: str, edits: list[tuple[float, float, str]]) -> str:
    """Apply (where, how much to cut, what to insert) edits; positions are fractions of the length."""
    s = base
    for where, cut, insert in edits:
        i = int(where * len(s))
        j = min(len(s), i + int(cut * 40))
        s = s[:i] + insert + s[j:]
    return s


def splice_bytes(base: bytes, edits: list[tuple[float, float, bytes]]) -> bytes:
    s = base
    for where, cut, insert in edits:
        i = int(where * len(s))
        j = min(len(s), i + int(cut * 40))
        s = s[:i] + insert + s[j:]
    return s


def read_everything(data: bytes, name: str) -> Any:
    """What `legalkpi extract` does with a file: read, classify, then indicators, structure or report."""
    from legalkpi import api
    from parsers import read_bytes

    doc = read_bytes(data, name)
    loaded = api.Loaded(doc=doc, content=api.classify(doc), act=api.act_of(doc, None))
    if loaded.content == "kpi-act":
        from legalkpi.checking.checks import check

        record = api.extract_loaded(loaded)
        check(record)
        return record
    if loaded.content == "rules":
        from legalkpi.reading.structure import read_structure

        return read_structure(doc)
    from legalkpi.checking.score import convention_named, score
    from legalkpi.reading.report import read_report

    return score(read_report(doc), convention_named("auto"))


def survives(data: bytes, name: str, run: Callable[[bytes, str], Any] = read_everything) -> None:
    """Records, or a clean LegalKpiError; anything else is saved as a regression fixture and raised."""
    try:
        run(data, name)
    except LegalKpiError as e:
        assert e.message and "Traceback" not in e.message
    except BaseException:
        keep(data, name)
        raise


def keep(data: bytes, name: str) -> Path:
    """Save an input that broke the property under tests/fixtures/fuzz/ (kept for good)."""
    FUZZ_FIXTURES.mkdir(parents=True, exist_ok=True)
    suffix = Path(name).suffix or ".bin"
    path = FUZZ_FIXTURES / f"found-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    if not path.exists():
        path.write_bytes(data)
    return path
