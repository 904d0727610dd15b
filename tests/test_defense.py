"""A3 structure comparison, recommended line, JSON block and the Defense sheet."""

from __future__ import annotations

import json
import math
import zipfile

import openpyxl
import pytest
import xlsxwriter
from conftest import EXAMPLE
from factories import cash, equity, line, make_inputs, secured_loan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.analyses import defense
from engine.analyses.defense import (
    DEFAULT_COMMITMENT_FEE,
    compare_structures,
    line_template,
    recommended_line_limit,
    with_line_limit,
)
from engine.model.exposure import Exposure, ladder_levels, survivable_drawdown
from engine.report import defense as defense_sheet
from engine.report.common import Formats, ReportContext

M = 1e6


def hand_case(call=None, lines=None, **kw):
    """SPEC §4 worked example: ¥50M on ¥125M, freeze 60%, liquidation 85%, an ¥8M line
    (fee 0.5%), cash above buffer ¥9.52M, nothing unpledged."""
    return make_inputs(
        holdings=(equity("Pledged equity", 125 * M, pledged_to="SBL"), cash(9.52 * M)),
        loans=(
            secured_loan(balance=50 * M, freeze=0.60, call=call, liq=0.85),
            *((line(limit=8 * M, fee=0.005),) if lines is None else lines),
        ),
        **kw,
    )


def by_key(structures):
    return {row["key"]: row for row in structures.to_dict("records")}


# ------------------------------------------------------------------ known answers
def test_structures_of_the_hand_case():
    rows = by_key(compare_structures(hand_case())[0])
    # Standing below 85% with sources S: 50 − S ≤ 0.85·125·(1 − d).
    assert rows["current"]["survivable_drawdown"] == pytest.approx(
        1 - (50 - 17.52) / 106.25, abs=1e-6
    )
    assert rows["no_line"]["survivable_drawdown"] == pytest.approx(
        1 - (50 - 9.52) / 106.25, abs=1e-6
    )
    # The ¥8M moved onto the secured loan (limit 58M) defends nothing: same as no line.
    assert rows["correlated"]["secured_limit"] == 58 * M and rows["correlated"]["line_limit"] == 0
    assert rows["correlated"]["survivable_drawdown"] == pytest.approx(
        rows["no_line"]["survivable_drawdown"]
    )
    assert rows["current"]["annual_standby_cost"] == pytest.approx(8 * M * 0.005)  # ¥40,000
    assert rows["no_line"]["annual_standby_cost"] == 0
    assert rows["correlated"]["annual_standby_cost"] == 0


def test_recommended_line_closed_form():
    # Target 65%: standing needs 50 − 0.85·125·0.35 = 12.8125M; cash covers 9.52M, so the
    # line must bring 3.2925M.
    result = defense.analyse(hand_case(target_drawdown=0.65), {})
    assert result.recommended_line_limit == 3_292_500
    assert result.recommended_line_cost == pytest.approx(3_292_500 * 0.005)
    rows = by_key(result.structures)
    assert rows["recommended"]["survivable_drawdown"] == pytest.approx(0.65, abs=1e-6)
    # in words as a person writes it (the table keeps the yen): ¥3.3M, about ¥16K a year
    assert "A standby line of ¥3.3M (about ¥16K a year in fees)" in result.recommendation
    assert "65% fall" in result.recommendation
    assert "today you survive a 69.4% fall" in result.recommendation
    # A 50% crisis cut doubles the limit needed: 3.2925 / (1 − 0.5).
    cut = hand_case(lines=(line(limit=8 * M, cut=0.5),), target_drawdown=0.65)
    assert defense.analyse(cut, {}).recommended_line_limit == 6_585_000
    # What is already drawn stays drawn: the limit must carry it on top.
    drawn = hand_case(lines=(line(limit=8 * M, balance=2 * M),), target_drawdown=0.65)
    assert defense.analyse(drawn, {}).recommended_line_limit == 5_292_500


