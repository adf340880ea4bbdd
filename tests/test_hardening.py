"""Hardening: every failure a newcomer and a fuzzer met is one plain line and exit 2, never a
traceback; nothing false is said and nothing wrong is stored. One test per path, named after it.

Inputs are made here from the corpus texts (a person read the lines changed) or from scratch.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS
from pdfbytes import write_pdf
from typer.testing import CliRunner

from legalkpi.cli import app
from legalkpi.errors import (
    BadInput,
    LimitExceeded,
)
from parsers import read_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RU = CORPUS / "1157-ru.txt"
KK = CORPUS / "1157-kk.txt"
NAME = "Отказоустойчивость информационных систем"  # general row 2 of 1157-ru, printed once (line 213)


def cli(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})  # wide: table cells are not folded


def one_error_line(res, file: str | Path | None = None) -> str:
    """Exit 2, no traceback, exactly one line on stderr (naming the file when given)."""
    assert res.exit_code == 2, (res.exit_code, res.output)
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    if file is not None:
        assert str(file) in lines[0], lines[0]
    return lines[0]


def ru_with(tmp_path: Path, old: str, new: str, name: str = "act.txt") -> Path:
    text = RU.read_text(encoding="utf-8")
    assert text.count(old) == 1
    p = tmp_path / name
    p.write_text(text.replace(old, new), encoding="utf-8")
    return p


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    return root


# ---- outputs: a folder, a file where a folder is wanted, no permission, disk full -------------------


@pytest.mark.parametrize("command", ["extract", "align", "diff"])
def test_output_that_is_a_directory_is_one_line(tmp_path, command):
    args = {"extract": [str(RU)], "align": [str(RU), str(KK)], "diff": [str(RU), str(RU)]}[command]
    res = cli(command, *args, "--format", "json", "-o", str(tmp_path))
    assert "is a folder" in one_error_line(res, tmp_path)


def test_output_under_a_file_is_one_line(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    res = cli("extract", str(RU), "-f", "json", "-o", str(blocker / "out.json"))
    assert "is a file, not a folder" in one_error_line(res, blocker / "out.json")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_output_without_permission_is_one_line(tmp_path, monkeypatch):
    # Tests may run as root, for whom chmod does not refuse: the refusal is simulated where it happens.
    def refuse(*a, **k):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("legalkpi.jsonio.os.replace", refuse)
    out = tmp_path / "out.json"
    res = cli("extract", str(RU), "-f", "json", "-o", str(out))
    assert "no permission" in one_error_line(res, out)
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no temporary file left


def test_output_on_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def write(self, b):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("legalkpi.jsonio.os.fdopen", lambda fd, mode: (os.close(fd), Full())[1] if "w" in mode else real_fdopen(fd, mode))
    res = cli("extract", str(RU), "-f", "json", "-o", str(out))
    assert "disk full" in one_error_line(res, out)
    assert out.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_build_out_that_is_a_file_is_one_line(tmp_path, corpus):
    out = tmp_path / "catalog"
    out.write_text("x", encoding="utf-8")
    res = cli("build", "--corpus", str(corpus), "--out", str(out))
    assert "needs a folder" in one_error_line(res, out)


def test_build_database_error_is_one_line(tmp_path, corpus, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def full(catalog, path):
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr("legalkpi.catalogue.catalog.write_sqlite", full)
    res = cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "c"), "--formats", "sqlite")
    assert "cannot write the sqlite catalogue" in one_error_line(res, tmp_path / "c" / "catalog.sqlite")


# ---- readers: library exceptions become one line naming the file and place -----------------------------

HTML = '<html><head><meta charset="{}"></head><body><p>Показатель первый</p></body></html>'


@pytest.mark.parametrize("charset", ["hex", "base64", "rot13", "zlib", "undefined"])
def test_html_meta_charset_that_is_no_text_encoding_is_ignored(charset):
    doc = read_bytes(HTML.format(charset).encode("utf-8"), "page.html")
    assert "Показатель первый" in doc.text() and doc.encoding == "utf-8"


def _pdf(page: bytes, content: bytes | None = None) -> bytes:
    """A one-page PDF whose page dictionary (and content stream) are given as written."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page]
    if content is not None:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return write_pdf(objects)


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox %s%s >>"


