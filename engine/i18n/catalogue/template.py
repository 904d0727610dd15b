"""The catalogue: the input template's own words (English, Japanese). The names and help
of its sheets, settings and columns are the schema's (``engine.schema.japanese``)."""

ENTRIES: dict[str, tuple[str, str]] = {
    "tp.title": ("Personal ALM input workbook", "個人ALM 入力ワークブック"),
    "tp.comments": ("Generated from engine/schema", "engine/schema から生成"),
    "tp.example_comment": (
        "Example row (grey): the engine does not read it while it is unchanged. Type over "
        "it with your own data, or delete the row.",
        "記入例（灰色）：変更しない限りエンジンは読みません。自分のデータを上書きするか、"
        "行を削除してください。",
    ),
    "tp.default": ("{text} Default: {default}.", "{text} 既定値：{default}。"),
    "tp.currency_error": (
        "Not in the list: any 3-letter ISO code with an FX row works.",
        "一覧にありません：為替シートに行があれば、どの3文字のISOコードでも使えます。",
    ),
    "tp.range_between": (
        "Enter a value between {lo} and {hi}.",
        "{lo}〜{hi}の値を入力してください。",
    ),
    "tp.range_above": ("Enter a value above {lo}.", "{lo}より大きい値を入力してください。"),
    "tp.range_at_least": ("Enter a value of at least {lo}.", "{lo}以上の値を入力してください。"),
    "tp.range_at_most": ("Enter a value of at most {hi}.", "{hi}以下の値を入力してください。"),
    "tp.percent_hint": (
        " Type 5% (or 0.05) for five percent.",
        " 5パーセントなら 5%（または 0.05）と入力します。",
    ),
    "tp.correlation": ("Correlation", "相関"),
    "tp.correlation_help": (
        "Between -1 and 1; the matrix must be symmetric with 1 on the diagonal. Blank counts "
        "as 0. Inflation: correlation of inflation surprises with each factor (optional row).",
        "-1〜1。行列は対称で、対角成分は1。空欄は0。Inflation：インフレの上振れと各要因の相関"
        "（任意の行）。",
    ),
    "tp.start_1": (
        "1. Fill in Holdings, Loans and Cashflows. Grey rows are examples: the engine does "
        "not read them until you change them, so type over them (or delete them).",
        "1. 保有資産、借入、収支を入力します。灰色の行は記入例で、変更するまでエンジンは"
        "読みません。上書きする（または削除する）ことができます。",
    ),
    "tp.start_2": (
        "2. Check Settings, AssetClasses, Correlations and Scenarios (defaults, editable).",
        "2. 設定、資産クラス、相関、シナリオを確認します（既定値入り、編集可）。",
    ),
    "tp.start_3": (
        "3. Save, and run the engine on this file (double-click run.py).",
        "3. 保存して、このファイルでエンジンを実行します（run.py をダブルクリック）。",
    ),
    "tp.start_4": (
        "Columns marked * are required; blank optional cells take the default shown in each "
        "cell's message. Percent cells hold fractions: type 5% (the cell holds 0.05).",
        "* の付いた列は必須です。任意のセルを空欄にすると、各セルのメッセージにある既定値を"
        "使います。パーセントのセルには小数が入ります：5% と入力します（セルの値は0.05）。",
    ),
    "tp.sheet": ("Sheet", "シート"),
    "tp.what_it_holds": ("What it holds", "内容"),
    "tp.guide_help": (
        "Every setting and column: default and help.",
        "すべての設定と列：既定値と説明。",
    ),
    "tp.lender_rules": (
        "Published lender rules you can copy into Loans (check your own contract: lenders "
        "change their rules)",
        "借入シートにコピーできる、公表されている貸し手のルール（ご自身の契約を確認してください："
        "ルールは変わることがあります）",
    ),
    "tp.lender": ("Lender", "貸し手"),
    "tp.rule": ("Rule", "ルール"),
    "tp.none": ("none", "なし"),
    "tp.column": ("Column", "列"),
    "tp.required": ("Required", "必須"),
    "tp.default_head": ("Default", "既定値"),
    "tp.what_to_enter": ("What to enter", "入力する内容"),
    "tp.written": ("Template written to {path}", "テンプレートを {path} に書き出しました"),
}
