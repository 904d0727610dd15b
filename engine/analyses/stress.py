"""A2 Stress test (SPEC §4 A2): the drawdown ladder, breaking points, scenario replay.

(a) The ladder, d = 0, step, …, 90%: every holding of a class with stress beta β is worth
    value × (1 − min(1, d·β)). Per secured loan: collateral C(d), LTV = L ÷ C(d), zone
    (Safe below freeze f; Frozen from f; Margin call from the call LTV; Liquidation from
    the liquidation LTV — a loan without a call stage goes Safe / Frozen / Liquidation),
    required cure R(d) = L − f·C(d) once LTV reaches the trigger (call, else liquidation).
    Per d: defense sources S(d) = orthogonal (cash above buffer + lines after their crisis
    cut) + unpledged_sales (unpledged assets at d less the selling cost), shortfall =
    max(0, ΣR − S), net worth
    = Σ values at d − loans, and liquidity: correlated = Σ secured headroom (shrinks with
    the collateral) against orthogonal = cash above buffer + lines after the cut (flat).
(b) Breaking points: the drawdown at which each loan reaches freeze, call and liquidation,
    solved on the collateral (not read off the ladder), and the defended breaking point
    = ``exposure.survivable_drawdown`` (the same function the A3 structure comparison uses).
(c) Scenario replay through the month step (``engine.analyses.replay``); with Return model
    = Historical also the three worst actual crashes of the mapped history
    (``engine.analyses.historical_crashes``).

All the static definitions live in ``engine.model.exposure``; this module only tabulates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from engine.analyses import historical_crashes, replay
from engine.analyses.balance_sheet import breaking_points
from engine.jsonable import jsonable
from engine.model import Inputs
from engine.model.exposure import Exposure, ladder_levels, zone


@dataclass(frozen=True)
class StressResult:
    currency: str
    step: float
    loan_names: tuple[str, ...]  # secured loans, in Inputs order
    ladder: pd.DataFrame  # per d: drawdown, total_assets, net_worth, required_cure,
    #                       unpledged_sales, defense_sources, shortfall, correlated, orthogonal
    ladder_loans: (
        pd.DataFrame
    )  # per d × loan: drawdown, loan, collateral_value, ltv, zone, cure_amount
    liquidity: pd.DataFrame  # drawdown, correlated, orthogonal (A3 reads this)
    breaking_points: pd.DataFrame  # per loan: ltv, thresholds, drawdown to each, cure at each
    defended_breaking_point: float
    scenarios: pd.DataFrame  # per Scenarios row: replay summary (replay.SUMMARY_COLUMNS)
    scenario_paths: pd.DataFrame  # long: scenario, month, ltv, zone, net_worth
    #: per loan: name, rate_type, balance, interest today and at +1 / +2 points (a year)
    rate_rise: pd.DataFrame
    #: Return model = Historical: the worst actual crashes of the mapped history replayed
    #: (``engine.analyses.historical_crashes``; replay.SUMMARY_COLUMNS); else empty. Their
    #: monthly paths are in ``scenario_paths`` with the Scenarios rows'.
    historical_crashes: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=replay.SUMMARY_COLUMNS)
    )

    @property
    def replays(self) -> pd.DataFrame:
        """The Scenarios rows, then the historical crashes (the sheet shows them together)."""
        if self.historical_crashes.empty:
            return self.scenarios
        if self.scenarios.empty:
            return self.historical_crashes
        return pd.concat([self.scenarios, self.historical_crashes], ignore_index=True)

    def ladder_wide(self) -> pd.DataFrame:
        """The ladder with LTV, zone and cure per loan as columns (for the sheet)."""
        wide = self.ladder.copy()
        for name in self.loan_names:
            rows = self.ladder_loans[self.ladder_loans["loan"] == name].reset_index(drop=True)
            wide[f"LTV {name}"] = rows["ltv"].to_numpy()
            wide[f"Zone {name}"] = rows["zone"].to_numpy()
            wide[f"Cure {name}"] = rows["cure_amount"].to_numpy()
        return wide


def no_secured_headroom(liquidity: pd.DataFrame) -> bool:
    """True when the secured headroom (correlated liquidity) is zero — under half a yen —
    at every ladder level: the secured loans are drawn to their limit or past freeze, so
    the correlated line of the liquidity charts lies on the axis and the sheets say why."""
    return not liquidity.empty and bool((liquidity["correlated"].abs() < 0.5).all())


def ladder(inputs: Inputs, exposure: Exposure) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The drawdown ladder: (per drawdown, per drawdown × secured loan)."""
    total_loans = inputs.total_loans
    orthogonal = exposure.orthogonal_liquidity()
    rows, loan_rows = [], []
    for d in ladder_levels(inputs.settings.stress_step):
        d = float(d)
        collateral, ltv = exposure.collateral(d), exposure.ltv(d)
        cure = exposure.required_cure(d)
        unpledged = exposure.unpledged_sale_value(d)
        sources = exposure.defense_sources(d)  # orthogonal + unpledged
        assets = float(exposure.values_at(d).sum())
        rows.append(
            {
                "drawdown": d,
                "total_assets": assets,
                "net_worth": assets - total_loans,
                "required_cure": float(cure.sum()),
                "unpledged_sales": unpledged,
                "defense_sources": sources,
                "shortfall": max(0.0, float(cure.sum()) - sources),
                "correlated": float(exposure.secured_headroom(d).sum()),
                "orthogonal": orthogonal,
            }
        )
        for i, name in enumerate(exposure.loan_names):
            call = exposure.call[i]
            loan_rows.append(
                {
                    "drawdown": d,
                    "loan": name,
                    "collateral_value": float(collateral[i]),
                    "ltv": float(ltv[i]),
                    "zone": zone(ltv[i], exposure.freeze[i], call, exposure.liquidation[i]),
                    "cure_amount": float(cure[i]),
                }
            )
    loan_columns = ["drawdown", "loan", "collateral_value", "ltv", "zone", "cure_amount"]
    return pd.DataFrame(rows), pd.DataFrame(loan_rows, columns=loan_columns)


