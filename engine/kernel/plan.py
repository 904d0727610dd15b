"""Compile Inputs into the arrays the month step runs on (see ``engine.kernel``).

Buckets: holdings grouped by (asset class, currency, pledged-to loan or unpledged).
Unpledged Cash-class holdings are the cash account (foreign cash converted at month-0
FX); pledged cash stays a bucket (collateral). A bucket's state is its market value V
(base currency) and its *units* U = V / class price index (base currency at month-0
class prices, current FX); a bucket's monthly net dividend is U × y_b(year) with

    y_b(year) = Σ_h quantity_h × DPS_h(year) × FX0_h × net_h / (12 × V0_b)

(net_h per ``Holding.net_dividend_factor``). Buckets in the base currency come first,
foreign ones last (``fx_start``), so the FX step is one slice.

Debts: secured loans, then unsecured lines, then amortizing loans (Inputs order within).

The household's choices (Settings): ``keep_loans`` (Loan policy Keep: surplus never
repays the month-0 borrowing) and ``lines_for_crises`` (Standby line use Crises only:
unsecured lines fund living costs only after secured headroom and unpledged sales).

``compile_plan(inputs, unlevered=True)``: the same household without secured leverage —
each securities-backed loan repaid at month 0 by selling its pledged assets (net of the
selling cost), cash then unpledged sales covering any rest; unsecured lines and
amortizing loans kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.model import Inputs
from engine.model.cashflows import FlowParts, cash_buffer, flow_parts
from engine.model.dividends import policy_paths
from engine.model.returns import FX_PREFIX, INFLATION

SECURED, LINE, AMORTIZING = "secured", "line", "amortizing"
#: Broadie, Glasserman & Kou (1997): a barrier watched continuously is hit about as
#: often as one watched at steps Δt and moved towards the start by exp(β σ √Δt).
BGK_BETA = 0.5826


@dataclass(frozen=True, eq=False)
class Plan:
    """The compiled balance sheet: everything the month step needs, as arrays."""

    months: int
    factor_labels: tuple[str, ...]
    # classes (those holding at least one bucket)
    class_names: tuple[str, ...]
    class_factor: np.ndarray  # (K,) factor index or −1 (no price move)
    class_crisis_cut: np.ndarray  # (K,)
    class_dividend_beta: np.ndarray  # (K,) β: dividends follow (X / median X)^β
    # buckets
    bucket_names: tuple[str, ...]
    bucket_class: np.ndarray  # (B,) index into class_names
    bucket_fx: np.ndarray  # (B,) factor index of its currency or −1 (base)
    holding_bucket: np.ndarray  # (holdings,) the bucket of each holding, −1: cash, none
    fx_start: int  # buckets [fx_start:] are foreign
    value0: np.ndarray  # (B,) base-currency market value at month 0
    pool: np.ndarray  # (B,) index of the secured loan it is pledged to, −1 unpledged
    selling_cost: np.ndarray  # (B,) 0 for Cash-class buckets
    taxable: np.ndarray  # (B,) bool: realised gains pay capital-gains tax (not NISA, not cash)
    cost0: np.ndarray  # (B,) cost basis at month 0, base currency (Cost basis × today's FX)
    cgt_rate: float  # Capital gains tax rate
    investable: np.ndarray  # (B,) bool: receives reinvested surplus (non-cash)
    advance: np.ndarray  # (S, B) advance rate where pledged to loan s, else 0
    dividend_never_cut: np.ndarray  # (H, B) monthly net yield on U, Progressive
    dividend_cuttable: np.ndarray  # (H, B) monthly net yield on U, other policies
    cash0: float
    buffer: float
    reinvest: bool
    # debts: secured, lines, amortizing
    debt_names: tuple[str, ...]
    debt_kind: tuple[str, ...]
    balance0: np.ndarray
    limit: np.ndarray
    rate: np.ndarray
    commitment_fee: np.ndarray
    payment: np.ndarray
    floating: np.ndarray  # (debts,) bool: the rate moves with inflation (SPEC §3)
    line_crisis_cut: np.ndarray  # (L,)
    freeze: np.ndarray  # (S,)
    call: np.ndarray  # (S,) NaN = no call stage
    liquidation: np.ndarray  # (S,)
    forced_sale_all: np.ndarray  # (S,) bool
    keep_loans: bool  # Loan policy Keep: surplus repays only draws above balance0
    lines_for_crises: bool  # Standby line use Crises only
    # cash flows (months,): monthly living costs (what the spending multiplier scales),
    # every other expense, income — nominal at Expense inflation; and by what moves them
    living: np.ndarray
    outgo: np.ndarray
    income: np.ndarray
    flows: FlowParts  # linked rows in today's money, the rest nominal (inflation paths)
    inflation_mean: float  # π̄ = Expense inflation
    #: The last factor is ``Inflation``: each month's inflation rate comes with the returns.
    inflation_path: bool
    unlevered: bool = False
    notes: tuple[str, ...] = field(default=())
    #: Per secured loan, × its call and liquidation LTVs in the lenders' month-end tests
    #: (A5 with Lender monitoring = Daily: ``daily_monitoring_factor``); None: as written.
    threshold_factor: np.ndarray | None = None
    #: Per class, its median path's monthly log drift m/12 (A5: dividends follow the price
    #: relative to it, SPEC §3); None: dividends follow their policy only.
    class_median_drift: np.ndarray | None = None

    # ------------------------------------------------------------ derived views
    @property
    def n_buckets(self) -> int:
        return len(self.bucket_names)

    @property
    def n_debts(self) -> int:
        return len(self.debt_names)

    def _kind_index(self, kind: str) -> np.ndarray:
        return np.array([i for i, k in enumerate(self.debt_kind) if k == kind], dtype=int)

    @property
    def secured_index(self) -> np.ndarray:
        return self._kind_index(SECURED)

    @property
    def line_index(self) -> np.ndarray:
        return self._kind_index(LINE)

    @property
    def amortizing_index(self) -> np.ndarray:
        return self._kind_index(AMORTIZING)

    @property
    def secured_names(self) -> tuple[str, ...]:
        return tuple(self.debt_names[i] for i in self.secured_index)

    @property
    def trigger(self) -> np.ndarray:
        """Margin-call LTV where the loan has one, else its liquidation LTV."""
        return np.where(np.isnan(self.call), self.liquidation, self.call)

    @property
    def total_assets0(self) -> float:
        return float(self.cash0 + self.value0.sum())

    @property
    def net_worth0(self) -> float:
        return self.total_assets0 - float(self.balance0.sum())

    @property
    def secured_balance0(self) -> np.ndarray:
        """Month-0 balance of each secured loan: what Loan policy Keep keeps drawn."""
        return self.balance0[self.secured_index]

    @property
    def living_expenses0(self) -> float:
        """Month-0 monthly living costs: the Monthly inflation-linked Expense rows, what
        the spending multiplier scales (SPEC §4 A5)."""
        return float(self.living[0]) if self.months else 0.0


def _bucket_key(inputs: Inputs, h, pools: dict[str, int]) -> tuple[str, str, int, bool]:
    pool = pools.get(h.pledged_to, -1) if h.pledged_to is not None else -1
    currency = h.currency or inputs.settings.base_currency
    return (h.asset_class, currency, pool, h.is_nisa)


def compile_plan(
    inputs: Inputs,
    *,
    unlevered: bool = False,
    months: int | None = None,
    inflation_path: bool = False,
) -> Plan:
    """Compile ``inputs`` for the month step (``unlevered``: secured loans repaid at month
    0; ``inflation_path``: each month's inflation rate comes with the returns as the last
    factor, ``Inflation``, instead of Expense inflation every month)."""
    s = inputs.settings
    n_months = s.months if months is None else int(months)
    years = max(1, -(-n_months // 12))
    base = s.base_currency
    classes = inputs.asset_class_by_name
    secured = inputs.secured_loans
    values = inputs.market_values
    policies = policy_paths(inputs, years)

    cash0 = 0.0
    keys: list[tuple[str, str, int, bool]] = []
    members: dict[tuple[str, str, int, bool], list[int]] = {}
    pools = {}
    for j, loan in enumerate(secured):
        pools.setdefault(loan.name, j)
    for i, h in enumerate(inputs.holdings):
        cls = classes[h.asset_class]
        key = _bucket_key(inputs, h, pools)
        if cls.is_cash and key[2] < 0:
            cash0 += float(values[i])
            continue
        if values[i] <= 0:
            continue  # nothing to hold, move or sell
        if key not in members:
            members[key] = []
            keys.append(key)
        members[key].append(i)
    # base-currency buckets first, foreign last (the FX step is one slice)
    keys.sort(key=lambda k: (k[1] != base, k[1]))
    class_names = tuple(dict.fromkeys(k[0] for k in keys))

    factors: list[str] = []
    class_factor = []
    historical = s.return_model == "Historical"
    for name in class_names:
        c = classes[name]
        moves = not c.is_cash and (
            c.volatility > 0 or c.expected_return != 0 or bool(historical and c.history_series)
        )
        class_factor.append(len(factors) if moves else -1)
        if moves:
            factors.append(name)
    currencies = sorted({k[1] for k in keys if k[1] != base})
    fx_factor = {}
    for ccy in currencies:
        fx_factor[ccy] = len(factors)
        factors.append(f"{FX_PREFIX}{ccy}")
    if inflation_path:
        factors.append(INFLATION)

    n_b, n_y = len(keys), years
    # holdings in bucket order, each bucket's members in Holdings order: the sums below
    # add them one by one in that order (bincount / add.at), as a loop would
    rows = np.array([i for key in keys for i in members[key]], dtype=int)
    bucket_of = np.repeat(np.arange(n_b), [len(members[key]) for key in keys])
    value0 = np.bincount(bucket_of, weights=values[rows], minlength=n_b).astype(float)
    held = [inputs.holdings[i] for i in rows]
    quantity = np.array([h.quantity for h in held], dtype=float)
    fx_rate = np.array([h.fx_rate for h in held], dtype=float)
    unit_cost = np.array([h.price if h.cost_basis is None else h.cost_basis for h in held])
    cost0 = np.bincount(bucket_of, weights=quantity * unit_cost * fx_rate, minlength=n_b)
    net = np.array([h.net_dividend_factor(s.dividend_tax_rate) for h in held], dtype=float)
    monthly = (
        quantity[:, None] * policies.dps[rows, 1 : n_y + 1] * fx_rate[:, None] * net[:, None] / 12.0
    )
    never = np.zeros((n_y, n_b))
    cuttable = np.zeros((n_y, n_b))
    never_cut = policies.never_cut[rows]
    np.add.at(never.T, bucket_of[never_cut], monthly[never_cut])
    np.add.at(cuttable.T, bucket_of[~never_cut], monthly[~never_cut])
    with np.errstate(invalid="ignore", divide="ignore"):
        never = np.where(value0 > 0, never / value0, 0.0)
        cuttable = np.where(value0 > 0, cuttable / value0, 0.0)

    bucket_class = np.array([class_names.index(k[0]) for k in keys], dtype=int)
    holding_bucket = np.full(len(inputs.holdings), -1)
    holding_bucket[rows] = bucket_of
    is_cash = np.array([classes[k[0]].is_cash for k in keys], dtype=bool)
    nisa = np.array([k[3] for k in keys], dtype=bool)
    taxable = ~nisa & ~is_cash
    cost0 = np.where(is_cash, value0, cost0.astype(float))
    advance = np.zeros((len(secured), n_b))
    for j, loan in enumerate(secured):
        for b, key in enumerate(keys):
            if key[2] == j:
                advance[j, b] = (
                    loan.advance_rate
                    if loan.advance_rate is not None
                    else classes[key[0]].advance_rate
                )
    debts = (
        list(secured) + list(inputs.lines) + [ln for ln in inputs.loans if ln.type == "Amortizing"]
    )
    kinds = [SECURED] * len(secured) + [LINE] * len(inputs.lines)
    kinds += [AMORTIZING] * (len(debts) - len(kinds))
    flows = flow_parts(inputs, n_months)
    level = (1.0 + s.expense_inflation) ** (np.arange(n_months) / 12.0)  # at fixed inflation
    selling_cost = np.where(is_cash, 0.0, s.selling_cost)
    notes: list[str] = []

    balance0 = np.array([d.balance for d in debts], dtype=float)
    pool = np.array([k[2] for k in keys], dtype=int)
    if unlevered:
        value0, cost0, cash0 = _repay_secured_at_month0(
            value0, cost0, selling_cost, taxable * s.capital_gains_tax_rate, cash0, pool,
            balance0[: len(secured)], notes,
        )  # fmt: skip
        debts, kinds = debts[len(secured) :], kinds[len(secured) :]
        balance0 = balance0[len(secured) :]
        pool = np.full(n_b, -1)
        advance = np.zeros((0, n_b))

    def arr(attr, rows, default=0.0):
        return np.array(
            [getattr(d, attr) if getattr(d, attr) is not None else default for d in rows],
            dtype=float,
        )

    sec = [d for d, k in zip(debts, kinds, strict=True) if k == SECURED]
    freeze = arr("freeze_ltv", sec, default=np.nan)
    for j in np.flatnonzero(np.isnan(freeze)):
        # the collateral's weighted advance rate (SPEC §2 default of Freeze LTV)
        pledged = value0 * (advance[j] > 0)
        freeze[j] = float(advance[j] @ value0 / pledged.sum()) if pledged.sum() > 0 else 0.0
    return Plan(
        months=n_months,
        factor_labels=tuple(factors),
        class_names=class_names,
        class_factor=np.array(class_factor, dtype=int),
        class_crisis_cut=np.array([classes[c].crisis_dividend_cut for c in class_names]),
        class_dividend_beta=np.array([classes[c].dividend_beta for c in class_names], dtype=float),
        bucket_names=tuple(
            f"{k[0]} / {k[1]} / {secured[k[2]].name if k[2] >= 0 else 'unpledged'}"
            + (" / NISA" if k[3] else "")
            for k in keys
        ),
        bucket_class=bucket_class,
        bucket_fx=np.array([fx_factor.get(k[1], -1) for k in keys], dtype=int),
        holding_bucket=holding_bucket,
        fx_start=sum(1 for k in keys if k[1] == base),
        value0=value0,
        pool=pool,
        selling_cost=selling_cost,
        taxable=taxable,
        cost0=cost0,
        cgt_rate=float(s.capital_gains_tax_rate),
        investable=~is_cash,
        advance=advance,
        dividend_never_cut=never,
        dividend_cuttable=cuttable,
        cash0=float(cash0),
        buffer=float(cash_buffer(inputs)),
        reinvest=bool(s.reinvest_surplus),
        debt_names=tuple(d.name for d in debts),
        debt_kind=tuple(kinds),
        balance0=np.asarray(balance0, dtype=float),
        limit=arr("limit", debts),
        rate=arr("interest_rate", debts),
        commitment_fee=arr("commitment_fee", debts),
        payment=arr("monthly_payment", debts),
        floating=np.array([getattr(d, "rate_type", "Fixed") == "Floating" for d in debts], bool),
        line_crisis_cut=arr(
            "crisis_limit_cut", [d for d, k in zip(debts, kinds, strict=True) if k == LINE]
        ),
        freeze=freeze,
        call=arr("margin_call_ltv", sec, default=np.nan),
        liquidation=arr("liquidation_ltv", sec),
        forced_sale_all=np.array([d.forced_sale == "All" for d in sec], dtype=bool),
        keep_loans=s.loan_policy == "Keep",
        lines_for_crises=s.standby_line_use == "Crises only",
        living=flows.living_real * level,
        outgo=flows.outgo_real * level + flows.outgo_fixed,
        income=flows.income_real * level + flows.income_fixed,
        flows=flows,
        inflation_mean=float(s.expense_inflation),
        inflation_path=bool(inflation_path),
        unlevered=unlevered,
        notes=tuple(notes),
    )


def _repay_secured_at_month0(value0, cost0, selling_cost, tax, cash0, pool, balances, notes):
    """Repay each secured loan by selling its pledged pool pro rata, net of the selling
    cost and the capital-gains tax on the gains it realises (``tax``: the rate per bucket,
    0 for NISA and cash); what the pool cannot cover comes from cash, then from unpledged
    sales (pro rata, also net)."""
    value0, cost0 = value0.astype(float).copy(), cost0.astype(float).copy()

    def sell(mask, amount) -> tuple[float, float]:
        """Sell share φ of ``mask`` to raise ``amount`` net; (raised, gross sold)."""
        net = value0 * (1.0 - selling_cost) - tax * np.maximum(value0 - cost0, 0.0)
        pool_net = float(net[mask].sum())
        share = min(1.0, amount / pool_net) if pool_net > 0 else 1.0
        gross = share * float(value0[mask].sum())
        value0[mask] *= 1.0 - share
        cost0[mask] *= 1.0 - share
        return share * pool_net, gross

    rest, sold = 0.0, 0.0
    for s, balance in enumerate(balances):
        if balance > 0:
            raised, gross = sell(pool == s, balance)
            rest += balance - raised
            sold += gross
    cash0 = cash0 - rest
    if cash0 < 0:
        raised, gross = sell(pool < 0, -cash0)
        cash0 += raised
        sold += gross
    if balances.sum() > 0:
        notes.append(
            f"unlevered: pledged assets worth {sold:,.0f} sold at month 0 (net of the selling "
            "cost and capital-gains tax) to repay the securities-backed loans; unsecured "
            "lines kept"
        )
    return value0, cost0, cash0


def daily_monitoring_factor(plan: Plan, monthly_loading: np.ndarray) -> np.ndarray:
    """Per secured loan, exp(−0.5826 · σ_C · √(1/12)): the factor on its call and
    liquidation LTVs that makes a month-end test count a breach on some day within the
    month (Broadie–Glasserman–Kou continuity correction; SPEC §3 Lender monitoring).

    σ_C is the annual volatility of the log value of the loan's month-0 collateral mix:
    σ_C² = 12 · eᵀ A Aᵀ e, e the pool's value-weighted exposure to the factors (each
    bucket: its class factor plus its currency's FX factor), A the monthly loading.
    """
    S = len(plan.secured_index)
    out = np.ones(S)
    cov = monthly_loading @ monthly_loading.T if monthly_loading.size else None
    for s in range(S):
        weights = np.where(plan.pool == s, plan.value0, 0.0)
        if cov is None or weights.sum() <= 0:
            continue
        weights = weights / weights.sum()
        exposure = np.zeros(len(plan.factor_labels))
        for b in np.flatnonzero(weights > 0):
            cf = plan.class_factor[plan.bucket_class[b]]
            if cf >= 0:
                exposure[cf] += weights[b]
            if plan.bucket_fx[b] >= 0:
                exposure[plan.bucket_fx[b]] += weights[b]
        sigma = float(np.sqrt(max(0.0, 12.0 * exposure @ cov @ exposure)))
        out[s] = np.exp(-BGK_BETA * sigma * np.sqrt(1.0 / 12.0))
    return out
