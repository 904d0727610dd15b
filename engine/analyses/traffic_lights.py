"""The Dashboard's traffic-light rules (SPEC §4 A6), all in this one module.

Each rule is a pure function of hand-checkable numbers returning ``GREEN``, ``AMBER``,
``RED`` or ``None`` (not applicable), and a ``Rule`` record with the same thresholds
in words, which the Dashboard prints beside its tiles. Change a threshold here and the
sheet, the JSON and the verdict all follow.

A value exactly on a boundary counts as having reached it (a funded ratio of exactly
1.2 is green; an LTV exactly at the margin-call level is red). Comparisons allow
``EPS`` so that 0.9 − 0.1 and 0.8 are the same boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from engine.i18n import T

GREEN, AMBER, RED = "green", "amber", "red"
#: Worst light first; the overall status is the worst light of all tiles.
SEVERITY = {GREEN: 0, AMBER: 1, RED: 2}
STATUS_WORDS = {GREEN: "Safe", AMBER: "Watch", RED: "Act"}  # codes (JSON, history)
#: The words of each status code on a sheet and in the verdict.
STATUS_KEYS = {"Safe": "tl.safe", "Watch": "tl.watch", "Act": "tl.act",
               "Not available": "tl.not_available"}  # fmt: skip
EPS = 1e-9

# --------------------------------------------------------------------- thresholds
LTV_FREEZE_MARGIN = 0.10  # green below freeze − 10 pp
FIRE_AMBER_BAND = 0.10  # amber within 10 pp below the target success probability
FUNDED_GREEN, FUNDED_AMBER = 1.2, 1.0
COVERAGE_GREEN, COVERAGE_AMBER = 1.0, 0.7
RUNWAY_GREEN, RUNWAY_AMBER = 24.0, 12.0  # months
SPREAD_GREEN, SPREAD_AMBER = 0.0, -0.01
BREAKING_AMBER_BAND = 0.10  # amber within 10 pp below the target drawdown
LINE_AMBER_SHORTFALL = 0.20  # amber when the current line is within 20% of the recommended
NET_WORTH_AMBER_FALL = 0.10  # amber when net worth fell more than 10% since the last run


@dataclass(frozen=True)
class Rule:
    """One rule in words: the KPI and what makes it green, amber and red.

    The words are catalogue keys (``engine.i18n``), read in the language in force;
    ``values`` fills their numbers in (``{fall:.0%}``)."""

    key: str
    kpi_key: str
    green_key: str
    amber_key: str
    red_key: str
    values: Mapping[str, float] = field(default_factory=dict)

    @property
    def kpi(self) -> str:
        return T(self.kpi_key)

    @property
    def green(self) -> str:
        return T(self.green_key, **self.values)

    @property
    def amber(self) -> str:
        return T(self.amber_key, **self.values)

    @property
    def red(self) -> str:
        return T(self.red_key, **self.values)

    @property
    def sentence(self) -> str:
        return T("tl.sentence", kpi=self.kpi, green=self.green, amber=self.amber, red=self.red)


def _pp(x: float) -> float:
    """A band in percentage points (the ``{pp}`` of a rule's words)."""
    return round(x * 100, 6)


RULES: tuple[Rule, ...] = (
    Rule("net_worth", "tl.net_worth", "tl.net_worth_green", "tl.net_worth_amber",
         "tl.net_worth_red", {"fall": NET_WORTH_AMBER_FALL}),
    Rule("funded_ratio", "tl.funded_ratio", "tl.funded_ratio_green", "tl.funded_ratio_amber",
         "tl.funded_ratio_red", {"green": FUNDED_GREEN, "amber": FUNDED_AMBER}),
    Rule("ltv", "tl.ltv", "tl.ltv_green", "tl.ltv_amber", "tl.ltv_red",
         {"pp": _pp(LTV_FREEZE_MARGIN)}),
    Rule("survivable_drawdown", "tl.survivable", "tl.survivable_green", "tl.survivable_amber",
         "tl.survivable_red", {"pp": _pp(BREAKING_AMBER_BAND)}),
    Rule("fire_probability", "tl.fire", "tl.fire_green", "tl.fire_amber", "tl.fire_red",
         {"pp": _pp(FIRE_AMBER_BAND)}),
    Rule("coverage", "tl.coverage", "tl.coverage_green", "tl.coverage_amber",
         "tl.coverage_red", {"green": COVERAGE_GREEN, "amber": COVERAGE_AMBER}),
    Rule("runway", "tl.runway", "tl.runway_green", "tl.runway_amber", "tl.runway_red",
         {"green": RUNWAY_GREEN, "amber": RUNWAY_AMBER}),
    Rule("spread", "tl.spread", "tl.spread_green", "tl.spread_amber", "tl.spread_red",
         {"pp": _pp(-SPREAD_AMBER)}),
    Rule("standby_line", "tl.line", "tl.line_green", "tl.line_amber", "tl.line_red",
         {"short": LINE_AMBER_SHORTFALL}),
)  # fmt: skip
RULES_BY_KEY = {rule.key: rule for rule in RULES}


# --------------------------------------------------------------------- the rules
def _at_least(value: float, threshold: float) -> bool:
    return value >= threshold - EPS


def higher_is_better(value: float | None, green: float, amber: float) -> str | None:
    """Green at ``green`` or more, amber at ``amber`` or more, red below; None → None."""
    if value is None:
        return None
    if _at_least(value, green):
        return GREEN
    return AMBER if _at_least(value, amber) else RED


def net_worth_light(net_worth: float | None, previous: float | None = None) -> str | None:
    """Red at or below zero; amber when down more than 10% since the previous run."""
    if net_worth is None:
        return None
    if net_worth <= 0:
        return RED
    if previous is not None and previous > 0:
        fall = 1.0 - net_worth / previous
        if fall > NET_WORTH_AMBER_FALL + EPS:
            return AMBER
    return GREEN


def funded_light(funded_ratio: float | None, income_covers: bool = False) -> str | None:
    """Green ≥ 1.2, amber ≥ 1.0, red below; green when income covers all future costs."""
    if funded_ratio is None:
        return GREEN if income_covers else None
    return higher_is_better(funded_ratio, FUNDED_GREEN, FUNDED_AMBER)


def ltv_light(
    ltv: float | None,
    freeze: float | None,
    call: float | None,
    liquidation: float | None,
) -> str | None:
    """Green below freeze − 10 pp; amber up to the trigger; red at or above the trigger.

    The trigger is the margin-call LTV, or the liquidation LTV when there is no call.
    """
    if ltv is None:
        return None
    trigger = call if call is not None else liquidation
    if trigger is not None and _at_least(ltv, trigger):
        return RED
    if freeze is not None and _at_least(ltv, freeze - LTV_FREEZE_MARGIN):
        return AMBER
    if freeze is None and trigger is None:
        return None
    return GREEN


def fire_light(probability: float | None, target: float) -> str | None:
    """Green at or above the target, amber within 10 pp below it, red below that."""
    return higher_is_better(probability, target, target - FIRE_AMBER_BAND)


def coverage_light(coverage: float | None, income_covers: bool = False) -> str | None:
    """Green ≥ 1, amber ≥ 0.7, red below; green when income alone covers the outgo."""
    if coverage is None:
        return GREEN if income_covers else None
    return higher_is_better(coverage, COVERAGE_GREEN, COVERAGE_AMBER)


def runway_light(months: float | None, unlimited: bool = False) -> str | None:
    """Green ≥ 24 months or unlimited, amber ≥ 12, red below."""
    if unlimited:
        return GREEN
    return higher_is_better(months, RUNWAY_GREEN, RUNWAY_AMBER)


def spread_light(spread: float | None) -> str | None:
    """Green ≥ 0, amber ≥ −1 pp, red below."""
    return higher_is_better(spread, SPREAD_GREEN, SPREAD_AMBER)


def breaking_point_light(survivable: float | None, target: float) -> str | None:
    """Green at or beyond the target drawdown, amber within 10 pp short of it, red below."""
    return higher_is_better(survivable, target, target - BREAKING_AMBER_BAND)


def line_light(current: float, recommended: float | None, helps: bool = True) -> str | None:
    """Green when current ≥ recommended, amber when short by at most 20%, red otherwise.

    ``recommended`` None with ``helps`` False means no line size can defend the target
    (red); None with ``helps`` True means there is nothing to compare (not applicable).
    """
    if recommended is None:
        return None if helps else RED
    if _at_least(current, recommended):
        return GREEN
    return AMBER if _at_least(current, (1.0 - LINE_AMBER_SHORTFALL) * recommended) else RED


def worst(lights: Iterable[str | None]) -> str | None:
    """The most severe light (None when no light applies)."""
    found = [light for light in lights if light is not None]
    return max(found, key=SEVERITY.__getitem__) if found else None


def status_word(light: str | None) -> str:
    """Safe / Watch / Act for the worst light; 'Not available' without any light (codes)."""
    return STATUS_WORDS.get(light, "Not available") if light else "Not available"


def status_text(status: str) -> str:
    """A status code in the language in force (安全 / 注意 / 要対応)."""
    return T(STATUS_KEYS[status]) if status in STATUS_KEYS else status
