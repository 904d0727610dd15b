"""One workbook, start to finish: read → analyses → results workbook → summary → history.

``process_workbook(job)`` is the whole flow for one input file and never raises: bad
input becomes an ``Outcome`` with status ``invalid`` and every problem listed (no
results written), a fault in the engine status ``error`` with the traceback in the log.
What it says goes to the console as it happens — or, in a ``--jobs`` worker, into the
``Outcome`` for the parent to print when the workbook is done. Progress is silenced by
``--quiet``; warnings and problems never are (SPEC §1).
"""

from __future__ import annotations

import hashlib
import sys
import time
import traceback
from dataclasses import dataclass, field, replace
from datetime import datetime
from datetime import time as dtime
from pathlib import Path

from engine.fsio import project_dir
from engine.i18n import ENGLISH, JAPANESE, T, language_named, sheet_title, use


@dataclass(frozen=True)
class Job:
    path: Path
    out_dir: Path
    history: Path | None  # the history store; None: neither read nor record
    paths: int | None = None
    seed: int | None = None
    write_json: bool = False
    quiet: bool = False
    pin_created: bool = False
    parallel: bool = False  # in a --jobs worker: no step-by-step progress; the parent prints


@dataclass
class Outcome:
    path: Path
    status: str = "done"  # done / invalid / error
    results: Path | None = None
    summary: Path | None = None
    log: list[str] = field(default_factory=list)
    #: (to stderr?, line) said while processing in a --jobs worker, printed by the parent
    messages: list[tuple[bool, str]] = field(default_factory=list)
    #: the workbook's language ("en" / "ja"), once read: the console's words for it
    language: str = "en"


#: The Outcome collecting what a --jobs worker says (None: print as it happens).
_captured: Outcome | None = None


def _emit(line: str, problem: bool = False) -> None:
    if _captured is not None:
        _captured.messages.append((problem, line))
    else:
        print(line, file=sys.stderr if problem else sys.stdout, flush=True)


def _say(job: Job, message: str, problem: bool = False, step: bool = False) -> None:
    """Progress and problems. ``step``: a step of the work (not shown by --jobs workers,
    whose workbooks finish in any order: one line each when done is what stays readable)."""
    if problem:
        _emit(f"{job.path.name}: {message}", problem=True)
    elif not job.quiet and not (step and job.parallel):
        _emit(f"{job.path.name}: {message}")


def _warn(job: Job, outcome: Outcome, warning: str) -> None:
    """A warning is printed even with --quiet (it silences progress, not problems)."""
    line = T("cli.warning", warning=warning)
    _emit(f"{job.path.name}: {line}", problem=job.quiet)
    outcome.log.append(f"{job.path.name}: {line}")


def _progress_words(message: str) -> str:
    """A step's progress line in the language in force (the analyses say it in English:
    a sheet's name with an ellipsis, or the Monte Carlo's percentage)."""
    if message.startswith("Monte Carlo: "):
        return T("cli.mc_progress", percent=message[len("Monte Carlo: ") :])
    if message.endswith("…"):
        return T("cli.step", sheet=sheet_title(message[:-1]))
    return message


def process_workbook(job: Job) -> Outcome:
    """Read, analyse, write and record one workbook. Never raises."""
    from engine.errors import InputError

    global _captured
    outcome = Outcome(job.path)
    _captured = outcome if job.parallel else None
    try:
        _process(job, outcome)
    except InputError as exc:
        outcome.status = "invalid"
        outcome.language = getattr(exc, "language", "en")
        problems = [str(p) for p in exc.problems] or [str(exc)]
        n = len(problems)
        lang = JAPANESE if outcome.language == "ja" else ENGLISH
        key = "cli.not_processed" if n == 1 else "cli.not_processed_many"
        _say(job, lang.t(key, n=n), problem=True)
        for p in problems:
            _emit(f"  {p}", problem=True)
        outcome.log += [f"{job.path.name}: invalid input ({n} problems)"] + [
            f"  {p}" for p in problems
        ]
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other workbooks
        outcome.status = "error"
        first_line = (str(exc).splitlines() or [""])[0]
        _say(
            job,
            f"internal error ({type(exc).__name__}: {first_line}). This is a fault in the "
            f"engine, not in your workbook; details are in {job.out_dir / 'run.log'}",
            problem=True,
        )
        outcome.log += [f"{job.path.name}: internal error", traceback.format_exc().rstrip()]
    return outcome


