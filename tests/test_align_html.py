"""The alignment page in a real browser: side by side, highlighted cells, the "differences only" switch.

Facts checked were read in the two files of Resolution 1157: general row 2 prints 99,8 (Russian)
and 99,63 (Kazakh) for 2026; general row 10 weighs 5 % against 10 %; agriculture row 1 prints 0
against "–" for 2026 (a notation difference, minor).
"""

from __future__ import annotations

import os
import shutil

import pytest

from legalkpi.comparing.align import align_records
from legalkpi.comparing.align_html import render

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def page_html(ru1157, kk1157):
    return render(align_records(ru1157, kk1157))


@pytest.fixture(scope="module")
def browser():
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=FLAGS)
        yield b
        b.close()


def test_page_is_side_by_side_with_highlighted_cells(browser, page_html, tmp_path):
    path = tmp_path / "align.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.goto(path.as_uri())
    # Russian on the left, Kazakh on the right, in one table row per pair.
    row = page.locator("tr", has=page.locator("div.src", has_text="s0-p1-n2 ·")).first
    ru_cell = row.locator('td[data-lang="ru"].diff.error')
    kk_cell = row.locator('td[data-lang="kk"].diff.error')
    assert ru_cell.all_inner_texts() == ["99,8"] and kk_cell.all_inner_texts() == ["99,63"]
    assert ru_cell.bounding_box()["x"] < kk_cell.bounding_box()["x"]
    weights = page.locator("tr", has=page.locator("div.src", has_text="s0-p1-n10 ·")).first.locator("td.diff.error")
    assert weights.all_inner_texts() == ["5 %", "5 %", "10 %", "10 %"]
    minor = page.locator("tr", has=page.locator("div.src", has_text="s1-p1-n1 ·")).first.locator("td.diff.minor")
    assert minor.all_inner_texts() == ["0", "–"]
    # A mended row is not highlighted: Energy row 4 (Russian lines 2199-2219).
    energy = page.locator("tr", has=page.locator("div.src", has_text="s15-p1-n4 · lines 2199")).first
    assert energy.locator("td.diff").count() == 0
    # A contents list per ministry, with links to the sections.
    assert page.locator("nav li a").count() == 17
    # The switch hides rows and sections without differences.
    same_rows = page.locator("tr.same")
    assert same_rows.first.is_visible()
    page.locator("#only-diff").check()
    assert not same_rows.first.is_visible()
    assert page.locator("tr.diff").first.is_visible()
    page.close()


def test_page_has_part_headings_and_escapes_document_text(ru1157, kk1157, page_html):
    import copy

    # Part headings of the industry ministry's section, in both languages (Russian line 1582).
    assert "<tr class='part'><th colspan='8'>промышленность</th>" in page_html
    ru = copy.deepcopy(ru1157)
    ru.indicators[0].name = '<script>alert("x")</script> & co'
    page = render(align_records(ru, kk1157))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page