#: Rate rises the Stress Test prices (percentage points on floating loans).
RATE_RISES = (0.01, 0.02)


def rate_rise(inputs: Inputs) -> pd.DataFrame:
    """A year's interest on today's balances now and with rates 1 and 2 points higher:
    floating loans pay the rise, fixed ones do not (SPEC §3 Floating rates)."""
    rows = []
    for loan in inputs.loans:
        floating = loan.rate_type == "Floating"
        row = {
            "name": loan.name,
            "rate_type": loan.rate_type,
            "balance": loan.balance,
            "interest": loan.balance * loan.interest_rate,
        }
        for rise in RATE_RISES:
            rate = loan.interest_rate + (rise if floating else 0.0)
            row[f"interest_plus_{round(rise * 100)}"] = loan.balance * rate
        rows.append(row)
    columns = ["name", "rate_type", "balance", "interest", "interest_plus_1", "interest_plus_2"]
    return pd.DataFrame(rows, columns=columns)


def analyse(inputs: Inputs, prior: Mapping[str, Any] | None = None, options=None) -> StressResult:
    """A2: ladder, breaking points, defended breaking point and scenario replay."""
    exposure = Exposure.from_inputs(inputs)
    steps, per_loan = ladder(inputs, exposure)
    summary, paths = replay.replay_all(inputs)
    crashes = pd.DataFrame(columns=replay.SUMMARY_COLUMNS)
    if inputs.settings.return_model == "Historical":
        crashes, crash_paths = historical_crashes.replay_crashes(inputs)
        paths = pd.concat([paths, crash_paths], ignore_index=True) if len(crash_paths) else paths
    return StressResult(
        currency=inputs.settings.base_currency,
        step=inputs.settings.stress_step,
        loan_names=exposure.loan_names,
        ladder=steps,
        ladder_loans=per_loan,
        liquidity=steps[["drawdown", "correlated", "orthogonal"]].copy(),
        breaking_points=breaking_points(exposure),
        defended_breaking_point=exposure.survivable_drawdown(),
        scenarios=summary,
        scenario_paths=paths,
        rate_rise=rate_rise(inputs),
        historical_crashes=crashes,
    )


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [jsonable({c: row[c] for c in columns}) for row in frame.to_dict("records")]


def to_json(result: StressResult) -> dict[str, Any]:
    """The SPEC §6 ``stress`` block (plus breaking points and replay details)."""
    ladder_json = []
    by_d = dict(tuple(result.ladder_loans.groupby("drawdown", sort=True)))
    for row in result.ladder.to_dict("records"):
        loans = by_d.get(row["drawdown"], result.ladder_loans.iloc[0:0])
        ladder_json.append(
            {
                **jsonable(row),
                "loans": [
                    jsonable(
                        {
                            "name": r["loan"],
                            "collateral_value": r["collateral_value"],
                            "ltv": r["ltv"],
                            "zone": r["zone"],
                            "cure_amount": r["cure_amount"],
                        }
                    )
                    for r in loans.to_dict("records")
                ],
            }
        )
    points = result.breaking_points.rename(columns={"loan": "name"})
    return {
        "step": result.step,
        "ladder": ladder_json,
        "defended_breaking_point": jsonable(result.defended_breaking_point),
        "breaking_points": _records(points, list(points.columns)),
        "scenarios": _records(result.scenarios, list(result.scenarios.columns)),
        "rate_rise": _records(result.rate_rise, list(result.rate_rise.columns)),
        # Return model = Historical: the worst actual crashes replayed (else empty)
        "historical_crashes": _records(
            result.historical_crashes, list(result.historical_crashes.columns)
        ),
    }
