"""diff: amendments made to copies of corpus acts, and the real change from Order 124 to Resolution 1157.

The amendment variants edit the text rendition itself (a target, a weight, a row dropped, added,
renamed or moved to another section) and the diff must report exactly those edits, each alone
and all at once. The real-case facts were read in both Kazakh documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CORPUS, by_id
from typer.testing import CliRunner

from legalkpi.api import extract_file
from legalkpi.cli import app
from legalkpi.comparing.diff import diff_records, to_markdown

RU = CORPUS / "1157-ru.txt"
KK124 = CORPUS / "124-kk-consolidated-151.txt"

Edit = tuple[int, Callable[[list[str]], None]]  # (position in the original text, change); applied bottom-up


def span(record, ident: str) -> tuple[int, int]:
    first, last = by_id(record, ident).source.lines()
    return first, last


def replace_line(record, ident: str, old: str, new: str) -> Edit:
    """Replace the one line of the row that reads ``old``."""
    first, last = span(record, ident)

    def edit(lines: list[str]) -> None:
        hits = [k for k in range(first - 1, last) if lines[k].strip() == old]
        assert len(hits) == 1, f"{ident}: {len(hits)} lines read {old!r}"
        lines[hits[0]] = lines[hits[0]].replace(old, new)

    return first, edit


def drop_row(record, ident: str) -> Edit:
    first, last = span(record, ident)

    def edit(lines: list[str]) -> None:
        assert lines[last] == "", "rows are separated by one empty line"
        del lines[first - 1 : last + 1]

    return first, edit


def insert_after(record, ident: str, block: list[str]) -> Edit:
    _, last = span(record, ident)

    def edit(lines: list[str]) -> None:
        lines[last + 1 : last + 1] = [*block, ""]

    return last + 1, edit


def row_block(record, ident: str, source: Path = RU) -> list[str]:
    first, last = span(record, ident)
    return source.read_text(encoding="utf-8").split("\n")[first - 1 : last]


def write_variant(tmp_path: Path, source: Path, edits: list[Edit], name: str = "variant.txt") -> Path:
    lines = source.read_text(encoding="utf-8").split("\n")
    for _, edit in sorted(edits, key=lambda e: -e[0]):
        edit(lines)
    out = tmp_path / name
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


# ---- the amendments, each as edits plus the one change it must produce ------------------


def target_change(ru):
    # General block row 2 (fault tolerance): 2025 target 99,74 becomes 99,9.
    edits = [replace_line(ru, "s0-p1-n2", "99,74", "99,9")]
    return edits, [("changed", "s0-p1-n2", "s0-p1-n2", [("target", 2025, "99,74", "99,9")])]


def weight_change(ru):
    # Agriculture row 2 (Vetмobile): weights 5 % in 2025 and 10 % in 2026; 2026 becomes 15 %.
    edits = [replace_line(ru, "s1-p1-n2", "10 %", "15 %")]
    return edits, [("changed", "s1-p1-n2", "s1-p1-n2", [("weight", 2026, 10.0, 15.0)])]


def dropped_row(ru):
    # Justice row 4: "Внедрение ИИ в законотворчестве на ИС "E-Zannama"".
    return [drop_row(ru, "s2-p1-n4")], [("removed", "s2-p1-n4", None, [])]


def added_row(ru):
    # A seventh row for Labour, made from row 6 with a name no other row resembles.
    block = row_block(ru, "s5-p1-n6")
    assert block[1] == "6"
    block[1] = "7"
    block[3] = "Запуск реестра пасек и пчеловодческих хозяйств"
    return [insert_after(ru, "s5-p1-n6", block)], [("added", None, "s5-p1-n7", [])]


def renamed_row(ru):
    edits = [replace_line(ru, "s0-p1-n6", "Доля доступных (работающих) автоматизированных государственных услуг",
                          "Доля доступных (функционирующих) автоматизированных государственных услуг")]  # fmt: skip
    return edits, [("changed", "s0-p1-n6", "s0-p1-n6", [("name", None,
                    "Доля доступных (работающих) автоматизированных государственных услуг",
                    "Доля доступных (функционирующих) автоматизированных государственных услуг")])]  # fmt: skip


def moved_row(ru):
    # Finance row 7 ("ИИ в таможенном и налоговом администрировании") goes to the end of Defence.
    block = row_block(ru, "s7-p1-n7")
    return [drop_row(ru, "s7-p1-n7"), insert_after(ru, "s8-p1-n5", block)], [
        ("moved", "s7-p1-n7", "s8-p1-n7", [])
    ]


VARIANTS = [target_change, weight_change, dropped_row, added_row, renamed_row, moved_row]


def reported(d):
    return sorted(
        (
            (
                c["kind"],
                c["old"],
                c["new"],
                [(f["field"], f["year"], f["old"], f["new"]) for f in c["fields"]],
            )
            for c in d["changes"]
        ),
        key=repr,
    )


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.__name__)
def test_each_amendment_is_reported_exactly(variant, ru1157, tmp_path):
    edits, expected = variant(ru1157)
    new = extract_file(write_variant(tmp_path, RU, edits))
    d = diff_records(ru1157, new).to_dict()
    assert reported(d) == sorted(expected, key=repr)
    assert d["years"] == [2025, 2026]


def test_all_amendments_at_once(ru1157, tmp_path):
    edits, expected = [], []
    for variant in VARIANTS:
        e, x = variant(ru1157)
        edits += e
        expected += x
    new = extract_file(write_variant(tmp_path, RU, edits))
    d = diff_records(ru1157, new)
    assert reported(d.to_dict()) == sorted(expected, key=repr)
    assert d.summary() == {"added": 1, "removed": 1, "changed": 3, "moved": 1, "same": 104}
    moved = next(c for c in d.changes if c.kind == "moved")
    assert moved.score == 100
    assert (moved.old.section.ordinal, moved.new.section.ordinal) == (7, 8)
    finance = next(s for s in d.sections if s.group == "finance")
    assert finance.kind == "same" and finance.counts["moved_out"] == 1 and finance.counts["same"] == 7


def test_unchanged_act_has_no_changes_and_all_lists_same(ru1157):
    d = diff_records(ru1157, ru1157)
    assert d.to_dict()["changes"] == []
    assert {s.kind for s in d.sections} == {"same"}
    listed = diff_records(ru1157, ru1157, include_same=True).to_dict()["changes"]
    assert len(listed) == 109 and {c["kind"] for c in listed} == {"same"}


def test_single_weight_column_changes_every_year(kk124, tmp_path):
    # Order 124's general block has one weight column for 2024-2026: row 3's 5 % becomes 10 %.
    new = extract_file(write_variant(tmp_path, KK124, [replace_line(kk124, "s0-p1-n3", "5 %", "10 %")]))
    d = diff_records(kk124, new).to_dict()
    assert d["years"] == [2024, 2025, 2026]
    assert reported(d) == [
        ("changed", "s0-p1-n3", "s0-p1-n3", [("weight", y, 5.0, 10.0) for y in (2024, 2025, 2026)])
    ]


def test_a_stricter_threshold_turns_a_rename_into_removed_and_added(ru1157, tmp_path):
    edits, _ = renamed_row(ru1157)
    new = extract_file(write_variant(tmp_path, RU, edits))
    d = diff_records(ru1157, new, name_threshold=99.5, move_threshold=99.5).to_dict()
    assert [(c["kind"], c["old"], c["new"]) for c in d["changes"]] == [
        ("added", None, "s0-p1-n6"),
        ("removed", "s0-p1-n6", None),
    ]


# ---- the real change: Order 124 (Kazakh, edition of 2024-10-24) -> Resolution 1157 (Kazakh)


@pytest.fixture(scope="module")
def real(kk124, kk1157):
    return diff_records(kk124, kk1157)


def change_of(d, old: str | None = None, new: str | None = None):
    return next(
        c
        for c in d.changes
        if (old is None or (c.old and c.old.id == old)) and (new is None or (c.new and c.new.id == new))
    )


def test_real_general_block_fault_tolerance_targets(real):
    # 124 prints 99,61 / 99,62 / 99,63 for 2024-2026; 1157 prints 99,74 / 99,63 for 2025-2026.
    c = change_of(real, "s0-p1-n2", "s0-p1-n2")
    assert c.kind == "changed"
    targets = [(f.year, f.old, f.new) for f in c.fields if f.field == "target"]
    assert targets == [(2025, "99,62", "99,74")]  # 2026 stays 99,63; 2024 is not in 1157


def test_real_criteria_row_weight_halved(real):
    # The project row weighs 40 % in 124 and 20 % in 1157; its criteria went 35/30/15/20 -> 30/25/25/20.
    c = change_of(real, "s0-p1-n1", "s0-p1-n1")
    fields = {(f.field, f.year): (f.old, f.new) for f in c.fields}
    assert fields[("weight", 2025)] == (40.0, 20.0) and fields[("weight", 2026)] == (40.0, 20.0)
    assert fields[("criteria", None)] == ([35.0, 30.0, 15.0, 20.0], [30.0, 25.0, 25.0, 20.0])


def test_real_sector_sections_become_ministries(real):
    kinds = {s.group: (s.kind, [r.ordinal for r in s.old], [r.ordinal for r in s.new]) for s in real.sections}
    # "10. Құрылыс", "11. Өнеркәсіп", "12. Геология…" -> "10. …Өнеркәсіп және құрылыс министрлігі".
    assert kinds["industry"] == ("merged", [10, 11, 12], [10])
    assert kinds["agriculture"] == ("renamed", [1], [1])  # "Ауыл шаруашылығы" -> the ministry
    assert kinds["trade"] == ("renamed", [13], [11])
    assert kinds["digital"] == ("added", [], [16])  # 124 has no digital-development section


def test_real_carried_rows_renumbered_and_regrouped(real):
    # Agriculture: 124's row 1 (animal registration) is row 2 in 1157; its 2025 weight 10 % -> 5 %.
    c = change_of(real, "s1-p1-n1")
    assert c.new.id == "s1-p1-n2"
    assert [(f.field, f.year, f.old, f.new) for f in c.fields if f.field == "weight"] == [
        ("weight", 2025, 10.0, 5.0)
    ]
    # "11. Өнеркәсіп" row 2 (digital industry register) is part 2 of section 10 in 1157, unchanged.
    c = change_of(real, "s11-p1-n2")
    assert (c.kind, c.new.id, c.fields) == ("same", "s10-p2-n2", [])
    # Labour: 124 prints 8450 for the 2026 share of job placements; 1157 prints 45.
    c = change_of(real, "s5-p1-n3")
    assert c.new.id == "s5-p1-n2" and ("target", 2026, "8450", "45") in [
        (f.field, f.year, f.old, f.new) for f in c.fields
    ]


def test_real_dropped_and_new_rows(real):
    removed = {c.old.id for c in real.changes if c.kind == "removed"}
    # The three trade rows of 124 (ӘМАТ tracking, accreditation, verification certificates) are gone;
    # so is the "digital maturity of universities" row.
    assert {"s13-p1-n1", "s13-p1-n2", "s13-p1-n3", "s3-p1-n1"} <= removed
    added = {c.new.id for c in real.changes if c.kind == "added"}
    assert {"s16-p1-n1", "s1-p1-n1", "s0-p1-n8"} <= added  # biometrics; the cadastre; data quality
    assert real.summary()["moved"] == 0


def test_real_counts_add_up(real, kk124, kk1157):
    s = real.summary()
    carried = s["changed"] + s["same"] + s["moved"]
    assert carried + s["removed"] == len(kk124.indicators) == 55
    assert carried + s["added"] == len(kk1157.indicators)


# ---- output -------------------------------------------------------------------------------


def test_markdown_escapes_document_text(ru1157, tmp_path):
    edits = [replace_line(ru1157, "s0-p1-n6", "Доля доступных (работающих) автоматизированных государственных услуг",
                          "Доля | *доступных* _услуг_ `x` <b>[1]</b>")]  # fmt: skip
    new = extract_file(write_variant(tmp_path, RU, edits))
    text = to_markdown(diff_records(ru1157, new, name_threshold=30))
    row = next(line for line in text.splitlines() if "s0-p1-n6" in line)
    assert r"Доля \| \*доступных\* \_услуг\_ \`x\` &lt;b&gt;\[1\]&lt;/b&gt;" in row
    assert row.count(" | ") == 5  # six cells: no pipe from the text splits the row


def test_cli_diff_json_and_exit_codes(ru1157, tmp_path):
    edits, _ = dropped_row(ru1157)
    variant = write_variant(tmp_path, RU, edits)
    runner = CliRunner()
    res = runner.invoke(app, ["diff", str(RU), str(variant), "--format", "json", "--corpus", str(CORPUS)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["old"] == "kz/resolution/1157/ru" and [c["kind"] for c in data["changes"]] == ["removed"]
    assert runner.invoke(app, ["diff", str(RU), str(variant), "--fail-on", "removed"]).exit_code == 1
    assert runner.invoke(app, ["diff", str(RU), str(variant), "--fail-on", "added,moved"]).exit_code == 0
    bad = runner.invoke(app, ["diff", str(RU), str(variant), "--fail-on", "vanished"])
    assert bad.exit_code == 2 and "vanished" in bad.stderr


def test_cli_diff_bad_inputs(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["diff", str(tmp_path / "nope.txt"), str(RU)])
    assert res.exit_code == 2 and "no such file" in res.stderr and "Traceback" not in res.output
    res = runner.invoke(app, ["diff", "kz/order/999/kk", str(RU), "--catalog", str(tmp_path / "none.json")])
    assert res.exit_code == 2 and "no catalogue" in res.stderr


def test_cli_diff_catalogue_keys(tmp_path):
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue import corpus as corpus_mod

    catalog = cat.build(corpus_mod.load(CORPUS))
    cat.write_json(catalog, tmp_path / "catalog.json")
    runner = CliRunner()
    args = [
        "diff",
        "kz/order/124@2024-10-24/kk",
        "kz/resolution/1157/kk",
        "--catalog",
        str(tmp_path / "catalog.json"),
    ]
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    c = next(c for c in data["changes"] if c["old"] == "s0-p1-n2")
    assert [(f["field"], f["year"], f["old"], f["new"]) for f in c["fields"] if f["field"] == "target"] == [
        ("target", 2025, "99,62", "99,74")
    ]
    missing = runner.invoke(
        app, ["diff", "kz/order/999/kk", "kz/resolution/1157/kk", "--catalog", str(tmp_path / "catalog.json")]
    )
    assert missing.exit_code == 2 and "no version 'kz/order/999/kk'" in missing.stderr
