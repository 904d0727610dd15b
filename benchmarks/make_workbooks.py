"""Generated input workbooks for the scale benchmarks (SPEC §9); nothing here is committed.

    python -m benchmarks.make_workbooks DIR            # large.xlsx + batch/ (20 workbooks)
    python -m benchmarks.make_workbooks DIR --holdings 5000 --loans 40 --batch 0

- ``large.xlsx``: a household with 2,000 holdings and 20 loans (12 securities-backed
  lenders with different rules, 5 unsecured standby lines, 3 amortizing loans), three
  currencies, every dividend policy, NISA and taxable accounts. Built with the same
  writer as the template, so the reader sees what a user's workbook looks like.
- ``batch/household NN.xlsx``: 20 example-sized households (the example's structure,
  each with its own name, seed and quantities), for the ``--jobs`` throughput figure.

Deterministic: the same arguments give the same workbooks.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.io import example  # noqa: E402
from engine.io.template import build_workbook  # noqa: E402

CLASSES = ("Domestic equity", "Foreign equity", "REIT", "Bond")
FX_ROWS = [
    {"Currency": "USD", "Rate": 150.0, "Volatility": 0.10, "Expected change": 0.0},
    {"Currency": "EUR", "Rate": 160.0, "Volatility": 0.09, "Expected change": 0.0},
]
N_SECURED, N_LINES = 12, 5  # the rest of the loans are amortizing


def _loans(n_loans: int, rng: random.Random) -> list[dict[str, Any]]:
    loans = []
    for i in range(n_loans):
        if i < N_SECURED:
            freeze = rng.choice((0.55, 0.60, 0.65))
            loans.append({
                "Name": f"Securities-backed loan {i + 1:02d}",
                "Type": "Securities-backed",
                "Balance": rng.randrange(5, 40) * 1_000_000,
                "Limit": 60_000_000,
                "Interest rate": rng.choice((0.012, 0.015, 0.02)),
                "Freeze LTV": freeze,
                "Margin call LTV": None if i % 3 == 0 else freeze + 0.10,
                "Liquidation LTV": 0.85,
                "Forced sale": "All" if i % 4 == 0 else "To freeze",
            })  # fmt: skip
        elif i < N_SECURED + N_LINES:
            loans.append({
                "Name": f"Standby line {i - N_SECURED + 1:02d}",
                "Type": "Unsecured line",
                "Balance": 0,
                "Limit": rng.randrange(3, 10) * 1_000_000,
                "Interest rate": 0.03,
                "Commitment fee": 0.0025,
                "Crisis limit cut": rng.choice((0.0, 0.25, 0.5)),
            })  # fmt: skip
        else:
            loans.append({
                "Name": f"Amortizing loan {i - N_SECURED - N_LINES + 1:02d}",
                "Type": "Amortizing",
                "Balance": rng.randrange(10, 30) * 1_000_000,
                "Interest rate": 0.009,
                "Monthly payment": 100_000,
            })  # fmt: skip
    return loans


def _holding(i: int, rng: random.Random, secured: list[str]) -> dict[str, Any]:
    asset_class = CLASSES[i % len(CLASSES)]
    currency = (
        "JPY"
        if asset_class in ("Domestic equity", "REIT")
        else rng.choice(("JPY", "USD", "USD", "EUR"))
    )
    price = round(rng.uniform(500, 8_000)) if currency == "JPY" else round(rng.uniform(20, 400), 2)
    value_jpy = rng.uniform(1.0, 4.0) * 1_000_000  # ¥1–4M a line: ¥5bn in all
    fx = {"JPY": 1.0, "USD": 150.0, "EUR": 160.0}[currency]
    quantity = max(1, round(value_jpy / (price * fx)))
    nisa = i % 10 == 0
    policy = ("DOE", "Progressive", "Payout", "Fixed", "None")[i % 5]
    if asset_class == "Bond":
        policy = "Fixed"
    dps = 0.0 if policy == "None" else round(price * rng.uniform(0.01, 0.045), 2)
    bvps = round(price * rng.uniform(0.5, 1.2), 2)
    return {
        "Name": f"Holding {i + 1:04d}",
        "Ticker": f"T{i + 1:04d}",
        "Asset class": asset_class,
        "Currency": currency,
        "Quantity": quantity,
        "Price": price,
        "Account": "NISA" if nisa else "Taxable",
        "Pledged to": None if nisa or i % 3 == 2 else secured[(i // 3) % len(secured)],
        "Role": "Core" if i % 4 else "Satellite",
        "Dividend per share": dps,
        "Dividend policy": policy,
        "Book value per share": bvps if policy in ("DOE", "Payout") else None,
        "DOE": 0.04 if policy == "DOE" else None,
        "ROE": rng.choice((0.08, 0.10, 0.12)) if policy in ("DOE", "Payout") else None,
        "Payout ratio": 0.4 if policy == "Payout" else None,
        "Dividend growth": 0.03 if policy in ("Progressive", "Fixed") else 0.0,
        "Withholding": 0.10 if currency != "JPY" else 0.0,
    }


def write_large(path: Path, n_holdings: int = 2_000, n_loans: int = 20, seed: int = 9) -> Path:
    """A household with ``n_holdings`` holdings and ``n_loans`` loans (the example's
    settings and cash flows scaled up to a ¥5bn portfolio)."""
    rng = random.Random(seed)
    loans = _loans(n_loans, rng)
    secured = [loan["Name"] for loan in loans if loan["Type"] == "Securities-backed"]
    holdings = [_holding(i, rng, secured) for i in range(n_holdings - 1)]
    holdings.append({
        "Name": "Cash (yen deposits)", "Asset class": "Cash", "Currency": "JPY",
        "Quantity": 200_000_000, "Price": 1, "Dividend policy": "None",
    })  # fmt: skip
    cashflows = [dict(row) for row in example.cashflows()]
    for row in cashflows:
        row["Amount"] *= 20  # a household that size spends and earns more
    settings = dict(example.SETTINGS, **{"Portfolio name": f"Large household ({n_holdings:,})"})
    build_workbook(
        path,
        settings=settings,
        rows={"Holdings": holdings, "FX": FX_ROWS, "Loans": loans, "Cashflows": cashflows},
        title="Personal ALM input workbook — generated large household (benchmark)",
    )
    return path


def write_batch(folder: Path, count: int = 20) -> list[Path]:
    """``count`` example-sized households: the example with its own name, seed and sizes."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for k in range(count):
        rng = random.Random(1_000 + k)
        holdings = [dict(h) for h in example.holdings()]
        for h in holdings:
            h["Quantity"] = max(1, round(h["Quantity"] * rng.uniform(0.7, 1.3)))
        settings = dict(
            example.SETTINGS,
            **{"Portfolio name": f"Household {k + 1:02d}", "Random seed": 42 + k},
        )
        path = folder / f"household {k + 1:02d}.xlsx"
        build_workbook(
            path,
            settings=settings,
            rows={
                "Holdings": holdings,
                "FX": example.fx(),
                "Loans": example.loans(),
                "Cashflows": example.cashflows(),
            },
            title="Personal ALM input workbook — generated household (benchmark)",
        )
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write (e.g. a temporary folder)")
    parser.add_argument("--holdings", type=int, default=2_000)
    parser.add_argument("--loans", type=int, default=20)
    parser.add_argument("--batch", type=int, default=20, help="example-sized workbooks (0: none)")
    args = parser.parse_args(argv)
    large = write_large(args.folder / "large.xlsx", args.holdings, args.loans)
    print(f"Wrote {large} ({args.holdings:,} holdings, {args.loans} loans)")
    if args.batch:
        batch = write_batch(args.folder / "batch", args.batch)
        print(f"Wrote {len(batch)} workbooks in {args.folder / 'batch'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
