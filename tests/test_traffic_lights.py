"""Traffic-light rules at and around each boundary (hand-set values), and the rules in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.analyses import traffic_lights as tl
from engine.analyses.traffic_lights import AMBER, GREEN, RED

TINY = 1e-6


@pytest.mark.parametrize(
    ("ratio", "light"),
    [(2.0, GREEN), (1.2, GREEN), (1.2 - TINY, AMBER), (1.0, AMBER), (1.0 - TINY, RED), (0, RED)],
)
def test_funded_ratio(ratio, light):
    assert tl.funded_light(ratio) == light


def test_funded_ratio_without_a_ratio():
    # PV of net future expenses ≤ 0: income covers the future, nothing to fund.
    assert tl.funded_light(None, income_covers=True) == GREEN
    assert tl.funded_light(None) is None


@pytest.mark.parametrize(
    ("ltv", "light"),
    [
        (0.0, GREEN),
        (0.5 - TINY, GREEN),  # freeze 60% − 10 pp = 50%
        (0.5, AMBER),
        (0.6, AMBER),  # at freeze: borrowing frozen, not yet a call
        (0.7 - TINY, AMBER),
        (0.7, RED),  # at the margin call
        (0.9, RED),
    ],
)
def test_ltv_with_a_call_stage(ltv, light):
    assert tl.ltv_light(ltv, freeze=0.6, call=0.7, liquidation=0.85) == light


@pytest.mark.parametrize(
    ("ltv", "light"),
    [(0.5 - TINY, GREEN), (0.5, AMBER), (0.85 - TINY, AMBER), (0.85, RED)],
)
def test_ltv_without_a_call_stage_uses_liquidation(ltv, light):
    assert tl.ltv_light(ltv, freeze=0.6, call=None, liquidation=0.85) == light


def test_ltv_not_available():
    assert tl.ltv_light(None, 0.6, 0.7, 0.85) is None


@pytest.mark.parametrize(
    ("p", "light"),
    [(1.0, GREEN), (0.9, GREEN), (0.9 - TINY, AMBER), (0.8, AMBER), (0.8 - TINY, RED), (0, RED)],
)
def test_fire_probability_against_a_90_percent_target(p, light):
    assert tl.fire_light(p, target=0.9) == light


def test_fire_probability_follows_the_target():
    assert tl.fire_light(0.75, target=0.75) == GREEN
    assert tl.fire_light(0.65, target=0.75) == AMBER  # 0.75 − 0.10 exactly
    assert tl.fire_light(0.6499, target=0.75) == RED
    assert tl.fire_light(None, target=0.9) is None


@pytest.mark.parametrize(
    ("coverage", "light"),
    [(1.5, GREEN), (1.0, GREEN), (1.0 - TINY, AMBER), (0.7, AMBER), (0.7 - TINY, RED)],
)
def test_dividend_coverage(coverage, light):
    assert tl.coverage_light(coverage) == light


def test_coverage_when_income_covers_the_outgo():
    assert tl.coverage_light(None, income_covers=True) == GREEN
    assert tl.coverage_light(None) is None


@pytest.mark.parametrize(
    ("months", "light"),
    [(120.0, GREEN), (24.0, GREEN), (24 - TINY, AMBER), (12.0, AMBER), (12 - TINY, RED), (0, RED)],
)
def test_runway(months, light):
    assert tl.runway_light(months) == light


def test_unlimited_runway_is_green():
    assert tl.runway_light(None, unlimited=True) == GREEN
    assert tl.runway_light(None) is None


@pytest.mark.parametrize(
    ("spread", "light"),
    [(0.02, GREEN), (0.0, GREEN), (-TINY, AMBER), (-0.01, AMBER), (-0.01 - TINY, RED)],
)
def test_spread(spread, light):
    assert tl.spread_light(spread) == light


@pytest.mark.parametrize(
    ("survivable", "light"),
    [(0.7, GREEN), (0.5, GREEN), (0.5 - TINY, AMBER), (0.4, AMBER), (0.4 - TINY, RED)],
)
def test_survivable_fall_against_a_50_percent_target(survivable, light):
    assert tl.breaking_point_light(survivable, target=0.5) == light


@pytest.mark.parametrize(
    ("current", "recommended", "light"),
    [
        (8e6, 0.0, GREEN),  # no line needed
        (8e6, 8e6, GREEN),
        (8e6, 8e6 + 1, AMBER),
        (8e6, 10e6, AMBER),  # 8 = 80% of 10: short by exactly 20%
        (8e6, 10e6 + 10, RED),  # short by a little more than 20%
        (0.0, 1e6, RED),
    ],
)
def test_current_line_against_the_recommended(current, recommended, light):
    assert tl.line_light(current, recommended) == light


def test_no_line_can_help_is_red():
    assert tl.line_light(8e6, None, helps=False) == RED
    assert tl.line_light(8e6, None, helps=True) is None


@pytest.mark.parametrize(
    ("net_worth", "previous", "light"),
    [
        (1.0, None, GREEN),
        (0.0, None, RED),
        (-5.0, None, RED),
        (90.0, 100.0, GREEN),  # down exactly 10%: not more than 10%
        (89.9, 100.0, AMBER),
        (120.0, 100.0, GREEN),
        (-1.0, 100.0, RED),
    ],
)
def test_net_worth(net_worth, previous, light):
    assert tl.net_worth_light(net_worth, previous) == light


def test_worst_light_and_status_words():
    assert tl.worst([GREEN, None, GREEN]) == GREEN
    assert tl.worst([GREEN, AMBER, None]) == AMBER
    assert tl.worst([AMBER, RED, GREEN]) == RED
    assert tl.worst([None, None]) is None
    assert [tl.status_word(x) for x in (GREEN, AMBER, RED, None)] == [
        "Safe",
        "Watch",
        "Act",
        "Not available",
    ]


def test_rules_in_words_carry_their_thresholds():
    rules = tl.RULES_BY_KEY
    assert "1.2" in rules["funded_ratio"].sentence and "1.0" in rules["funded_ratio"].sentence
    assert "10 pp" in rules["ltv"].sentence
    assert "24 months" in rules["runway"].sentence and "12" in rules["runway"].sentence
    assert "0.7" in rules["coverage"].sentence
    assert "1 pp" in rules["spread"].sentence
    assert "20%" in rules["standby_line"].sentence
    for rule in tl.RULES:
        sentence = rule.sentence
        assert sentence.startswith(rule.kpi + ": green ")
        assert "; amber " in sentence and "; red " in sentence and sentence.endswith(".")


@given(st.floats(0, 2), st.floats(0, 2))
def test_ltv_light_never_improves_as_ltv_rises(a, b):
    low, high = sorted((a, b))
    severity = [tl.SEVERITY[tl.ltv_light(x, 0.6, 0.7, 0.85)] for x in (low, high)]
    assert severity[0] <= severity[1]


@given(st.floats(-1, 3), st.floats(-1, 3))
def test_higher_is_better_is_monotone(a, b):
    low, high = sorted((a, b))
    severity = [tl.SEVERITY[tl.higher_is_better(x, 1.2, 1.0)] for x in (low, high)]
    assert severity[0] >= severity[1]
