"""The catalogue: The About sheet; The Inputs sheet (English, Japanese)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # The About sheet
    "ab.about": ("About", "このファイルについて"),
    "ab.all_money_is_in_the": (
        "All money is in the base currency after FX. LTV = loan balance ÷ market value of the loan's pledged collateral; borrowing capacity = Σ market value × advance rate.",
        "金額はすべて為替換算後の基準通貨です。LTV ＝ 借入残高 ÷ そのローンの担保評価額（時価）。担保借入余力 ＝ Σ 時価 × 担保掛目。",
    ),
    "ab.alm_engine_version": ("ALM engine {version}", "ALMエンジン {version}"),
    "ab.analyses_included": ("Analyses included", "含まれる分析"),
    "ab.assumptions": ("Assumptions", "前提"),
    "ab.base_currency": ("Base currency", "基準通貨"),
    "ab.capital_gains_tax_each_taxable": (
        "Capital-gains tax: each Taxable position keeps its average cost (Cost basis; purchases update it). A sale realises value × (1 − cost ÷ price); a month's gains and losses are netted and a positive net is taxed at the Capital gains tax rate, paid from the proceeds (a sale sized to raise an amount also covers its selling cost and this tax). NISA sales are not taxed. The stress ladder and the defense plans value sales the same way (per position).",
        "譲渡益課税：課税口座の各ポジションは平均取得単価（取得原価、購入で更新）を持ちます。売却で実現する利益は 売却額 × (1 − 取得単価 ÷ 価格)。月内の損益を通算し、プラスの純額に譲渡益税率を掛けた税金を売却代金から支払います（必要額を得るための売却は、売却コストとこの税金も賄う大きさになります）。NISAの売却は非課税です。ストレスラダーと防衛策も売却を同じ方法（ポジションごと）で評価します。",
    ),
    "ab.cash_flow_conventions": ("Cash-flow conventions", "キャッシュフローの取り決め"),
    "ab.cashflow_conventions_ja": (
        "Month m (0-based) falls in calendar year year(valuation) + (month(valuation) − 1 + m) // 12.\nMonthly rows pay amount every month in their active years; Annual rows are spread evenly, amount / 12 a month; Once rows pay amount in the first month of their start year (month 0 when the start year is blank or is the valuation year).\nAmounts are in today's money: an inflation-linked row grows by (1 + expense inflation)^(m/12), and every row by (1 + growth)^(m/12).\nA row marked Stops at FIRE is inactive from the FIRE month on.",
        "m か月目（0始まり）は 評価基準日の年 + (評価基準日の月 − 1 + m) // 12 の暦年に属します。\n「毎月」の行は有効な年の毎月その金額を、「毎年」の行は金額 / 12 を毎月均等に、「一回」の行は開始年の最初の月に金額を支払います（開始年が空欄または評価基準日の年なら0か月目）。\n金額は現在の貨幣価値です：インフレ連動の行は (1 + 支出インフレ率)^(m/12) で、すべての行は (1 + 増加率)^(m/12) で増えます。\n「FIREで停止」の行はFIRE月から無効になります。",
    ),
    "ab.cost_basis_is_converted_at": (
        "Cost basis is converted at today's exchange rate (Japanese tax uses the rate of each purchase). Positions of the same class, currency, account and pledge share one average cost.",
        "取得原価は現在の為替レートで換算します（日本の税制では購入時のレートを使います）。資産クラス・通貨・口座・担保先が同じポジションは1つの平均取得単価を共有します。",
    ),
    "ab.dividends_accrue_monthly_annual_dividend": (
        "Dividends accrue monthly (annual dividend per share ÷ 12). Taxable accounts receive (1 − withholding) × (1 − dividend tax rate); NISA accounts (1 − withholding).",
        "配当は毎月発生します（1株当たり年間配当 ÷ 12）。課税口座は (1 − 源泉徴収率) × (1 − 配当課税率)、NISA口座は (1 − 源泉徴収率) を受け取ります。",
    ),
    "ab.dividends_move_with_the_economy": (
        "Dividends move with the economy in the Monte Carlo: each month the policy's dividend × (the class's price ÷ its median path)^Dividend beta, × (1 − the class's crisis cut) while the class is more than 30% below its running peak. Progressive holdings take beta 0 (only the crisis cut). On a path where every return is its median, dividends are exactly the policy's; the Snowball shows that path.",
        "モンテカルロでは配当が経済とともに動きます：毎月、方針どおりの配当 × (資産クラスの価格 ÷ 中央値の経路)^配当ベータ。資産クラスが直近の高値から30%超下落している間は、さらに × (1 − 危機時減配率)。累進配当の銘柄はベータ0（危機時の減配のみ）。すべてのリターンが中央値の経路では配当は方針どおりで、配当スノーボールはその経路を示します。",
    ),
    "ab.dividends_year_by_year_under": (
        "Dividends year by year under each holding's policy (DOE, progressive, payout, fixed), net of tax, against expenses and interest; the year dividends first cover them.",
        "各銘柄の配当方針（DOE、累進配当、配当性向、固定）による年ごとの税引後配当と、支出・利息との比較。配当が初めてそれらを賄う年。",
    ),
    "ab.each_simulated_month_one_month": (
        "Each simulated month (one month step for the scenario replay, the snowball and the Monte Carlo): cash flows (income, inflated expenses, interest, fees, amortization); net dividends; prices and FX move; the lenders' rules per secured loan; a shortfall funded in the order below; surplus used as below. A path fails when cash stays negative after every source or net worth falls to zero.",
        "シミュレーションの各月（シナリオ再現・配当スノーボール・モンテカルロで共通の月次ステップ）：キャッシュフロー（収入、インフレ後の支出、利息、手数料、元本返済）、税引後配当、価格と為替の変動、担保ローンごとの貸し手のルール、下記の順序での資金不足の手当て、下記のとおりの余剰資金の使い道。すべての資金源を使っても現金がマイナスのまま、または純資産がゼロになるとそのパスは破綻です。",
    ),
    "ab.engine_version": ("Engine version", "エンジンのバージョン"),
    "ab.everything_the_engine_read_from": (
        "Everything the engine read from your workbook, with defaults filled in, so this file stands alone.",
        "ワークブックから読み取った内容（既定値を補ったもの）。このファイルだけで完結します。",
    ),
    "ab.historical_returns_and_data": (
        "Historical returns and data",
        "ヒストリカルのリターンとデータ",
    ),
    "ab.history_data_notes_ja": (
        "US stocks: S&P Composite index, monthly, from Robert Shiller's public data set (book Irrational Exuberance), as tidied by the datasets/s-and-p-500 repository and dedicated to the public domain under the ODC Public Domain Dedication and License (PDDL 1.0).\nThe index level is a monthly average of daily closes, which smooths month-to-month moves: a crash inside a month shows partly in two months, and monthly volatility is understated.\nDividends before 1926 are interpolated from annual figures; CPI before 1913 is spliced to the Warren–Pearson index.\nThe model uses the price index only (dividends excluded): each holding's dividends come from its own policy, as in the lognormal model.\nOne country's stock market over one century and a half, in US dollars: a good record of crashes and recoveries, not a forecast for other markets or currencies.",
        "米国株：S&P総合指数（月次）。ロバート・シラーの公開データ（著書『根拠なき熱狂』）を datasets/s-and-p-500 リポジトリが整備したもので、ODC Public Domain Dedication and License（PDDL 1.0）によりパブリックドメインとされています。\n指数は日々の終値の月平均のため、月ごとの動きがならされます：月中の暴落は2か月に分かれて現れ、月次ボラティリティは過小になります。\n1926年以前の配当は年次データから補間し、1913年以前の消費者物価はウォーレン・ピアソン指数につないでいます。\nモデルは価格指数のみを使います（配当を除く）：各銘柄の配当は、対数正規モデルと同じく各自の配当方針によります。\n1か国の株式市場の約150年分（米ドル建て）：暴落と回復の記録としては有用ですが、他の市場や通貨の予測ではありません。",
    ),
    "ab.how_these_results_were_made": (
        "How these results were made and how to read them.",
        "この結果の作り方と読み方。",
    ),
    "ab.how_to_read_each_sheet": ("How to read each sheet", "各シートの読み方"),
    "ab.income_tax_social_insurance_and": (
        "Income tax, social insurance and inheritance are outside the model; enter them as cash flows if they matter to you.",
        "所得税、社会保険料、相続はモデルの対象外です。重要な場合はキャッシュフローとして入力してください。",
    ),
    "ab.inflation_in_the_monte_carlo": (
        "Inflation in the Monte Carlo is a path per future: a mean-reverting rate around Expense inflation (3-year half-life, Inflation volatility a year), correlated with markets through the Inflation row of Correlations. Inflation-linked cash flows grow with it and real amounts are divided by each future's own price level. Floating-rate loans pay their rate + (inflation − Expense inflation), never below 0. The Balance Sheet, Stress Test and Snowball use Expense inflation.",
        "モンテカルロのインフレは将来ごとの経路です：支出インフレ率を中心に平均回帰する率（半減期3年、年間ボラティリティはインフレのボラティリティ）で、相関シートの Inflation 行を通じて市場と相関します。インフレ連動のキャッシュフローはこれに沿って増え、実質額は各将来の物価水準で割ります。変動金利のローンは 金利 ＋（インフレ − 支出インフレ率）を支払います（0未満にはなりません）。貸借対照表、ストレステスト、配当スノーボールは支出インフレ率を使います。",
    ),
    "ab.input_file": ("Input file", "入力ファイル"),
    "ab.input_sha_256": ("Input SHA-256", "入力のSHA-256"),
    "ab.lender_monitoring_daily_lenders_watch": (
        "Lender monitoring: Daily — lenders watch the LTV every day, the model at month ends, so the Monte Carlo compares month-end LTVs with call and liquidation LTVs lowered by exp(−0.5826 × σ × √(1/12)), σ the yearly volatility of each loan's collateral (Broadie–Glasserman–Kou): a breach on some day within the month counts. The stress ladder and the scenario replays use the thresholds as written.",
        "貸し手の監視：毎日 — 貸し手は毎日LTVを確認しますがモデルは月末に確認するため、モンテカルロでは月末のLTVを、exp(−0.5826 × σ × √(1/12)) だけ引き下げた追加担保LTV・強制決済LTVと比べます（σ は各ローンの担保の年間ボラティリティ、Broadie–Glasserman–Kou）。月中のどこかの日の抵触も数えます。ストレスラダーとシナリオ再現は水準をそのまま使います。",
    ),
    "ab.lender_monitoring_month_end_the": (
        "Lender monitoring: Month-end — the lenders' thresholds are compared with month-end LTVs as written.",
        "貸し手の監視：月末 — 貸し手の各水準を、そのまま月末のLTVと比べます。",
    ),
    "ab.lenders_are_modelled_by_their": (
        "Lenders are modelled by their published thresholds (freeze, margin call, liquidation, limit cuts); a real lender may act earlier or differently.",
        "貸し手は公表されている水準（借入停止、追加担保、強制決済、極度額の削減）でモデル化しています。実際の貸し手はより早く、または異なる対応をすることがあります。",
    ),
    "ab.limitations": ("Limitations", "限界"),
    "ab.liquidation_ltv_at_or_above": (
        "Liquidation (LTV at or above the liquidation LTV): the lender sells per the loan's Forced sale — All: every pledged unit, and the facility is closed for the rest of the path; To freeze: enough to bring the LTV back to freeze. A forced sale is a liquidation or a sale under a call.",
        "強制決済（LTVが強制決済LTV以上）：貸し手はローンの「強制決済の方法」に従って売却します — 全部：担保に入っているすべての単位を売却し、そのパスの残りの期間は融資枠を閉じます。借入停止まで：LTVが借入停止水準に戻るまで売却します。強制売却とは、強制決済または追加担保に伴う売却のことです。",
    ),
    "ab.loan_policy_keep_the_borrowing": (
        "Loan policy: Keep — the borrowing you have today stays drawn: surplus never repays it (only draws made later, above today's balance, are repaid).",
        "借入方針：維持 — 現在の借入はそのまま残ります：余剰資金で返済しません（後から現在の残高を超えて借りた分だけを返済します）。",
    ),
    "ab.loan_policy_repay_surplus_above": (
        "Loan policy: Repay — surplus above the cash buffer repays drawn debt, the dearest first.",
        "借入方針：返済 — 生活防衛資金を超える余剰資金で、金利の高い借入から返済します。",
    ),
    "ab.lognormal_monthly_returns_with_constant": (
        "Lognormal monthly returns with constant volatility and correlation have thinner tails than real markets; the stress test and scenario replay exist to cover the crashes.",
        "ボラティリティと相関が一定の対数正規の月次リターンは、実際の市場より裾が薄くなります。暴落はストレステストとシナリオ再現で補います。",
    ),
    "ab.margin_call_ltv_at_or": (
        "Margin call (LTV at or above the call LTV): cured back to the freeze LTV from cash (the buffer included), then unsecured lines (cheapest first), then sales of unpledged assets, then sales of pledged assets. A call met by selling is a sale under a call.",
        "追加担保（LTVが追加担保LTV以上）：現金（生活防衛資金を含む）、次に無担保ライン（金利の低い順）、次に担保外資産の売却、最後に担保資産の売却で、借入停止LTVまで戻します。売却で対応した追加担保は「追加担保に伴う売却」です。",
    ),
    "ab.monte_carlo_paths": ("Monte Carlo paths", "モンテカルロのパス数"),
    "ab.none": ("None.", "なし。"),
    "ab.pinned_for_reproducible_output_pin": (
        "pinned for reproducible output (--pin-created)",
        "再現可能な出力のため固定（--pin-created）",
    ),
    "ab.portfolio": ("Portfolio", "ポートフォリオ"),
    "ab.random_seed": ("Random seed", "乱数シード"),
    "ab.return_model_historical_monthly_returns": (
        "Return model Historical: monthly returns are not drawn from AssetClasses' Expected return and Volatility but resampled from real history — a stationary bootstrap (Politis–Romano) of blocks of consecutive months, 12 months long on average, the same calendar months for every series, from each class's History series (a History sheet column, or US stocks: the bundled S&P Composite price index). A currency follows a History column named FX:<currency> if there is one, else stays at today's rate; a class without a series returns 0. Inflation is the 12-month inflation rate of the History sheet's Inflation column, else of the US CPI; inflation-linked costs and floating rates follow it. The Monte Carlo sheet also runs the plan through every actual sequence of months (historical-sequence success) and the Stress Test replays the three worst actual crashes. The snowball and the stress ladder still use Expected return.",
        "リターンモデル「ヒストリカル」：月次リターンは 資産クラスシートの期待リターンとボラティリティからではなく、実際の過去データから再抽出します — 連続した月のブロック（平均12か月）の定常ブートストラップ（Politis–Romano）で、すべての系列で同じ暦月を使い、各資産クラスの History 系列（ヒストリカルシートの列、または US stocks：同梱のS&P総合価格指数）から取ります。通貨は FX:<通貨> という名前の History 列があればそれに従い、なければ現在のレートのままです。系列のない資産クラスのリターンは0です。インフレは ヒストリカルシートの Inflation 列の12か月インフレ率、なければ米国CPIで、インフレ連動の費用と変動金利がこれに従います。モンテカルロのシートでは実際の月の系列すべてでも計画を試し（ヒストリカル系列での成功確率）、ストレステストでは実際に起きた最悪の3つの暴落を再現します。配当スノーボールとストレスラダーは引き続き期待リターンを使います。",
    ),
    "ab.returns_each_asset_class_s": (
        "Returns: each asset class's expected return μ (arithmetic, yearly, price only) and volatility σ define a yearly lognormal gross return with mean 1+μ and standard deviation σ: s² = ln(1 + σ²/(1+μ)²), m = ln(1+μ) − s²/2. Monthly log-returns are normal with mean m/12 and variance s²/12, correlated across asset classes and FX factors by the Correlations matrix. FX factors are built the same way from the FX table. Every holding of a class moves with its class.",
        "リターン：各資産クラスの期待リターン μ（算術平均、年率、価格のみ）とボラティリティ σ から、平均 1+μ・標準偏差 σ の年次対数正規のグロスリターンを定めます：s² = ln(1 + σ²/(1+μ)²)、m = ln(1+μ) − s²/2。月次の対数リターンは平均 m/12・分散 s²/12 の正規分布で、資産クラスと為替ファクターの間は 相関シートの行列で相関します。為替ファクターも 為替シートから同じ方法で作ります。各銘柄はその資産クラスとともに動きます。",
    ),
    "ab.run_time": ("Run time", "実行日時"),
    "ab.same_input_file_and_seed": (
        "Same input file and seed give the same numbers.",
        "同じ入力ファイルと乱数シードなら同じ数値になります。",
    ),
    "ab.secured_draws_above_today_s": (
        "secured draws above today's balance",
        "現在の残高を超える担保借入",
    ),
    "ab.secured_loans": ("secured loans", "担保ローン"),
    "ab.standby_line_use_any_shortfall": (
        "Standby line use: Any shortfall — a living-cost shortfall is met from cash, then unsecured lines, then secured draws, then sales of unpledged assets, then sales of pledged assets.",
        "待機枠の使い方：不足時はいつでも — 生活費の不足は、現金、無担保ライン、担保借入、担保外資産の売却、担保資産の売却の順に手当てします。",
    ),
    "ab.standby_line_use_crises_only": (
        "Standby line use: Crises only — a living-cost shortfall is met from cash, then secured draws while below the freeze LTV and the limit, then sales of unpledged assets, then unsecured lines (the crisis reserve), then sales of pledged assets.",
        "待機枠の使い方：危機時のみ — 生活費の不足は、現金、借入停止LTVと極度額の範囲内での担保借入、担保外資産の売却、無担保ライン（危機への備え）、担保資産の売却の順に手当てします。",
    ),
    "ab.stress_ladder_figures_are_static": (
        "Stress-ladder figures are static: every class falls by min(1, drawdown × stress beta) at once, with no time passing. Selling pledged collateral is not counted as a defense.",
        "ストレスラダーの数値は静的です：時間の経過なしに、各資産クラスが一度に min(1, 下落率 × ストレスβ) だけ下落します。担保資産の売却は防衛策に数えません。",
    ),
    "ab.surplus_above_the_cash_buffer": (
        "Surplus above the cash buffer: first refills the buffer, then repays unsecured lines (dearest first), then ",
        "生活防衛資金を超える余剰資金は、まず生活防衛資金を補充し、次に無担保ライン（金利の高い順）、その次に",
    ),
    "ab.the_cheapest_way_to_defend": (
        "The cheapest way to defend each drawdown level (a linear program over cash, lines and sales), how far each loan structure survives, and the smallest standby line that survives your target drawdown.",
        "各下落水準を最も安く防衛する方法（現金・ライン・売却の線形計画）、各借入構成がどこまで耐えられるか、目標下落率に耐えられる最小の待機枠。",
    ),
    "ab.the_drawdown_ladder_what_each": (
        "The drawdown ladder (what each loan's LTV and zone become as markets fall, the cure needed and the sources to pay it), the exact breaking points, and the historical crises replayed month by month through your structure.",
        "下落率ラダー（市場下落に応じた各ローンのLTVとゾーン、必要な解消額とその資金源）、正確な限界点、そして過去の危機をあなたの構成で月次に再現した結果。",
    ),
    "ab.the_household_this_run_simulated": (
        "The household this run simulated",
        "今回シミュレーションした家計",
    ),
    "ab.the_morning_check_on_one": (
        "The morning check on one page: net worth, funded ratio, LTV per loan against its thresholds, FIRE probability, dividend coverage, runway, spread and the recommended line, each with a traffic light and its rule, the verdict in one line, and the trend over past runs.",
        "1ページで見る朝のチェック：純資産、積立充足率、ローンごとのLTVと各水準、FIRE成功確率、配当カバー率、資金持続期間、スプレッド、推奨ライン。それぞれに信号とそのルール、1行の総合判定、過去の実行の推移。",
    ),
    "ab.the_rest_is_invested_pro": (
        "; the rest is invested pro rata if Reinvest surplus is Yes.",
        "を返済します。残りは「余剰資金の再投資」が「はい」なら按分して投資します。",
    ),
    "ab.this_is_a_planning_tool": (
        "This is a planning tool, not investment advice. Figures are only as good as the inputs.",
        "これは計画のためのツールであり、投資助言ではありません。数値は入力の正確さ次第です。",
    ),
    "ab.this_sheet_where_the_numbers": (
        "This sheet: where the numbers come from and what the model leaves out.",
        "このシート：数値の出所と、モデルが扱わないこと。",
    ),
    "ab.thousands_of_simulated_futures_with": (
        "Thousands of simulated futures with the lenders' rules inside each: the probability your plan lasts the horizon, when failures happen, the range of outcomes, the same plan without leverage, the maximum safe spending and a spending × line-size grid.",
        "貸し手のルールを組み込んだ何千もの将来のシミュレーション：計画が期間を通じて持続する確率、破綻の時期、結果の幅、借入なしの同じ計画、安全な支出上限、支出 × ライン規模の表。",
    ),
    "ab.time_runs_in_monthly_steps": (
        "Time runs in monthly steps; month 0 is the valuation date; the horizon is 12 × Horizon years months.",
        "時間は月単位で進みます。0か月目が評価基準日で、計画期間は 12 × 計画年数 か月です。",
    ),
    "ab.valuation_date": ("Valuation date", "評価基準日"),
    "ab.warnings": ("Warnings", "警告"),
    "ab.what_you_own_and_owe": (
        "What you own and owe, including the hidden liability (present value of future expenses minus income); per loan its LTV, thresholds, the market fall that reaches each, and the cash that cures it; the run-rate income statement, spread and runway.",
        "保有資産と負債。隠れ負債（将来の支出から収入を引いた現在価値）を含みます。ローンごとのLTV、各水準、それぞれに達する市場下落率とそれを解消する現金。現状ベースの損益、スプレッド、資金持続期間。",
    ),
    # The Inputs sheet
    "in.12_horizon_years": ("12 × Horizon years.", "12 × 計画年数。"),
    "in.bundled_s_p_composite_series": (
        " (bundled S&P Composite series)",
        "（同梱のS&P総合指数の系列）",
    ),
    "in.cash_buffer": ("Cash buffer", "生活防衛資金"),
    "in.cash_buffer_months_cash_buffer": (
        "Cash buffer months ({cash_buffer_months:g}) × month-0 living expenses.",
        "生活防衛資金の月数（{cash_buffer_months:g}）× 0か月目の生活費。",
    ),
    "in.columns": ("Columns", "列"),
    "in.correlations_of_monthly_returns_between": (
        "Correlations of monthly returns between asset classes, FX factors and (optionally) inflation surprises.",
        "資産クラス、為替ファクター、（任意で）インフレの予想外の変動の間の、月次リターンの相関。",
    ),
    "in.currency": ("Currency", "通貨"),
    "in.everything_read_from_source_after": (
        "Everything read from {source}, after defaults were applied, so this file stands alone.",
        "{source}から読み取り、既定値を補った内容のすべて。このファイルだけで完結します。",
    ),
    "in.fire_month": ("FIRE month", "FIRE月"),
    "in.fx_rate": ("FX rate", "為替レート"),
    "in.holdings_in_base_currency": ("Holdings in base currency", "基準通貨での保有資産"),
    "in.inflation": ("Inflation", "インフレ"),
    "in.inputs": ("Inputs", "入力内容"),
    "in.market_value_currency": ("Market value ({currency})", "時価（{currency}）"),
    "in.month_0_living_expenses": ("Month-0 living expenses", "0か月目の生活費"),
    "in.month_from_which_stops_at": (
        "Month from which 'Stops at FIRE' income has ended.",
        "「FIREで停止」の収入が終わる月。",
    ),
    "in.months": ("Months", "月数"),
    "in.n_months_months_first_y": (
        "{n_months:,} months, {first:%Y-%m} to {last:%Y-%m}",
        "{n_months:,}か月、{first:%Y-%m}〜{last:%Y-%m}",
    ),
    "in.name": ("Name", "名称"),
    "in.no_history_sheet_or_no": (
        "(no History sheet, or no rows in it)",
        "（ヒストリカルシートがない、または行がありません）",
    ),
    "in.no_rows": ("(no rows)", "（行なし）"),
    "in.none": ("None.", "なし。"),
    "in.notes": ("Notes", "メモ"),
    "in.projection_months": ("Projection months", "予測月数"),
    "in.quantity_price_fx_rate_in": (
        "Quantity × Price × FX rate, in {currency}.",
        "数量 × 価格 × 為替レート（{currency}建て）。",
    ),
    "in.recurring_expense_rows_in_the": (
        "Recurring Expense rows in the first month (Once rows excluded).",
        "最初の月の定期的な支出行（「一回」の行を除く）。",
    ),
    "in.resolved_from_your_inputs": ("Resolved from your inputs", "入力から導いた値"),
    "in.setting": ("Setting", "設定"),
    "in.sha_256_of_the_input": ("SHA-256 of the input: {value}", "入力のSHA-256：{value}"),
    "in.the_input_workbook": ("the input workbook", "入力ワークブック"),
    "in.value": ("Value", "値"),
    "in.warnings_from_reading_the_workbook": (
        "Warnings from reading the workbook",
        "ワークブック読み取り時の警告",
    ),
}
