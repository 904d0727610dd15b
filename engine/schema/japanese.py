"""The input contract in Japanese: sheet names, column and setting names, their help.

English stays canonical inside the engine (``Column.name``, ``Table.sheet``): this module
is the one place that says what each is called in a Japanese workbook. The template
writes these names (``run.py template --lang ja``), the reader accepts them as well as
the English ones (in any mix), and the Inputs sheet of a Japanese run shows them.
Choice values (課税 / NISA, 証券担保ローン…) are the catalogue's ``choice.*`` entries.
"""

from __future__ import annotations

from engine.i18n import CATALOGUE

#: Sheet name (English) → its name in a Japanese workbook.
SHEETS: dict[str, str] = {
    "Settings": "設定",
    "Holdings": "保有資産",
    "FX": "為替",
    "AssetClasses": "資産クラス",
    "Correlations": "相関",
    "Loans": "借入",
    "Cashflows": "収支",
    "Scenarios": "シナリオ",
    "History": "ヒストリカル",
    "Start here": "はじめに",
    "Column guide": "列の説明",
}

#: The Settings sheet's own headers.
SETTINGS_HEADERS: dict[str, str] = {"Setting": "設定項目", "Value": "値", "Notes": "メモ"}

#: Sheet help (the Start here sheet's list of sheets).
SHEET_HELP: dict[str, str] = {
    "Settings": "日付、年齢、期間、インフレ、税率、シミュレーション規模、目標、借入の使い方。"
    "空欄 = メモ欄の既定値。",
    "Holdings": "保有資産：1銘柄1行。現金も資産クラス「現金」（または Cash）の行として入力します。",
    "FX": "基準通貨への為替レート。",
    "AssetClasses": "資産クラスごとのリターン・リスク・ストレス・担保の前提。",
    "Correlations": "資産クラス、FX:<通貨>、Inflation の相関（任意）。空欄 = 0。テンプレートでは"
    "Inflation と株式の相関を -0.1（インフレの上振れは株価を下げる）、それ以外を 0 としています。",
    "Loans": "借入と借入枠：証券担保ローン、無担保ライン、分割返済ローン。",
    "Cashflows": "将来の入出金：生活費、教育費、給与、年金。",
    "Scenarios": "過去の危機を月ごとにあなたの資産構成で再現します。",
    "History": "任意。リターンモデル = ヒストリカルのとき：月次の価格リターン（例：TOPIX）。"
    "1か月1行、資産クラスが指定する系列ごとに1列。",
    "Column guide": "すべての設定と列：既定値と説明。",
}

#: What to fill in when a table has no data row (``Table.empty_fix``).
EMPTY_FIX: dict[str, str] = {
    "Holdings": "保有銘柄ごとに1行（銘柄名、資産クラス、数量、価格）と、現金のための資産クラス"
    "「現金」の行（数量 = 金額）を入力してください",
    "AssetClasses": "保有資産が使う資産クラスごとに1行（資産クラス、期待リターン、ボラティリティ、"
    "ストレスベータ、危機時減配率、担保掛目）を入力してください。テンプレートからコピーできます",
    "Loans": "借入と借入枠ごとに（名称、種類、残高、金利）を入力してください。借入がまったくない"
    "場合は、残高0・極度額0・金利0の無担保ラインを1行入力してください",
}

