"""A2 Stress test: the ladder, breaking points and the defended breaking point by hand,
invariants with Hypothesis, the JSON block and the sheet writer."""

from __future__ import annotations

import json
import math
import zipfile

import numpy as np
import openpyxl
import pytest
import xlsxwriter
from factories import cash, equity, line, make_inputs, secured_loan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.analyses import stress
from engine.report import stress as sheet
from engine.report.common import Formats, ReportContext

M = 1e6
NO_SCENARIOS = ()


def one_loan(call=0.70, extra=(), loans=(), **kw):
    """¥50M on ¥125M pledged domestic equity (beta 1)."""
    return make_inputs(
        holdings=(equity("Pledged", 125 * M, pledged_to="SBL"), *extra),
        loans=(secured_loan(call=call), *loans),
        scenario_rows=NO_SCENARIOS,
        **kw,
    )


def at(result, d, loan="SBL"):
    rows = result.ladder_loans
    return rows[(rows["loan"] == loan) & np.isclose(rows["drawdown"], d)].iloc[0]


def test_ladder_ltv_zone_and_cure_by_hand():
    r = stress.analyse(one_loan())
    assert r.ladder["drawdown"].tolist() == pytest.approx([0.05 * i for i in range(19)])
    assert at(r, 0.0)["ltv"] == pytest.approx(0.40)  # 50 / 125
    # d = 50%: C = 62.5, LTV = 0.80 (margin call), cure to 60% = 50 − 0.6 × 62.5 = 12.5
    row = at(r, 0.50)
    assert row["collateral_value"] == pytest.approx(62.5 * M)
    assert row["ltv"] == pytest.approx(0.80)
    assert row["zone"] == "Margin call"
    assert row["cure_amount"] == pytest.approx(12.5 * M)
    # zones: 50/87.5 = 57% safe; 50/81.25 = 62% frozen; 50/68.75 = 73% call; 50/56.25 = 89%
    assert [at(r, d)["zone"] for d in (0.30, 0.35, 0.45, 0.55)] == [
        "Safe",
        "Frozen",
        "Margin call",
        "Liquidation",
    ]
    assert at(r, 0.35)["cure_amount"] == 0.0  # frozen: nothing to cure yet


def test_breaking_points_by_hand():
    bp = stress.analyse(one_loan()).breaking_points.iloc[0]
    assert bp["drawdown_to_freeze"] == pytest.approx(1 - 0.40 / 0.60, abs=1e-6)  # 33.33%
    assert bp["drawdown_to_call"] == pytest.approx(1 - 0.40 / 0.70, abs=1e-6)  # 42.86%
    assert bp["drawdown_to_liquidation"] == pytest.approx(1 - 0.40 / 0.85, abs=1e-6)  # 52.94%


def test_loan_without_call_stage_goes_safe_frozen_liquidation():
    r = stress.analyse(one_loan(call=None))
    zones = r.ladder_loans["zone"].tolist()
    assert "Margin call" not in zones
    assert zones.index("Liquidation") > zones.index("Frozen") > 0
    # no cure is demanded while frozen below liquidation (50/62.5 = 80% < 85%)
    assert at(r, 0.50)["cure_amount"] == 0.0
    # at 55%: 50/56.25 = 88.9% ≥ 85% ⇒ cure 50 − 0.6 × 56.25 = 16.25
    assert at(r, 0.55)["cure_amount"] == pytest.approx(16.25 * M)


def test_spec_worked_example_survivable_drawdown():
    # no call stage, cash above buffer 9.52M, an 8M line, nothing unpledged:
    # stands until (50 − 17.52) / (125 (1 − d)) = 0.85  ⇒  d = 1 − 32.48 / 106.25 = 69.43%
    inputs = one_loan(call=None, extra=(cash(9.52 * M),), loans=(line(limit=8 * M),))
    r = stress.analyse(inputs)
    assert r.defended_breaking_point == pytest.approx(1 - 32.48 / 106.25, abs=1e-6)
    assert r.ladder["defense_sources"].iloc[0] == pytest.approx(17.52 * M)
    assert r.liquidity["orthogonal"].tolist() == pytest.approx([17.52 * M] * 19)


