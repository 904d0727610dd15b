"""The six analyses (SPEC §4), each a module with one public function

    analyse(inputs, prior, options) -> Result     # a frozen dataclass of numbers and tables
    to_json(result) -> dict                        # its SPEC §6 block

``prior`` holds the results of the analyses computed before it, by key; ``options`` is an
``engine.analyses.options.RunOptions``. Analyses are pure: no files, no processes of their
own, no knowledge of the pipeline that runs them (``engine.app.registry``).
"""

#: The sheet that shows each analysis (SPEC §5), by analysis key: the registry names its
#: sheets from here, and a Dashboard tile names the sheet that explains it.
SHEETS: dict[str, str] = {
    "balance_sheet": "Balance Sheet",
    "stress": "Stress Test",
    "defense": "Defense",
    "snowball": "Snowball",
    "monte_carlo": "Monte Carlo",
    "dashboard": "Dashboard",
}
