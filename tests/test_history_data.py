"""The bundled US stock series (engine/data) and its binary cache (SPEC §3 Historical)."""

from __future__ import annotations

import shutil
from datetime import date

import numpy as np
import pytest

from engine.model import history_data
from engine.model.history_data import US_STOCKS_CSV, cache_path, load, us_stocks


def test_the_bundled_series_ships_inside_the_package():
    assert US_STOCKS_CSV.is_file()
    assert (US_STOCKS_CSV.parent / "README.md").is_file()
    assert US_STOCKS_CSV.parent.parent.name == "engine"


def test_returns_are_the_ratios_of_consecutive_months():
    d = us_stocks()
    # first rows of the CSV: 1871-01 SP500 4.44, CPI 12.46; 1871-02 SP500 4.50, CPI 12.84,
    # dividend 0.26 a year
    assert d.first_month == date(1871, 2, 1) and d.last_month == date(2023, 6, 1)
    assert len(d.price_return) == 1829 == len(d.inflation) == len(d.dividend_yield)
    assert d.price_return[0] == pytest.approx(4.50 / 4.44 - 1)
    assert d.inflation[0] == pytest.approx(12.84 / 12.46 - 1)
    assert d.dividend_yield[0] == pytest.approx(0.26 / 4.50 / 12)
    assert np.all(np.diff(d.month) == 1)


def test_the_data_loads_from_the_cache_and_the_cache_follows_the_csv(tmp_path):
    csv = tmp_path / "us_stocks_monthly.csv"
    shutil.copy(US_STOCKS_CSV, csv)
    first = load(csv)
    assert first.loaded_from == "csv" and cache_path(csv).is_file()
    again = load(csv)
    assert again.loaded_from == "cache"
    np.testing.assert_array_equal(again.price, first.price)
    np.testing.assert_array_equal(again.month, first.month)
    assert again.sha256 == first.sha256

    # the CSV changes (a price doubled in the last row): the stale cache is not used
    lines = csv.read_text("utf-8").splitlines()
    cells = lines[-1].split(",")
    cells[1] = repr(2 * float(cells[1]))
    csv.write_text("\n".join([*lines[:-1], ",".join(cells)]) + "\n", "utf-8")
    changed = load(csv)
    assert changed.loaded_from == "csv" and changed.sha256 != first.sha256
    assert changed.price[-1] == pytest.approx(2 * first.price[-1])
    rebuilt = load(csv)
    assert rebuilt.loaded_from == "cache" and rebuilt.price[-1] == changed.price[-1]


def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path):
    csv = tmp_path / "us_stocks_monthly.csv"
    shutil.copy(US_STOCKS_CSV, csv)
    cache_path(csv).write_bytes(b"not a zip file")
    assert load(csv).loaded_from == "csv"
    assert load(csv).loaded_from == "cache"


def test_a_read_only_folder_parses_every_time_and_writes_nothing(tmp_path, monkeypatch):
    csv = tmp_path / "us_stocks_monthly.csv"
    shutil.copy(US_STOCKS_CSV, csv)

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(history_data.tempfile, "mkstemp", refuse)
    for _ in range(2):
        d = load(csv)
        assert d.loaded_from == "csv" and len(d.price_return) == 1829
    assert sorted(p.name for p in tmp_path.iterdir()) == [csv.name]
