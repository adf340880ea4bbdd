"""The structure of the prose order No. 601/НҚ (seed 004) and act headers of every corpus act."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from legalkpi.reading.structure import Node, Structure, act_from_text, read_structure
from parsers import read_document
from parsers.grid import Document, Paragraph, Source

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _read(name: str) -> Document:
    return read_document(CORPUS / name, display_name=f"corpus/{name}")


@pytest.fixture(scope="module")
def rules() -> Structure:
    return read_structure(_read("601-nk-ru.txt"))


def _approved(s: Structure) -> Node:
    return next(n for n in s.nodes if n.kind == "approved")


def _parent_of(s: Structure, target: Node) -> Node | None:
    return next((n for n in s.walk() if target in n.children), None)


# ---- the act record ------------------------------------------------------------------------


def test_act_record_of_601_comes_from_its_header_line(rules: Structure) -> None:
    act = rules.act
    assert act is not None
    assert (act.kind, act.number, act.date, act.lang) == ("ministerial-order", "601/НҚ", "2024-09-27", "ru")
    assert act.title == "Об утверждении Правил цифровой трансформации государственного управления"
    assert act.source is not None and act.source.lines() == [7, 7]


@pytest.mark.parametrize(
    ("name", "kind", "number", "date", "lang", "title_start", "lines"),
    [
        (
            "1157-ru.txt",
            "resolution",
            "1157",
            "2024-12-31",
            "ru",
            "О некоторых вопросах работы первых руководителей",
            [1, 4],
        ),
        (
            "1157-kk.txt",
            "resolution",
            "1157",
            "2024-12-31",
            "kk",
            "Қазақстан Республикасы мемлекеттік органдарының бірінші басшылары мен",
            [5, 5],
        ),
        # the consolidated 124 prints its header inside a table cell, beside "Күшін жойған"
        (
            "124-kk-consolidated-151.txt",
            "order",
            "124-ө",
            "2022-08-16",
            "kk",
            "Қазақстан Республикасы мемлекеттік органдарының бірінші басшыларының",
            [8, 9],
        ),
    ],
)
def test_act_from_text_reads_every_corpus_act(name, kind, number, date, lang, title_start, lines) -> None:
    act = act_from_text(_read(name))
    assert act is not None
    assert (act.kind, act.number, act.date, act.lang) == (kind, number, date, lang)
    assert act.title.startswith(title_start)
    assert act.source is not None and act.source.lines() == lines


def test_the_report_names_no_act_of_its_own() -> None:
    assert act_from_text(_read("report-2024q1-ru.txt")) is None


def _doc(*lines: str) -> Document:
    d = Document(file="t.txt", reader="prose", encoding="utf-8", sha256="")
    d.blocks = [Paragraph(text=t, source=Source("t.txt", i, i)) for i, t in enumerate(lines, 1)]
    return d


def test_kazakh_prime_minister_order_header_with_month_ending() -> None:
    act = act_from_text(
        _doc("Тақырып", "Қазақстан Республикасы Премьер-Министрінің 2022 жылғы 16 тамыздағы № 124-ө өкімі")
    )
    assert act is not None
    assert (act.kind, act.number, act.date, act.lang, act.title) == (
        "order",
        "124-ө",
        "2022-08-16",
        "kk",
        "Тақырып",
    )


def test_russian_order_header_and_a_list_item_that_is_not_one() -> None:
    listed = _doc(
        '2. Распоряжение Премьер-Министра Республики Казахстан от 3 ноября 2023 года № 170-р "О внесении изменений".'
    )
    assert act_from_text(listed) is None
    own = act_from_text(
        _doc("Заголовок", "Распоряжение Премьер-Министра Республики Казахстан от 3 ноября 2023 года № 170-р")
    )
    assert own is not None and (own.kind, own.number, own.date) == ("order", "170-р", "2023-11-03")


# ---- the structure -------------------------------------------------------------------------


def test_chapters_paragraphs_and_sections_of_the_rules(rules: Structure) -> None:
    chapters = rules.find("chapter")
    assert [(c.number, c.text, c.source.first_line) for c in chapters] == [
        ("1", "Общие положения", 33),
        ("2", "Порядок цифровой трансформации государственного управления", 98),
    ]
    paragraphs = [n for n in chapters[1].children if n.kind == "paragraph"]
    assert [p.number for p in paragraphs] == ["1", "2", "3", "4"]
    assert paragraphs[0].text == "Функциональная структура цифровой трансформации государственного управления"
    sections = [n for n in paragraphs[2].children if n.kind == "section"]
    assert [(s.number, s.source.first_line) for s in sections] == [("1", 229), ("2", 239), ("3", 315)]


def test_points_of_the_rules_include_the_inserted_17_1(rules: Structure) -> None:
    numbers = [n.number for n in _approved(rules).walk() if n.kind == "point"]
    assert numbers == [str(i) for i in range(1, 18)] + ["17-1"] + [str(i) for i in range(18, 43)]
    p171 = rules.find("point", "17-1")
    assert len(p171) == 1
    assert p171[0].source.lines() == [193, 193]
    assert p171[0].text.startswith("Карта цифровой трансформации составляется по форме согласно приложению")
    parent = _parent_of(rules, p171[0])
    assert parent is not None and (parent.kind, parent.number) == ("paragraph", "2")


def test_point_17_1_carries_its_footnote(rules: Structure) -> None:
    notes = [c for c in rules.find("point", "17-1")[0].children if c.kind == "footnote"]
    assert len(notes) == 1
    assert notes[0].source.lines() == [195, 195]
    assert notes[0].text.startswith("Сноска. Правила дополнены пунктом 17-1 в соответствии с приказом")
    assert "№ 251 НҚ" in notes[0].text


def test_a_reference_broken_across_lines_is_not_a_sub_point(rules: Structure) -> None:
    # "подпунктом 361" / "-1) пункта 15": one reference the PDF converter split
    point1 = next(n for n in _approved(rules).walk() if n.kind == "point" and n.number == "1")
    assert "подпунктом 361-1) пункта 15 Положения" in point1.text
    assert point1.source.lines() == [35, 37]
    assert not [c for c in point1.children if c.kind == "subpoint"]


def test_sub_points_with_dash_markers(rules: Structure) -> None:
    point5 = next(n for n in _approved(rules).walk() if n.kind == "point" and n.number == "5")
    subs = [c for c in point5.children if c.kind == "subpoint"]
    assert [s.number for s in subs] == [str(i) for i in range(1, 10)]
    assert subs[5].source.first_line == 93  # "- 6) полная оцифровка исторических данных …"
    assert subs[5].text == "полная оцифровка исторических данных и исключение бумажных документов;"


def test_the_order_body_skips_point_3_and_says_so(rules: Structure) -> None:
    body = [n.number for n in rules.nodes if n.kind == "point"]
    assert body == ["1", "2", "4", "5"]
    gaps = [w for w in rules.warnings if w.code == "point-numbering"]
    assert [(w.message, w.source.first_line if w.source else None) for w in gaps] == [
        ("point 4 follows 2: missing 3", 19)
    ]


def test_preamble_signature_and_approval_stamp(rules: Structure) -> None:
    kinds = [n.kind for n in rules.nodes]
    assert kinds[0] == "preamble" and rules.nodes[0].text.endswith("ПРИКАЗЫВАЮ:")
    signature = next(n for n in rules.nodes if n.kind == "signature")
    assert signature.text == "Исполняющего обязанности министра К. Тулеушин"
    approved = _approved(rules)
    assert approved.stamp == "Утверждены приказом № 601/НҚ от 27.09.2024"
    assert approved.text == "Правила цифровой трансформации государственного управления"


def test_appendix_form_tables_with_their_lines(rules: Structure) -> None:
    appendix = next(n for n in rules.nodes if n.kind == "appendix")
    assert appendix.stamp.startswith("приложение к приказу приложение к Правилам цифровой трансформации")
    assert appendix.text.startswith("Карта цифровой трансформации отрасли")
    notes = [c for c in appendix.children if c.kind == "footnote"]
    assert [n.source.first_line for n in notes] == [348]
    tables = [n for n in appendix.walk() if n.kind == "table"]
    passport = tables[0]
    assert (passport.caption, passport.source.lines(), passport.rows, passport.columns) == (
        "Паспорт",
        [352, 362],
        9,  # line 358 holds the rest of the "Принципы" row, cut by a page break
        2,
    )
    plan = next(t for t in tables if t.caption == "1.2. План график Сфера")
    assert plan.source.lines() == [415, 420] and plan.columns == 22  # activity, unit, 5 years x 4 quarters
    gantt = tables[-1]
    assert gantt.source.lines() == [438, 447] and gantt.rows == 10
    # the form's own numbered headings are not points of the Rules
    assert not [n for n in appendix.walk() if n.kind in ("point", "section")]


def test_to_dict_is_json_with_sources(rules: Structure) -> None:
    d = rules.to_dict()
    text = json.dumps(d, ensure_ascii=False)
    assert d["act"]["number"] == "601/НҚ" and d["act"]["source"]["lines"] == [7, 7]
    assert '"number": "17-1"' in text
    assert all("source" in n for n in d["nodes"])
