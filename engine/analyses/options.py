"""How to run the analyses (not what to compute: that is in ``Inputs``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.model import Inputs


@dataclass(frozen=True)
class RunOptions:
    """Run-time choices the analyses read: Monte Carlo paths and seed (overriding the
    Settings sheet), chunk size, the history store's past runs, a progress callback."""

    paths: int | None = None  # overrides Settings › Monte Carlo paths
    seed: int | None = None  # overrides Settings › Random seed
    chunk_size: int = 10_000  # Monte Carlo paths per chunk (results do not depend on it)
    history: Sequence[Mapping[str, Any]] = ()  # past runs (oldest first) for the trend
    progress: Callable[[str], None] = field(default=lambda message: None)

    def mc_paths(self, inputs: Inputs) -> int:
        return self.paths if self.paths is not None else inputs.settings.mc_paths

    def mc_seed(self, inputs: Inputs) -> int:
        return self.seed if self.seed is not None else inputs.settings.random_seed
