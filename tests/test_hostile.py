"""Hostile and broken files: each is refused, or read safely, with one clear error naming the file.

The files are made here, in tmp_path, from the committed fixtures or from scratch.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pdfbytes import write_pdf
from typer.testing import CliRunner

from legalkpi.errors import BadInput, LegalKpiError, LimitExceeded, Limits, RefusedUnsafe
from parsers import read_document

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DOCX = FIXTURES / "1157-ru.docx"


def rezip(src: Path, dest: Path, replace: dict[str, bytes], extra: dict[str, bytes] | None = None) -> Path:
    """A copy of a DOCX with some parts replaced or added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, body in (extra or {}).items():
            zout.writestr(name, body)
    return dest


def minimal_pdf(pages: int, *, count: int | None = None, encrypt: bool = False) -> bytes:
    """A valid PDF of empty pages; ``count`` may lie about their number; ``encrypt`` adds a
    standard security handler whose password is not empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages if count is None else count} >>".encode())
    objects.extend(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>" for _ in range(pages))
    if encrypt:
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <" + b"42" * 32 + b"> /P -4 >>"
        )
    extra = f" /Encrypt {len(objects)} 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>]" if encrypt else ""
    return write_pdf(objects, extra)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --- DOCX -------------------------------------------------------------------------------------


def test_docx_zip_bomb_by_declared_size(tmp_path: Path) -> None:
    bomb = rezip(DOCX, tmp_path / "bomb.docx", {}, {"word/media/zeros.bin": b"\0" * 3_000_000})
    assert bomb.stat().st_size < 100_000  # small on disk, huge unzipped
    with pytest.raises(RefusedUnsafe) as e:
        read_document(bomb, limits=Limits(max_unzipped_bytes=2_000_000))
    assert "zip bomb" in e.value.message
    assert e.value.file == str(bomb)


def test_docx_zip_bomb_lying_about_its_size(tmp_path: Path) -> None:
    # The central directory says 10 bytes; the entry unzips to a megabyte. Unzipping stops at
    # the declared size (the checksum then fails): refused before python-docx sees it.
    data = bytearray(
        rezip(DOCX, tmp_path / "src.docx", {}, {"word/media/lie.bin": b"\0" * 1_000_000}).read_bytes()
    )
    name = b"word/media/lie.bin"
    at = data.index(b"PK\x01\x02" + b"", data.rindex(b"PK\x01\x02", 0, data.rindex(name)))
    assert data[at + 46 : at + 46 + len(name)] == name
    data[at + 24 : at + 28] = (10).to_bytes(4, "little")  # uncompressed size
    lying = write(tmp_path, "lying.docx", bytes(data))
    with pytest.raises((RefusedUnsafe, BadInput)) as e:
        read_document(lying)
    assert e.value.place == "word/media/lie.bin"
    assert e.value.file == str(lying)


def test_docx_too_many_entries(tmp_path: Path) -> None:
    many = rezip(DOCX, tmp_path / "many.docx", {}, {f"word/media/x{i}.bin": b"x" for i in range(60)})
    with pytest.raises(LimitExceeded) as e:
        read_document(many, limits=Limits(max_zip_entries=50))
    assert "entries, limit is 50" in e.value.message


def test_docx_billion_laughs_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(DOCX) as z:
        body = z.read("word/document.xml")
    lol = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    )
    doc = body.split(b"?>", 1)[1].replace(b"<w:t>1</w:t>", b"<w:t>&lol3;</w:t>", 1)
    bad = rezip(DOCX, tmp_path / "lol.docx", {"word/document.xml": lol + doc})
    with pytest.raises(RefusedUnsafe) as e:
        read_document(bad)
    assert e.value.place == "word/document.xml"
    assert "DOCTYPE/ENTITY" in e.value.message


def test_docx_external_entity_refused(tmp_path: Path) -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&x;</Relationships>'
    )
    bad = rezip(DOCX, tmp_path / "xxe.docx", {"_rels/.rels": xxe})
    with pytest.raises(RefusedUnsafe) as e:
        read_document(bad)
    assert e.value.place == "_rels/.rels"


def test_docx_truncated(tmp_path: Path) -> None:
    data = DOCX.read_bytes()
    cut = write(tmp_path, "cut.docx", data[: len(data) // 2])
    with pytest.raises(BadInput) as e:
        read_document(cut)
    assert "not a readable DOCX" in e.value.message
    assert e.value.file == str(cut)


def test_zip_that_is_no_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(BadInput) as e:
        read_document(write(tmp_path, "book.xlsx", buf.getvalue()))
    assert "no word/document.xml" in e.value.message


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_truncated(tmp_path: Path) -> None:
    data = (FIXTURES / "1157-ru.pdf").read_bytes()
    cut = write(tmp_path, "cut.pdf", data[: len(data) * 2 // 3])
    with pytest.raises(BadInput) as e:
        read_document(cut)
    assert "truncated PDF" in e.value.message


def test_pdf_encrypted_refused(tmp_path: Path) -> None:
    with pytest.raises(RefusedUnsafe) as e:
        read_document(write(tmp_path, "locked.pdf", minimal_pdf(1, encrypt=True)))
    assert "encrypted" in e.value.message


def test_pdf_with_thousands_of_pages(tmp_path: Path) -> None:
    many = write(tmp_path, "many.pdf", minimal_pdf(3000))
    with pytest.raises(LimitExceeded) as e:
        read_document(many)
    assert "3000 pages, limit is 500" in e.value.message


def test_pdf_lying_page_count_still_limited(tmp_path: Path) -> None:
    lying = write(tmp_path, "lying.pdf", minimal_pdf(30, count=1))
    with pytest.raises(LimitExceeded):
        read_document(lying, limits=Limits(max_pages=20))


def test_pdf_of_empty_pages_reads_as_empty(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "empty.pdf", minimal_pdf(3)))
    assert doc.reader == "pdf"
    assert doc.blocks == []


def test_pdf_time_limit(tmp_path: Path) -> None:
    with pytest.raises(LimitExceeded) as e:
        read_document(FIXTURES / "1157-ru.pdf", limits=Limits(max_seconds=0))
    assert e.value.place == "page 1"


# --- HTML ---------------------------------------------------------------------------------------


def test_html_scripts_and_handlers_ignored(tmp_path: Path) -> None:
    page = (
        "<html><head><script>window.location='http://x'</script></head><body onload=\"steal()\">"
        "<p>1. Утвердить показатели.</p><script>document.write('ВНЕДРЕНО')</script>"
        "<noscript>ВНЕДРЕНО</noscript><style>p{}</style><p hidden>скрыто</p>"
        "<table><tr><td>1</td><td>Доля<br>услуг<img src=x onerror=alert(1)></td></tr></table></body></html>"
    )
    doc = read_document(write(tmp_path, "s.html", page.encode()))
    assert [p.text for p in doc.paragraphs()] == ["1. Утвердить показатели."]
    assert [(c.text, c.images) for c in doc.rows()[0].cells] == [("1", 0), ("Доля\nуслуг", 1)]
    assert "ВНЕДРЕНО" not in doc.text() and "скрыто" not in doc.text()


def test_html_cp1251_by_meta_charset(tmp_path: Path) -> None:
    utf8 = (FIXTURES / "1157-ru.html").read_text(encoding="utf-8")
    cp = utf8.replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    )
    # Letters cp1251 lacks (Kazakh "ң" in names, the rendition's "Ұ") go as character references.
    doc = read_document(write(tmp_path, "cp.html", cp.encode("cp1251", errors="xmlcharrefreplace")))
    assert doc.encoding == "cp1251"
    same = read_document(FIXTURES / "1157-ru.html")
    assert [r.texts() for r in doc.rows()] == [r.texts() for r in same.rows()]
    assert "Отказоустойчивость" in doc.text()


def test_html_wrong_charset_declaration_falls_back(tmp_path: Path) -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>Министерство юстиции</p></body></html>'
    doc = read_document(write(tmp_path, "w.html", page.encode("cp1251")))
    assert doc.paragraphs()[0].text == "Министерство юстиции"
    assert doc.encoding == "cp1251"


def test_html_undecodable(tmp_path: Path) -> None:
    page = b"<html><body><p>" + bytes(range(0x80, 0x100)) * 4 + b"\x00\x01\x02</p></body></html>"
    with pytest.raises(BadInput) as e:
        read_document(write(tmp_path, "bin.html", page))
    assert e.value.file and e.value.file.endswith("bin.html")


def test_html_deep_nesting_read_safely(tmp_path: Path) -> None:
    page = "<html><body>" + "<div>" * 20000 + "<p>глубоко</p>" + "</div>" * 20000 + "</body></html>"
    try:
        doc = read_document(write(tmp_path, "deep.html", page.encode()))
    except LegalKpiError as e:  # refusing is fine, as long as it is one clear error
        assert isinstance(e, BadInput)
    else:
        assert doc.reader == "html"


# --- through the command line: one line, exit 2 ----------------------------------------------------


def test_cli_prints_one_line_for_a_hostile_file(tmp_path: Path) -> None:
    from legalkpi.cli import app

    data = DOCX.read_bytes()
    cut = write(tmp_path, "cut.docx", data[:5000])
    result = CliRunner().invoke(app, ["extract", str(cut)])
    assert result.exit_code == 2
    err = result.stderr if result.stderr_bytes is not None else result.output
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert "cut.docx" in lines[0] and "[bad-input]" in lines[0]
    assert "Traceback" not in result.output
