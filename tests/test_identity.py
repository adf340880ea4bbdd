"""Stable KPI ids across the catalogue: Order 124 -> Resolution 1157, Kazakh <-> Russian."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from legalkpi.catalogue import catalog as cat
from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.comparing import identity

K124 = "kz/order/124@2024-10-24/kk"
K1157 = "kz/resolution/1157/kk"
R1157 = "kz/resolution/1157/ru"


@pytest.fixture(scope="module")
def built():
    catalog = cat.build(corpus_mod.load(CORPUS))
    evidence = identity.assign_kpi_ids(catalog)
    return catalog, evidence


def kpi(catalog, key: str, ident: str) -> str:
    v = catalog.version(key)
    assert v is not None
    return v.kpi_ids[ident]


def test_an_indicator_keeps_its_id_from_124_to_1157_in_both_languages(built):
    catalog, evidence = built
    # Fault tolerance of information systems: row 2 of the general block in all three texts.
    assert kpi(catalog, K124, "s0-p1-n2") == "kpi:general:124-s0-n2"
    assert kpi(catalog, K1157, "s0-p1-n2") == kpi(catalog, R1157, "s0-p1-n2") == "kpi:general:124-s0-n2"
    assert evidence[K1157]["s0-p1-n2"] == f"name {K124}"
    # 124's "11. Өнеркәсіп" row 1 (industrial IoT) is row 1 of part 2 of 1157's section 10.
    iiot = kpi(catalog, K124, "s11-p1-n1")
    assert iiot == "kpi:industry:124-s11-n1"
    assert kpi(catalog, K1157, "s10-p2-n1") == kpi(catalog, R1157, "s10-p2-n1") == iiot


def test_new_indicators_are_minted_in_1157_and_shared_by_its_translation(built):
    catalog, evidence = built
    # The real-estate cadastre row is new in 1157 (agriculture, row 1).
    assert kpi(catalog, K1157, "s1-p1-n1") == kpi(catalog, R1157, "s1-p1-n1") == "kpi:agriculture:1157-s1-n1"
    assert evidence[K1157]["s1-p1-n1"] == identity.MINTED


def test_dropped_indicators_do_not_reach_1157(built):
    catalog, _ = built
    trade_124 = {kpi(catalog, K124, f"s13-p1-n{n}") for n in (1, 2, 3)}
    assert not trade_124 & set(catalog.version(K1157).kpi_ids.values())


def test_ids_are_unique_within_a_version(built):
    catalog, _ = built
    for v in catalog.versions:
        assert len(set(v.kpi_ids.values())) == len(v.indicators), v.key


def test_ids_are_deterministic(built):
    catalog, _ = built
    again = cat.build(corpus_mod.load(CORPUS))
    identity.assign_kpi_ids(again)
    assert [v.kpi_ids for v in again.versions] == [v.kpi_ids for v in catalog.versions]


def test_without_the_aligner_translations_pair_by_position_and_say_so(monkeypatch):
    catalog = cat.build(corpus_mod.load(CORPUS))
    monkeypatch.setattr(identity, "_aligner", lambda: None)
    evidence = identity.assign_kpi_ids(catalog)
    assert evidence[R1157]["s0-p1-n2"] == f"{identity.BY_POSITION} {K1157}"
    assert kpi(catalog, R1157, "s10-p2-n1") == kpi(catalog, K124, "s11-p1-n1")


R2023 = "kz/report/2024q1/ru"


def test_the_2023_report_set_links_to_124_and_1157(built):
    catalog, _ = built
    # Report lines 133-141: "Доля уголовных и административных правонарушений в общественных местах,
    # выявленных с помощью камер видеонаблюдения" (2023); 124's "15. Қауіпсіздік" row 2 (lines
    # 1240-1257) and 1157's Interior row 3 (Russian lines 1955-1974, Kazakh 257-259) say the same.
    cameras = kpi(catalog, K124, "s15-p1-n2")
    assert kpi(catalog, R2023, "s1-p1-n1") == cameras
    assert kpi(catalog, K1157, "s13-p1-n3") == kpi(catalog, R1157, "s13-p1-n3") == cameras


def test_rows_that_cannot_be_linked_say_why(built):
    catalog, evidence = built
    # 124's trade rows (ӘМАТ tracking, accreditation, verification certificates) are gone from 1157.
    for n in (1, 2, 3):
        why = evidence[K124][f"s13-p1-n{n}"]
        assert why.startswith(f"{identity.MINTED}; {identity.NOT_LINKED}: no counterpart in ")
        assert K1157 in why and R1157 in why and R2023 in why
    s = identity.summary(catalog)
    listed = {(u["version"], u["id"]) for u in s["unlinked"]}
    assert {(K124, "s13-p1-n1"), (K124, "s13-p1-n2"), (K124, "s13-p1-n3")} <= listed
    assert (K1157, "s0-p1-n2") not in listed
    # An id spans more than one act when 124 and 1157 (or the report) share it: the cameras row does.
    assert s["multi_act"] >= 1 and s["ids"] == len({k for v in catalog.versions for k in v.kpi_ids.values()})


def test_each_version_is_compared_with_a_bounded_number_of_others(monkeypatch):
    """Linear cost: N editions of one act cost at most a few comparisons each, not N."""
    import copy

    catalog = cat.build(corpus_mod.load(CORPUS))
    base = [v for v in catalog.versions if v.act.ref.work == "kz/resolution/1157"]
    versions = [catalog.versions[0], catalog.versions[1]]
    for k in range(12):
        for v in base:
            e = copy.copy(v)
            e.act = copy.copy(v.act)
            e.act.edition = f"2025-{k + 1:02d}-01"
            e.key = e.act.ref.key
            versions.append(e)
    catalog.versions = versions
    calls = []
    monkeypatch.setattr(identity, "_pairs", lambda how, old, new, aligner, cache: calls.append(how) or [])
    identity.assign_kpi_ids(catalog)
    # 26 versions: each edition meets its translation and the edition before it; the first ones
    # also meet their lineage predecessor (124) and the report set.
    assert len(calls) <= 3 * len(versions)


def test_ids_command_lists_unlinked_rows_with_the_reason(built, tmp_path):
    import json

    from typer.testing import CliRunner

    from legalkpi.cli import app

    catalog, _ = built
    cat.write_json(catalog, tmp_path / "catalog.json")
    res = CliRunner().invoke(app, ["ids", "--catalog", str(tmp_path / "catalog.json"), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data == json.loads(json.dumps(identity.summary(catalog)))
    trade = next(u for u in data["unlinked"] if u["version"] == K124 and u["id"] == "s13-p1-n1")
    assert trade["reason"].startswith("no counterpart in ")
    missing = CliRunner().invoke(app, ["ids", "--catalog", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "no catalogue" in missing.stderr


def test_comparisons_in_processes_give_the_same_ids(built, monkeypatch):
    catalog, evidence = built
    again = cat.build(corpus_mod.load(CORPUS))
    monkeypatch.setattr(identity, "MIN_PARALLEL", 1)
    calls = []
    real = identity._in_processes
    monkeypatch.setattr(identity, "_in_processes", lambda *a: calls.append(dict(got := real(*a))) or got)
    assert identity.assign_kpi_ids(again, jobs=2) == evidence
    assert calls and len(calls[0]) == 6  # every comparison's pairs came from the worker processes
    assert [v.kpi_ids for v in again.versions] == [v.kpi_ids for v in catalog.versions]
