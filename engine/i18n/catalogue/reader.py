"""The catalogue: the reader's problems and warnings (English, Japanese).

The reader writes its problems in English (its canonical words, tested as they are);
``engine.io.messages`` turns each part of a problem — what is wrong, what was found, the
fix — into Japanese by matching it against these English entries: a ``{field}`` matches
any text, which is itself put into Japanese (a column name, a choice, a range in words…)
before it is filled into the Japanese entry. An entry without fields is a fixed phrase.
"""

ENTRIES: dict[str, tuple[str, str]] = {
    # Kinds of value and ranges in words (fields of the messages below)
    "rd.a_percentage": ("a percentage", "パーセント値"),
    "rd.a_whole_number": ("a whole number", "整数"),
    "rd.a_number": ("a number", "数値"),
    "rd.range_between": ("between {lo} and {hi}", "{lo}〜{hi}の範囲"),
    "rd.range_open_closed": ("more than {lo} and at most {hi}", "{lo}超{hi}以下"),
    "rd.range_more": ("more than {lo}", "{lo}超"),
    "rd.range_zero_or_more": ("of zero or more", "0以上"),
    "rd.range_at_least": ("at least {lo}", "{lo}以上"),
    "rd.range_at_most": ("at most {hi}", "{hi}以下"),
    "rd.range_any": ("any number", "任意の数"),
    "rd.none_yet": ("none yet", "まだありません"),
    "rd.and_more": ("{listed} and {n} more", "{listed} ほか{n}件"),
    # Cells
    "rd.excel_error": ("holds an Excel error value", "Excelのエラー値が入っています"),
    "rd.excel_error_fix": (
        "correct the formula or value in this cell",
        "このセルの数式または値を修正してください",
    ),
    "rd.not_allowed": ("is not one of the allowed values", "選択できる値ではありません"),
    "rd.choose_one_of": ("choose one of {choices}", "{choices} のいずれかを選んでください"),
    "rd.yes_no": ("must be Yes or No", "はい または いいえ である必要があります"),
    "rd.yes_no_fix": ("enter Yes or No", "はい または いいえ を入力してください"),
    "rd.currency_code": (
        "is not a 3-letter currency code",
        "3文字の通貨コードではありません",
    ),
    "rd.currency_fix": (
        "enter an ISO code such as JPY or USD",
        "JPY や USD などのISOコードを入力してください",
    ),
    "rd.not_a_date": ("is not a date", "日付ではありません"),
    "rd.date_fix": ("enter a date such as 2026-11-20", "2026-11-20 のような日付を入力してください"),
    "rd.date_not_number": (
        "is a date but must be {what}",
        "日付ですが、{what}である必要があります",
    ),
    "rd.date_not_number_fix": (
        "format the cell as Number (Home › Number format) and type the value",
        "セルの表示形式を「数値」にして（ホーム › 数値の書式）、値を入力してください",
    ),
    "rd.text_not_number": (
        "is text but must be {what}",
        "文字列ですが、{what}である必要があります",
    ),
    "rd.must_be": ("must be {what}", "{what}である必要があります"),
    "rd.enter_what": ("enter {what}", "{what}を入力してください"),
    "rd.whole": ("must be a whole number", "整数である必要があります"),
    "rd.whole_fix": ("remove the decimals", "小数部分を削除してください"),
    "rd.did_you_mean": (
        "did you mean {value}%? Type {value}% (or {fraction}) in the cell",
        "{value}% のつもりですか？ セルに {value}%（または {fraction}）と入力してください",
    ),
    "rd.whole_percent": (
        "looks like a whole-number percent: percent cells hold fractions",
        "整数のパーセントのようです：パーセントのセルには小数が入ります",
    ),
    "rd.percent_as_number": (
        "looks like a percent typed as a number: percent cells hold fractions, so {value} is "
        "{percent}, above the plausible {plausible}",
        "パーセントを数値で入力したようです：パーセントのセルには小数が入るため、{value} は "
        "{percent} となり、妥当な上限 {plausible} を超えます",
    ),
    "rd.negative": ("must not be negative", "マイナスにはできません"),
    "rd.enter_value": ("enter a value {range}", "{range}の値を入力してください"),
    "rd.formula": (
        "holds a formula with no saved result",
        "数式に保存された計算結果がありません",
    ),
    "rd.formula_found": ("the formula {formula}", "数式 {formula}"),
    "rd.shared_formula": ("(a shared formula)", "（共有数式）"),
    "rd.formula_fix": (
        "open and save the file in Excel (or LibreOffice) so the result is stored",
        "Excel（または LibreOffice）でファイルを開いて保存し、計算結果を保存してください",
    ),
    "rd.the_date": ("the date {day}", "日付 {day}"),
    # Tables
    "rd.no_header": (
        "no header row found in the first {n} rows",
        "最初の{n}行に見出し行が見つかりません",
    ),
    "rd.no_row_holding": ("no row holding {names}", "{names} を含む行がありません"),
    "rd.add_header_holding": (
        "add a header row holding {names} (see the template)",
        "{names} を含む見出し行を追加してください（テンプレートを参照）",
    ),
    "rd.add_header_settings": (
        "add a header row with Setting and Value (see the template)",
        "設定項目 と 値 の見出し行を追加してください（テンプレートを参照）",
    ),
    "rd.column_missing": ("the column is missing", "列がありません"),
    "rd.column_missing_found": (
        "no '{name}' in the header row {row}",
        "見出し行 {row} に「{name}」がありません",
    ),
    "rd.column_missing_fix": (
        "add a column headed '{name}' and fill it in for every row",
        "見出しが「{name}」の列を追加し、すべての行に入力してください",
    ),
    "rd.no_data_row": ("the table has no data row", "表にデータ行がありません"),
    "rd.only_header": ("only the header row", "見出し行だけ"),
    "rd.only_header_example": (
        "only the header row and the template's greyed example row (not read while unchanged)",
        "見出し行と、テンプレートの灰色の記入例の行だけ（変更しない限り読みません）",
    ),
    "rd.fill_one_row": ("fill in at least one row", "少なくとも1行入力してください"),
    "rd.totals_row": (
        "looks like a totals row; it and the rows below it are not read",
        "合計行のようです。この行とその下の行は読みません",
    ),
    "rd.totals_row_fix": ("rename it if it is a real row", "実際の行なら名前を変えてください"),
    "rd.required_blank": ("is required but blank", "必須ですが空欄です"),
    "rd.empty_cell": ("an empty cell", "空のセル"),
    "rd.enter_the": ("enter the {name}", "{name}を入力してください"),
    # The workbook's sheets and Settings
    "rd.sheet_missing": ("the sheet is missing", "シートがありません"),
    "rd.sheets_found": ("sheets {names}", "シート {names}"),
    "rd.add_sheet": (
        "add a sheet named {name} (copy it from the template)",
        "「{name}」という名前のシートを追加してください（テンプレートからコピーできます）",
    ),
    "rd.historical_no_series": (
        "is Historical but no asset class names a History series, so every class returns 0",
        "ヒストリカルですが、ヒストリカル系列を指定した資産クラスがないため、すべての資産クラスの"
        "リターンが0になります",
    ),
    "rd.historical_no_series_fix": (
        "fill in AssetClasses › History series (a History column, or '{us}')",
        "資産クラス › ヒストリカル系列 を入力してください（ヒストリカルシートの列、または '{us}'）",
    ),
    "rd.fire_below_age": (
        "is below the Current age: income marked 'Stops at FIRE' has already stopped",
        "現在の年齢より低いため、「FIREで停止」の収入はすでに止まっています",
    ),
    "rd.fire_below_age_found": (
        "{fire} (current age {age})",
        "{fire}（現在の年齢 {age}）",
    ),
    "rd.check_ages": ("check both ages", "両方の年齢を確認してください"),
    "rd.unknown_setting": ("unknown setting, ignored", "不明な設定項目のため無視しました"),
    "rd.check_spelling": (
        "check the spelling against the template",
        "テンプレートと綴りを比べてください",
    ),
    "rd.setting_twice": ("the setting appears twice", "設定項目が2回あります"),
    "rd.also_in_row": ("{given} (also in row {row})", "{given}（{row}行目にもあり）"),
    "rd.one_row_per_setting": ("keep one row per setting", "設定項目ごとに1行にしてください"),
    # Records
    "rd.duplicate": ("duplicate name", "名前が重複しています"),
    "rd.different_names": ("give each row a different name", "行ごとに異なる名前にしてください"),
    "rd.no_history_column": (
        "names no column of the History sheet",
        "ヒストリカルシートにない列名です",
    ),
    "rd.history_has": ("{given} (History has {columns})", "{given}（ヒストリカルの列：{columns}）"),
    "rd.no_history_data": ("{given} (no History data)", "{given}（ヒストリカルのデータなし）"),
    "rd.history_column_fix": (
        "use a column header of the History sheet, or '{us}' for the bundled series, or leave "
        "it blank",
        "ヒストリカルシートの列見出し、同梱の系列なら '{us}' を使うか、空欄にしてください",
    ),
    "rd.base_rate_ignored": (
        "a rate for the base currency is ignored (it is always 1)",
        "基準通貨のレートは無視します（常に1）",
    ),
    "rd.delete_row": ("delete the row", "行を削除してください"),
    "rd.end_before_start": ("is before the Start year", "開始年より前です"),
    "rd.end_before_start_found": ("{end} (start {start})", "{end}（開始 {start}）"),
    "rd.end_before_start_fix": (
        "make End year the same as or later than Start year",
        "終了年を開始年と同じかそれ以降にしてください",
    ),
    "rd.ends_before_valuation": (
        "ends before the valuation year, so the row has no effect",
        "評価基準日の年より前に終わるため、この行は影響しません",
    ),
    "rd.delete_or_correct": (
        "delete the row or correct the year",
        "行を削除するか、年を修正してください",
    ),
    "rd.limit_below_balance": ("is below the Balance", "残高を下回っています"),
    "rd.limit_found": ("{limit} (balance {balance})", "{limit}（残高 {balance}）"),
    "rd.limit_fix": (
        "raise Limit to at least the balance, or leave it blank (= balance)",
        "極度額を残高以上にするか、空欄（= 残高）にしてください",
    ),
    "rd.no_collateral": (
        "no holding is pledged to this Securities-backed loan, so it has no collateral",
        "この証券担保ローンを担保先にした保有資産がないため、担保がありません",
    ),
    "rd.no_collateral_freeze": (
        "no holding is pledged to this Securities-backed loan, so it has no collateral; "
        "Freeze LTV taken as {percent}",
        "この証券担保ローンを担保先にした保有資産がないため、担保がありません。借入停止LTVは "
        "{percent} とします",
    ),
    "rd.no_collateral_fix": (
        "name it in Holdings › Pledged to for the holdings that secure it",
        "担保にする保有資産の 保有資産 › 担保先 にこのローンの名前を入力してください",
    ),
    "rd.below_default": (
        "is below the {low} {percent} (the default: the collateral's advance rate)",
        "{low} {percent}（既定値：担保の掛目）を下回っています",
    ),
    "rd.below": ("is below the {low} {percent}", "{low} {percent} を下回っています"),
    "rd.thresholds_rise": (
        "thresholds must rise: Freeze LTV ≤ Margin call LTV ≤ Liquidation LTV",
        "閾値は順に高くしてください：借入停止LTV ≤ 追加担保LTV ≤ 強制決済LTV",
    ),
    # Holdings
    "rd.no_cost_basis_one": (
        "capital-gains tax assumed zero for 1 holding (blank Cost basis): {names}",
        "1銘柄の譲渡益課税をゼロとしました（取得単価が空欄）：{names}",
    ),
    "rd.no_cost_basis": (
        "capital-gains tax assumed zero for {n} holdings (blank Cost basis): {names}",
        "{n}銘柄の譲渡益課税をゼロとしました（取得単価が空欄）：{names}",
    ),
    "rd.no_cost_basis_fix": (
        "enter each holding's average acquisition cost per unit so sales are taxed on the gain",
        "売却益に課税されるよう、各銘柄の1単位あたり平均取得価格を入力してください",
    ),
    "rd.price_fix": (
        "enter the price per unit (only Cash rows may leave it blank)",
        "1単位あたりの価格を入力してください（空欄にできるのは現金の行だけです）",
    ),
    "rd.cash_pledged": (
        "a Cash holding pledged to a loan counts as its collateral: it moves the LTV, and it "
        "is not counted in your cash",
        "ローンの担保にした現金は担保として数えます：LTVに影響し、手元の現金には数えません",
    ),
    "rd.cash_pledged_found": ("{name} pledged to {loan}", "{name} の担保先は {loan}"),
    "rd.cash_pledged_fix": (
        "clear Pledged to unless the lender really holds this cash as collateral",
        "貸し手が実際にこの現金を担保にしているのでなければ、担保先を空欄にしてください",
    ),
    "rd.policy_needs": (
        "is required for the {policy} dividend policy",
        "配当方針が {policy} のとき必須です",
    ),
    "rd.no_column": ("no '{name}' column", "「{name}」の列がありません"),
    "rd.policy_needs_fix": (
        "enter the {name}, or choose another Dividend policy",
        "{name}を入力するか、別の配当方針を選んでください",
    ),
    "rd.not_asset_class": (
        "is not an asset class on the AssetClasses sheet",
        "資産クラスシートにない資産クラスです",
    ),
    "rd.not_asset_class_fix": (
        "use one of {names}, or add a row to AssetClasses",
        "{names} のいずれかを使うか、資産クラスシートに行を追加してください",
    ),
    "rd.no_fx": (
        "has no exchange rate into the base currency {currency}",
        "基準通貨 {currency} への為替レートがありません",
    ),
    "rd.add_fx_sheet": (
        "add an FX sheet with a {currency} row (Currency, Rate)",
        "{currency} の行（通貨、レート）がある為替シートを追加してください",
    ),
    "rd.add_fx_row": (
        "add a {currency} row to the FX sheet",
        "為替シートに {currency} の行を追加してください",
    ),
    "rd.fx_example": (
        "the {currency} row on the FX sheet is the template's greyed example, not read while "
        "unchanged: type today's rate over it",
        "為替シートの {currency} の行はテンプレートの灰色の記入例で、変更しない限り読みません："
        "今日のレートを上書きしてください",
    ),
    "rd.nisa_pledged": (
        "a NISA holding cannot be pledged as collateral",
        "NISAの保有資産は担保にできません",
    ),
    "rd.nisa_pledged_found": ("{given} on a NISA holding", "NISAの保有資産に {given}"),
    "rd.nisa_pledged_fix": (
        "clear Pledged to, or set Account to Taxable",
        "担保先を空欄にするか、口座を 課税 にしてください",
    ),
    "rd.not_a_loan": ("is not a loan on the Loans sheet", "借入シートにないローンです"),
    "rd.not_a_loan_fix": (
        "use the Name of a Securities-backed loan ({names}) or leave it blank",
        "証券担保ローンの名称（{names}）を使うか、空欄にしてください",
    ),
    "rd.loan_example": (
        "that is the template's greyed example row on Loans, not read while unchanged: type "
        "your own loan over it, then pledge to its name",
        "それは借入シートのテンプレートの灰色の記入例で、変更しない限り読みません："
        "自分の借入を上書きし、その名称を担保先にしてください",
    ),
    "rd.wrong_loan_type": (
        "names a loan of type {kind}; only Securities-backed loans take collateral",
        "種類が {kind} のローンです。担保を取るのは証券担保ローンだけです",
    ),
    "rd.wrong_loan_type_found": ("{given} ({kind})", "{given}（{kind}）"),
    "rd.wrong_loan_type_fix": (
        "clear Pledged to, or pledge the holding to a Securities-backed loan",
        "担保先を空欄にするか、証券担保ローンの担保にしてください",
    ),
    # Correlations
    "rd.no_correlations": (
        "no Correlations sheet: every asset class and currency moves independently",
        "相関シートがありません：すべての資産クラスと通貨が独立に動きます",
    ),
    "rd.no_correlations_fix": (
        "add a Correlations sheet (see the template) for realistic joint crashes",
        "現実的な同時暴落のために相関シートを追加してください（テンプレートを参照）",
    ),
    "rd.no_labels": (
        "no row of factor labels found in the first {n} rows",
        "最初の{n}行に要因ラベルの行が見つかりません",
    ),
    "rd.no_labels_fix": (
        "put asset classes and FX:<CCY> labels across the first row and down the first column",
        "1行目と1列目に資産クラスと FX:<通貨> のラベルを並べてください",
    ),
    "rd.pairs_missing": (
        "{n} correlation pair(s) not given, taken as 0",
        "{n}組の相関が未入力のため0とします",
    ),
    "rd.pairs_missing_fix": (
        "add them to the matrix if they are not independent",
        "独立でないなら行列に入力してください",
    ),
    "rd.not_psd": (
        "the correlation matrix is not positive semi-definite (its numbers contradict each "
        "other, e.g. A and B both strongly tied to C but not to each other)",
        "相関行列が半正定値ではありません（数値が互いに矛盾しています。例：AとBがともにCと強く"
        "相関するのに、AとBは相関しない）",
    ),
    "rd.not_psd_found": ("smallest eigenvalue {value}", "最小固有値 {value}"),
    "rd.not_psd_fix": (
        "make the correlations consistent, for instance by lowering the largest ones",
        "相関を整合させてください（たとえば最も大きい相関を下げる）",
    ),
    "rd.unknown_label": (
        "label is not an asset class, an FX:<CCY> factor or Inflation; its row/column is ignored",
        "ラベルが資産クラス、FX:<通貨>、Inflation のいずれでもないため、その行と列は無視します",
    ),
    "rd.unknown_label_fix": (
        "use a name from AssetClasses, FX: plus a currency on the FX sheet, or Inflation",
        "資産クラスの名前、FX: と為替シートの通貨、または Inflation を使ってください",
    ),
    "rd.label_twice": ("label appears twice", "ラベルが2回あります"),
    "rd.keep_one": ("keep one of them", "どちらか1つにしてください"),
    "rd.not_a_number": ("is not a number", "数値ではありません"),
    "rd.correlation_fix": (
        "enter a correlation between -1 and 1",
        "-1〜1の相関を入力してください",
    ),
    "rd.diagonal": ("the diagonal must be 1", "対角成分は1である必要があります"),
    "rd.enter_1": ("enter 1", "1を入力してください"),
    "rd.not_symmetric": ("the matrix is not symmetric", "行列が対称ではありません"),
    "rd.not_symmetric_found": (
        "{here} here but {there} at {cell}",
        "ここは {here}、{cell} は {there}",
    ),
    "rd.not_symmetric_fix": (
        "enter the same value in both cells (or leave one blank)",
        "両方のセルに同じ値を入力してください（または片方を空欄に）",
    ),
    # History
    "rd.no_series": (
        "the table has months but no series column",
        "年月はありますが系列の列がありません",
    ),
    "rd.only_month": ("only 'Month'", "「年月」だけ"),
    "rd.no_series_fix": (
        "add a column per series, headed by its name (e.g. TOPIX), with monthly returns",
        "系列ごとに、その名前（例：TOPIX）を見出しにした月次リターンの列を追加してください",
    ),
    "rd.header_twice": ("the column header appears twice", "列見出しが2回あります"),
    "rd.header_twice_found": ("{text} (also {other})", "{text}（{other} もあり）"),
    "rd.header_twice_fix": (
        "give each series column a different header",
        "系列の列ごとに異なる見出しにしてください",
    ),
    "rd.month_blank": ("is blank but the row holds values", "空欄ですが、行に値があります"),
    "rd.month_fix": (
        "enter the month (a date, e.g. 2024-01-31)",
        "年月を入力してください（日付。例：2024-01-31）",
    ),
    "rd.month_twice": ("the month appears twice", "同じ月が2回あります"),
    "rd.one_row_per_month": ("keep one row per month", "1か月1行にしてください"),
    "rd.month_gap_after": (
        "months must be consecutive: this is not the month after row {row}'s {month}",
        "月は連続している必要があります：{row}行目の {month} の翌月ではありません",
    ),
    "rd.month_gap_before": (
        "months must be consecutive: this is not the month before row {row}'s {month}",
        "月は連続している必要があります：{row}行目の {month} の前月ではありません",
    ),
    "rd.month_gap_found": ("{found} where {wanted} was expected", "{wanted} のはずが {found}"),
    "rd.month_gap_fix": (
        "add the missing month(s), or sort the table by Month",
        "抜けている月を追加するか、表を年月で並べ替えてください",
    ),
    "rd.column_no_values": ("the column has no values", "列に値がありません"),
    "rd.only_blank": ("only blank cells", "空のセルだけ"),
    "rd.fill_or_delete": ("fill it in, or delete the column", "入力するか、列を削除してください"),
    "rd.blank_in_series": (
        "is blank inside the series: every month needs a value",
        "系列の途中が空欄です：すべての月に値が必要です",
    ),
    "rd.blank_in_series_fix": (
        "enter the month's return (0 if it did not move)",
        "その月のリターンを入力してください（動かなければ0）",
    ),
    "rd.no_common_month": (
        "the series share no month: each column covers months the others do not",
        "系列に共通の月がありません：各列が他の列にない月だけを含んでいます",
    ),
    "rd.no_common_month_fix": (
        "give every column values for a common run of months",
        "すべての列に共通の連続した月の値を入力してください",
    ),
    "rd.common_months": (
        "the columns cover different months; the {n} months all of them cover are used, "
        "{first} to {last}",
        "列ごとに月の範囲が異なります。すべての列にある{n}か月（{first}〜{last}）を使います",
    ),
    "rd.common_months_fix": (
        "trim the table to the common months to silence this",
        "この警告を消すには、表を共通の月に揃えてください",
    ),
}
