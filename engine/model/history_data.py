"""The bundled history: US stocks, monthly, 1871–2023 (``engine/data``; SPEC §3).

``us_stocks()`` returns the S&P Composite series the Historical return model calls
``US stocks``: Robert Shiller's data set (the book *Irrational Exuberance*) as tidied by
the ``datasets/s-and-p-500`` repository, dedicated to the public domain under the ODC
Public Domain Dedication and License (PDDL 1.0). From each month's row:

    price return   r_t = SP500_t / SP500_{t−1} − 1
    inflation      i_t = CPI_t / CPI_{t−1} − 1            (monthly)
    dividend yield y_t = Dividend_t / SP500_t / 12         (a month)

so the first month with returns is February 1871. The Historical model uses the price
returns and the inflation; the dividend yield is kept for reference (the Trinity
comparison in the tests adds it to show what dividends are worth) but never drives the
model: dividends come from each holding's policy (SPEC §3), as in the lognormal model.

Loading. The CSV (≈120 kB) is parsed once per process. Beside it a binary cache,
``us_stocks_monthly.npz``, holds the parsed columns and the SHA-256 of the CSV it came
from; it is used when that hash matches the CSV's and rebuilt (written to a temporary
file in the same folder, then renamed) when it does not. The cache is only ever written
inside the package's data folder; where that folder is read-only every process parses
the CSV (a few milliseconds more).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
US_STOCKS_CSV = DATA_DIR / "us_stocks_monthly.csv"
#: Bump when the cache's layout changes: an old cache is then rebuilt.
CACHE_FORMAT = 1

SOURCE = (
    "US stocks: S&P Composite index, monthly, from Robert Shiller's public data set (book "
    "Irrational Exuberance), as tidied by the datasets/s-and-p-500 repository and dedicated "
    "to the public domain under the ODC Public Domain Dedication and License (PDDL 1.0)."
)
CAVEATS = (
    "The index level is a monthly average of daily closes, which smooths month-to-month moves: "
    "a crash inside a month shows partly in two months, and monthly volatility is understated.",
    "Dividends before 1926 are interpolated from annual figures; CPI before 1913 is spliced to "
    "the Warren–Pearson index.",
    "The model uses the price index only (dividends excluded): each holding's dividends come "
    "from its own policy, as in the lognormal model.",
    "One country's stock market over one century and a half, in US dollars: a good record of "
    "crashes and recoveries, not a forecast for other markets or currencies.",
)


def month_index(d: date) -> int:
    """Months since year 0: year × 12 + month − 1 (consecutive months differ by 1)."""
    return d.year * 12 + d.month - 1


def month_of(index: int) -> date:
    """The first day of the month ``index`` (the inverse of ``month_index``)."""
    return date(int(index) // 12, int(index) % 12 + 1, 1)


def month_label(index: int) -> str:
    """``YYYY-MM`` of a month index."""
    return f"{int(index) // 12:04d}-{int(index) % 12 + 1:02d}"


@dataclass(frozen=True, eq=False)
class UsStocks:
    """The bundled monthly series (module docstring). Index levels per month, and the
    returns between consecutive months (one fewer)."""

    month: np.ndarray  # (M,) month index (``month_index``) of each row
    price: np.ndarray  # (M,) SP500: the month's average of daily closes
    dividend: np.ndarray  # (M,) dividends per index unit, annual rate
    cpi: np.ndarray  # (M,) consumer price index
    sha256: str = ""  # of the CSV the numbers came from
    loaded_from: str = field(default="csv", compare=False)  # "csv" or "cache"

    @property
    def return_months(self) -> np.ndarray:
        """The month of each return (the month it ends in): February 1871 onwards."""
        return self.month[1:]

    @property
    def price_return(self) -> np.ndarray:
        return self.price[1:] / self.price[:-1] - 1.0

    @property
    def inflation(self) -> np.ndarray:
        """Monthly CPI change, CPI_t / CPI_{t−1} − 1."""
        return self.cpi[1:] / self.cpi[:-1] - 1.0

    @property
    def dividend_yield(self) -> np.ndarray:
        """Dividend_t / SP500_t / 12 for each return month (a month's yield)."""
        return self.dividend[1:] / self.price[1:] / 12.0

    @property
    def first_month(self) -> date:
        return month_of(self.return_months[0])

    @property
    def last_month(self) -> date:
        return month_of(self.return_months[-1])


def parse_csv(text: str) -> dict[str, np.ndarray]:
    """The columns the engine uses, from the CSV's text (Date, SP500, Dividend, CPI)."""
    lines = text.splitlines()
    header = [h.strip() for h in lines[0].split(",")]
    want = {"Date": "month", "SP500": "price", "Dividend": "dividend"}
    want["Consumer Price Index"] = "cpi"
    cols = {name: header.index(name) for name in want}
    out: dict[str, list] = {key: [] for key in want.values()}
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = line.split(",")
        year, month = cells[cols["Date"]].strip()[:7].split("-")
        out["month"].append(int(year) * 12 + int(month) - 1)
        for name in ("SP500", "Dividend", "Consumer Price Index"):
            out[want[name]].append(float(cells[cols[name]]))
    arrays = {
        "month": np.array(out["month"], dtype=np.int64),
        **{k: np.array(out[k], dtype=float) for k in ("price", "dividend", "cpi")},
    }
    if np.any(np.diff(arrays["month"]) != 1):
        raise ValueError(f"{US_STOCKS_CSV.name}: months are not consecutive")
    if np.any(arrays["price"] <= 0) or np.any(arrays["cpi"] <= 0):
        raise ValueError(f"{US_STOCKS_CSV.name}: a price or CPI is not positive")
    return arrays


def cache_path(csv_path: Path) -> Path:
    return Path(csv_path).with_suffix(".npz")


def load(csv_path: Path = US_STOCKS_CSV) -> UsStocks:
    """The series in ``csv_path``, from its binary cache when the cache matches the CSV's
    SHA-256, else parsed (and the cache rebuilt, if the folder is writable)."""
    csv_path = Path(csv_path)
    raw = csv_path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    cache = cache_path(csv_path)
    arrays = _read_cache(cache, digest)
    if arrays is not None:
        return UsStocks(**arrays, sha256=digest, loaded_from="cache")
    arrays = parse_csv(raw.decode("utf-8"))
    _write_cache(cache, digest, arrays)
    return UsStocks(**arrays, sha256=digest, loaded_from="csv")


@lru_cache(maxsize=1)
def us_stocks() -> UsStocks:
    """The bundled series, loaded once per process."""
    return load(US_STOCKS_CSV)


def _read_cache(cache: Path, digest: str) -> dict[str, np.ndarray] | None:
    try:
        with np.load(cache, allow_pickle=False) as z:
            if str(z["sha256"]) != digest or int(z["format"]) != CACHE_FORMAT:
                return None
            return {k: z[k].copy() for k in ("month", "price", "dividend", "cpi")}
    except (OSError, KeyError, ValueError):
        return None  # absent, unreadable or from another layout: parse the CSV


def _write_cache(cache: Path, digest: str, arrays: dict[str, np.ndarray]) -> None:
    """Write the cache beside the CSV, atomically; skip quietly where the folder is
    read-only (an installed package in a system location)."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".npz", dir=cache.parent)
        with os.fdopen(fd, "wb") as f:
            np.savez(f, sha256=np.array(digest), format=np.array(CACHE_FORMAT), **arrays)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o644 & ~umask)  # mkstemp makes 0o600; others may read the cache
        os.replace(tmp, cache)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None and os.path.exists(tmp):
            try:
                os.remove(tmp)
            except OSError:
                pass
