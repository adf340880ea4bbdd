"""Amending acts: reading the instructions, the consolidated act, refusal, diff, corpus and catalogue.

The amending acts are written by hand in ``tests/fixtures/amending/make_amending.py`` (No. 321
of 15 May 2025 amending Resolution 1157, in Russian and Kazakh, and a faulty Russian draft).
Every expected value below was read by a person from ``corpus/1157-ru.txt`` / ``1157-kk.txt``
and from the amendment itself; none comes from running our reader.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from legalkpi.amending.apply import AmendmentRefused, amend_file, consolidate, read_amending_file
from legalkpi.cli import app
from legalkpi.errors import BadInput

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FIX = ROOT / "tests" / "fixtures" / "amending"
RU_BASE = CORPUS / "1157-ru.txt"
KK_BASE = CORPUS / "1157-kk.txt"


def _renderer():
    spec = importlib.util.spec_from_file_location("make_amending", FIX / "make_amending.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


MAKE = _renderer()


def ind(record, ident):
    found = [i for i in record.indicators if i.id == ident]
    assert len(found) == 1, f"{ident}: {len(found)} rows"
    return found[0]


def vals(i):
    """{year: (target, weight)} as a reader of the table sees them."""
    return {v.year: (v.target, v.weight) for v in i.values}


@pytest.fixture(scope="module", params=["txt", "docx", "html"])
def ru(request):
    return amend_file(RU_BASE, FIX / f"321-ru.{request.param}", corpus_root=CORPUS)


@pytest.fixture(scope="module", params=["txt", "docx", "html"])
def kk(request):
    return amend_file(KK_BASE, FIX / f"321-kk.{request.param}", corpus_root=CORPUS)


# ---- reading -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", [f"321-{lang}.{form}" for lang in ("ru", "kk") for form in ("txt", "docx", "html", "pdf")]
)
def test_identity_of_the_amending_act(name):
    act, _ = read_amending_file(FIX / name)
    assert (act.act.kind, act.act.number, act.act.date) == ("resolution", "321", "2025-05-15")
    assert act.act.lang == name[4:6]
    assert act.amends is not None
    assert (act.amends.kind, act.amends.number, act.amends.date) == ("resolution", "1157", "2024-12-31")
    assert act.amends_work == "kz/resolution/1157"


def test_instructions_follow_the_headings_ru():
    act, _ = read_amending_file(FIX / "321-ru.txt")
    got = [
        (i.op, i.section_ordinal, i.part, i.number, i.column or i.column_title or None, i.old, i.new)
        for i in act.instructions
    ]
    assert got == [
        ("replace-in-cell", None, "", 2, 5, "99,8", "99,9"),
        ("replace-in-cell", None, "", 10, "Удельный вес", "5 %", "10 %"),
        ("replace-row", None, "", 9, None, "", ""),
        ("replace-in-cell", 1, "", 2, 4, "70", "75"),
        ("replace-in-cell", 1, "", 4, 2, '"Torttulik"', '"Төрт түлік"'),
        ("delete-row", 1, "", 5, None, "", ""),
        ("insert-row", 1, "", 7, None, "", ""),
        ("replace-in-cell", 10, "промышленность", 1, "2026 год", "15", "20"),
        ("replace-in-cell", 10, "промышленность", 3, 5, "10 %", "7,5 %"),
        ("replace-part", 10, "геология и недропользование", None, None, "", ""),
        ("insert-part", 10, "легкая промышленность", None, None, "", ""),
        ("insert-section", 17, "", None, None, "", ""),
    ]
    assert act.instructions[0].section.startswith("Общие ключевые показатели")
    # the one-language note: the Kazakh text is left as it is, the Russian one changes
    assert [i.unchanged_lang for i in act.instructions][4] == "kk"
    assert all(i.source.lines() for i in act.instructions)


def test_instructions_follow_the_headings_kk():
    act, _ = read_amending_file(FIX / "321-kk.txt")
    got = [
        (i.op, i.section_ordinal, i.part, i.number, i.column or i.column_title or None, i.unchanged_lang)
        for i in act.instructions
    ]
    assert got == [
        ("replace-in-cell", None, "", 2, 5, ""),
        ("replace-row", None, "", 9, None, ""),
        ("replace-in-cell", 1, "", 2, 4, ""),
        ("language-only", 1, "", 4, None, "kk"),
        ("delete-row", 1, "", 5, None, ""),
        ("insert-row", 1, "", 7, None, ""),
        ("replace-in-cell", 10, "өнеркәсіп", 1, "2026 жыл", ""),
        ("replace-in-cell", 10, "өнеркәсіп", 3, 5, ""),
        ("replace-part", 10, "геология және жер қойнауын пайдалану", None, None, ""),
        ("insert-part", 10, "жеңіл өнеркәсіп", None, None, ""),
        ("insert-section", 17, "", None, None, ""),
    ]


def test_quoted_rows_are_table_rows_with_the_quote_marks_removed():
    act, _ = read_amending_file(FIX / "321-ru.docx")
    row9 = act.instructions[2]
    (table,) = row9.content
    assert table.rows[0].cells[0].text == "9"
    assert table.rows[0].cells[-1].text == "количественный показатель"


# ---- the consolidated act, Russian ------------------------------------------------------


def test_ru_edition_and_key(ru):
    act = ru.record.act
    assert (act.kind, act.number, act.date, act.lang, act.edition) == (
        "resolution",
        "1157",
        "2024-12-31",
        "ru",
        "2025-05-15",
    )
    assert act.ref.key == "kz/resolution/1157@2025-05-15/ru"


def test_ru_cell_replacements(ru):
    r = ru.record
    # general row 2 prints 99,74 | 99,8; column 5 is "2026 год"
    assert vals(ind(r, "s0-p1-n2")) == {2025: (99.74, 5.0), 2026: (99.9, 5.0)}
    assert ind(r, "s0-p1-n2").value(2026).target_text == "99,9"
    # general row 10: the one "Удельный вес" column applies to both years
    assert vals(ind(r, "s0-p1-n10")) == {2025: (100.0, 10.0), 2026: (100.0, 10.0)}
    # agriculture row 2 prints 70 | 5 % | 90 | 10 %; column 4 is 2025
    assert vals(ind(r, "s1-p1-n2")) == {2025: (75.0, 5.0), 2026: (90.0, 10.0)}
    # the words in the name (column 2), Russian text only
    assert (
        ind(r, "s1-p1-n4").name
        == 'Доля владельцев сельскохозяйственных животных, использующих мобильное приложение "Төрт түлік"'
    )
    # industry, part (промышленность): row 1 prints 10 | 5 % | 15 | 5 %; row 3 prints 1 | 10 % | – | 0
    assert vals(ind(r, "s10-p2-n1")) == {2025: (10.0, 5.0), 2026: (20.0, 5.0)}
    assert vals(ind(r, "s10-p2-n3")) == {2025: (1.0, 7.5), 2026: (None, 0.0)}
    # the same row numbers in the other parts of section 10 are not touched
    assert vals(ind(r, "s10-p1-n1")) == {2025: (80.0, 2.5), 2026: (100.0, 5.0)}


def test_ru_rows_replaced_deleted_inserted(ru):
    r = ru.record
    n9 = ind(r, "s0-p1-n9")
    assert n9.name.endswith('"Правительство для граждан" (топ-10)')
    assert (n9.unit, n9.unit_kind, n9.formula.kind) == ("ед.", "count", "quantitative")
    assert vals(n9) == {2025: (3.0, 5.0), 2026: (5.0, 5.0)}
    assert n9.source is not None and n9.source.file.endswith("321-ru." + n9.source.file.rsplit(".", 1)[1])
    ids = [i.id for i in r.indicators]
    assert "s1-p1-n5" not in ids
    n7 = ind(r, "s1-p1-n7")
    assert n7.name == 'Доля ветеринарных справок, выданных в электронном виде посредством ИС "ВетИС"'
    assert vals(n7) == {2025: (80.0, 5.0), 2026: (90.0, 10.0)}
    assert n7.formula.kind == "ratio"
    assert ids.index("s1-p1-n7") == ids.index("s1-p1-n6") + 1
    assert ids.index("s1-p1-n7") + 1 == ids.index("s2-p1-n1")


def test_ru_parts_and_a_new_section(ru):
    r = ru.record
    geology = [i for i in r.indicators if i.section.ordinal == 10 and i.part.ordinal == 3]
    assert [i.number for i in geology] == [1, 2]
    assert {i.part.title for i in geology} == {"геология и недропользование"}
    assert vals(geology[0]) == {2025: (80.0, 5.0), 2026: (100.0, 5.0)}
    assert geology[1].name.startswith('Внедрение ИС "Единая платформа недропользования"')
    assert vals(geology[1]) == {2025: (1.0, 10.0), 2026: (None, 0.0)}
    light = ind(r, "s10-p4-n1")
    assert light.part.title == "легкая промышленность"
    assert vals(light) == {2025: (20.0, 5.0), 2026: (40.0, 5.0)}
    s17 = [i for i in r.indicators if i.section.ordinal == 17]
    assert [i.id for i in s17] == ["s17-p1-n1", "s17-p1-n2"]
    assert s17[0].section.title == "Агентство Республики Казахстан по делам государственной службы"
    assert vals(s17[0]) == {2025: (50.0, 5.0), 2026: (70.0, 5.0)}
    assert (s17[1].unit, vals(s17[1])) == ("ед.", {2025: (1.0, 10.0), 2026: (None, 0.0)})
    ids = [i.id for i in r.indicators]
    assert ids[-2:] == ["s17-p1-n1", "s17-p1-n2"]
    assert ids.index("s10-p4-n1") + 1 == ids.index("s11-p1-n1")


def test_ru_everything_else_is_as_in_the_base(ru, ru1157):
    touched = {
        "s0-p1-n2",
        "s0-p1-n9",
        "s0-p1-n10",
        "s1-p1-n2",
        "s1-p1-n4",
        "s1-p1-n5",
        "s10-p2-n1",
        "s10-p2-n3",
    }
    touched |= {f"s10-p3-n{k}" for k in (1, 2, 3)}
    before = {i.id: i for i in ru1157.indicators if i.id not in touched}
    after = {i.id: i for i in ru.record.indicators}
    for ident, old in before.items():
        new = after[ident]
        assert (new.name, new.unit, vals(new), new.formula, new.source) == (
            old.name,
            old.unit,
            vals(old),
            old.formula,
            old.source,
        )
    # 1 row deleted, 1 inserted, part of 3 rows now 2, a new part of 1 row, a new section of 2 rows
    assert len(ru.record.indicators) == len(ru1157.indicators) - 1 + 1 - 3 + 2 + 1 + 2


def test_amendments_as_published(ru):
    data = ru.to_dict()
    assert data["act"]["edition"] == "2025-05-15"
    assert data["amending_act"]["number"] == "321"
    assert data["amending_act"]["amends"] == {"kind": "resolution", "number": "1157", "date": "2024-12-31"}
    first = data["amendments"][0]
    assert {
        k: first[k] for k in ("op", "section", "part", "number", "column", "year", "field", "old", "new")
    } == {
        "op": "replace-in-cell",
        "section": 0,
        "part": 1,
        "number": 2,
        "column": 5,
        "year": 2026,
        "field": "target",
        "old": "99,8",
        "new": "99,9",
    }
    assert set(first["source"]) >= {"file", "lines"}
    ops = {a["op"] for a in data["amendments"]}
    assert ops == {
        "replace-in-cell",
        "replace-row",
        "delete-row",
        "insert-row",
        "replace-part",
        "insert-part",
        "insert-section",
    }


def test_amendment_lines_point_at_the_instruction():
    c = amend_file(RU_BASE, FIX / "321-ru.txt", corpus_root=CORPUS)
    lines = (FIX / "321-ru.txt").read_text(encoding="utf-8").split("\n")
    first = c.amendments[0].source.lines()
    assert "цифры «99,8» заменить цифрами «99,9»" in lines[first[0] - 1]


# ---- the consolidated act, Kazakh -------------------------------------------------------


def test_kk_consolidated(kk, kk1157):
    r = kk.record
    assert r.act.ref.key == "kz/resolution/1157@2025-05-15/kk"
    # general row 2 prints 99,74 | 99,63 in the Kazakh text
    assert vals(ind(r, "s0-p1-n2")) == {2025: (99.74, 5.0), 2026: (99.9, 5.0)}
    n9 = ind(r, "s0-p1-n9")
    assert "(топ-10)" in n9.name and n9.unit == "бірлік"
    assert vals(n9) == {2025: (3.0, 5.0), 2026: (5.0, 5.0)}
    assert vals(ind(r, "s1-p1-n2")) == {2025: (75.0, 5.0), 2026: (90.0, 10.0)}
    # row 4 changes in Russian only: the Kazakh name still says "Torttulik"
    assert ind(r, "s1-p1-n4").name == ind(kk1157, "s1-p1-n4").name
    assert ind(r, "s1-p1-n4").name.startswith('"Torttulik" мобильді қосымшасын')
    ids = [i.id for i in r.indicators]
    assert "s1-p1-n5" not in ids and ids.index("s1-p1-n7") == ids.index("s1-p1-n6") + 1
    # industry (өнеркәсіп) row 1 prints 5 | 10 | 15 | 5 %: only 2026 changes
    assert vals(ind(r, "s10-p2-n1")) == {2025: (5.0, 10.0), 2026: (20.0, 5.0)}
    assert vals(ind(r, "s10-p2-n3")) == {2025: (1.0, 7.5), 2026: (None, 0.0)}
    assert [i.number for i in r.indicators if i.section.ordinal == 10 and i.part.ordinal == 3] == [1, 2]
    assert ind(r, "s10-p4-n1").part.title == "жеңіл өнеркәсіп"
    s17 = [i for i in r.indicators if i.section.ordinal == 17]
    assert s17[0].section.title == "Қазақстан Республикасының Мемлекеттік қызмет істері агенттігі"
    assert [vals(i) for i in s17] == [
        {2025: (50.0, 5.0), 2026: (70.0, 5.0)},
        {2025: (1.0, 10.0), 2026: (None, 0.0)},
    ]
    only = [a for a in kk.amendments if a.op == "language-only"]
    assert [(a.id, a.unchanged_lang) for a in only] == [("s1-p1-n4", "kk")]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_pdf_form_gives_the_same_rows_and_values(lang):
    """The PDF (LibreOffice from the DOCX) gives the rows and values checked above on the text form.
    Names are not compared: the PDF reader splits or joins words at a narrow cell's line ends
    ("ВетИ С", "количественныйпоказатель"), as it does in the acts themselves."""
    base = RU_BASE if lang == "ru" else KK_BASE
    text = amend_file(base, FIX / f"321-{lang}.txt", corpus_root=CORPUS)
    pdf = amend_file(base, FIX / f"321-{lang}.pdf", corpus_root=CORPUS)
    assert [i.id for i in pdf.record.indicators] == [i.id for i in text.record.indicators]
    assert [vals(i) for i in pdf.record.indicators] == [vals(i) for i in text.record.indicators]
    assert [
        (a.op, a.id, a.field, a.year, a.old, a.new) for a in pdf.amendments if a.op == "replace-in-cell"
    ] == [(a.op, a.id, a.field, a.year, a.old, a.new) for a in text.amendments if a.op == "replace-in-cell"]


# ---- refusal -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "places"),
    [
        ("txt", ("line 12", "line 16")),
        ("docx", ("p6", "p8")),
        ("html", ("body/p[7]", "body/p[9]")),
        ("pdf", ("«строку, порядковый номер 9", "«в строке, порядковый номер 2")),
    ],
)
def test_faulty_amendment_is_refused_naming_both_lines(tmp_path, suffix, places):
    out = tmp_path / "out.json"
    res = CliRunner().invoke(
        app, ["amend", str(RU_BASE), str(FIX / f"faulty-ru.{suffix}"), "-f", "json", "-o", str(out)]
    )
    assert res.exit_code == 2
    err = res.output
    assert places[0] in err and "no row 9" in err
    assert places[1] in err and "«70», not «60»" in err
    assert "amendment-refused" in err and "Traceback" not in err
    assert not out.exists()


def test_refused_instruction_lines_are_the_faulty_ones():
    with pytest.raises(AmendmentRefused) as e:
        amend_file(RU_BASE, FIX / "faulty-ru.txt", corpus_root=CORPUS)
    lines = (FIX / "faulty-ru.txt").read_text(encoding="utf-8").split("\n")
    got = [lines[p.source.first_line - 1].strip() for p in e.value.problems]
    assert got == [
        "строку, порядковый номер 9, исключить;",
        "в строке, порядковый номер 2, в графе 4 цифры «60» заменить цифрами «75»;",
    ]


AGRI = "в разделе «1. Министерство сельского хозяйства Республики Казахстан»:"


def _write_act(tmp_path, instructions, name="draft.txt"):
    head = [b for b in MAKE.RU_HEAD]
    path = tmp_path / name
    # a quoted row keeps the text reader's layout recognisable, as in every real amending act
    quoted = [
        AGRI,
        "дополнить строкой, порядковый номер 7, следующего содержания:",
        [["«7", "Доля ветеринарных справок", "%", "80", "5 %", "90", "10 %", "количественный показатель»;"]],
    ]
    path.write_text(MAKE.to_text([*head, *quoted, *instructions, *MAKE.RU_TAIL]), encoding="utf-8")
    return path


def test_the_named_column_decides(tmp_path):
    # row 2 prints "5 %" in column 5, but column 4 (2025 target) prints 70: refused, not searched
    draft = _write_act(
        tmp_path, [AGRI, "в строке, порядковый номер 2, в графе 4 цифры «5 %» заменить цифрами «7 %»;"]
    )
    with pytest.raises(AmendmentRefused, match="column 4: the cell prints «70», not «5 %»"):
        amend_file(RU_BASE, draft, corpus_root=CORPUS)


def test_old_figures_match_whole_numbers_only(tmp_path):
    # industry (строительство) row 1 prints "2,5 %" in column 5: "5 %" is not what it prints
    draft = _write_act(
        tmp_path,
        [AGRI, "в разделе «10. Министерство промышленности и строительства Республики Казахстан»:", "в части «(строительство)»:",
         "в строке, порядковый номер 1, в графе 5 цифры «5 %» заменить цифрами «7 %»;"],
    )  # fmt: skip
    with pytest.raises(AmendmentRefused, match="prints «2,5 %», not «5 %»"):
        amend_file(RU_BASE, draft, corpus_root=CORPUS)


def test_unreadable_instruction_and_missing_part_are_refused(tmp_path):
    draft = _write_act(
        tmp_path,
        [AGRI, "строку, порядковый номер 3, переставить после строки 1;",
         "в разделе «10. Министерство промышленности и строительства Республики Казахстан»:", "в части «(энергетика)»:",
         "строку, порядковый номер 1, исключить;"],
    )  # fmt: skip
    with pytest.raises(AmendmentRefused) as e:
        amend_file(RU_BASE, draft, corpus_root=CORPUS)
    messages = [p.message for p in e.value.problems]
    assert len(messages) == 2
    assert "cannot read the instruction" in messages[0] and "переставить" in e.value.problems[0].text
    assert "no part «(энергетика)»" in messages[1]


def test_row_ambiguous_without_the_part_is_refused(tmp_path):
    draft = _write_act(
        tmp_path,
        [
            AGRI,
            "в разделе «10. Министерство промышленности и строительства Республики Казахстан»:",
            "строку, порядковый номер 1, исключить;",
        ],
    )
    with pytest.raises(AmendmentRefused, match="3 rows numbered 1: name the part"):
        amend_file(RU_BASE, draft, corpus_root=CORPUS)


def test_wrong_base_act_or_language_is_refused():
    with pytest.raises(BadInput, match="amends resolution No. 1157"):
        amend_file(CORPUS / "124-kk-consolidated-151.txt", FIX / "321-kk.txt", corpus_root=CORPUS)
    with pytest.raises(BadInput, match="in kk, the base act in ru"):
        amend_file(RU_BASE, FIX / "321-kk.txt", corpus_root=CORPUS)


def test_an_act_that_amends_nothing_is_not_read_as_amending():
    with pytest.raises(BadInput, match="not an amending act"):
        read_amending_file(RU_BASE)


# ---- property: a figure replaced in any value cell changes that cell and nothing else ----

_BASE_CACHE: dict[str, object] = {}


def _base():
    if not _BASE_CACHE:
        from legalkpi import api

        loaded = api.load(RU_BASE, corpus_root=CORPUS)
        _BASE_CACHE["rec"] = api.extract_loaded(loaded)
        _BASE_CACHE["doc"] = loaded.doc
    return _BASE_CACHE["rec"], _BASE_CACHE["doc"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(1, 6), column=st.sampled_from([4, 5, 6, 7]), new=st.integers(1, 999))
def test_replacing_a_printed_figure_changes_exactly_that_cell(tmp_path, row, column, new):
    from legalkpi.amending.read import read_amending
    from parsers import read_document

    base, doc = _base()
    year, what = {4: (2025, "target"), 5: (2025, "weight"), 6: (2026, "target"), 7: (2026, "weight")}[column]
    before = ind(base, f"s1-p1-n{row}")
    v = before.value(year)
    printed = v.target_text if what == "target" else v.weight_text
    new_text = f"{new} %" if what == "weight" else str(new)
    draft = _write_act(
        tmp_path,
        [
            AGRI,
            f"в строке, порядковый номер {row}, в графе {column} цифры «{printed}» заменить цифрами «{new_text}»;",
        ],
    )
    d = read_document(draft)
    c = consolidate(base, doc, read_amending(d))  # type: ignore[arg-type]
    after = ind(c.record, f"s1-p1-n{row}")
    expect = {y: list(tw) for y, tw in vals(before).items()}
    expect[year][0 if what == "target" else 1] = float(new)
    assert {y: list(tw) for y, tw in vals(after).items()} == expect
    assert after.name == before.name and after.formula == before.formula


# ---- diff and CLI ------------------------------------------------------------------------


def test_diff_applies_an_amending_draft_first():
    args = ["diff", str(RU_BASE), str(FIX / "321-ru.docx"), "--format", "json"]
    res = CliRunner().invoke(app, [*args, "--fail-on", "removed"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert "kz/resolution/1157@2025-05-15/ru" in json.dumps(data, ensure_ascii=False)
    removed = sorted(c["name"] for c in data["changes"] if c["kind"] == "removed")
    assert removed == [
        'Внедрение ИС "Прослеживаемость в растениеводстве"',
        "Доля разрешений на извлечение горной массы и (или) перемещение почвы на участке разведки в объеме, превышающем "
        'одну тысячу кубических метров, выданных в электронной форме на ИС "Единая платформа недропользователей" (номер, '
        "дата подачи, дата выдачи, БИН, номер лицензии, дата лицензии, цель, объем, месторождение, КАТО, ИИН)",
    ]
    added = sorted(c["new"] for c in data["changes"] if c["kind"] == "added")
    assert added == ["s1-p1-n7", "s10-p4-n1", "s17-p1-n1", "s17-p1-n2"]
    assert CliRunner().invoke(app, [*args, "--fail-on", "moved"]).exit_code == 0


def test_diff_markdown_for_ci_and_a_refused_draft():
    res = CliRunner().invoke(
        app, ["diff", str(RU_BASE), str(FIX / "321-ru.txt"), "--format", "markdown", "--fail-on", "removed"]
    )
    assert res.exit_code == 1
    assert "kz/resolution/1157@2025-05-15/ru" in res.output
    bad = CliRunner().invoke(app, ["diff", str(RU_BASE), str(FIX / "faulty-ru.txt"), "--format", "markdown"])
    assert bad.exit_code == 2 and "line 12" in bad.output


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_amend_prints_for_people(fmt):
    res = CliRunner().invoke(app, ["amend", str(KK_BASE), str(FIX / "321-kk.txt"), "-f", fmt])
    assert res.exit_code == 0, res.output
    assert "s17-p1-n2" in res.output and "language-only" in res.output


def test_amend_json_to_file(tmp_path):
    out = tmp_path / "c.json"
    res = CliRunner().invoke(
        app, ["amend", str(RU_BASE), str(FIX / "321-ru.txt"), "-f", "json", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["act"]["key"] == "kz/resolution/1157@2025-05-15/ru"
    assert len(data["amendments"]) == 18  # 12 instructions; per year, per row of a part or section


# ---- corpus, catalogue, lineage ---------------------------------------------------------


def test_add_build_history(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    out = tmp_path / "catalog"
    runner = CliRunner()
    res = runner.invoke(
        app, ["add", str(FIX / "321-ru.txt"), "--corpus", str(corpus), "--out", str(out), "-f", "json"]
    )
    assert res.exit_code == 0, res.output
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["documents"][-1]
    assert (entry["file"], entry["content"], entry["number"], entry["date"]) == (
        "321-ru.txt",
        "amending",
        "321",
        "2025-05-15",
    )
    assert entry["extra"] == {
        "amends": "kz/resolution/1157",
        "amends_kind": "resolution",
        "amends_number": "1157",
        "amends_date": "2024-12-31",
    }
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    versions = {v["key"]: v for v in catalog["versions"]}
    cons = versions["kz/resolution/1157@2025-05-15/ru"]
    assert cons["act"]["edition"] == "2025-05-15"
    old = {i["id"]: i["kpi_id"] for i in versions["kz/resolution/1157/ru"]["indicators"]}
    new = {i["id"]: i["kpi_id"] for i in cons["indicators"]}
    for ident in ("s0-p1-n2", "s0-p1-n9", "s1-p1-n4", "s1-p1-n6", "s10-p2-n1", "s16-p1-n4"):
        assert new[ident] == old[ident], ident
    assert "s1-p1-n5" not in new
    hist = runner.invoke(app, ["history", "--corpus", str(corpus), "-f", "json"])
    rel = [r for r in json.loads(hist.output)["relations"] if r["from"] == "kz/resolution/321"]
    assert [(r["to"], r["type"], r["date"]) for r in rel] == [("kz/resolution/1157", "amends", "2025-05-15")]
    # a faulty draft is refused before anything is written
    before = (corpus / "manifest.json").read_bytes()
    bad = runner.invoke(app, ["add", str(FIX / "faulty-ru.docx"), "--corpus", str(corpus), "--out", str(out)])
    assert bad.exit_code == 2 and "p6" in bad.output
    assert (corpus / "manifest.json").read_bytes() == before
    assert not (corpus / "321-ru.docx").exists()


def test_public_api():
    import legalkpi

    c = legalkpi.amend_file(RU_BASE, FIX / "321-ru.txt", corpus_root=CORPUS)
    assert c.record.act.edition == "2025-05-15"
    assert legalkpi.AmendmentRefused is AmendmentRefused
    act, _ = legalkpi.read_amending_file(FIX / "321-kk.docx")
    assert act.amends_work == "kz/resolution/1157"


def test_consolidated_json_is_the_extract_json(ru):
    import jsonschema

    data = ru.to_dict()
    schema = json.loads((ROOT / "legalkpi" / "schema" / "extract.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate({k: v for k, v in data.items() if k not in ("amending_act", "amendments")}, schema)


def test_section_by_title_wrong_title_and_wrong_quoted_number(tmp_path):
    draft = _write_act(
        tmp_path,
        [
            # a heading by title only, no number: the agriculture section
            "в разделе «Министерство сельского хозяйства Республики Казахстан»:",
            "в строке, порядковый номер 3, в графе «2026 год» цифры «90» заменить цифрами «95»;",
            # section 2 is the justice ministry, not the health ministry
            "в разделе «2. Министерство здравоохранения Республики Казахстан»:",
            "строку, порядковый номер 1, исключить;",
            AGRI,
            "строку, порядковый номер 6, изложить в следующей редакции:",
            [
                [
                    "«8",
                    "Система идентификации животных",
                    "ед.",
                    "1",
                    "5 %",
                    "–",
                    "10 %",
                    "количественный показатель»;",
                ]
            ],
        ],
    )
    with pytest.raises(AmendmentRefused) as e:
        amend_file(RU_BASE, draft, corpus_root=CORPUS)
    assert [p.message for p in e.value.problems] == [
        "section 2 is «Министерство юстиции Республики Казахстан», not «Министерство здравоохранения Республики Казахстан»",
        "the quoted row is numbered 8, the instruction says 6",
    ]


def test_section_by_title_only(tmp_path):
    draft = _write_act(
        tmp_path,
        [
            "в разделе «Министерство сельского хозяйства Республики Казахстан»:",
            "в строке, порядковый номер 3, в графе «2026 год» цифры «90» заменить цифрами «95»;",
        ],
    )
    c = amend_file(RU_BASE, draft, corpus_root=CORPUS)
    # agriculture row 3 prints 80 | 5 % | 90 | 15 %
    assert vals(ind(c.record, "s1-p1-n3")) == {2025: (80.0, 5.0), 2026: (95.0, 15.0)}


def test_markdown_escapes_document_text(tmp_path):
    from legalkpi.amending.render import to_markdown

    draft = _write_act(
        tmp_path,
        [
            AGRI,
            'в строке, порядковый номер 4, в графе 2 слова «"Torttulik"» заменить словами «<b>Tört | túlik</b>»;',
        ],
    )
    text = to_markdown(amend_file(RU_BASE, draft, corpus_root=CORPUS))
    assert "&lt;b&gt;Tört \\| túlik&lt;/b&gt;" in text
    assert "<b>" not in text


def test_cells_under_a_row_heading(tmp_path):
    # agriculture row 2 prints 70 | 5 % | 90 | 10 %
    draft = _write_act(
        tmp_path,
        [
            AGRI,
            "в строке, порядковый номер 2:",
            "в графе 4 цифры «70» заменить цифрами «75»;",
            "в графе 6 цифры «90» заменить цифрами «95»;",
        ],
    )
    c = amend_file(RU_BASE, draft, corpus_root=CORPUS)
    assert vals(ind(c.record, "s1-p1-n2")) == {2025: (75.0, 5.0), 2026: (95.0, 10.0)}
    kk = tmp_path / "kk.txt"
    kk.write_text(
        MAKE.to_text(
            [
                *MAKE.KK_321[:4],
                "«1. Қазақстан Республикасының Ауыл шаруашылығы министрлігі» бөлімінде:",
                "реттік нөмірі 2-жолда:",
                "4-бағанда «70» деген цифрлар «75» деген цифрлармен ауыстырылсын;",
                "«2026 жыл» деген бағанда «90» деген цифрлар «95» деген цифрлармен ауыстырылсын;",
                "реттік нөмірі 5-жол алып тасталсын;",
                "6-бағанда «90» деген цифрлар «95» деген цифрлармен ауыстырылсын;",
                *MAKE.KK_321[-2:],
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(AmendmentRefused) as e:  # the last one stands under no row heading any more
        amend_file(KK_BASE, kk, corpus_root=CORPUS)
    assert [p.message for p in e.value.problems] == [
        "cannot read the instruction: no row named: the instruction is under no heading 'в строке, порядковый номер …:'"
    ]


def test_a_second_amending_act_applies_to_the_consolidated_version(tmp_path):
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue import corpus as corpus_mod
    from legalkpi.catalogue.intake import add_to_corpus

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    meta = dict.fromkeys(("kind", "number", "date", "lang", "edition", "title"))
    add_to_corpus(FIX / "321-ru.docx", corpus, meta)
    # No. 400 of 1 September 2025 changes row 7 of section 1, which only No. 321 brought in
    head = [
        b.replace("от 15 мая 2025 года № 321", "от 1 сентября 2025 года № 400") if isinstance(b, str) else b
        for b in MAKE.RU_HEAD
    ]
    second = tmp_path / "400-ru.txt"
    second.write_text(
        MAKE.to_text(
            [
                *head,
                AGRI,
                "в строке, порядковый номер 7, в графе 4 цифры «80» заменить цифрами «85»;",
                "дополнить строкой, порядковый номер 8, следующего содержания:",
                [
                    [
                        "«8",
                        "Доля электронных ветеринарных паспортов",
                        "%",
                        "30",
                        "5 %",
                        "60",
                        "5 %",
                        "количественный показатель»;",
                    ]
                ],
                *MAKE.RU_TAIL,
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(AmendmentRefused, match="section 1 has no row 7"):
        amend_file(RU_BASE, second, corpus_root=CORPUS)  # not applicable to the original text
    add_to_corpus(second, corpus, meta)
    catalog = cat.build(corpus_mod.load(corpus))
    v321 = catalog.version("kz/resolution/1157@2025-05-15/ru")
    v400 = catalog.version("kz/resolution/1157@2025-09-01/ru")
    assert v321 is not None and v400 is not None
    assert v400.act.edition == "2025-09-01"
    by_id = {i.id: i for i in v400.indicators}
    # row 7 as No. 321 wrote it (80 | 5 % | 90 | 10 %), its 2025 target changed by No. 400
    assert vals(by_id["s1-p1-n7"]) == {2025: (85.0, 5.0), 2026: (90.0, 10.0)}
    assert vals(by_id["s1-p1-n8"]) == {2025: (30.0, 5.0), 2026: (60.0, 5.0)}
    assert vals(by_id["s0-p1-n2"])[2026] == (99.9, 5.0)  # No. 321's change stays
    assert v400.kpi_ids["s1-p1-n7"] == v321.kpi_ids["s1-p1-n7"]


@pytest.mark.parametrize(
    "name", ["1157-ru.txt", "1157-kk.txt", "124-kk-consolidated-151.txt", "601-nk-ru.txt"]
)
def test_acts_and_their_change_notes_are_not_amending_acts(name):
    # diff reads NEW as an amending act only when it opens amendments ("Внести в … следующие изменения:")
    from legalkpi.amending.apply import is_amending_file

    assert not is_amending_file(CORPUS / name)
    assert is_amending_file(FIX / "321-kk.html")
