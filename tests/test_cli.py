"""The command line end to end: exit codes, files written, messages, run.log, history."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO

from engine import __version__, fsio
from engine.app import cli
from engine.errors import InputError, Problem, RefusedFile

SPEC_KEYS = ("engine_version", "portfolio", "valuation_date", "base_currency", "paths", "seed",
             "warnings", "timings_s")  # fmt: skip


def fake_workbook(folder: Path, name: str = "household.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"read by the fake reader")
    return path


def args(tmp_path: Path, *extra: str) -> list[str]:
    return ["--out", str(tmp_path / "out"), "--history", str(tmp_path / "h.sqlite"), *extra]


# ----------------------------------------------------------------------------- usage
@pytest.mark.parametrize(
    "argv",
    [["--bogus"], ["--paths", "5"], ["--paths", "many"], ["--jobs", "0"], ["--seed", "-1"]],
)
def test_usage_errors_exit_2(argv, capsys):
    assert cli.main(argv) == cli.EXIT_USAGE
    assert "error" in capsys.readouterr().err


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    assert cli.main(args(tmp_path, str(tmp_path / "nope.xlsx"))) == cli.EXIT_USAGE
    assert "not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_empty_folder_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert cli.main(args(tmp_path, str(tmp_path / "empty"))) == cli.EXIT_USAGE
    assert "template" in capsys.readouterr().err


def test_version_and_help(capsys):
    assert cli.main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--out", "--paths", "--seed", "--json", "--no-history", "--open", "--jobs",
                 "--quiet", "--history", "--pin-created"):  # fmt: skip
        assert flag in out


def test_defaults_resolve_from_the_project_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ALM_PROJECT_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert fsio.project_dir() == REPO


# ----------------------------------------------------------------------------- one workbook
def test_run_writes_results_json_log_and_history(tmp_path, fake_reader, capsys):
    source = fake_workbook(tmp_path / "in")
    before = source.read_bytes()
    assert cli.main(args(tmp_path, str(source), "--json")) == cli.EXIT_OK
    out = tmp_path / "out"
    results = out / "household results 2026-01-01.xlsx"
    assert results.exists() and openpyxl.load_workbook(results).sheetnames[-3:-1] == [
        "Inputs",
        "About",
    ]
    summary = json.loads((out / "household results 2026-01-01.json").read_text("utf-8"))
    for key in SPEC_KEYS:
        assert key in summary
    assert summary["paths"] == 200 and summary["portfolio"] == "household"
    assert set(summary["timings_s"]) >= {"read", "write", "total"}
    assert summary["timings_s"]["total"] >= summary["timings_s"]["read"]
    assert source.read_bytes() == before  # the input is never modified
    printed = capsys.readouterr().out
    assert "household.xlsx: reading" in printed and "done" in printed
    assert "done" in (out / "run.log").read_text("utf-8")
    with sqlite3.connect(tmp_path / "h.sqlite") as conn:
        assert conn.execute("SELECT portfolio FROM runs").fetchall() == [("household",)]
    assert not [p for p in out.iterdir() if p.name.startswith(".~tmp")]


def test_overrides_and_no_history(tmp_path, fake_reader):
    source = fake_workbook(tmp_path / "in")
    argv = args(tmp_path, str(source), "--json", "--no-history", "--paths", "300", "--seed", "7")
    assert cli.main(argv) == 0
    summary = json.loads((tmp_path / "out" / "household results 2026-01-01.json").read_text())
    assert (summary["paths"], summary["seed"]) == (300, 7)
    assert not (tmp_path / "h.sqlite").exists()


def test_pin_created_makes_reruns_byte_identical(tmp_path, fake_reader):
    source = fake_workbook(tmp_path / "in")
    results = tmp_path / "out" / "household results 2026-01-01.xlsx"
    assert cli.main(args(tmp_path, str(source), "--pin-created", "--quiet")) == 0
    first = results.read_bytes()
    assert cli.main(args(tmp_path, str(source), "--pin-created", "--quiet")) == 0
    assert results.read_bytes() == first


def test_quiet_prints_nothing_on_success(tmp_path, fake_reader, capsys):
    source = fake_workbook(tmp_path / "in")
    assert cli.main(args(tmp_path, str(source), "--quiet")) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_corrupt_history_is_a_warning_and_results_are_written(tmp_path, fake_reader, capsys):
    source = fake_workbook(tmp_path / "in")
    (tmp_path / "h.sqlite").write_bytes(b"garbage" * 500)
    assert cli.main(args(tmp_path, str(source), "--json")) == cli.EXIT_OK
    assert (tmp_path / "out" / "household results 2026-01-01.xlsx").exists()
    assert "history" in capsys.readouterr().out.lower()
    summary = json.loads((tmp_path / "out" / "household results 2026-01-01.json").read_text())
    assert any("not a valid history database" in w for w in summary["warnings"])


def test_read_only_history_is_a_warning_and_results_are_written(
    tmp_path, fake_reader, capsys, monkeypatch
):
    from engine.app import history

    source = fake_workbook(tmp_path / "in")
    assert cli.main(args(tmp_path, str(source), "--quiet")) == 0  # creates the history
    real = history._connect
    monkeypatch.setattr(history, "_connect", lambda path, read_only=False: real(path, True))
    (tmp_path / "out" / "household results 2026-01-01.xlsx").unlink()
    assert cli.main(args(tmp_path, str(source))) == cli.EXIT_OK
    assert (tmp_path / "out" / "household results 2026-01-01.xlsx").exists()
    assert "read-only" in capsys.readouterr().out


# ----------------------------------------------------------------------------- failures
def test_invalid_workbook_exit_1_no_results_others_still_done(tmp_path, fake_reader, capsys):
    folder = tmp_path / "in"
    fake_workbook(folder, "a good one.xlsx")
    bad = fake_workbook(folder, "bad.xlsx")
    problems = [
        Problem("Holdings", "C5", "Asset class", "unknown asset class", "'Gold'", "add it"),
        Problem("Loans", "H3", "Freeze LTV", "above the liquidation LTV"),
    ]
    fake_reader.errors[bad.name] = InputError(problems)
    code = cli.main(args(tmp_path, str(folder)))
    assert code == cli.EXIT_INVALID
    err = capsys.readouterr().err
    assert "Holdings!C5 (Asset class): unknown asset class; found 'Gold'; add it" in err
    assert "Loans!H3 (Freeze LTV): above the liquidation LTV" in err
    assert "Traceback" not in err
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["a good one results 2026-01-01.xlsx", "run.log"]
    assert "Holdings!C5" in (tmp_path / "out" / "run.log").read_text("utf-8")


def test_refused_file_exit_1(tmp_path, fake_reader, capsys):
    source = fake_workbook(tmp_path / "in", "old.xlsx")
    fake_reader.error = RefusedFile("old.xlsx", "this is an old .xls file; save it as .xlsx")
    assert cli.main(args(tmp_path, str(source))) == cli.EXIT_INVALID
    assert "save it as .xlsx" in capsys.readouterr().err
    assert not list((tmp_path / "out").glob("*.xlsx"))


def test_internal_error_exit_3_traceback_only_in_log(tmp_path, fake_reader, capsys, monkeypatch):
    import engine.app.pipeline

    def broken(inputs, options=None, started=None):
        raise ZeroDivisionError("an engine bug")

    monkeypatch.setattr(engine.app.pipeline, "run_analyses", broken)
    source = fake_workbook(tmp_path / "in")
    assert cli.main(args(tmp_path, str(source))) == cli.EXIT_INTERNAL
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    problem_lines = [line for line in captured.err.splitlines() if line.startswith("household")]
    assert len(problem_lines) == 1  # one line for the user
    assert "internal error" in problem_lines[0] and "run.log" in problem_lines[0]
    log = (tmp_path / "out" / "run.log").read_text("utf-8")
    assert "Traceback" in log and "an engine bug" in log
    assert not list((tmp_path / "out").glob("*.xlsx"))


# ----------------------------------------------------------------------------- discovery
def test_folder_discovery_skips_lock_files_and_results(tmp_path):
    folder = tmp_path / "workbooks"
    for name in ("b.xlsx", "a.xlsm", "~$a.xlsm", "notes.txt", ".~tmpx.xlsx"):
        fake_workbook(folder, name)
    fake_workbook(folder / "results", "a results 2026-01-01.xlsx")
    found = cli.find_workbooks([folder], folder / "results")
    assert [p.name for p in found] == ["a.xlsm", "b.xlsx"]


def test_two_workbooks_in_parallel(example_workbook, tmp_path, capsys):
    import shutil

    folder = example_workbook.parent
    shutil.copy2(example_workbook, folder / "second.xlsx")
    code = cli.main(args(tmp_path, str(folder), "--jobs", "2", "--paths", "200", "--json"))
    assert code == 0, capsys.readouterr()
    made = sorted(p.name for p in (tmp_path / "out").glob("*.xlsx"))
    assert [name.split(" results ")[0] for name in made] == ["example", "second"]
    printed = capsys.readouterr().out
    assert "2 at a time" in printed
    assert all(line.startswith(("example.xlsx: ", "second.xlsx: ", "ALM engine", "Finished"))
               for line in printed.splitlines())  # fmt: skip
    # one line per workbook as it finishes (the parent prints; no step-by-step progress)
    assert sorted(line.split(":")[0] for line in printed.splitlines() if " done in " in line) == [
        "example.xlsx", "second.xlsx"]  # fmt: skip
    assert "Monte Carlo" not in printed and "reading" not in printed
    with sqlite3.connect(tmp_path / "h.sqlite") as conn:  # both recorded, side by side
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1  # same portfolio
    summary = json.loads(next((tmp_path / "out").glob("second*.json")).read_text("utf-8"))
    assert summary["timings_s"]["history"] >= 0
    assert summary["timings_s"]["total"] >= summary["timings_s"]["write"]


# ----------------------------------------------------------------------------- template
def test_template_command(tmp_path, capsys):
    target = tmp_path / "my.xlsx"
    assert cli.main(["template", str(target)]) == 0
    assert target.exists()
    assert cli.main(["template", str(target)]) == cli.EXIT_USAGE  # never overwrites silently
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["template", str(target), "--force"]) == 0
    assert cli.main(["template", str(tmp_path / "x.ods")]) == cli.EXIT_USAGE
    assert cli.main(["template"]) == cli.EXIT_USAGE


# ----------------------------------------------------------------------------- the example
def test_example_end_to_end(example_workbook, tmp_path, capsys):
    code = cli.main(args(tmp_path, str(example_workbook), "--json", "--paths", "200"))
    assert code == cli.EXIT_OK, capsys.readouterr()
    results = sorted((tmp_path / "out").glob("example results *.xlsx"))
    assert len(results) == 1
    summary = json.loads(results[0].with_suffix(".json").read_text("utf-8"))
    for key in SPEC_KEYS:
        assert key in summary
    assert results[0].name == f"example results {summary['valuation_date']}.xlsx"
    openpyxl.load_workbook(results[0])


def test_bad_example_exit_1_with_cell_message(example_workbook, tmp_path, capsys):
    book = openpyxl.load_workbook(example_workbook)
    ws = next(book[name] for name in book.sheetnames if name.strip().lower() == "holdings")
    header_row, col = next(
        (c.row, c.column)
        for row in ws.iter_rows(max_row=10)
        for c in row
        # the template marks required columns: "Asset class *"
        if isinstance(c.value, str) and c.value.removesuffix("*").strip().lower() == "asset class"
    )
    cell = ws.cell(row=header_row + 1, column=col)
    cell.value = "Moon rocks"
    book.save(example_workbook)
    assert cli.main(args(tmp_path, str(example_workbook))) == cli.EXIT_INVALID
    err = capsys.readouterr().err
    assert f"!{cell.coordinate} (Asset class)" in err and "Traceback" not in err
    assert not list((tmp_path / "out").glob("*.xlsx"))


def test_record_history_no_leaves_the_history_untouched(tmp_path, fake_reader, capsys):
    from dataclasses import replace

    from conftest import small_inputs

    base = small_inputs()
    fake_reader.inputs = replace(base, settings=replace(base.settings, record_history=False))
    source = fake_workbook(tmp_path / "in", "what-if.xlsx")
    assert cli.main(args(tmp_path, str(source))) == cli.EXIT_OK
    assert (tmp_path / "out" / "what-if results 2026-01-01.xlsx").exists()
    assert "not recorded in the history (Record history = No)" in capsys.readouterr().out
    history = tmp_path / "h.sqlite"
    if history.exists():
        with sqlite3.connect(history) as conn:
            assert conn.execute("SELECT COUNT(*) FROM runs").fetchone() == (0,)


def test_files_the_scan_does_not_read_are_named_even_when_quiet(tmp_path, fake_reader, capsys):
    folder = tmp_path / "workbooks"
    fake_workbook(folder, "household.xlsx")
    for name in ("old.xls", "budget.ods", "trades.csv", "notes.txt"):
        (folder / name).write_bytes(b"x")
    assert cli.main(args(tmp_path, str(folder), "--quiet")) == cli.EXIT_OK
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("Skipped")]
    assert [line.split(":")[0] for line in lines] == [
        "Skipped budget.ods",
        "Skipped old.xls",
        "Skipped trades.csv",
    ]
    assert "LibreOffice: File > Save As" in lines[0] and "Excel: File > Save As" in lines[0]
    assert "notes.txt" not in err
    assert "Skipped old.xls" in (tmp_path / "out" / "run.log").read_text("utf-8")


def test_a_folder_with_only_unreadable_files_names_them(tmp_path, capsys):
    folder = tmp_path / "workbooks"
    folder.mkdir()
    (folder / "budget.ods").write_bytes(b"x")
    assert cli.main(args(tmp_path, str(folder))) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "Skipped budget.ods: an OpenDocument spreadsheet" in err
    assert "No workbooks to process" in err
