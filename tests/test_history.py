"""The history store: upsert per portfolio and date, reading back, and files that fight back."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

from conftest import small_inputs

from engine.app import history
from engine.app.history import SCHEMA_VERSION, headline_figures, read_history, record_run

SUMMARY = {
    "paths": 200,
    "seed": 42,
    "balance_sheet": {
        "net_worth": 85e6,
        "total_assets": 135e6,
        "total_loans": 50e6,
        "funded_ratio": 1.4,
        "loans": [
            {"name": "SBL", "ltv": 0.4, "collateral_value": 125e6},
            {"name": "Line", "ltv": None},
        ],
    },
    "stress": {"defended_breaking_point": 0.5694},
    "snowball": {"years": [{"year": 1, "coverage": 0.8}], "crossover_year": 7},
    "monte_carlo": {"success_probability": 0.93},
    "dashboard": {"verdict": "Safe", "status": "green"},
}


def on(day: date, **kw):
    base = small_inputs(**kw)
    return replace(base, settings=replace(base.settings, valuation_date=day))


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_same_date_replaces_different_date_adds(tmp_path):
    db = tmp_path / "h" / "history.sqlite"
    assert record_run(db, on(date(2026, 1, 1)), SUMMARY) == []
    assert record_run(db, on(date(2026, 1, 1)), {**SUMMARY, "paths": 300}) == []
    assert count(db, "runs") == 1
    assert count(db, "holdings") == 3 and count(db, "loans") == 2  # one snapshot, not two
    assert record_run(db, on(date(2026, 2, 1)), SUMMARY) == []
    assert count(db, "runs") == 2 and count(db, "holdings") == 6

    rows = read_history(db, "Test")
    assert [r["valuation_date"] for r in rows] == [date(2026, 1, 1), date(2026, 2, 1)]
    assert rows[0]["paths"] == 300  # the re-run replaced the first snapshot
    assert rows[0]["net_worth"] == 85e6 and rows[0]["max_ltv"] == 0.4
    assert rows[0]["fire_probability"] == 0.93 and rows[0]["survivable_drawdown"] == 0.5694
    assert rows[0]["coverage"] == 0.8 and rows[0]["verdict"] == "Safe"


def test_read_history_filters_and_limits(tmp_path):
    db = tmp_path / "history.sqlite"
    for month in range(1, 6):
        record_run(db, on(date(2026, month, 1)), SUMMARY)
    record_run(db, on(date(2026, 3, 1), portfolio_name="Other"), SUMMARY)
    assert len(read_history(db, "Test")) == 5
    last_two = read_history(db, "Test", limit=2)
    assert [r["valuation_date"].month for r in last_two] == [4, 5]  # newest two, oldest first
    before = read_history(db, "Test", before=date(2026, 3, 1))
    assert [r["valuation_date"].month for r in before] == [1, 2]
    assert [r["portfolio"] for r in read_history(db, "Other")] == ["Other"]
    assert read_history(tmp_path / "missing.sqlite", "Test") == []
    assert not (tmp_path / "missing.sqlite").exists()  # reading never creates the file


def test_missing_analyses_leave_null_headlines(tmp_path):
    db = tmp_path / "history.sqlite"
    assert record_run(db, on(date(2026, 1, 1)), {"paths": 100, "seed": 1}) == []
    (row,) = read_history(db, "Test")
    assert row["net_worth"] is None and row["fire_probability"] is None
    figures = headline_figures(SUMMARY)
    assert figures["max_ltv"] == 0.4 and figures["total_loans"] == 50e6
    assert headline_figures({"balance_sheet": {"net_worth": float("nan")}})["net_worth"] is None


def _read_only_connect(real):
    def connect(db_path, read_only=False):
        return real(db_path, read_only=True)

    return connect


def test_read_only_history_is_a_warning(tmp_path, monkeypatch):
    db = tmp_path / "history.sqlite"
    record_run(db, on(date(2026, 1, 1)), SUMMARY)
    os.chmod(db, 0o444)
    if os.access(db, os.W_OK):  # root ignores file modes: open it read-only instead
        monkeypatch.setattr(history, "_connect", _read_only_connect(history._connect))
    warnings = record_run(db, on(date(2026, 2, 1)), SUMMARY)
    assert len(warnings) == 1 and "read-only" in warnings[0]
    os.chmod(db, 0o644)
    assert [r["valuation_date"] for r in read_history(db, "Test")] == [date(2026, 1, 1)]


def test_corrupt_history_is_a_warning_and_left_untouched(tmp_path):
    db = tmp_path / "history.sqlite"
    db.write_bytes(b"this is not a database, it is a shopping list\n" * 100)
    before = db.read_bytes()
    warnings = record_run(db, on(date(2026, 1, 1)), SUMMARY)
    assert len(warnings) == 1 and "not a valid history database" in warnings[0]
    read_warnings: list[str] = []
    assert read_history(db, "Test", warnings=read_warnings) == []
    assert len(read_warnings) == 1
    assert db.read_bytes() == before


def test_locked_history_is_a_warning(tmp_path, monkeypatch):
    db = tmp_path / "history.sqlite"
    record_run(db, on(date(2026, 1, 1)), SUMMARY)
    monkeypatch.setattr(history, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        warnings = record_run(db, on(date(2026, 2, 1)), SUMMARY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(warnings) == 1 and "locked" in warnings[0]
    assert count(db, "runs") == 1


def test_schema_is_versioned_and_newer_files_are_refused(tmp_path):
    db = tmp_path / "history.sqlite"
    record_run(db, on(date(2026, 1, 1)), SUMMARY)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    warnings = record_run(db, on(date(2026, 2, 1)), SUMMARY)
    assert len(warnings) == 1 and "newer engine" in warnings[0]
    read_warnings: list[str] = []
    assert read_history(db, "Test", warnings=read_warnings) == []
    assert "newer engine" in read_warnings[0]


def test_an_empty_sqlite_file_is_migrated(tmp_path):
    db = tmp_path / "history.sqlite"
    sqlite3.connect(db).close()  # an empty database: schema version 0
    assert read_history(db, "Test") == []
    assert record_run(db, on(date(2026, 1, 1)), SUMMARY) == []
    assert count(db, "runs") == 1


def test_unopenable_history_path_is_a_warning(tmp_path):
    db = tmp_path / "history.sqlite"
    db.mkdir()
    warnings = record_run(db, on(date(2026, 1, 1)), SUMMARY)
    assert len(warnings) == 1 and str(db) in warnings[0]


def test_a_what_if_copy_replacing_the_snapshot_is_named_in_a_warning(tmp_path):
    """SPEC §7 [v2]: a copy with the same Portfolio name and date still replaces the
    snapshot (one per portfolio and day), and the warning names both files."""
    db = tmp_path / "history.sqlite"
    real = replace(on(date(2026, 1, 1)), source_name="household.xlsx", source_sha256="a" * 64)
    what_if = replace(real, source_name="household what-if.xlsx", source_sha256="b" * 64)
    assert record_run(db, real, SUMMARY) == []
    edited = replace(real, source_sha256="c" * 64)  # the same file, edited and re-run
    assert record_run(db, edited, SUMMARY) == []
    [warning] = record_run(db, what_if, SUMMARY)
    assert "came from household.xlsx" in warning
    assert "replaced by this run of household what-if.xlsx" in warning
    assert "Record history to No" in warning
    assert count(db, "runs") == 1
