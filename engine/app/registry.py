"""Every analysis and its sheet writer, named by full module path (SPEC §4, §5).

Each entry names its modules as strings a person can search for: grep for
``engine.report.defense`` finds who writes the Defense sheet. The modules are imported
only when needed (``Analysis.module()``), so the Monte Carlo's numbers can start in a
child process before pandas, xlsxwriter and scipy load (``ahead``).

Adding a seventh analysis: one module in ``engine/analyses/``, one in
``engine/report/``, and one line in ``ANALYSES``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from engine.analyses import SHEETS


@dataclass(frozen=True)
class Analysis:
    key: str  # results and JSON key
    timing: str  # timings_s key
    module_path: str  # analyse(inputs, prior, options) -> Result; to_json(result) -> dict
    writer_path: str  # write(ws, result, ctx): the sheet
    #: Begun as soon as the workbook is read, before the others (numpy only):
    #: ``start(inputs, options)`` → a handle whose ``.result()`` is (numbers, seconds);
    #: the analysis module's ``finish(inputs, numbers, options)`` lays them out.
    ahead_path: str | None = None

    @property
    def sheet(self) -> str:
        return SHEETS[self.key]

    def module(self) -> ModuleType:
        return importlib.import_module(self.module_path)

    def writer(self) -> ModuleType:
        return importlib.import_module(self.writer_path)

    def ahead(self) -> ModuleType | None:
        return None if self.ahead_path is None else importlib.import_module(self.ahead_path)


#: Computation order. The Dashboard is computed last but written first (SPEC §5).
ANALYSES: tuple[Analysis, ...] = (
    Analysis("balance_sheet", "a1", "engine.analyses.balance_sheet", "engine.report.balance_sheet"),
    Analysis("stress", "a2", "engine.analyses.stress", "engine.report.stress"),
    Analysis("defense", "a3", "engine.analyses.defense", "engine.report.defense"),
    Analysis("snowball", "a4", "engine.analyses.snowball", "engine.report.snowball"),
    Analysis(
        "monte_carlo",
        "a5",
        "engine.analyses.monte_carlo",
        "engine.report.monte_carlo",
        ahead_path="engine.analyses.mc_run",
    ),  # fmt: skip
    Analysis("dashboard", "a6", "engine.analyses.dashboard", "engine.report.dashboard"),
)
