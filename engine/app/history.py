"""The history store (SPEC §7): one SQLite file of past runs for the Dashboard's trend.

Tables:

``schema_version``  one row, the schema version; older files are migrated forward.
``runs``            one row per (portfolio, valuation_date): run time, engine version,
                    input SHA-256 and the headline figures (nullable: an analysis that
                    did not run leaves its figures null).
``holdings``        the holdings snapshot of each run (``run_id`` → ``runs.id``).
``loans``           the loans snapshot of each run.

A re-run for the same portfolio and valuation date replaces its snapshot in one
transaction. A locked, read-only or corrupt file never stops a run: the functions
here return warnings instead of raising, and never overwrite a file they cannot read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

from engine import __version__
from engine.analyses.headline import HEADLINES, TEXT_HEADLINES, dig, headline_figures, number
from engine.crash_points import crash_point
from engine.model import Inputs

BUSY_TIMEOUT_S = 10.0
DEFAULT_LIMIT = 36

MIGRATIONS: tuple[str, ...] = (
    # version 1
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        portfolio TEXT NOT NULL,
        valuation_date TEXT NOT NULL,
        run_time TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        input_name TEXT,
        input_sha256 TEXT,
        base_currency TEXT,
        paths INTEGER,
        seed INTEGER,
        {headlines},
        UNIQUE (portfolio, valuation_date)
    );
    CREATE TABLE holdings (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        ticker TEXT,
        asset_class TEXT,
        currency TEXT,
        account TEXT,
        pledged_to TEXT,
        role TEXT,
        quantity REAL,
        price REAL,
        fx_rate REAL,
        market_value REAL,
        dividend_per_share REAL
    );
    CREATE INDEX holdings_run ON holdings(run_id);
    CREATE TABLE loans (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT,
        balance REAL,
        credit_limit REAL,
        interest_rate REAL,
        collateral_value REAL,
        ltv REAL,
        freeze_ltv REAL,
        call_ltv REAL,
        liquidation_ltv REAL
    );
    CREATE INDEX loans_run ON loans(run_id);
    """.replace(
        "{headlines}",
        ",\n        ".join(
            f"{name} {'TEXT' if name in TEXT_HEADLINES else 'REAL'}" for name in HEADLINES
        ),
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(Exception):
    """The history file cannot be used (locked, read-only, corrupt, newer schema)."""


# ----------------------------------------------------------------------------- helpers
def _connect(db_path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = Path(db_path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    else:
        conn = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def _schema_version(conn: sqlite3.Connection) -> int:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the file up to SCHEMA_VERSION (inside the caller's transaction)."""
    version = _schema_version(conn)
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"it was written by a newer engine (schema {version}, this engine knows "
            f"{SCHEMA_VERSION}); update the engine or use --history to choose another file"
        )
    if version == SCHEMA_VERSION:
        return
    if version == 0:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    for script in MIGRATIONS[version:]:
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
    conn.execute("DELETE FROM schema_version")
    conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))


def _describe(db_path: Path, exc: BaseException) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        why = "it is locked by another program; the run was not recorded"
    elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        why = "it is read-only; the run was not recorded"
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        why = (
            "it is not a valid history database (corrupt?); it was left untouched — move it "
            "aside to start a new history"
        )
    else:
        why = text
    return f"History file {db_path} could not be used: {why}."


# ----------------------------------------------------------------------------- record
def record_run(
    db_path: Path,
    inputs: Inputs,
    summary: Mapping[str, Any],
    run_time: datetime | None = None,
) -> list[str]:
    """Record this run's snapshot, replacing any for the same portfolio and date.

    Returns warnings (empty on success); never raises for file problems. Replacing a
    snapshot that came from another input file (another name and SHA-256: a what-if
    copy with the same Portfolio name and valuation date) is done, and said by name
    (SPEC §7); a what-if copy should set ``Record history`` = No.
    """
    db_path = Path(db_path)
    run_time = run_time or datetime.now().replace(microsecond=0)
    figures = headline_figures(summary)
    loan_figures = {
        loan.get("name"): loan
        for loan in (dig(summary, ("balance_sheet", "loans")) or [])
        if isinstance(loan, Mapping)
    }
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with closing(_connect(db_path)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _migrate(conn)
                crash_point("history:begun")
                replaced = _replace_snapshot(conn, inputs, summary, figures, loan_figures, run_time)
                crash_point("history:inserted")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
    except (sqlite3.Error, OSError, HistoryError) as exc:
        return [_describe(db_path, exc)]
    return [_replaced_warning(inputs, name) for name in replaced]


def _replaced_warning(inputs: Inputs, other: str) -> str:
    s = inputs.settings
    return (
        f"the history's snapshot of '{s.portfolio_name}' on {s.valuation_date} came from "
        f"{other}; it was replaced by this run of {inputs.source_name or 'this workbook'}. "
        "If this workbook is a what-if copy, set Record history to No on its Settings sheet "
        f"and run {other} again to restore it"
    )


def _replace_snapshot(conn, inputs, summary, figures, loan_figures, run_time) -> list[str]:
    """Replace the snapshot of (portfolio, valuation date); return the names of the other
    input files whose snapshots this replaced."""
    settings = inputs.settings
    key = (settings.portfolio_name, settings.valuation_date.isoformat())
    rows = conn.execute(
        "SELECT id, input_name, input_sha256 FROM runs WHERE portfolio = ? AND valuation_date = ?",
        key,
    ).fetchall()
    old = [r[0] for r in rows]
    others = sorted(
        {
            name or "another workbook"
            for _, name, sha in rows
            if sha != inputs.source_sha256 and name != inputs.source_name
        }
    )
    for run_id in old:
        conn.execute("DELETE FROM holdings WHERE run_id = ?", (run_id,))
        conn.execute("DELETE FROM loans WHERE run_id = ?", (run_id,))
        conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))
    crash_point("history:old-deleted")
    columns = [
        "portfolio", "valuation_date", "run_time", "engine_version", "input_name",
        "input_sha256", "base_currency", "paths", "seed", *figures,
    ]  # fmt: skip
    values = [
        *key,
        run_time.isoformat(sep=" "),
        __version__,
        inputs.source_name,
        inputs.source_sha256,
        settings.base_currency,
        summary.get("paths"),
        summary.get("seed"),
        *figures.values(),
    ]
    cursor = conn.execute(
        f"INSERT INTO runs ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        values,
    )
    run_id = cursor.lastrowid
    conn.executemany(
        "INSERT INTO holdings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                i,
                h.name,
                h.ticker,
                h.asset_class,
                h.currency,
                h.account,
                h.pledged_to,
                h.role,
                h.quantity,
                h.price,
                h.fx_rate,
                h.market_value,
                h.dps,
            )  # fmt: skip
            for i, h in enumerate(inputs.holdings)
        ],
    )
    rows = []
    for i, loan in enumerate(inputs.loans):
        extra = loan_figures.get(loan.name) or {}
        rows.append(
            (
                run_id,
                i,
                loan.name,
                loan.type,
                loan.balance,
                loan.limit,
                loan.interest_rate,
                number(extra.get("collateral_value")),
                number(extra.get("ltv")),
                loan.freeze_ltv,
                loan.margin_call_ltv,
                loan.liquidation_ltv,
            )  # fmt: skip
        )
    conn.executemany("INSERT INTO loans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return others


# ----------------------------------------------------------------------------- read
def read_history(
    db_path: Path,
    portfolio: str,
    limit: int = DEFAULT_LIMIT,
    before: date | None = None,
    warnings: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The last ``limit`` runs of ``portfolio``, oldest first.

    Each dict has ``portfolio``, ``valuation_date`` (a ``date``), ``run_time`` (ISO
    text), ``engine_version``, ``input_sha256`` and the headline figures of
    ``HEADLINES`` (None when not recorded). ``before`` keeps only earlier valuation
    dates (the current run is added by its reader). A missing file gives ``[]``;
    a file that cannot be read gives ``[]`` and a message appended to ``warnings``.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return []
    try:
        with closing(_connect(db_path, read_only=True)) as conn:
            version = _schema_version(conn)
            if version == 0:
                return []
            if version > SCHEMA_VERSION:
                raise HistoryError(f"it was written by a newer engine (schema {version})")
            conn.row_factory = sqlite3.Row
            sql = "SELECT * FROM runs WHERE portfolio = ?"
            args: list[Any] = [portfolio]
            if before is not None:
                sql += " AND valuation_date < ?"
                args.append(before.isoformat())
            sql += " ORDER BY valuation_date DESC LIMIT ?"
            args.append(int(limit))
            rows = [dict(r) for r in conn.execute(sql, args)]
    except (sqlite3.Error, OSError, HistoryError) as exc:
        if warnings is not None:
            warnings.append(_describe(db_path, exc).replace("the run was not recorded", "no trend"))
        return []
    out = []
    for r in reversed(rows):
        r.pop("id", None)
        r["valuation_date"] = date.fromisoformat(r["valuation_date"])
        out.append(r)
    return out