#: (sheet, column) → (Japanese name, Japanese help). Settings are under "Settings".
COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    # Settings
    ("Settings", "Portfolio name"): (
        "ポートフォリオ名",
        "結果と履歴に表示する名前。既定値：ファイル名。",
    ),
    ("Settings", "Base currency"): (
        "基準通貨",
        "すべての結果をこの通貨で表示します（ISOコード。例：JPY、USD）。",
    ),
    ("Settings", "Valuation date"): ("評価基準日", "保有資産の価格の日付：0か月目。既定値：今日。"),
    ("Settings", "Current age"): ("現在の年齢", "今日の年齢（満年齢）。"),
    ("Settings", "Horizon years"): ("期間（年）", "予測・シミュレーションする年数（1〜100）。"),
    ("Settings", "FIRE age"): (
        "FIRE年齢",
        "「FIREで停止」の収入が終わる年齢。既定値：現在の年齢。",
    ),
    ("Settings", "Expense inflation"): (
        "支出インフレ率",
        "インフレ連動の収支に適用する年率（2% = 0.02）。",
    ),
    ("Settings", "Discount rate"): ("割引率", "将来の支出から収入を引いた額の現在価値の割引率。"),
    ("Settings", "Dividend tax rate"): (
        "配当課税率",
        "課税口座の配当にかかる税率（日本：20.315%）。",
    ),
    ("Settings", "Cash buffer months"): (
        "生活防衛資金（月数）",
        "現金で持つ生活費の月数。防衛策の資金源には数えません。",
    ),
    ("Settings", "Reinvest surplus"): (
        "余剰資金の再投資",
        "はい：生活防衛資金を超える現金を現在の保有比率で投資します。",
    ),
    ("Settings", "Monte Carlo paths"): (
        "モンテカルロ試行回数",
        "シミュレーションする将来の本数（100〜1,000,000）。",
    ),
    ("Settings", "Random seed"): ("乱数シード", "同じ入力と同じシードなら同じ結果になります。"),
    ("Settings", "Target success probability"): (
        "目標成功確率",
        "望むモンテカルロの成功確率（例：90%）。",
    ),
    ("Settings", "Target drawdown"): ("目標下落率", "防衛策が耐えるべき市場の下落率（例：50%）。"),
    ("Settings", "Stress step"): (
        "ストレス刻み幅",
        "0%から90%までのストレス段階の刻み（例：5%）。",
    ),
    ("Settings", "Selling cost"): (
        "売却コスト",
        "資産売却のコスト（スプレッドと手数料）。売却額に対する割合。",
    ),
    ("Settings", "Loan policy"): (
        "借入方針",
        "維持：今日の借入をそのまま維持します（利息は毎月支払い、余剰資金で繰上返済しません）。"
        "返済：生活防衛資金を超える余剰で、金利の高い借入から返済します。",
    ),
    ("Settings", "Standby line use"): (
        "無担保ラインの使い方",
        "危機時のみ：無担保ラインは危機の備えとし、追加担保に使い、生活費には現金・担保余力・"
        "担保外資産の売却を使い切ったときだけ使います。不足時はいつでも：資金不足があれば最初に使います。",
    ),
    ("Settings", "Lender monitoring"): (
        "貸し手の監視",
        "毎日：貸し手は担保掛目を毎日確認するため、月中のどの日の超過も数えます。"
        "月末：月末の超過だけを数えます。",
    ),
    ("Settings", "Capital gains tax rate"): (
        "譲渡益課税率",
        "課税口座の実現益にかかる税率（日本：20.315%）。NISAの売却は非課税です。",
    ),
    ("Settings", "Inflation volatility"): (
        "インフレ率の変動性",
        "支出インフレ率のまわりのインフレ率の年率ボラティリティ。0 = インフレ率固定。",
    ),
    ("Settings", "Return model"): (
        "リターンモデル",
        "対数正規：資産クラスの期待リターンとボラティリティから乱数で生成します。"
        "ヒストリカル：実際の月次履歴のブロック（各資産クラスのヒストリカル系列）を使います。",
    ),
    ("Settings", "Record history"): (
        "履歴に記録",
        "試算用のコピーでは「いいえ」：実行を履歴に記録せず、スナップショットも置き換えません。",
    ),
    ("Settings", "Language"): (
        "言語",
        "結果ファイルとメッセージの言語：English（英語）または 日本語。",
    ),
    # Holdings
    ("Holdings", "Name"): ("銘柄名", "保有資産ごとに異なる名前。"),
    ("Holdings", "Ticker"): ("コード", "任意の銘柄コード。"),
    ("Holdings", "Asset class"): ("資産クラス", "資産クラスシートにある資産クラスのいずれか。"),
    ("Holdings", "Currency"): (
        "通貨",
        "価格の通貨。空欄 = 基準通貨。それ以外は為替シートに行が必要です。",
    ),
    ("Holdings", "Quantity"): ("数量", "保有数量。現金の行では金額。"),
    ("Holdings", "Price"): ("価格", "保有資産の通貨での1単位の価格。現金は空欄可（= 1）。"),
    ("Holdings", "Account"): ("口座", "課税 または NISA。NISA：配当非課税、担保にできません。"),
    ("Holdings", "Pledged to"): (
        "担保先",
        "この保有資産を担保にしている証券担保ローンの名前。なければ空欄。",
    ),
    ("Holdings", "Role"): ("役割", "コア（配当）または サテライト（成長）。"),
    ("Holdings", "Dividend per share"): (
        "1株配当",
        "現在の1単位あたり年間配当（保有資産の通貨）。DOEでは空欄可：DOE × 1株純資産。"
        "配当性向では：配当性向 × ROE × 1株純資産。それ以外は0（既定値）。",
    ),
    ("Holdings", "Dividend policy"): (
        "配当方針",
        "DOE、累進配当、配当性向、固定、なし。既定値：配当があれば固定。",
    ),
    ("Holdings", "Book value per share"): ("1株純資産", "DOEと配当性向の方針で必須。"),
    ("Holdings", "DOE"): ("DOE", "株主資本配当率（配当 / 純資産）。DOEで必須。"),
    ("Holdings", "ROE"): ("ROE", "自己資本利益率。DOEと配当性向で必須。"),
    ("Holdings", "Payout ratio"): ("配当性向", "配当 / 利益。配当性向の方針で必須。"),
    ("Holdings", "Dividend growth"): ("増配率", "累進配当と固定の年間増配率。"),
    ("Holdings", "Withholding"): ("外国源泉税", "配当にかかる外国の源泉徴収税率。"),
    ("Holdings", "Cost basis"): (
        "取得単価",
        "売却時の譲渡益課税のための1単位あたり平均取得価格（保有資産の通貨）。"
        "空欄 = 価格（含み益なし。警告します）。現金は不要。",
    ),
    ("Holdings", "Notes"): ("メモ", "自由記入。エンジンは読みません。"),
    # FX
    ("FX", "Currency"): ("通貨", "保有資産で使う外国通貨のISOコード。"),
    ("FX", "Rate"): ("レート", "1単位あたりの基準通貨の額（例：1米ドル = 150円）。"),
    ("FX", "Volatility"): ("ボラティリティ", "為替レートの年率ボラティリティ。"),
    ("FX", "Expected change"): ("期待変化率", "為替レートの年間期待変化率（+ = 基準通貨安）。"),
    ("FX", "Notes"): ("メモ", "自由記入。エンジンは読みません。"),
    # AssetClasses
    ("AssetClasses", "Asset class"): ("資産クラス", "資産クラスの名前。保有資産シートで使います。"),
    ("AssetClasses", "Expected return"): (
        "期待リターン",
        "配当を除く年間価格リターン（算術平均）。",
    ),
    ("AssetClasses", "Volatility"): ("ボラティリティ", "価格リターンの年率ボラティリティ。"),
    ("AssetClasses", "Stress beta"): (
        "ストレスベータ",
        "ストレス段階の下落率にかける倍率（1 = 市場と同じだけ下落）。",
    ),
    ("AssetClasses", "Crisis dividend cut"): (
        "危機時減配率",
        "資産クラスが高値から30%超下落している間の減配率。",
    ),
    ("AssetClasses", "Advance rate"): (
        "担保掛目",
        "貸し手が融資の対象とする担保評価の割合（掛目）。",
    ),
    ("AssetClasses", "Dividend beta"): (
        "配当ベータ",
        "シミュレーションで配当が価格にどれだけ連動するか：0 = 連動しない、1 = 同じだけ。"
        "空欄 = 0（方針どおりの配当）。テンプレートの目安は株式0.6、REIT0.8。",
    ),
    ("AssetClasses", "History series"): (
        "ヒストリカル系列",
        "リターンモデル = ヒストリカルのとき：この資産クラスの月次リターンがあるヒストリカル"
        "シートの列、または同梱のS&P総合系列なら 'US stocks'。空欄 = そのモデルではリターン0（現金向け）。",
    ),
    # Loans
    ("Loans", "Name"): ("名称", "借入ごとに異なる名前。"),
    ("Loans", "Type"): ("種類", "証券担保ローン、無担保ライン、分割返済 のいずれか。"),
    ("Loans", "Balance"): ("残高", "現在の借入額。"),
    ("Loans", "Limit"): ("極度額", "借入枠の上限（残高以上）。既定値：残高。"),
    ("Loans", "Interest rate"): ("金利", "借入残高にかかる年利。"),
    ("Loans", "Commitment fee"): (
        "コミットメントフィー",
        "極度額の未使用部分にかかる年率の手数料。",
    ),
    ("Loans", "Advance rate"): (
        "担保掛目",
        "このローンの担保について資産クラスの掛目を上書きします。",
    ),
    ("Loans", "Freeze LTV"): (
        "借入停止LTV",
        "LTVがこの値以上で新規借入が止まります。既定値：担保の掛目。",
    ),
    ("Loans", "Margin call LTV"): (
        "追加担保LTV",
        "LTVがこの値以上で追加担保（追証）。空欄 = 追加担保の段階なし。",
    ),
    ("Loans", "Liquidation LTV"): ("強制決済LTV", "LTVがこの値以上で強制売却。"),
    ("Loans", "Forced sale"): (
        "強制売却",
        "強制決済LTVで、全部：貸し手が担保をすべて売却してローンを終了します（楽天銀行、日本証券金融）。"
        "借入停止まで：LTVが借入停止LTVに戻るだけ売却します。",
    ),
    ("Loans", "Monthly payment"): ("毎月返済額", "毎月返済する元本（分割返済）。"),
    ("Loans", "Crisis limit cut"): (
        "危機時の枠削減",
        "無担保ライン：危機時に貸し手が削減しうる極度額の割合。",
    ),
    ("Loans", "Rate type"): (
        "金利タイプ",
        "変動金利はシミュレーションでインフレとともに動き、固定金利は動きません。"
        "既定値：変動（分割返済は固定）。",
    ),
    ("Loans", "Notes"): ("メモ", "自由記入。例：どの貸し手のルールに従った閾値か。"),
    # Cashflows
    ("Cashflows", "Name"): ("名称", "行ごとに異なる名前。"),
    ("Cashflows", "Type"): ("種類", "支出 または 収入。"),
    ("Cashflows", "Amount"): ("金額", "1期間あたりの金額（今日の貨幣価値、0より大きい）。"),
    ("Cashflows", "Frequency"): ("頻度", "毎月、毎年（年間に均等配分）、一回。"),
    ("Cashflows", "Start year"): ("開始年", "最初の年（西暦。空欄 = 評価基準日から）。"),
    ("Cashflows", "End year"): (
        "終了年",
        "最後の年（西暦、その年を含む。空欄 = 期間の終わりまで）。",
    ),
    ("Cashflows", "Inflation-linked"): (
        "インフレ連動",
        "支出インフレ率で増えます。既定値：支出ははい、収入はいいえ。",
    ),
    ("Cashflows", "Growth"): ("増加率", "上乗せする年間増加率。"),
    ("Cashflows", "Stops at FIRE"): ("FIREで停止", "はい：FIRE年齢で終わります（例：給与）。"),
    ("Cashflows", "Notes"): ("メモ", "自由記入。エンジンは読みません。"),
    # Scenarios
    ("Scenarios", "Name"): ("名称", "シナリオごとに異なる名前。"),
    ("Scenarios", "Equity drawdown"): (
        "株価下落率",
        "高値から底値までの下落率。各資産クラスのストレスベータを掛けます。",
    ),
    ("Scenarios", "FX change"): (
        "為替変化率",
        "基準通貨に対する外国通貨の変化（マイナス = 基準通貨高）。",
    ),
    ("Scenarios", "Dividend cut"): ("減配率", "シナリオ期間中の減配率。"),
    ("Scenarios", "Rate shock"): ("金利ショック", "借入金利に加算（1% = 0.01）。"),
    ("Scenarios", "Line limit cut"): (
        "借入枠の削減",
        "貸し手が削減する無担保ラインの極度額の割合。",
    ),
    ("Scenarios", "Months to trough"): ("底までの月数", "底値まで対数線形に下落する月数。"),
    ("Scenarios", "Months to recover"): (
        "回復までの月数",
        "対数線形に回復する月数（0 = 期間内に回復しない）。",
    ),
    # History
    ("History", "Month"): (
        "年月",
        "その月（月内のどの日でも可）。古い順でも新しい順でも可。月は連続していること。",
    ),
    ("History", "TOPIX"): (
        "TOPIX",
        "系列の列の例：名前を変えて自分のデータを貼り付けてください。年月・Inflation・メモ以外の列は"
        "すべて系列で、見出しがその名前です。FX:USD という見出しの列（1米ドルあたりの基準通貨、"
        "その月次変化）はその通貨を動かします。",
    ),
    ("History", "Inflation"): (
        "Inflation",
        "任意：その月の消費者物価上昇率（小数）。CPIから：今月のCPI / 先月のCPI - 1。",
    ),
    ("History", "Notes"): ("メモ", "読みません。"),
}