def mixed(balance=60 * M, call=0.70):
    """Pledged: domestic 60M (β 1), REIT 40M (β 1.2), bond 20M (β 0.1); unpledged domestic
    30M and NISA foreign 20M; cash 5M (buffer 0); a 10M line; selling cost 0.5%."""
    return make_inputs(
        holdings=(
            equity("Dom pledged", 60 * M, pledged_to="SBL"),
            equity("REIT pledged", 40 * M, cls="REIT", pledged_to="SBL"),
            equity("Bond pledged", 20 * M, cls="Bond", pledged_to="SBL"),
            equity("Dom free", 30 * M),
            equity("NISA fund", 20 * M, cls="Foreign equity", account="NISA"),
            cash(5 * M),
        ),
        loans=(secured_loan(balance=balance, call=call), line(limit=10 * M)),
        scenario_rows=NO_SCENARIOS,
        stress_step=0.01,
    )


def test_mixed_betas_and_partial_pledging_breaking_points():
    r = stress.analyse(mixed())
    # C(d) = 60(1 − d) + 40(1 − 1.2d) + 20(1 − 0.1d) = 120 − 110 d  (d ≤ 1/1.2)
    assert at(r, 0.0)["collateral_value"] == pytest.approx(120 * M)  # unpledged/NISA excluded
    bp = r.breaking_points.iloc[0]
    expected = {
        "freeze": (120 - 60 / 0.60) / 110,  # 18.18%
        "call": (120 - 60 / 0.70) / 110,  # 31.17%
        "liquidation": (120 - 60 / 0.85) / 110,  # 44.92%
    }
    for key, d_star in expected.items():
        assert bp[f"drawdown_to_{key}"] == pytest.approx(d_star, abs=1e-6)
        level = bp[f"{key}_ltv"]
        below = r.ladder_loans[r.ladder_loans["drawdown"] < d_star - 1e-9]["ltv"].iloc[-1]
        above = r.ladder_loans[r.ladder_loans["drawdown"] > d_star + 1e-9]["ltv"].iloc[0]
        assert below < level <= above  # the ladder's LTVs either side of the solved point


def test_breaking_point_past_the_kink_where_reits_are_gone():
    # loan 20M: liquidation needs C = 20/0.85 = 23.53; REITs hit zero at d = 1/1.2, after
    # which C(d) = 60(1 − d) + 20(1 − 0.1 d) = 80 − 62 d  ⇒  d = (80 − 23.53)/62 = 91.08%
    bp = stress.analyse(mixed(balance=20 * M)).breaking_points.iloc[0]
    assert bp["drawdown_to_liquidation"] == pytest.approx((80 - 20 / 0.85) / 62, abs=1e-6)


def test_mixed_defended_breaking_point_by_hand():
    # cure to freeze: 60 − 0.6 (120 − 110 d) ≤ 5 + 10 + 50 (1 − d)(1 − 0.005)
    # ⇒ 115.75 d ≤ 76.75  ⇒  d = 66.31% (past the call point 31.17%, before the kink)
    r = stress.analyse(mixed())
    assert r.defended_breaking_point == pytest.approx(76.75 / 115.75, abs=1e-6)
    # shortfall appears on the ladder exactly beyond it
    short = r.ladder.set_index("drawdown")["shortfall"]
    assert short[0.66] == 0.0 and short[0.67] > 0.0


def test_defense_sources_split_into_orthogonal_and_unpledged_by_hand():
    # mixed() at d = 50%: orthogonal = cash 5 + line 10 = 15 (flat); unpledged = domestic
    # 30 × 0.5 + NISA foreign (β 1) 20 × 0.5 = 25, less 0.5% selling cost = 24.875
    # C = 120 − 110 × 0.5 = 65, LTV 60/65 = 92% ⇒ cure 60 − 0.6 × 65 = 21 ≤ 39.875
    r = stress.analyse(mixed())
    step = r.ladder.set_index("drawdown").loc[0.5]
    assert step["orthogonal"] == pytest.approx(15 * M)
    assert step["unpledged_sales"] == pytest.approx(25 * M * 0.995)
    assert step["defense_sources"] == pytest.approx(15 * M + 24.875 * M)
    assert step["required_cure"] == pytest.approx(21 * M)
    assert step["shortfall"] == 0.0
    parts = r.ladder["orthogonal"] + r.ladder["unpledged_sales"]
    assert np.allclose(r.ladder["defense_sources"], parts, rtol=0, atol=1e-6)


