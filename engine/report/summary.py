"""The summary JSON file (SPEC §6): strict serialisation, written atomically.

The summary itself is assembled by ``engine.app.pipeline.build_summary`` from each
analysis's ``to_json`` block; keys are only ever added, never renamed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from engine.fsio import atomic_write


def dumps(summary: Mapping[str, Any]) -> str:
    """Serialise strictly: a NaN that slipped through is a bug, not a silent ``NaN``."""
    return json.dumps(summary, allow_nan=False, ensure_ascii=False, indent=2) + "\n"


def write_summary(summary: Mapping[str, Any], workbook_path: Path) -> Path:
    """Write ``<workbook stem>.json`` beside the workbook, atomically; return its path."""
    text = dumps(summary)
    target = Path(workbook_path).with_suffix(".json")

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    path, _message = atomic_write(target, write, what="summary")
    return path
