"""The About sheet: provenance, assumptions, limitations, warnings, a reading guide (SPEC §5)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from engine import __version__
from engine.i18n import T
from engine.model import Inputs, cashflows, history_data
from engine.report.common import ReportContext, setup_print, write_title, write_value

TEXT_WIDTH = 110  # column B, in character widths
CHARS_PER_LINE = 135  # what fits in TEXT_WIDTH at Arial 10 (measured in LibreOffice)
LINE_HEIGHT = 13.0  # points per line at Arial 10

#: One line per sheet, shown for the sheets present in the workbook.
SHEET_GUIDE: dict[str, str] = {
    "Dashboard": "The morning check on one page: net worth, funded ratio, LTV per loan against "
    "its thresholds, FIRE probability, dividend coverage, runway, spread and the recommended "
    "line, each with a traffic light and its rule, the verdict in one line, and the trend over "
    "past runs.",
    "Balance Sheet": "What you own and owe, including the hidden liability (present value of "
    "future expenses minus income); per loan its LTV, thresholds, the market fall that reaches "
    "each, and the cash that cures it; the run-rate income statement, spread and runway.",
    "Stress Test": "The drawdown ladder (what each loan's LTV and zone become as markets fall, "
    "the cure needed and the sources to pay it), the exact breaking points, and the historical "
    "crises replayed month by month through your structure.",
    "Defense": "The cheapest way to defend each drawdown level (a linear program over cash, "
    "lines and sales), how far each loan structure survives, and the smallest standby line "
    "that survives your target drawdown.",
    "Snowball": "Dividends year by year under each holding's policy (DOE, progressive, payout, "
    "fixed), net of tax, against expenses and interest; the year dividends first cover them.",
    "Monte Carlo": "Thousands of simulated futures with the lenders' rules inside each: the "
    "probability your plan lasts the horizon, when failures happen, the range of outcomes, the "
    "same plan without leverage, the maximum safe spending and a spending × line-size grid.",
    "Inputs": "Everything the engine read from your workbook, with defaults filled in, so this "
    "file stands alone.",
    "About": "This sheet: where the numbers come from and what the model leaves out.",
}

RETURN_MODEL = (
    "Returns: each asset class's expected return μ (arithmetic, yearly, price only) and "
    "volatility σ define a yearly lognormal gross return with mean 1+μ and standard deviation "
    "σ: s² = ln(1 + σ²/(1+μ)²), m = ln(1+μ) − s²/2. Monthly log-returns are normal with mean "
    "m/12 and variance s²/12, correlated across asset classes and FX factors by the "
    "Correlations matrix. FX factors are built the same way from the FX table. Every holding "
    "of a class moves with its class."
)

ASSUMPTIONS: tuple[str, ...] = (
    "All money is in the base currency after FX. LTV = loan balance ÷ market value of the "
    "loan's pledged collateral; borrowing capacity = Σ market value × advance rate.",
    "Time runs in monthly steps; month 0 is the valuation date; the horizon is 12 × Horizon "
    "years months.",
    RETURN_MODEL,
    "Dividends accrue monthly (annual dividend per share ÷ 12). Taxable accounts receive "
    "(1 − withholding) × (1 − dividend tax rate); NISA accounts (1 − withholding).",
    "Dividends move with the economy in the Monte Carlo: each month the policy's dividend × "
    "(the class's price ÷ its median path)^Dividend beta, × (1 − the class's crisis cut) "
    "while the class is more than 30% below its running peak. Progressive holdings take "
    "beta 0 (only the crisis cut). On a path where every return is its median, dividends "
    "are exactly the policy's; the Snowball shows that path.",
    "Inflation in the Monte Carlo is a path per future: a mean-reverting rate around Expense "
    "inflation (3-year half-life, Inflation volatility a year), correlated with markets "
    "through the Inflation row of Correlations. Inflation-linked cash flows grow with it "
    "and real amounts are divided by each future's own price level. Floating-rate loans "
    "pay their rate + (inflation − Expense inflation), never below 0. The Balance Sheet, "
    "Stress Test and Snowball use Expense inflation.",
    "Capital-gains tax: each Taxable position keeps its average cost (Cost basis; purchases "
    "update it). A sale realises value × (1 − cost ÷ price); a month's gains and losses "
    "are netted and a positive net is taxed at the Capital gains tax rate, paid from the "
    "proceeds (a sale sized to raise an amount also covers its selling cost and this tax). "
    "NISA sales are not taxed. The stress ladder and the defense plans value sales the same "
    "way (per position).",
    "Each simulated month (one month step for the scenario replay, the snowball and the "
    "Monte Carlo): cash flows (income, inflated expenses, interest, fees, amortization); net "
    "dividends; prices and FX move; the lenders' rules per secured loan; a shortfall funded "
    "in the order below; surplus used as below. A path fails when cash stays negative after "
    "every source or net worth falls to zero.",
    "Stress-ladder figures are static: every class falls by min(1, drawdown × stress beta) at "
    "once, with no time passing. Selling pledged collateral is not counted as a defense.",
)

LIMITATIONS: tuple[str, ...] = (
    "Cost basis is converted at today's exchange rate (Japanese tax uses the rate of each "
    "purchase). Positions of the same class, currency, account and pledge share one "
    "average cost.",
    "Lognormal monthly returns with constant volatility and correlation have thinner tails "
    "than real markets; the stress test and scenario replay exist to cover the crashes.",
    "Lenders are modelled by their published thresholds (freeze, margin call, liquidation, "
    "limit cuts); a real lender may act earlier or differently.",
    "Income tax, social insurance and inheritance are outside the model; enter them as "
    "cash flows if they matter to you.",
    "This is a planning tool, not investment advice. Figures are only as good as the inputs.",
)


HISTORICAL_MODEL = (
    "Return model Historical: monthly returns are not drawn from AssetClasses' Expected return "
    "and Volatility but resampled from real history — a stationary bootstrap (Politis–Romano) "
    "of blocks of consecutive months, 12 months long on average, the same calendar months for "
    "every series, from each class's History series (a History sheet column, or US stocks: "
    "the bundled S&P Composite price index). A currency follows a History column named "
    "FX:<currency> if there is one, else stays at today's rate; a class without a series "
    "returns 0. Inflation is the 12-month inflation rate of the History sheet's Inflation "
    "column, else of the US CPI; inflation-linked costs and floating rates follow it. The "
    "Monte Carlo sheet also runs the plan through every actual sequence of months "
    "(historical-sequence success) and the Stress Test replays the three worst actual "
    "crashes. The snowball and the stress ladder still use Expected return."
)


def historical_data_notes() -> list[str]:
    """The bundled data's credit and caveats (shown when Return model = Historical)."""
    return [HISTORICAL_MODEL, history_data.SOURCE, *history_data.CAVEATS]


