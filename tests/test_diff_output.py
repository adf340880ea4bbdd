"""diff for people: unchanged sections hidden (``--all`` shows them), a rename shown old → new with the word marked."""

from __future__ import annotations

from conftest import CORPUS
from test_diff import RU, renamed_row, write_variant
from typer.testing import CliRunner

from legalkpi.api import extract_file
from legalkpi.cli import app
from legalkpi.comparing.diff import diff_records, marked_words, to_markdown, word_changes


def test_word_changes_mark_only_the_changed_word():
    old = "Доля доступных (работающих) автоматизированных государственных услуг"
    new = "Доля доступных (функционирующих) автоматизированных государственных услуг"
    assert word_changes(old, new) == [
        ("same", "Доля доступных"), ("del", "(работающих)"), ("ins", "(функционирующих)"),
        ("same", "автоматизированных государственных услуг"),
    ]  # fmt: skip
    assert marked_words(old, new) == (
        "Доля доступных [-(работающих)-] {+(функционирующих)+} автоматизированных государственных услуг"
    )


def test_cli_table_hides_unchanged_sections_and_shows_the_rename(ru1157, tmp_path):
    edits, _ = renamed_row(ru1157)
    variant = write_variant(tmp_path, RU, edits)
    runner = CliRunner()
    res = runner.invoke(app, ["diff", str(RU), str(variant), "--corpus", str(CORPUS)], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    # Only the general block changed (row 6's name); the 16 ministries' sections are not listed.
    assert "16 unchanged sections not shown (--all shows them)" in res.stdout
    assert "Министерства сельского хозяйства" not in res.stdout
    assert "[-(работающих)-] {+(функционирующих)+}" in res.stdout
    everything = runner.invoke(app, ["diff", str(RU), str(variant), "--all", "--corpus", str(CORPUS)], env={"COLUMNS": "300"})
    assert "not shown" not in everything.stdout and "сельского хозяйства" in everything.stdout


def test_markdown_hides_unchanged_sections_and_marks_words(ru1157, tmp_path):
    edits, _ = renamed_row(ru1157)
    d = diff_records(ru1157, extract_file(write_variant(tmp_path, RU, edits)))
    text = to_markdown(d)
    assert text.count("#### ") == 1 and "16 unchanged sections not shown" in text
    assert "~~(работающих)~~ **(функционирующих)**" in text


def test_a_row_moved_within_its_section_is_one_order_change(ru1157, tmp_path):
    from conftest import by_id
    from test_diff import drop_row, row_block

    # Finance row 7 ("ИИ в таможенном и налоговом администрировании", lines 1264-1279) moved to the
    # top of its section, before row 1 (line 1158), keeping its printed number.
    block = row_block(ru1157, "s7-p1-n7")
    first = by_id(ru1157, "s7-p1-n1").source.lines()[0]

    def insert_top(lines: list[str]) -> None:
        lines[first - 1 : first - 1] = [*block, ""]

    variant = write_variant(tmp_path, RU, [drop_row(ru1157, "s7-p1-n7"), (first, insert_top)])
    d = diff_records(ru1157, extract_file(variant))
    assert d.summary() == {"added": 0, "removed": 0, "changed": 1, "moved": 0, "same": 108}
    c = next(c for c in d.changes if c.kind == "changed")
    assert (c.old.id, [(f.field, f.old, f.new) for f in c.fields]) == ("s7-p1-n7", [("order", 7, 1)])
