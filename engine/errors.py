"""Errors are data: every input problem is a `Problem`, reported together (SPEC §2, §8)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    Rendered as ``Sheet!Cell (Column): what is wrong; found …; fix …``.
    """

    sheet: str
    cell: str  # e.g. "D7"; "" when the problem is the whole sheet
    column: str  # column or setting name; "" when not applicable
    message: str  # what is wrong
    found: str = ""  # what was found
    fix: str = ""  # how to fix it

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        if self.column:
            where += f" ({self.column})"
        text = f"{where}: {self.message}"
        if self.found:
            text += f"; found {self.found}"
        if self.fix:
            text += f"; {self.fix}"
        return text


class InputError(Exception):
    """The workbook cannot be used as it is. ``problems`` lists everything found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class RefusedFile(InputError):
    """The file is refused before parsing (size, zip bomb, wrong format, encrypted…)."""

    def __init__(self, path_name: str, message: str):
        super().__init__([Problem(path_name, "", "", message)])
        self.reason = message
