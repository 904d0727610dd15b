"""The catalogue: A3 Layered defense (English, Japanese)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # A3 Layered defense
    "df.a_plan_uses_cash_above": (
        "A plan uses cash above the buffer, then whatever mix of lines and unpledged sales costs least a year (interest, forgone net dividends, plus the one-off selling cost).",
        "対応策は、まず生活防衛資金を超える現金を使い、次に無担保ラインと担保に入っていない資産の売却を、年間コストが最も小さくなる組み合わせで使います（利息、失われる税引後配当、一回限りの売却コスト）。",
    ),
    "df.a_standby_line_of_limit": (
        "A standby line of {limit} (about {money_words} a year in fees) lets your portfolio survive a {fall} fall without forced selling; today you survive a {now} fall.",
        "{limit}の待機枠（手数料は年およそ{money_words}）があれば、強制決済なしで{fall}の下落に耐えられます。現状で耐えられるのは{now}の下落です。",
    ),
    "df.amounts_used_at_each_uniform": (
        "Amounts used at each uniform fall to bring every secured loan back to its freeze LTV (or keep it below liquidation). Annual cost = line interest + forgone net dividends + the one-off selling cost and capital-gains tax of the sales.",
        "一律の各下落率で、すべての担保ローンを借入停止LTVまで戻す（または強制決済LTV未満に保つ）ために使う金額。年間コスト ＝ ラインの利息 ＋ 失われる税引後配当 ＋ 売却時の一回限りの売却コストと譲渡益課税。",
    ),
    "df.cheapest_cure_plan_by_drawdown": (
        "Cheapest cure plan by drawdown",
        "下落率ごとの最も安い解消策",
    ),
    "df.cheapest_cure_plan_by_source": ("Cheapest cure plan by source", "資金源別の最も安い解消策"),
    "df.col_annual_cost": ("Annual cost", "年間コスト"),
    "df.col_cash": ("Cash", "現金"),
    "df.col_draw": ("Draw: {name}", "借入：{name}"),
    "df.col_drawdown": ("Drawdown", "下落率"),
    "df.col_ltv_after": ("LTV after: {name}", "解消後LTV：{name}"),
    "df.col_pledged_sales": ("Pledged sales: {name}", "担保資産の売却：{name}"),
    "df.col_shortfall": ("Shortfall", "不足額"),
    "df.col_status": ("Status", "状態"),
    "df.col_unpledged_sales": ("Unpledged sales", "担保外資産の売却"),
    "df.col_zone": ("Zone: {name}", "ゾーン：{name}"),
    "df.col_zone_after": ("Zone after: {name}", "解消後ゾーン：{name}"),
    "df.commitment_fee_assumed_at_default": (
        " Commitment fee assumed at {default_commitment_fee:.2%} a year.",
        " コミットメントフィーは年{default_commitment_fee:.2%}と仮定。",
    ),
    "df.correlated_secured_headroom": ("Correlated: secured headroom", "相関あり：担保借入余力"),
    "df.costs_leave_out_the_price": (
        "Costs leave out the price growth the sold assets would have had (not modelled).",
        "コストには、売却した資産が本来得たはずの値上がり益は含みません（モデル化していません）。",
    ),
    "df.defense_liquidity_by_drawdown_from": (
        "Defense: liquidity by drawdown (from the stress test)",
        "防衛策：下落率別の流動性（ストレステストより）",
    ),
    "df.even_without_a_standby_line": (" even without a standby line", "（待機枠がなくても）"),
    "df.here_the_secured_headroom_is": (
        "Here the secured headroom is zero at every fall (the secured loans are drawn to their limit, or already at freeze), so the red line lies on the axis and only cash and the unsecured lines are left to draw.",
        "このケースでは担保借入余力がどの下落率でもゼロです（担保ローンが極度額まで借りられているか、既に借入停止水準にある）。そのため赤い線は軸上にあり、使えるのは現金と無担保ラインだけです。",
    ),
    "df.how_to_read_this_sheet": ("How to read this sheet", "このシートの読み方"),
    "df.layered_defense": ("Layered defense", "多層防衛（コミットメントライン）"),
    "df.line_limits_added_to_the": (
        "Line limits added to the largest secured loan; drawing stops at freeze.",
        "ラインの極度額を最大の担保ローンに上乗せ。借入停止LTVで借入は止まります。",
    ),
    "df.liquidation_unavoidable_the_sources_fall": (
        "Liquidation unavoidable: the sources fall short by the Shortfall shown, so no plan is made and the LTV is the one before any cure.",
        "強制決済は避けられない：資金源が「不足額」の分だけ足りないため対応策は作らず、LTVは解消前の値です。",
    ),
    "df.liquidity_by_drawdown_correlated_vs": (
        "Liquidity by drawdown (correlated vs orthogonal) needs the stress test, which did not run.",
        "下落率別の流動性（相関あり／相関なし）にはストレステストが必要ですが、実行されませんでした。",
    ),
    "df.liquidity_when_you_need_it": (
        "Liquidity when you need it: correlated vs orthogonal",
        "必要なときの流動性：相関あり vs 相関なし",
    ),
    "df.market_fall": ("Market fall", "市場下落率"),
    "df.no_line_in_the_workbook": (
        "No line in the workbook: fee assumed at {recommended_fee:.2%} a year of the undrawn limit.",
        "ワークブックにラインがないため、手数料は未使用枠に対し年{recommended_fee:.2%}と仮定。",
    ),
    "df.no_line_size_survives_the": (
        "No line size survives the target: the lines' crisis cut is 100%.",
        "どの大きさのラインでも目標に届きません：ラインの危機時削減率が100%です。",
    ),
    "df.no_standby_line_can_make": (
        "No standby line can make a {fall} fall survivable, because the lender may cut the whole limit in a crisis; today you survive a {now} fall.",
        "危機時に貸し手が極度額全体を削減し得るため、どの待機枠でも{fall}の下落に耐えられるようにはなりません。現状で耐えられるのは{now}の下落です。",
    ),
    "df.note": ("Note", "注記"),
    "df.orthogonal_cash_unsecured_lines": (
        "Orthogonal: cash + unsecured lines",
        "相関なし：現金 ＋ 無担保ライン",
    ),
    "df.recommended_standby_line": ("Recommended standby line", "推奨する待機枠"),
    "df.secured_loan_limits": ("Secured loan limits", "担保ローンの極度額"),
    "df.selling_pledged_collateral_is_a": (
        "Selling pledged collateral is a last resort, open only to loans with a margin-call stage; a loan without one goes straight to the lender's forced sale.",
        "担保資産の売却は最後の手段で、追加担保の段階があるローンにのみ使えます。その段階がないローンは、そのまま貸し手の強制決済に進みます。",
    ),
    "df.standby_cost_per_year": ("Standby cost per year", "待機コスト（年）"),
    "df.status_defended": ("Defended to freeze", "借入停止まで回復"),
    "df.status_pledged": ("Needs pledged sales", "担保資産の売却が必要"),
    "df.status_safe": ("Nothing to cure", "解消不要"),
    "df.status_standing": ("Frozen but standing", "借入停止のまま維持"),
    "df.status_unavoidable": ("Liquidation unavoidable", "強制決済は不可避"),
    "df.structure": ("Structure", "借入構成"),
    "df.structure_comparison": ("Structure comparison", "借入構成の比較"),
    "df.structure_correlated": (
        "Same credit against the same collateral",
        "同じ担保で同額を借りる場合",
    ),
    "df.structure_current": ("Current structure", "現在の構成"),
    "df.structure_no_line": ("No standby line", "待機枠なし"),
    "df.structure_recommended": ("Recommended standby line", "推奨する待機枠"),
    "df.survivable_drawdown": ("Survivable drawdown", "耐えられる下落率"),
    "df.survivable_drawdown_by_structure": (
        "Survivable drawdown by structure",
        "借入構成別の耐えられる下落率",
    ),
    "df.survivable_drawdown_the_largest_uniform": (
        "Survivable drawdown: the largest uniform fall at which every secured loan is cured to freeze or stands frozen below liquidation without selling pledged collateral.",
        "耐えられる下落率：担保資産を売らずに、すべての担保ローンが借入停止LTVまで回復するか、強制決済LTV未満で借入停止のまま維持できる、一律下落率の最大値。",
    ),
    "df.survivable_market_fall": ("Survivable market fall", "耐えられる市場下落率"),
    "df.target_survive_a_target_drawdown": (
        "Target: survive a {target_drawdown:.0%} fall in every asset class (× stress beta).",
        "目標：すべての資産クラスが{target_drawdown:.0%}下落（×ストレスβ）しても耐えること。",
    ),
    "df.the_cheapest_way_to_defend": (
        "The cheapest way to defend each market fall, and the standby line to hold. In {currency}.",
        "市場下落の各段階を最も安く防衛する方法と、持っておくべき待機枠。金額は{currency}。",
    ),
    "df.the_liquidity_chart_is_the": (
        "The liquidity chart is the idea in one picture: secured headroom shrinks as prices fall, exactly when it is needed; cash and an unsecured line stay put.",
        "流動性のグラフがこの考え方を一目で示します：担保借入余力は価格の下落とともに、まさに必要なときに縮みます。現金と無担保ラインは変わりません。",
    ),
    "df.the_smallest_line_that_survives": (
        "The smallest line that survives a {target:.1%} fall.",
        "{target:.1%}の下落に耐えられる最小のライン。",
    ),
    "df.the_workbook_has_no_standby": (
        "The workbook has no standby line: its commitment fee is assumed at {default_commitment_fee:.2%} a year of the undrawn limit.",
        "ワークブックに待機枠がないため、そのコミットメントフィーは未使用枠に対し年{default_commitment_fee:.2%}と仮定しています。",
    ),
    "df.unsecured_line_limit": ("Unsecured line limit", "無担保ラインの極度額"),
    "df.unsecured_lines_removed": ("Unsecured lines removed.", "無担保ラインを除いた場合。"),
    "df.your_portfolio_survives_a_fall": (
        "Your portfolio survives a {fall} fall without forced selling{extra}; today you survive a {now} fall.",
        "{extra}強制決済なしで{fall}の下落に耐えられます。現状で耐えられるのは{now}の下落です。",
    ),
    "df.your_unsecured_lines_today_current": (
        "Your unsecured lines today: {current_line_limit}.",
        "現在の無担保ライン：{current_line_limit}。",
    ),
    "df.zero_at_every_fall": (" (zero at every fall)", "（どの下落率でもゼロ）"),
}
