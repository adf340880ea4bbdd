"""The lineage of the corpus acts, read from their own notes and repeal lists."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legalkpi.catalogue import corpus
from legalkpi.catalogue.lineage import Lineage, Relation, build_lineage
from legalkpi.cli import app
from legalkpi.errors import ManifestError
from legalkpi.reading.notes import read_changes
from parsers.grid import Document, Paragraph, Source

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
K124, K170, K151, K1157 = "kz/order/124", "kz/order/170", "kz/order/151", "kz/resolution/1157"
K601, K251 = "kz/ministerial-order/601", "kz/ministerial-order/251"
K268, K236 = "kz/resolution/268", "kz/resolution/236"


@pytest.fixture(scope="module")
def lineage() -> Lineage:
    return build_lineage(corpus.load(CORPUS))


def _rels(lin: Lineage, src: str, dst: str) -> list[Relation]:
    return [r for r in lin.relations if r.source_key == src and r.target_key == dst]


def _lines(r: Relation, file: str) -> list[int]:
    return [s.first_line for s in r.sources if s.file == f"corpus/{file}" and s.first_line is not None]


def test_acts_present_and_absent(lineage: Lineage) -> None:
    present = {a.key for a in lineage.acts if a.present}
    absent = {a.key for a in lineage.acts if not a.present}
    assert present == {K124, K1157, K601}
    assert absent == {K170, K151, K268, K236, K251}


def test_russian_r_and_kazakh_o_numbers_are_one_act(lineage: Lineage) -> None:
    a124 = lineage.act(K124)
    assert a124 is not None
    assert {k: sorted(v) for k, v in a124.numbers.items()} == {"kk": ["124-ө"], "ru": ["124-р"]}
    assert a124.date == "2022-08-16"
    assert [t.ref for t in a124.texts] == ["kz/order/124@2024-10-24/kk"]


def test_124_amended_by_170_points_1_2_3_and_title(lineage: Lineage) -> None:
    rels = _rels(lineage, K170, K124)
    assert {r.date for r in rels} == {"2023-11-03"}
    by_part = {r.part: r.type for r in rels}
    assert by_part == {
        "title": "new_edition",  # "Өкімнің тақырыбы жаңа редакцияда"
        "point 1": "amends",  # "1-тармаққа өзгеріс енгізілді"
        "subpoint 1) of point 1": "repeals",  # "1) алып тасталды"
        "point 2": "new_edition",
        "point 3": "new_edition",
        "appendix": "repeals",  # the common KPI appendix: "Алып тасталды"
    }
    lines = {r.part: _lines(r, "124-kk-consolidated-151.txt") for r in rels}
    assert lines == {
        "title": [13],
        "point 1": [23],
        "subpoint 1) of point 1": [17],
        "point 2": [29],
        "point 3": [37],
        "appendix": [52],
    }
    dropped = next(r for r in rels if r.part == "appendix")
    assert dropped.part_title.endswith("цифрлық орынбасарларына арналған ортақ KPI")


def test_151_gives_the_appendix_a_new_edition(lineage: Lineage) -> None:
    (rel,) = _rels(lineage, K151, K124)
    assert (rel.type, rel.date, rel.part) == ("new_edition", "2024-10-24", "appendix")
    assert _lines(rel, "124-kk-consolidated-151.txt") == [63]
    assert rel.part_title.endswith("бірінші басшыларының цифрлық орынбасарларына арналған KPI")


def test_1157_repeals_124_seen_from_both_sides(lineage: Lineage) -> None:
    (rel,) = _rels(lineage, K1157, K124)
    assert (rel.type, rel.date, rel.part) == ("repeals", "2024-12-31", "")
    assert _lines(rel, "1157-ru.txt") == [2456]
    assert _lines(rel, "1157-kk.txt") == [381]
    # the consolidated text says it too: in its header cell and in an "Ескерту" note
    assert _lines(rel, "124-kk-consolidated-151.txt") == [8, 11]


def test_1157_repeals_the_amending_orders_and_points_of_absent_acts(lineage: Lineage) -> None:
    repealed = {
        (r.target_key, r.part) for r in lineage.relations if r.source_key == K1157 and r.type == "repeals"
    }
    assert repealed == {(K124, ""), (K170, ""), (K151, ""), (K268, "point 15"), (K236, "point 57")}
    a268, a236 = lineage.act(K268), lineage.act(K236)
    assert a268 is not None and a236 is not None
    assert (a268.date, a268.present) == ("2022-04-29", False)
    assert (
        a268.titles["ru"]
        == "О некоторых вопросах консультативно-совещательных органов при Правительстве Республики Казахстан"
    )
    assert a268.titles["kk"].startswith(
        "Қазақстан Республикасы Үкіметінің жанындағы консультативтік-кеңесші органдардың"
    )
    assert (a236.date, a236.present) == ("2023-03-17", False)
    (r236,) = _rels(lineage, K1157, K236)
    assert _lines(r236, "1157-ru.txt") == [2458] and _lines(r236, "1157-kk.txt") == [383]


def test_absent_amending_orders_keep_what_the_citing_texts_say(lineage: Lineage) -> None:
    a170 = lineage.act(K170)
    assert a170 is not None
    assert {k: sorted(v) for k, v in a170.numbers.items()} == {"kk": ["170-ө"], "ru": ["170-р"]}
    assert a170.date == "2023-11-03"
    # the list drops the closing quote of the nested title; it is restored
    assert a170.titles["ru"] == (
        "О внесении изменений в распоряжение Премьер-Министра Республики Казахстан от 16 августа 2022 года "
        '№ 124-р "О некоторых вопросах работы цифровых заместителей министерств Республики Казахстан"'
    )


def test_601_amended_by_251_point_17_1_and_the_appendix(lineage: Lineage) -> None:
    rels = _rels(lineage, K251, K601)
    assert {(r.type, r.date, r.part) for r in rels} == {
        ("amends", "2025-05-26", "point 17-1"),
        ("amends", "2025-05-26", "appendix 17-1"),  # printed "приложением 17-1"
    }
    assert sorted(line for r in rels for line in _lines(r, "601-nk-ru.txt")) == [195, 348]
    a251 = lineage.act(K251)
    assert a251 is not None and not a251.present
    assert sorted(a251.numbers["ru"]) == ["251 НК", "251 НҚ"]  # the second footnote prints a Cyrillic К


def test_in_force_on_2024_06_01(lineage: Lineage) -> None:
    states = {s.act.key: s for s in lineage.in_force("2024-06-01")}
    assert K124 in states and K1157 not in states and K601 not in states
    s124 = states[K124]
    assert (s124.edition, s124.amended_by) == ("2023-11-03", [K170])
    # the corpus holds 124 only as consolidated on 2024-10-24: not the edition of that day
    assert s124.texts_of_edition == []
    assert s124.describe() == "as amended by kz/order/170 (edition 2023-11-03)"


def test_in_force_on_2025_06_01(lineage: Lineage) -> None:
    states = {s.act.key: s for s in lineage.in_force("2025-06-01")}
    assert {K1157, K601} <= set(states)
    assert not {K124, K170, K151} & set(states)
    s601 = states[K601]
    assert (s601.edition, s601.amended_by) == ("2025-05-26", [K251])
    assert [t.file for t in s601.texts_of_edition] == ["corpus/601-nk-ru.txt"]
    s1157 = states[K1157]
    assert s1157.edition == "" and [t.lang for t in s1157.texts_of_edition] == ["ru", "kk"]
    assert states[K268].repealed_parts == ["point 15"]


def test_601_before_251_is_the_original_text(lineage: Lineage) -> None:
    s601 = next(s for s in lineage.in_force("2025-05-25") if s.act.key == K601)
    assert (s601.edition, s601.amended_by, s601.texts_of_edition) == ("", [], [])


def test_timeline_of_124(lineage: Lineage) -> None:
    events = [(e.date, e.event, e.by) for e in lineage.timeline() if e.act == K124]
    assert events[0] == ("2022-08-16", "adopted", "")
    assert events[-1] == ("2024-12-31", "repeals", K1157)
    assert [d for d, _, _ in events] == sorted(d for d, _, _ in events)
    assert ("2024-10-24", "new_edition", K151) in events


def test_to_dict_ordering_and_shape(lineage: Lineage) -> None:
    d = lineage.to_dict()
    assert set(d) >= {"acts", "relations"}
    rels = d["relations"]
    assert [(r["date"], r["to"]) for r in rels] == sorted((r["date"], r["to"]) for r in rels)
    assert {r["type"] for r in rels} == {"amends", "new_edition", "repeals"}
    assert all(r["source"]["file"].startswith("corpus/") and r["source"]["lines"] for r in rels)
    acts = d["acts"]
    assert [a["date"] for a in acts] == sorted(a["date"] for a in acts)
    assert d["warnings"] == []  # headers agree with the manifest; 124's edition is 151's date


def test_a_changed_corpus_file_is_refused(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    target = tmp_path / "corpus" / "124-kk-consolidated-151.txt"
    target.write_bytes(target.read_bytes().replace("№ 170-ө".encode(), "№ 171-ө".encode(), 1))
    with pytest.raises(ManifestError):
        build_lineage(corpus.load(tmp_path / "corpus"))


def _doc(*lines: str) -> Document:
    d = Document(file="t.txt", reader="prose", encoding="utf-8", sha256="")
    d.blocks = [Paragraph(text=t, source=Source("t.txt", i, i)) for i, t in enumerate(lines, 1)]
    return d


def test_notes_beyond_the_corpus_wording() -> None:
    changes = read_changes(
        _doc(
            "1. Бірінші тармақ.",
            "Ескерту. 4-тармақ алып тасталды - ҚР Үкіметінің 05.06.2024 № 400 қаулысымен.",
            "Сноска. Пункт 5 изложен в новой редакции приказом Министра юстиции РК от 01.02.2025 № 12.",
        )
    )
    got = [
        (c.type, c.part, c.by.kind if c.by else "", c.by.number if c.by else "", c.by.date if c.by else "")
        for c in changes
    ]
    assert got == [
        ("repeals", "point 4", "resolution", "400", "2024-06-05"),
        ("new_edition", "point 5", "ministerial-order", "12", "2025-02-01"),
    ]


def test_a_title_mentioning_changes_is_not_a_note() -> None:
    # "О внесении изменений …" names a change but records none
    assert (
        read_changes(
            _doc('Приказом от 1 марта 2024 года № 5 "О внесении изменений в приказ" утверждены формы.')
        )
        == []
    )


# ---- the command ---------------------------------------------------------------------------


def test_history_json_as_of() -> None:
    res = CliRunner().invoke(
        app, ["history", "--corpus", str(CORPUS), "--as-of", "2025-06-01", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    keys = [s["key"] for s in data["in_force"]]
    assert K1157 in keys and K601 in keys and K124 not in keys
    s601 = next(s for s in data["in_force"] if s["key"] == K601)
    assert s601["amended_by"] == [K251] and s601["texts"][0]["matches_edition"] is True


def test_history_table_lists_the_repeal() -> None:
    res = CliRunner().invoke(app, ["history", "--corpus", str(CORPUS)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    row = next(line for line in res.stdout.splitlines() if "2024-12-31" in line and "124-р / 124-ө" in line)
    assert "repeals" in row and "1157" in row


@pytest.mark.parametrize("bad", ["2024-13-01", "01.06.2024", "soon"])
def test_history_bad_date_is_one_line_and_exit_2(bad: str) -> None:
    res = CliRunner().invoke(app, ["history", "--corpus", str(CORPUS), "--as-of", bad])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "--as-of" in lines[0] and "YYYY-MM-DD" in lines[0]
