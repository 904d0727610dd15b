"""The command line (SPEC §1): ``python run.py`` / ``python -m engine`` / ``alm-engine``.

    run.py [options] [WORKBOOK ...]   process workbooks (default: every one in workbooks/)
    run.py template PATH              write a blank input template

Exit codes: 0 all workbooks done; 1 some failed validation (the others were still
done); 2 usage error; 3 internal error (details in ``run.log`` only).
Default folders resolve from the project folder (the one holding run.py), never
from the current directory; paths typed on the command line resolve from where the
command was typed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import traceback
from datetime import datetime
from pathlib import Path

from engine import __version__
from engine.app.workflow import Job, Outcome, process_workbook, show_path
from engine.fsio import project_dir, user_path
from engine.i18n import ENGLISH, JAPANESE, language_named
from engine.schema import SETTINGS

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


# ----------------------------------------------------------------------------- arguments
def _whole(lo: float, hi: float | None = None, setting: str | None = None):
    """An argparse type: a whole number in [lo, hi] (the range of ``setting`` when given)."""
    if setting is not None:
        column = next(c for c in SETTINGS if c.attr == setting)
        lo, hi = column.lo, column.hi

    def parse(text: str) -> int:
        try:
            value = int(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < lo or (hi is not None and value > hi):
            limit = f"between {lo:,.0f} and {hi:,.0f}" if hi is not None else f"{lo:,.0f} or more"
            raise argparse.ArgumentTypeError(f"must be {limit}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py",
        description="Personal ALM engine: read each input workbook (every .xlsx/.xlsm in the "
        "project's workbooks/ folder unless named), run the six analyses and write "
        "'<name> results <date>.xlsx' for each into the project's workbooks/results/ folder "
        "(or the folder given with --out).",
        epilog="Other commands: 'run.py template PATH' writes a blank input template; "
        "'run.py test' runs the test suite.",
    )
    parser.add_argument(
        "workbooks",
        nargs="*",
        metavar="WORKBOOK",
        help="input workbooks or folders (default: every .xlsx/.xlsm in workbooks/)",
    )
    parser.add_argument("--out", metavar="DIR", help="results folder (default: workbooks/results)")
    parser.add_argument(
        "--paths",
        type=_whole(0, setting="mc_paths"),
        metavar="N",
        help="Monte Carlo paths (overrides Settings)",
    )
    parser.add_argument(
        "--seed",
        type=_whole(0, setting="random_seed"),
        metavar="N",
        help="random seed (overrides Settings)",
    )
    parser.add_argument("--json", action="store_true", help="also write the summary JSON")
    parser.add_argument("--no-history", action="store_true", help="neither read nor record history")
    parser.add_argument(
        "--history", metavar="PATH", help="history database (default: workbooks/history.sqlite)"
    )
    parser.add_argument("--open", action="store_true", help="open each results file when done")
    parser.add_argument(
        "--jobs", type=_whole(1), default=1, metavar="N", help="workbooks in parallel (default 1)"
    )
    parser.add_argument("--quiet", action="store_true", help="print only problems (for cron)")
    parser.add_argument(
        "--pin-created",
        action="store_true",
        help="fix the document's created date to the valuation date (byte-identical output)",
    )
    parser.add_argument("--version", action="version", version=f"ALM engine {__version__}")
    return parser


# ----------------------------------------------------------------------------- the batch
def find_workbooks(targets: list[Path], results_dir: Path) -> list[Path]:
    """Workbooks to process: files as given, folders expanded (lock files and results skipped).

    Whatever is named like a workbook is kept, even a folder called ``x.xlsx`` or a link:
    the reader then refuses it with its reason instead of the batch skipping it silently.
    """
    found: list[Path] = []
    for target in targets:
        if target.is_dir() and target.suffix.lower() not in WORKBOOK_SUFFIXES:
            for path in sorted(target.iterdir(), key=lambda p: p.name.lower()):
                if (
                    path.suffix.lower() in WORKBOOK_SUFFIXES
                    and not path.name.startswith(("~$", ".~"))
                    and not _inside(path, results_dir)
                ):
                    found.append(path)
        else:
            found.append(target)
    return found


# spreadsheets and tables the scan does not read, and what each one is
OTHER_FORMATS = {
    ".ods": "an OpenDocument spreadsheet",
    ".xls": "an Excel 97-2003 workbook",
    ".xlsb": "an Excel binary workbook",
    ".csv": "a CSV table",
    ".tsv": "a tab-separated table",
    ".numbers": "a Numbers spreadsheet",
    ".fods": "a flat OpenDocument spreadsheet",
}
SAVE_AS_XLSX = (
    "open it and save a copy as .xlsx — LibreOffice: File > Save As..., File type "
    '"Excel 2007-365 (.xlsx)", then "Use Excel 2007-365!"; Excel: File > Save As, '
    'Save as type "Excel Workbook (*.xlsx)"'
)


def skipped_files(targets: list[Path]) -> list[str]:
    """One line per file in a scanned folder that looks like a spreadsheet the scan does not
    read (SPEC §1 [v2]): its name, what it is, and how to save it as .xlsx."""
    lines = []
    for target in targets:
        if not target.is_dir() or target.suffix.lower() in WORKBOOK_SUFFIXES:
            continue
        for path in sorted(target.iterdir(), key=lambda p: p.name.lower()):
            kind = OTHER_FORMATS.get(path.suffix.lower())
            if kind and path.is_file() and not path.name.startswith(("~$", ".~")):
                lines.append(f"Skipped {path.name}: {kind}, which this program does not read; "
                             f"{SAVE_AS_XLSX}.")  # fmt: skip
    return lines


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


class RunLog:
    """Appends to ``<results folder>/run.log``; a log that cannot be written is not fatal."""

    def __init__(self, path: Path):
        self.path = path

    def write(self, lines: list[str]) -> None:
        stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                for line in lines:
                    f.write(f"{stamp} {line}\n")
        except OSError:
            pass


#: Set in --jobs worker processes (a value the user set wins): the Monte Carlo solvers
#: run inside the worker instead of a forked child, since the workers already keep every
#: core busy (results are identical either way).
WORKER_ENV = {"ALM_MC_FORK": "0"}


def _load_engine() -> None:
    """Import everything processing a workbook needs (forked workers inherit it)."""
    from engine.app import history  # noqa: F401
    from engine.app.registry import ANALYSES
    from engine.io import reader  # noqa: F401
    from engine.report import (
        summary,  # noqa: F401
        workbook,  # noqa: F401
    )

    for analysis in ANALYSES:
        analysis.module()
        analysis.writer()


def _worker_start(env: dict[str, str]) -> None:
    for key, value in env.items():
        os.environ.setdefault(key, value)
    _load_engine()  # already loaded when forked; a spawned worker imports here, once


def _run_jobs(jobs: list[Job], workers: int) -> list[Outcome]:
    """Process the jobs, ``workers`` at a time; outcomes in job order.

    In parallel, each worker collects what it says and the parent prints it when that
    workbook finishes, so lines never interleave. Results files are written atomically
    under their own names and the history store takes one transaction per run (with a
    busy timeout), so parallel workers cannot corrupt either.
    """
    if workers <= 1:
        return [process_workbook(job) for job in jobs]
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from dataclasses import replace

    context = None
    if sys.platform.startswith("linux"):
        # fork: workers start with the engine already imported (no second import cost);
        # frozen, those objects are never traversed by the workers' garbage collector
        # (whose passes would otherwise copy the pages they share with this process)
        _load_engine()
        context = multiprocessing.get_context("fork")
        gc.freeze()
    outcomes: list[Outcome | None] = [None] * len(jobs)
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_worker_start,
        initargs=(WORKER_ENV,),
    )  # fmt: skip
    try:
        futures = {
            pool.submit(process_workbook, replace(job, parallel=True)): k
            for k, job in enumerate(jobs)
        }
        for future in as_completed(futures):
            outcome = future.result()
            outcomes[futures[future]] = outcome
            for problem, line in outcome.messages:
                print(line, file=sys.stderr if problem else sys.stdout, flush=True)
        pool.shutdown(wait=True)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        gc.unfreeze()  # this process collects them again (it may be a long-lived one)
    return [o for o in outcomes if o is not None]


def open_file(path: Path) -> None:
    """Open a file in its default application (best effort)."""
    if sys.platform.startswith("win"):
        os.startfile(str(path))  # type: ignore[attr-defined]
    else:
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "template":
        return template_command(argv[1:])
    parser = build_parser()
    try:
        args = parser.parse_intermixed_args(argv)
    except SystemExit as exc:  # --help / --version (0) or a usage error (2)
        return EXIT_OK if exc.code in (0, None) else EXIT_USAGE
    return run_batch(args, parser)


def run_batch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    root = project_dir()
    out_dir = user_path(args.out) if args.out else root / "workbooks" / "results"
    log = RunLog(out_dir / "run.log")
    history = None
    if not args.no_history:
        history = user_path(args.history) if args.history else root / "workbooks" / "history.sqlite"
    targets = [user_path(p) for p in args.workbooks] or [root / "workbooks"]
    missing = [str(t) for t in targets if not t.exists()]
    if missing:
        parser.print_usage(sys.stderr)
        print(f"run.py: error: not found: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    paths = find_workbooks(targets, out_dir)
    skipped = skipped_files(targets)
    for line in skipped:  # a problem, not progress: printed under --quiet too
        print(line, file=sys.stderr, flush=True)
    if skipped:
        log.write(skipped)
    if not paths:
        where = ", ".join(str(t) for t in targets)
        print(f"No workbooks to process in {where}. Put your workbook there, or give its "
              "path; 'run.py template my.xlsx' writes a blank one to start from.", file=sys.stderr)  # fmt: skip
        return EXIT_USAGE

    workers = min(args.jobs, len(paths))
    if not args.quiet:
        n = len(paths)
        print(f"ALM engine {__version__}: {n} workbook{'s' * (n != 1)}"
              + (f", {workers} at a time" if workers > 1 else ""), flush=True)  # fmt: skip
    log.write([f"run started: ALM engine {__version__}, {len(paths)} workbook(s): "
               + ", ".join(str(p) for p in paths)])  # fmt: skip
    jobs = [
        Job(p, out_dir, history, args.paths, args.seed, args.json, args.quiet, args.pin_created)
        for p in paths
    ]
    try:
        outcomes = _run_jobs(jobs, workers)
    except KeyboardInterrupt:
        log.write(["run interrupted"])
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001
        log.write(["run failed", traceback.format_exc().rstrip()])
        print(f"Internal error ({type(exc).__name__}); details in {log.path}", file=sys.stderr)
        return EXIT_INTERNAL
    for outcome in outcomes:
        log.write(outcome.log)

    done = [o for o in outcomes if o.status == "done"]
    invalid = [o for o in outcomes if o.status == "invalid"]
    errors = [o for o in outcomes if o.status == "error"]
    # the finished line speaks the workbooks' language when they all speak Japanese
    lang = JAPANESE if outcomes and all(o.language == "ja" for o in outcomes) else ENGLISH
    summary = lang.t("cli.finished", n=len(done))
    if invalid:
        summary += lang.t("cli.finished_invalid", n=len(invalid))
    if errors:
        key = "cli.finished_errors" if len(errors) == 1 else "cli.finished_errors_many"
        summary += lang.t(key, n=len(errors))
    log.write([summary])
    if not args.quiet or invalid or errors:
        line = lang.t(
            "cli.finished_where", summary=summary, results=show_path(out_dir),
            log=show_path(log.path),
        )  # fmt: skip
        print(line, file=sys.stderr if (invalid or errors) else sys.stdout, flush=True)
    if args.open:
        for outcome in done:
            try:
                open_file(outcome.results)
            except OSError as exc:
                print(f"Could not open {outcome.results.name}: {exc}", file=sys.stderr)
    if errors:
        return EXIT_INTERNAL
    return EXIT_INVALID if invalid else EXIT_OK


# ----------------------------------------------------------------------------- template
def template_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="run.py template", description="Write a blank input template to start from."
    )
    parser.add_argument("path", metavar="PATH", help="where to write it (e.g. my.xlsx)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument(
        "--lang",
        choices=("en", "ja"),
        default="en",
        help="the template's language: en (English, the default) or ja (日本語)",
    )
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code in (0, None) else EXIT_USAGE
    lang = language_named(args.lang)  # the template's language is the console's
    path = user_path(args.path)
    if path.suffix == "":
        path = path.with_suffix(".xlsx")
    if path.suffix.lower() != ".xlsx":
        print(lang.t("cli.template_not_xlsx", suffix=path.suffix), file=sys.stderr)
        return EXIT_USAGE
    if path.exists() and not args.force:
        print(lang.t("cli.template_exists", path=path), file=sys.stderr)
        return EXIT_USAGE
    try:
        from engine.io.template import write_template

        path.parent.mkdir(parents=True, exist_ok=True)
        write_template(path, lang)
    except OSError as exc:
        print(lang.t("cli.could_not_write", path=path, error=exc), file=sys.stderr)
        return EXIT_INTERNAL
    print(lang.t("cli.template_written", path=path))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
