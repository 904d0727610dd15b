"""Errors are data: every input problem is a `Problem`, reported together (SPEC §2, §8)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    Rendered as ``Sheet!Cell (Column): what is wrong; found …; fix …`` — in a Japanese
    workbook (``japanese``) as ``Sheet!Cell (Column): 何が問題か（入力値: …）。直し方``.
    """

    sheet: str
    cell: str  # e.g. "D7"; "" when the problem is the whole sheet
    column: str  # column or setting name; "" when not applicable
    message: str  # what is wrong
    found: str = ""  # what was found
    fix: str = ""  # how to fix it
    japanese: bool = False  # worded in Japanese (the workbook's language)

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        if self.column:
            where += f" ({self.column})"
        text = f"{where}: {self.message}"
        if self.japanese:
            if self.found:
                text += f"（入力値: {self.found}）"
            return text + (f"。{self.fix}" if self.fix else "")
        if self.found:
            text += f"; found {self.found}"
        if self.fix:
            text += f"; {self.fix}"
        return text


class InputError(Exception):
    """The workbook cannot be used as it is. ``problems`` lists everything found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        #: the language the problems are worded in ("en" / "ja"), for the console
        self.language = "ja" if any(p.japanese for p in self.problems) else "en"
        super().__init__("\n".join(str(p) for p in self.problems))


class RefusedFile(InputError):
    """The file is refused before parsing (size, zip bomb, wrong format, encrypted…)."""

    def __init__(self, path_name: str, message: str):
        super().__init__([Problem(path_name, "", "", message)])
        self.reason = message