def test_recommended_line_ends_for_amounts_past_float_yen_precision():
    # Regression (issue #8 fuzz): a balance of 1e300 hung the yen-by-yen settling loop,
    # since 1e300 - 1.0 == 1e300. Amounts past 2**53 settle by the float's own step.
    for balance in (1e17, 1e300):
        huge = hand_case(
            lines=(line(limit=8 * M),),
            target_drawdown=0.65,
        ).with_loans((secured_loan(balance=balance), line(limit=8 * M)))
        template, _ = line_template(huge)
        limit = recommended_line_limit(huge, 0.65, template)
        assert limit is not None and math.isfinite(limit) and limit >= balance * 0.5


def test_no_line_needed_and_no_line_possible():
    # 50%: LTV 50/62.5 = 80% < 85%, nothing to cure.
    result = defense.analyse(hand_case(target_drawdown=0.50), {})
    assert result.recommended_line_limit == 0
    assert "even without a standby line" in result.recommendation
    # A lender who may cut the whole limit: no size helps.
    result = defense.analyse(hand_case(lines=(line(cut=1.0),), target_drawdown=0.65), {})
    assert result.recommended_line_limit is None
    assert result.recommendation.startswith("No standby line can make a 65% fall survivable")
    assert by_key(result.structures)["recommended"]["survivable_drawdown"] != pytest.approx(0.65)


def test_default_fee_when_the_workbook_has_no_line():
    result = defense.analyse(hand_case(lines=(), target_drawdown=0.65), {})
    assert result.fee_assumed and result.recommended_fee == DEFAULT_COMMITMENT_FEE
    assert result.recommended_line_limit == 3_292_500
    assert result.recommended_line_cost == pytest.approx(3_292_500 * DEFAULT_COMMITMENT_FEE)
    assert any("assumed" in note for note in result.notes)


# ------------------------------------------------------------------ invariants
@st.composite
def households(draw):
    loans, holdings = [], []
    for i in range(draw(st.integers(1, 2))):
        value = draw(st.floats(30 * M, 150 * M))
        cls = draw(st.sampled_from(["Domestic equity", "Foreign equity", "REIT"]))
        holdings.append(equity(f"P{i}", value, cls=cls, pledged_to=f"S{i}"))
        call = draw(st.sampled_from([None, 0.70]))
        loans.append(secured_loan(f"S{i}", draw(st.floats(0.2, 0.58)) * value, call=call))
    if draw(st.booleans()):
        holdings.append(equity("Free", draw(st.floats(1 * M, 30 * M)), cls="Foreign equity"))
    holdings.append(cash(draw(st.floats(0, 15 * M))))
    limit = draw(st.floats(0, 30 * M))
    cut = draw(st.sampled_from([0.0, 0.25, 0.5]))
    loans.append(line("Line", limit, fee=0.003, cut=cut))
    target = draw(st.floats(0.2, 0.85))
    return make_inputs(holdings=holdings, loans=loans, target_drawdown=target)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(households(), st.floats(0, 40 * M), st.floats(0, 40 * M))
def test_a_larger_line_never_lowers_the_survivable_drawdown(inputs, a, b):
    template, _ = line_template(inputs)
    small, large = sorted((a, b))
    assert survivable_drawdown(with_line_limit(inputs, large, template)) >= survivable_drawdown(
        with_line_limit(inputs, small, template)
    )


@FAST
@given(households())
def test_correlated_alternative_never_survives_deeper(inputs):
    rows = by_key(compare_structures(inputs)[0])
    assert (
        rows["correlated"]["survivable_drawdown"] <= rows["current"]["survivable_drawdown"] + 1e-12
    )
    assert rows["no_line"]["survivable_drawdown"] <= rows["current"]["survivable_drawdown"] + 1e-12