def household_rules(settings) -> list[str]:
    """The household's choices this run assumed (Settings), in plain words."""
    keep = settings.loan_policy == "Keep"
    crises = settings.standby_line_use == "Crises only"
    daily = settings.lender_monitoring == "Daily"
    return [
        (
            "Loan policy: Keep — the borrowing you have today stays drawn: surplus never "
            "repays it (only draws made later, above today's balance, are repaid)."
            if keep
            else "Loan policy: Repay — surplus above the cash buffer repays drawn debt, the "
            "dearest first."
        ),
        "Surplus above the cash buffer: first refills the buffer, then repays unsecured lines "
        "(dearest first), then "
        + ("secured draws above today's balance" if keep else "secured loans")
        + "; the rest is invested pro rata if Reinvest surplus is Yes.",
        (
            "Standby line use: Crises only — a living-cost shortfall is met from cash, then "
            "secured draws while below the freeze LTV and the limit, then sales of unpledged "
            "assets, then unsecured lines (the crisis reserve), then sales of pledged assets."
            if crises
            else "Standby line use: Any shortfall — a living-cost shortfall is met from cash, "
            "then unsecured lines, then secured draws, then sales of unpledged assets, then "
            "sales of pledged assets."
        ),
        "Margin call (LTV at or above the call LTV): cured back to the freeze LTV from cash "
        "(the buffer included), then unsecured lines (cheapest first), then sales of unpledged "
        "assets, then sales of pledged assets. A call met by selling is a sale under a call.",
        "Liquidation (LTV at or above the liquidation LTV): the lender sells per the loan's "
        "Forced sale — All: every pledged unit, and the facility is closed for the rest of the "
        "path; To freeze: enough to bring the LTV back to freeze. A forced sale is a "
        "liquidation or a sale under a call.",
        (
            "Lender monitoring: Daily — lenders watch the LTV every day, the model at month "
            "ends, so the Monte Carlo compares month-end LTVs with call and liquidation LTVs "
            "lowered by exp(−0.5826 × σ × √(1/12)), σ the yearly volatility of each loan's "
            "collateral (Broadie–Glasserman–Kou): a breach on some day within the month "
            "counts. The stress ladder and the scenario replays use the thresholds as written."
            if daily
            else "Lender monitoring: Month-end — the lenders' thresholds are compared with "
            "month-end LTVs as written."
        ),
    ]


