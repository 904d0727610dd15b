"""The catalogue: Words shared by every sheet; Sheet names; The workbook's properties, print headers and footers; The lenders' zones (English, Japanese)."""

ENTRIES: dict[str, tuple[str, str]] = {
    # Words shared by every sheet
    "common.n_a": ("n/a", ""),
    "common.no": ("No", ""),
    "common.yes": ("Yes", ""),
    # Sheet names
    "sheet.about": ("About", ""),
    "sheet.balance_sheet": ("Balance Sheet", ""),
    "sheet.dashboard": ("Dashboard", ""),
    "sheet.defense": ("Defense", ""),
    "sheet.inputs": ("Inputs", ""),
    "sheet.monte_carlo": ("Monte Carlo", ""),
    "sheet.snowball": ("Snowball", ""),
    "sheet.stress": ("Stress Test", ""),
    # The workbook's properties, print headers and footers
    "wb.author": ("ALM engine", ""),
    "wb.comments": ("Written by ALM engine {version} from {input} (valuation date {date}, seed {seed}, {paths} Monte Carlo paths).", ""),
    "wb.keywords": ("ALM, stress test, Monte Carlo, FIRE", ""),
    "wb.page_of": ("Page &P of &N", ""),
    "wb.subject": ("Personal asset-liability management results", ""),
    "wb.title": ("{portfolio} — ALM results {date}", ""),
    "wb.valuation_date": ("Valuation date {date}", ""),
    # The lenders' zones
    "zone.failed": ("Failed", ""),
    "zone.frozen": ("Frozen", ""),
    "zone.liquidation": ("Liquidation", ""),
    "zone.margin_call": ("Margin call", ""),
    "zone.safe": ("Safe", ""),
}