@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("mediabox-1e309", _pdf(PAGE % (b"[0 0 1e309 1e309]", b""))),
        ("mediabox-empty", _pdf(PAGE % (b"[]", b""))),
        ("odd-page-dictionary", _pdf(PAGE % (b"[0 0 612 792]", b" /Resources 7 /Contents 5"))),
        ("dictionary-in-content-stream", _pdf(PAGE % (b"[0 0 612 792]", b" /Contents 4 0 R"), b"BT << 10 >> Tj ET")),
    ],
)
def test_pdf_page_errors_are_one_line(tmp_path, case, data):
    path = tmp_path / f"{case}.pdf"
    path.write_bytes(data)
    one_error_line(cli("extract", str(path)), path)


def test_docx_with_damaged_deflate_data_is_one_line(tmp_path):
    data = bytearray((FIXTURES / "1157-ru.docx").read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 50, start + 60):
        data[k] ^= 0xFF  # the compressed bytes, not the headers: zlib.error while inflating
    with pytest.raises(BadInput) as e:
        read_bytes(bytes(data), "bad.docx")
    assert e.value.place == "word/document.xml"
    path = tmp_path / "bad.docx"
    path.write_bytes(bytes(data))
    one_error_line(cli("extract", str(path)), path)


def test_a_library_exception_in_a_reader_names_the_file(monkeypatch):
    import parsers.html

    def boom(data, name, limits):
        raise KeyError("lxml said no")

    monkeypatch.setattr(parsers.html, "read", boom)
    with pytest.raises(BadInput) as e:
        read_bytes(HTML.format("utf-8").encode(), "page.html")
    assert e.value.file == "page.html" and "KeyError" in e.value.message and "HTML page" in e.value.message


def test_recursion_in_a_reader_is_a_limit(monkeypatch):
    import parsers.html

    def deep(data, name, limits):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(parsers.html, "read", deep)
    with pytest.raises(LimitExceeded) as e:
        read_bytes(HTML.format("utf-8").encode(), "page.html")
    assert "nested too deeply" in e.value.message


def test_any_escaped_exception_is_one_line_naming_a_bug(monkeypatch):
    import legalkpi.api

    def broken(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(legalkpi.api, "load", broken)
    line = one_error_line(cli("extract", str(RU)))
    assert "internal error (ZeroDivisionError" in line and "bug" in line


def test_kazakh_pdf_text_line_over_the_limit_is_refused():
    from parsers.pdftext import MAX_LINE

    text = "Көрсеткіштің атауы\tБірлік\t2025\n1\t2\t3\n1.\tатауы " + "ә" * (MAX_LINE + 1) + "\tпайыз\t5\n"
    with pytest.raises(LimitExceeded) as e:
        read_bytes(text.encode("utf-8"), "long.txt")
    assert e.value.place == "line 3"


def test_kazakh_bracket_run_is_refused():
    text = "Көрсеткіштің атауы\tБірлік\t2025\n1\t2\t3\n1.\tатауы " + "[" * 1500 + "\tпайыз\t5\n"
    with pytest.raises(LimitExceeded) as e:
        read_bytes(text.encode("utf-8"), "brackets.txt")
    assert e.value.place == "line 3" and "'['" in e.value.message


# ---- structure: numbering --------------------------------------------------------------------------------

ORDER = "ПРИКАЗ\n{}\n"


def _structure(points: list[str]):
    from legalkpi.reading.structure import read_structure

    text = "\n".join(f"{n}. Пункт приказа номер {k}." for k, n in enumerate(points, 1)) + "\n"
    return read_structure(read_bytes(text.encode("utf-8"), "order.txt"))


def test_point_number_over_4300_digits_is_read():
    s = _structure(["1", "2", "9" * 5000])
    assert [n.number for n in s.find("point")][:2] == ["1", "2"]
    assert any("too long to count" in w.message for w in s.warnings)


def test_point_numbering_gap_is_told_by_its_ends():
    s = _structure(["1", "2", "99999999999"])
    (w,) = s.warnings
    assert w.message == "point 99999999999 follows 2: missing 3–99999999998 (99999999996 numbers)"


def test_point_numbering_gap_work_does_not_grow_with_the_gap():
    small = _structure(["1", "2", "999"]).warnings[0].message
    huge = _structure(["1", "2", "9" * 4000]).warnings[0].message
    assert len(small) < 80 and len(huge) < 80 + 4000  # the numbers themselves, never the numbers between


def test_short_gap_lists_the_missing_numbers():
    assert _structure(["1", "2", "5"]).warnings[0].message == "point 5 follows 2: missing 3, 4"


# ---- costs that grow faster than the input ---------------------------------------------------------------


def _nested_docx(depth: int) -> bytes:
    inner = "<w:p><w:r><w:t>дно</w:t></w:r></w:p>"
    for k in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc><w:tc><w:p><w:r><w:t>ячейка {k}</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>"
    body = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{inner}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(FIXTURES / "1157-ru.docx") as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, body.encode() if info.filename == "word/document.xml" else zin.read(info))
    return out.getvalue()