def cashflow_conventions() -> list[str]:
    """The bullet list under 'Conventions' in ``engine.model.cashflows``' docstring, one per item."""
    doc = cashflows.__doc__ or ""
    items: list[str] = []
    for line in doc.splitlines():
        stripped = line.strip()
        if stripped.startswith("- "):
            items.append(stripped[2:])
        elif items and stripped and line.startswith("  "):
            items[-1] += " " + stripped
    return [re.sub(r"``([^`]*)``", r"\1", item) for item in items]


def write(
    ws,
    inputs: Inputs,
    run_info,
    ctx: ReportContext,
    sheets: Sequence[str],
    analysed: Sequence[str],
) -> None:
    """Write the About sheet. ``sheets``: the sheets of this workbook, in order;
    ``analysed``: the analyses' sheets, in computation order."""
    settings = inputs.settings
    fmt = ctx.fmt
    ws.set_column(0, 0, 28)
    ws.set_column(1, 1, TEXT_WIDTH)
    left = {"font_name": "Arial", "font_size": 10, "valign": "vcenter", "align": "left"}
    left_date = ctx.book.add_format({**left, "num_format": "yyyy-mm-dd"})
    left_int = ctx.book.add_format({**left, "num_format": "#,##0"})
    left_text = ctx.book.add_format(left)
    row = write_title(ctx, ws, "About", "How these results were made and how to read them.")

    run_time = (
        "pinned for reproducible output (--pin-created)"
        if run_info.pinned_created is not None
        else run_info.run_time.strftime("%Y-%m-%d %H:%M:%S")
    )
    facts = (
        ("Engine version", f"ALM engine {__version__}", None),
        ("Run time", run_time, None),
        ("Portfolio", settings.portfolio_name, None),
        ("Valuation date", settings.valuation_date, left_date),
        ("Base currency", settings.base_currency, None),
        ("Input file", run_info.input_name, None),
        ("Input SHA-256", run_info.input_sha256 or inputs.source_sha256 or T("common.n_a"), None),
        ("Monte Carlo paths", run_info.paths, left_int),
        ("Random seed", run_info.seed, None),
        ("Analyses included", ", ".join(analysed) or "none", None),
    )
    for label, value, cell_format in facts:
        ws.write_string(row, 0, label, fmt.bold)
        write_value(ws, row, 1, value, cell_format or left_text)
        row += 1
    ws.write_string(
        row,
        0,
        "Same input file and seed give the same numbers.",
        fmt.note,
    )
    row += 2

    row = _bullets(ws, ctx, row, "Assumptions", ASSUMPTIONS)
    row = _bullets(ws, ctx, row, "The household this run simulated", household_rules(settings))
    if settings.return_model == "Historical":
        row = _bullets(ws, ctx, row, "Historical returns and data", historical_data_notes())
    row = _bullets(ws, ctx, row, "Cash-flow conventions", cashflow_conventions())
    row = _bullets(ws, ctx, row, "Limitations", LIMITATIONS)
    warnings = list(inputs.warnings) + list(run_info.warnings)
    row = _bullets(ws, ctx, row, "Warnings", warnings or ["None."])

    ws.write_string(row, 0, "How to read each sheet", fmt.section)
    row += 1
    for sheet in sheets:
        ws.write_string(row, 0, sheet, fmt.bold)
        _wrapped(ws, row, SHEET_GUIDE.get(sheet, ""), fmt.wrap)
        row += 1

    ws.freeze_panes(3, 0)
    setup_print(ws, landscape=True)
    ws.repeat_rows(0, 1)


def _bullets(ws, ctx: ReportContext, row: int, title: str, items: Sequence[str]) -> int:
    bullet = ctx.book.add_format(
        {"font_name": "Arial", "font_size": 10, "align": "right", "valign": "top"}
    )
    ws.write_string(row, 0, title, ctx.fmt.section)
    row += 1
    for item in items:
        ws.write_string(row, 0, "•", bullet)
        _wrapped(ws, row, str(item), ctx.fmt.wrap)
        row += 1
    return row + 1


def _wrapped(ws, row: int, text: str, cell_format) -> None:
    """Wrapped text with a row height to fit it (LibreOffice does not grow rows on open)."""
    ws.write_string(row, 1, text, cell_format)
    lines = max(1, math.ceil(len(text) / CHARS_PER_LINE))
    if lines > 1:
        ws.set_row(row, LINE_HEIGHT * lines + 2)
