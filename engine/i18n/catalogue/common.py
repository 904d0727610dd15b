"""The catalogue: Words shared by every sheet; Sheet names; The workbook's properties, print headers and footers; The lenders' zones (English, Japanese)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # Words shared by every sheet
    "common.million_yen": ("JPY million", "百万円"),
    "common.n_a": ("n/a", "該当なし"),
    "common.no": ("No", "いいえ"),
    "common.yes": ("Yes", "はい"),
    # Sheet names
    "sheet.about": ("About", "このファイルについて"),
    "sheet.balance_sheet": ("Balance Sheet", "貸借対照表"),
    "sheet.dashboard": ("Dashboard", "ダッシュボード"),
    "sheet.defense": ("Defense", "防衛策"),
    "sheet.inputs": ("Inputs", "入力内容"),
    "sheet.monte_carlo": ("Monte Carlo", "モンテカルロ"),
    "sheet.snowball": ("Snowball", "配当スノーボール"),
    "sheet.stress": ("Stress Test", "ストレステスト"),
    # The workbook's properties, print headers and footers
    "wb.author": ("ALM engine", "ALMエンジン"),
    "wb.comments": (
        "Written by ALM engine {version} from {input} (valuation date {date}, seed {seed}, {paths} Monte Carlo paths).",
        "ALMエンジン {version} が {input} から作成（評価基準日 {date}、乱数シード {seed}、モンテカルロ {paths} 本）。",
    ),
    "wb.keywords": (
        "ALM, stress test, Monte Carlo, FIRE",
        "ALM、ストレステスト、モンテカルロ、FIRE",
    ),
    "wb.page_of": ("Page &P of &N", "&P / &N ページ"),
    "wb.subject": (
        "Personal asset-liability management results",
        "個人の資産負債管理（ALM）の結果",
    ),
    "wb.title": ("{portfolio} — ALM results {date}", "{portfolio} — ALM結果 {date}"),
    "wb.valuation_date": ("Valuation date {date}", "評価基準日 {date}"),
    # The lenders' zones
    "zone.failed": ("Failed", "破綻"),
    "zone.frozen": ("Frozen", "借入停止"),
    "zone.liquidation": ("Liquidation", "強制決済"),
    "zone.margin_call": ("Margin call", "追加担保"),
    "zone.safe": ("Safe", "安全"),
}
