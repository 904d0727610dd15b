"""Every user-facing string, keyed, in English and Japanese (``engine.i18n``).

One module per area; a key is ``area.name``. Each entry is ``(English, Japanese)``; the
Japanese uses the terms Japanese lenders and brokers use (担保掛目, 追加担保, 強制決済…).
"""

from __future__ import annotations

from engine.i18n.catalogue import (
    balance_sheet,
    common,
    console,
    dashboard,
    defense,
    inputs_about,
    monte_carlo,
    reader,
    schema,
    snowball,
    stress,
    template,
)

_MODULES = (balance_sheet, common, console, dashboard, defense, inputs_about, monte_carlo,
            reader, schema, snowball, stress, template)  # fmt: skip

CATALOGUE: dict[str, tuple[str, str]] = {}
for _module in _MODULES:
    for _key, _entry in _module.ENTRIES.items():
        if _key in CATALOGUE:
            raise ValueError(f"catalogue key {_key!r} defined twice")
        CATALOGUE[_key] = _entry