def test_correlated_liquidity_shrinks_with_the_collateral():
    # limit 80, advance 60%: headroom = max(0, min(80, 75(1 − d), 75(1 − d)) − 50)
    inputs = make_inputs(
        holdings=(equity("Pledged", 125 * M, pledged_to="SBL"),),
        loans=(secured_loan(limit=80 * M),),
        scenario_rows=NO_SCENARIOS,
    )
    liq = stress.analyse(inputs).liquidity.set_index("drawdown")["correlated"]
    assert liq[0.0] == pytest.approx(25 * M)
    assert liq[0.2] == pytest.approx(10 * M)
    assert liq[0.35] == 0.0
    assert (np.diff(liq.to_numpy()) <= 1e-6).all()


CLASSES = ("Domestic equity", "Foreign equity", "REIT", "Bond")
holding = st.tuples(
    st.sampled_from(CLASSES), st.floats(1e6, 50e6), st.booleans(), st.booleans()
)  # class, value, pledged, NISA


def random_inputs(rows, balance, call, cash_amount, line_limit):
    holdings = []
    for i, (cls, value, pledged, nisa) in enumerate(rows):
        holdings.append(
            equity(
                f"H{i}",
                value,
                cls=cls,
                pledged_to="SBL" if pledged and not nisa else None,
                account="NISA" if nisa else "Taxable",
            )  # fmt: skip
        )
    holdings.append(cash(cash_amount))
    return make_inputs(
        holdings=holdings,
        loans=(secured_loan(balance=balance, call=call), line(limit=line_limit)),
        scenario_rows=NO_SCENARIOS,
    )


portfolio = dict(
    rows=st.lists(holding, min_size=1, max_size=5),
    balance=st.floats(1e6, 60e6),
    call=st.sampled_from([None, 0.70]),
    cash_amount=st.floats(0, 20e6),
    line_limit=st.floats(0, 20e6),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**portfolio)
def test_ltv_and_cure_never_fall_as_markets_fall(rows, balance, call, cash_amount, line_limit):
    r = stress.analyse(random_inputs(rows, balance, call, cash_amount, line_limit))
    ltv = r.ladder_loans["ltv"].to_numpy()
    cure = r.ladder_loans["cure_amount"].to_numpy()
    finite = np.isfinite(ltv)
    assert (np.diff(ltv[finite]) >= -1e-12).all()
    assert not np.any(finite[1:] > finite[:-1])  # once infinite, stays infinite
    assert (np.diff(cure) >= -1e-6).all()
    order = ["Safe", "Frozen", "Margin call", "Liquidation"]
    ranks = [order.index(z) for z in r.ladder_loans["zone"]]
    assert ranks == sorted(ranks)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**portfolio, more=st.floats(0, 30e6))
def test_a_larger_line_never_lowers_the_defended_breaking_point(
    rows, balance, call, cash_amount, line_limit, more
):
    small = stress.analyse(random_inputs(rows, balance, call, cash_amount, line_limit))
    large = stress.analyse(random_inputs(rows, balance, call, cash_amount, line_limit + more))
    assert large.defended_breaking_point >= small.defended_breaking_point - 1e-9