#: Lender rules of the Start here sheet, in Japanese (by lender, in schema order).
LENDER_RULES: tuple[tuple[str, str], ...] = (
    ("楽天銀行 証券担保ローン", "LTV60%超で新規借入停止、85%超で担保をすべて売却。"),
    (
        "日本証券金融（日証金）",
        "LTV70%で追加担保、5営業日以内に60%まで回復が必要。85%で期限の利益喪失（担保をすべて売却）。",
    ),
)


def sheet_name(sheet: str, japanese: bool) -> str:
    """A sheet's name in a workbook of that language."""
    return SHEETS.get(sheet, sheet) if japanese else sheet


def column_name(sheet: str, name: str, japanese: bool) -> str:
    """A column's (or setting's) name in a workbook of that language."""
    if not japanese:
        return name
    entry = COLUMNS.get((sheet, name))
    if entry is None and sheet == "Settings":
        return SETTINGS_HEADERS.get(name, name)
    return entry[0] if entry else name


def column_help(sheet: str, name: str, help_text: str, japanese: bool) -> str:
    if not japanese:
        return help_text
    entry = COLUMNS.get((sheet, name))
    return entry[1] if entry else help_text


#: English choice value → Japanese (the catalogue's ``choice.*`` entries), plus Yes / No.
CHOICES: dict[str, str] = {
    english: japanese for key, (english, japanese) in CATALOGUE.items() if key.startswith("choice.")
}
CHOICES.update({"Yes": CATALOGUE["common.yes"][1], "No": CATALOGUE["common.no"][1]})


def choice_name(value: str, japanese: bool) -> str:
    """A choice value (``Taxable``, ``Yes``…) as a workbook of that language writes it."""
    return CHOICES.get(value, value) if japanese else value


#: The Notes cell of a Japanese template's greyed example row.
EXAMPLE_NOTE = (
    "記入例（灰色）：変更しない限り読みません。自分の行を上書きするか、行を削除してください。"
)
#: The example rows' names in a Japanese template.
EXAMPLE_NAMES = {
    "Example: Toyota Motor": "例：トヨタ自動車",
    "Example: securities-backed loan": "例：証券担保ローン",
    "Example: living costs": "例：生活費",
}


def example_row(example, japanese_: bool):
    """A table's greyed example row (column name → value) as a template of that
    language writes it: the same values, its note and names in Japanese."""
    if example is None or not japanese_:
        return example
    out = dict(example)
    for name, value in example.items():
        if name == "Notes":
            out[name] = EXAMPLE_NOTE
        elif isinstance(value, str):
            out[name] = EXAMPLE_NAMES.get(value, value)
    return out