def _process(job: Job, outcome: Outcome) -> None:
    """The flow, in order. Heavy modules are imported as late as possible: the Monte
    Carlo starts on the second core right after reading, before pandas and xlsxwriter
    have loaded here."""
    from engine.io.reader import read_workbook

    t_start = time.perf_counter()
    run_time = datetime.now().replace(microsecond=0)

    # read
    _say(job, "reading", step=True)
    inputs = read_workbook(job.path)
    t_read = time.perf_counter() - t_start
    # the workbook's Language: its results, its verdicts and notes (engine.i18n)
    language = language_named(inputs.settings.language)
    outcome.language = language.code
    with use(language):
        _analyse_and_write(job, outcome, inputs, t_start, t_read, run_time)


def _analyse_and_write(job: Job, outcome: Outcome, inputs, t_start, t_read, run_time) -> None:
    """The analyses, the results workbook, the summary and the history, for read inputs."""
    from engine.analyses.options import RunOptions
    from engine.app import pipeline

    options = RunOptions(
        paths=job.paths,
        seed=job.seed,
        progress=lambda message: _say(job, _progress_words(message), step=True),
    )
    started = pipeline.start_ahead(inputs, options)  # A5 begins on the second core
    try:
        from engine.app.history import read_history, record_run
        from engine.report.summary import write_summary
        from engine.report.workbook import RunInfo

        settings = inputs.settings
        for warning in inputs.warnings:
            _warn(job, outcome, warning)

        # the history store's past runs, for the Dashboard's trend
        run_warnings: list[str] = []
        history, t_history = [], None
        if job.history is not None:
            t0 = time.perf_counter()
            history = read_history(
                job.history, settings.portfolio_name, before=settings.valuation_date,
                warnings=run_warnings,
            )  # fmt: skip
            t_history = time.perf_counter() - t0

        # the analyses
        options = replace(options, history=tuple(history))
        run = pipeline.run_analyses(inputs, options, started)

        # the results workbook
        _say(job, T("cli.writing"), step=True)
        run_info = RunInfo(
            input_path=job.path,
            run_time=run_time,
            seed=options.mc_seed(inputs),
            paths=options.mc_paths(inputs),
            input_sha256=inputs.source_sha256 or hashlib.sha256(job.path.read_bytes()).hexdigest(),
            pinned_created=datetime.combine(settings.valuation_date, dtime())
            if job.pin_created
            else None,
            warnings=tuple(run_warnings),
            history_path=job.history,
        )
        t0 = time.perf_counter()
        results_path, message = pipeline.write_workbook(run, job.out_dir, run_info)
        outcome.results = results_path
        t_write = time.perf_counter() - t0
        if message:
            _say(job, message, problem=True)
            outcome.log.append(f"{job.path.name}: {message}")

        # the summary, the history store, the JSON file
        timings = {"read": t_read, "write": t_write, "total": time.perf_counter() - t_start}
        summary = pipeline.build_summary(run, run_info, timings)
        if job.history is not None and settings.record_history:
            t0 = time.perf_counter()
            history_warnings = record_run(job.history, inputs, summary, run_time)
            t_history += time.perf_counter() - t0
            summary["warnings"] += history_warnings
            run_warnings += history_warnings
        elif job.history is not None:  # Record history = No: a what-if copy
            _say(job, T("cli.not_recorded"), step=True)
        # added keys (SPEC §6 keys stay): the history store's read + record, and a total
        # that includes it
        summary["timings_s"]["history"] = None if t_history is None else round(t_history, 4)
        summary["timings_s"]["total"] = round(time.perf_counter() - t_start, 4)
        for warning in run_warnings:
            _warn(job, outcome, warning)
        if job.write_json:
            outcome.summary = write_summary(summary, results_path)
    finally:
        pipeline.cancel(started)  # only what an error left unfinished
    total = time.perf_counter() - t_start
    _say(job, T("cli.done", seconds=f"{total:.1f}", path=show_path(results_path)))
    outcome.log.append(f"{job.path.name}: done in {total:.2f} s → {results_path}")


def show_path(path: Path) -> str:
    """A path as the user would like to read it: relative to the project when inside it."""
    try:
        return str(path.relative_to(project_dir()))
    except ValueError:
        return str(path)