def test_json_block_is_strict_and_has_the_spec_keys():
    r = stress.analyse(one_loan(extra=(cash(5 * M),), loans=(line(),)))
    out = stress.to_json(r)
    json.dumps(out, allow_nan=False)
    step = out["ladder"][10]
    assert step["drawdown"] == pytest.approx(0.5)
    for key in ("drawdown", "net_worth", "required_cure", "defense_sources", "shortfall"):
        assert key in step
    assert step["loans"][0] == {
        "name": "SBL",
        "collateral_value": pytest.approx(62.5 * M),
        "ltv": pytest.approx(0.8),
        "zone": "Margin call",
        "cure_amount": pytest.approx(12.5 * M),
    }
    assert step["net_worth"] == pytest.approx(62.5 * M + 5 * M - 50 * M)
    assert 0 < out["defended_breaking_point"] < 1
    assert out["breaking_points"][0]["drawdown_to_call"] == pytest.approx(1 - 0.4 / 0.7, abs=1e-6)


def test_json_ltv_of_a_loan_with_no_collateral_left_is_null():
    inputs = make_inputs(
        holdings=(equity("REIT", 10 * M, cls="REIT", pledged_to="SBL"),),
        loans=(secured_loan(balance=2 * M),),
        scenario_rows=NO_SCENARIOS,
    )
    out = stress.to_json(stress.analyse(inputs))
    json.dumps(out, allow_nan=False)
    last = out["ladder"][-1]["loans"][0]  # REIT β 1.2 at 90%: gone
    assert last["ltv"] is None and last["zone"] == "Liquidation"


def _write(tmp_path, result):
    path = tmp_path / "stress.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ctx = ReportContext(
        book, Formats(book, "JPY"), "JPY", {"stress": result},
        data_ws=book.add_worksheet("_chart_data"),
    )  # fmt: skip
    sheet.write(book.add_worksheet("Stress Test"), result, ctx)
    book.close()
    return path, ctx


def test_sheet_writes_publishes_refs_and_reloads(tmp_path):
    inputs = make_inputs(
        holdings=(equity("Pledged", 125 * M, pledged_to="SBL"), cash(10 * M)),
        loans=(secured_loan(), line()),
    )
    path, ctx = _write(tmp_path, stress.analyse(inputs))
    for key in ("stress.drawdown", "stress.liquidity_correlated", "stress.liquidity_orthogonal"):
        assert ctx.refs[key].sheet == "Stress Test"
    ref = ctx.refs["stress.ltv.SBL"]
    assert ref.last_row - ref.first_row + 1 == 19
    wb = openpyxl.load_workbook(path)
    ws = wb["Stress Test"]
    # openpyxl is 1-based: row first_row + 1 is d = 0, so d = 50% is 10 rows further
    assert ws.cell(ref.first_row + 11, ref.col + 1).value == pytest.approx(0.8)
    text = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"Safe", "Frozen", "Margin call", "Liquidation"} <= text
    assert any(t.startswith("Defended breaking point:") for t in text)
    assert len(ws.conditional_formatting) >= 1
    numbers = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert all(math.isfinite(v) for v in numbers)
    with zipfile.ZipFile(path) as z:
        assert len([n for n in z.namelist() if n.startswith("xl/charts/chart")]) == 4


def _texts(path):
    ws = openpyxl.load_workbook(path)["Stress Test"]
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.mark.parametrize("limit", [50 * M, 80 * M])
def test_sheet_explains_a_flat_zero_secured_headroom(tmp_path, limit):
    # drawn to its limit (50M): no headroom at any fall, and the sheet says why;
    # with an 80M limit the correlated line starts at min(80, 75) − 50 = 25M: no note
    inputs = make_inputs(
        holdings=(equity("Pledged", 125 * M, pledged_to="SBL"), cash(5 * M)),
        loans=(secured_loan(limit=limit), line()),
        scenario_rows=NO_SCENARIOS,
    )
    r = stress.analyse(inputs)
    path, _ = _write(tmp_path, r)
    texts = _texts(path)
    noted = any(t.startswith("Secured headroom is 0 at every market fall") for t in texts)
    assert noted == (limit == 50 * M)
    assert r.liquidity["correlated"].iloc[0] == pytest.approx(max(0.0, min(limit, 75 * M) - 50 * M))
    headers = set(texts)
    assert {"Cash + lines after cut (orthogonal)", "Unpledged assets sold (net)",
            "Defense sources (total)", "Shortfall"} <= headers  # fmt: skip