def test_nested_docx_tables_are_walked_once(monkeypatch):
    import parsers.docx

    calls = {"n": 0}
    real = parsers.docx.block_lines

    def counting(container):
        calls["n"] += 1
        return real(container)

    monkeypatch.setattr(parsers.docx, "block_lines", counting)
    work = []
    for depth in (3, 30):
        calls["n"] = 0
        doc = read_bytes(_nested_docx(depth), "nested.docx")
        assert "дно" in doc.text() and f"ячейка {depth - 1}" in doc.text()
        work.append(calls["n"])
    assert work[1] <= 12 * work[0], work  # 10x deeper, ~10x the cells visited (was 2^depth)


def test_tab_run_cells_are_dropped_in_one_pass(monkeypatch):
    """Stray empty cells of a row are dropped without deleting them one at a time (each a shift of the rest)."""
    import legalkpi.reading.extract as ex
    from parsers.grid import Cell, Row, Source

    shifted = {"n": 0}

    class Counting(list):  # counts the elements a `del` moves
        def __delitem__(self, i):
            shifted["n"] += len(self) - (i if isinstance(i, int) else 0)
            super().__delitem__(i)

    monkeypatch.setattr(ex, "list", Counting, raising=False)
    cols = ex.Columns(number=0, name=1, unit=2, years=[(2025, 3)], weights={}, formula=None, width=4)
    work = []
    for n in (1_000, 10_000):
        cells = [Cell(text=t, orig=t, source=Source("t", 1, 1)) for t in ["1", "имя", *[""] * n, "%", "5"]]
        st = ex._State(lang="ru")
        row = ex._drop_stray_empty_cells(st, Row(cells=cells, source=Source("t", 1, 1)), cols)
        assert [c.text for c in row.cells] == ["1", "имя", "%", "5"]
        work.append(shifted["n"])
        shifted["n"] = 0
    assert work[1] <= 10 * work[0] + 10, work


# ---- terminal output: rich markup, escape sequences --------------------------------------------------

HOSTILE = "[/] [link=https://evil.example]клик[/link] \x1b[2J\x1b]8;;https://x\x07"


def _assert_literal(out: str) -> None:
    assert "[/]" in out and "[link=https://evil.example]" in out  # printed as written, not read as markup
    assert "\x1b" not in out and "\x07" not in out and "\\x1b[2J" in out  # escape sequences shown, not sent


def test_rich_markup_in_a_name_is_printed_literally_by_extract(tmp_path):
    act = ru_with(tmp_path, NAME, f"{HOSTILE} {NAME}")
    res = cli("extract", str(act))
    assert res.exit_code == 0, res.output
    _assert_literal(res.stdout)


def test_rich_markup_in_a_value_is_printed_literally_by_diff_and_check(tmp_path):
    new = ru_with(tmp_path, NAME, f"{HOSTILE} {NAME}", "new.txt")
    res = cli("diff", str(RU), str(new))
    assert res.exit_code == 0, res.output
    _assert_literal(res.stdout)
    res = cli("check", str(new))
    assert res.exit_code in (0, 1) and "Traceback" not in res.output and "\x1b" not in res.stdout


def test_rich_markup_in_a_unit_is_printed_literally_by_align(tmp_path):
    ru = ru_with(tmp_path, "\n99,74\n", "\n99,74 [/]\x1b[2J\n", "ru.txt")
    res = cli("align", str(ru), str(KK))
    assert res.exit_code == 1, res.output
    assert "[/]" in res.stdout and "\x1b" not in res.stdout


def test_error_lines_show_control_characters(tmp_path):
    path = tmp_path / "evil\x1b[2Jname.txt"
    path.write_bytes(b"")
    line = one_error_line(cli("extract", str(path)))
    assert "\x1b" not in line and "\\x1b[2J" in line


def test_terminal_helper_escapes_markup_and_controls():
    from legalkpi.terminal import cell, markup, plain

    assert plain("a\x1b[2Jb\u202ec\td\n") == "a\\x1b[2Jb\\u202ec\td\n"
    assert plain("x\ny", newlines=False) == "x\\ny"
    assert markup("[/]") == "\\[/]"
    assert cell("[bold]x[/bold]").plain == "[bold]x[/bold]"