@FAST
@given(households())
def test_recommended_line_survives_the_target_and_one_yen_less_does_not(inputs):
    target = inputs.settings.target_drawdown
    template, _ = line_template(inputs)
    limit = recommended_line_limit(inputs, target, template)
    assert limit is not None  # cuts below 100%: some line always helps

    def survives(x):
        return Exposure.from_inputs(with_line_limit(inputs, x, template)).survives(target)

    assert survives(limit)
    if limit >= 1:
        assert not survives(limit - 1)
        assert survivable_drawdown(with_line_limit(inputs, limit, template)) >= target - 1e-6


# ------------------------------------------------------------------ JSON
def test_json_block_is_complete_and_finite():
    result = defense.analyse(hand_case(target_drawdown=0.65), {})
    block = defense.to_json(result)
    text = json.dumps(block, allow_nan=False)  # no NaN or inf anywhere
    assert [s["key"] for s in block["structures"]] == [
        "current",
        "no_line",
        "correlated",
        "recommended",
    ]
    for s in block["structures"]:
        assert set(s) >= {"key", "name", "survivable_drawdown", "annual_standby_cost"}
    assert block["recommended_line_limit"] == 3_292_500
    assert block["target_drawdown"] == 0.65
    assert len(block["plans"]) == len(ladder_levels(0.05))
    unavoidable = [p for p in block["plans"] if p["status"] == "Liquidation unavoidable"]
    assert unavoidable and all(p["loans"][0]["ltv_after"] is not None for p in unavoidable)
    assert "Needs pledged sales" not in text  # no call stage: no voluntary pledged sales


# ------------------------------------------------------------------ the sheet
def _write(path, inputs, with_stress: bool):
    from engine.analyses import stress
    from engine.report import stress as stress_sheet

    prior = {"stress": stress.analyse(inputs, {})}
    result = defense.analyse(inputs, prior)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ctx = ReportContext(
        book,
        Formats(book, "JPY"),
        "JPY",
        {**prior, "defense": result},
        data_ws=book.add_worksheet("_chart_data"),
    )
    if with_stress:
        stress_sheet.write(book.add_worksheet("Stress Test"), prior["stress"], ctx)
    defense_sheet.write(book.add_worksheet("Defense"), result, ctx)
    book.close()
    return result


def _charts(path):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        return {n: z.read(n).decode("utf-8") for n in names}


@pytest.mark.parametrize("with_stress", [True, False])
def test_sheet_writes_and_reloads(tmp_path, with_stress):
    path = tmp_path / "defense.xlsx"
    inputs = hand_case(call=0.70, target_drawdown=0.65)
    result = _write(path, inputs, with_stress)
    ws = openpyxl.load_workbook(path)["Defense"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert result.recommendation in texts
    assert "Liquidation unavoidable" in texts and "Structure comparison" in texts
    numbers = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert all(abs(v) < 1e15 for v in numbers)
    assert len(ws.conditional_formatting) >= 1
    charts = [
        x
        for x in _charts(path).values()
        if "Liquidity when you need it" in x or "cure plan" in x or "by structure" in x
    ]
    assert len(charts) == 3
    liquidity = next(x for x in charts if "Liquidity when you need it" in x)
    assert ("'Stress Test'" in liquidity) == with_stress
    assert ("_chart_data" in liquidity) == (not with_stress)


@pytest.mark.skipif(not EXAMPLE.exists(), reason="example workbook not written yet")
def test_example_workbook():
    from engine.analyses import stress
    from engine.io.reader import read_workbook

    inputs = read_workbook(EXAMPLE)
    prior = {"stress": stress.analyse(inputs, {})}
    result = defense.analyse(inputs, prior)
    rows = by_key(result.structures)
    assert rows["current"]["survivable_drawdown"] == prior["stress"].defended_breaking_point
    assert rows["correlated"]["survivable_drawdown"] <= rows["current"]["survivable_drawdown"]
    assert result.liquidity is prior["stress"].liquidity  # passed through, not recomputed
    for plan in result.plans:
        assert plan.survives == Exposure.from_inputs(inputs).survives(plan.drawdown)
    json.dumps(defense.to_json(result), allow_nan=False)