def test_sheet_without_secured_loans_or_scenarios(tmp_path):
    inputs = make_inputs(holdings=(cash(1 * M),), scenario_rows=NO_SCENARIOS)
    path, ctx = _write(tmp_path, stress.analyse(inputs))
    assert "stress.liquidity_orthogonal" in ctx.refs
    assert openpyxl.load_workbook(path)["Stress Test"]["A1"].value == "Stress Test"


def test_user_text_in_chart_series_names_stays_text(tmp_path):
    from engine.model import Scenario

    name = '=HYPERLINK("http://x","y")'
    inputs = make_inputs(
        holdings=(equity("Pledged", 125 * M, pledged_to="SBL"),),
        loans=(secured_loan(),),
        scenario_rows=(Scenario(name, 0.3, 2, months_to_recover=3),),
    )
    path, _ = _write(tmp_path, stress.analyse(inputs))
    ws = openpyxl.load_workbook(path)["Stress Test"]
    assert name in {c.value for row in ws.iter_rows() for c in row}
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert not any("<c:f>HYPERLINK" in c or "<c:f>=HYPERLINK" in c for c in charts)


def test_example_workbook_end_to_end():
    from conftest import EXAMPLE, reader_available

    if not EXAMPLE.exists() or not reader_available():
        pytest.skip("the example workbook has not landed yet")
    from engine.analyses import balance_sheet
    from engine.io.reader import read_workbook
    from engine.model.exposure import survivable_drawdown

    inputs = read_workbook(EXAMPLE)
    r = stress.analyse(inputs, {"balance_sheet": balance_sheet.analyse(inputs)})
    assert r.defended_breaking_point == survivable_drawdown(inputs)
    assert r.scenarios["name"].tolist() == [s.name for s in inputs.scenarios]
    for bp in r.breaking_points.to_dict("records"):
        rows = r.ladder_loans[r.ladder_loans["loan"] == bp["loan"]]
        for key in ("freeze", "call", "liquidation"):
            d_star, level = bp[f"drawdown_to_{key}"], bp[f"{key}_ltv"]
            if not np.isfinite(d_star):
                continue
            assert (rows[rows["drawdown"] < d_star - 1e-9]["ltv"] < level).all()
            assert (rows[rows["drawdown"] > d_star + 1e-9]["ltv"] >= level).all()
    json.dumps(stress.to_json(r), allow_nan=False)


def test_example_breaking_points_by_hand():
    """The example's headline figures (quoted in the issue's closing note), by hand."""
    from conftest import EXAMPLE

    from engine.analyses import balance_sheet
    from engine.io.reader import read_workbook

    inputs = read_workbook(EXAMPLE)
    # pledged: nine Taxable domestic holdings (KDDI is in NISA) 101.25M + the USD ETF 3.75M
    # = C 105M, all β 1; L 50M ⇒ LTV 47.62%; d_t = 1 − LTV/t
    ltv = 50 / 105
    (row,) = (
        balance_sheet.analyse(inputs).loans.query("type == 'Securities-backed'").to_dict("records")
    )
    assert row["collateral_value"] == pytest.approx(105 * M)
    assert row["ltv"] == pytest.approx(ltv)
    for key, level in (("freeze", 0.60), ("call", 0.70), ("liquidation", 0.85)):
        assert row[f"drawdown_to_{key}"] == pytest.approx(1 - ltv / level, abs=1e-6)
    # 20.63%, 31.97%, 43.98%
    # defended: call stage ⇒ cure to freeze from cash above buffer 10 − 6 × 0.08 = 9.52,
    # the 8M line and the NISA holdings 20M × (1 − d) less 0.5%:
    # 50 − 0.6 × 105 (1 − d) ≤ 17.52 + 19.9 (1 − d)  ⇒  d = 1 − 32.48 / 82.9 = 60.82%
    r = stress.analyse(inputs)
    assert r.defended_breaking_point == pytest.approx(1 - 32.48 / 82.9, abs=1e-6)
    assert r.ladder["orthogonal"].iloc[0] == pytest.approx(17.52 * M)
    assert r.ladder["unpledged_sales"].iloc[0] == pytest.approx(19.9 * M)