# ---- JSON, CSV, SQLite: no Infinity -------------------------------------------------------------------


def test_400_digit_target_is_text_with_a_warning_and_json_stays_valid(tmp_path):
    act = ru_with(tmp_path, "\n99,74\n", "\n" + "9" * 400 + "\n")
    res = cli("extract", str(act), "-f", "json")
    assert res.exit_code == 0, res.output

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} is not JSON")

    data = json.loads(res.stdout, parse_constant=refuse)
    (ind,) = [i for i in data["indicators"] if i["id"] == "s0-p1-n2"]
    v2025 = next(v for v in ind["values"] if v["year"] == 2025)
    assert (v2025["target"], v2025["target_text"], v2025["target_kind"]) == (None, "9" * 400, "text")
    assert any(w["code"] == "number-out-of-range" for w in data["warnings"])


def test_json_never_writes_infinity():
    from legalkpi.jsonio import dumps

    assert json.loads(dumps({"a": float("inf"), "b": [float("nan"), 1.5]})) == {"a": None, "b": [None, 1.5]}


def test_catalog_of_a_400_digit_target_has_no_inf(tmp_path, corpus):
    act = ru_with(tmp_path, "\n99,74\n", "\n" + "9" * 400 + "\n")
    out = tmp_path / "c"
    res = cli("add", str(act), "--corpus", str(corpus), "--out", str(out), "--edition", "2025-06-01")
    assert res.exit_code == 0, res.output
    csv_text = (out / "indicators.csv").read_text(encoding="utf-8")
    assert "9" * 400 in csv_text and not re.search(r",-?inf,|,nan,", csv_text, re.IGNORECASE)
    import sqlite3

    with sqlite3.connect(out / "catalog.sqlite") as db:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table'")]
        for t in tables:
            for row in db.execute(f'select * from "{t}"'):
                assert not any(isinstance(x, float) and x in (float("inf"), float("-inf")) for x in row), (t, row)


# ---- Markdown for pull-request comments ---------------------------------------------------------------


def test_markdown_neutralises_mentions_and_bare_links():
    from legalkpi.markdown import escape

    out = escape("ask @octocat, see https://evil.example/x or www.evil.kz, mail a@b.kz")
    assert "@octocat" not in out and "https://" not in out and "www.evil" not in out and "a@b" not in out
    assert out.replace("&#8203;", "") == "ask @octocat, see https://evil.example/x or www.evil.kz, mail a@b.kz"
    assert escape("a\x1b[2Jb") == "a\\\\x1b\\[2Jb"  # the escape sequence shown (backslash and bracket escaped)


def test_diff_markdown_has_no_live_mention(tmp_path):
    new = ru_with(tmp_path, NAME, f"{NAME} @octocat https://evil.example", "new.txt")
    res = cli("diff", str(RU), str(new), "--format", "markdown")
    assert res.exit_code == 0 and "changed" in res.stdout
    assert "@octocat" not in res.stdout and "https://evil" not in res.stdout


# ---- false statements -----------------------------------------------------------------------------------


def test_english_text_does_not_pass_extract(tmp_path):
    path = tmp_path / "en.txt"
    path.write_text("ORDER\n1. The first point of the order.\n2. The second point.\n3. The third point.\n", encoding="utf-8")
    line = one_error_line(cli("extract", str(path)), path)
    assert "not in Russian or Kazakh" in line


def test_russian_text_without_kpi_table_says_so_in_plain_words(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("Уважаемые коллеги!\nНаправляем вам информацию о проведении совещания.\nС уважением.\n", encoding="utf-8")
    line = one_error_line(cli("extract", str(path)), path)
    assert "this text has no KPI table: no header naming the indicator column was found" in line
    assert "give its DOCX, PDF" in line and "one-cell-per-line" not in line


def test_diff_of_a_report_key_against_an_act_is_refused(tmp_path, corpus):
    out = tmp_path / "c"
    assert cli("build", "--corpus", str(corpus), "--out", str(out)).exit_code == 0
    res = cli("diff", "kz/report/2024q1/ru", str(RU), "--catalog", str(out / "catalog.json"))
    assert "no year in common" in one_error_line(res)


def test_chart_with_svg_suffix_is_refused(tmp_path):
    chart = tmp_path / "x.svg"
    res = cli("score", str(CORPUS / "report-2024q1-ru.txt"), "--chart", str(chart))
    assert "ending in .png" in one_error_line(res, chart) and not chart.exists()
