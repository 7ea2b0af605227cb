"""Command line: ``python -m pmo_core COMMAND`` (DESIGN section 7).

For automation (a monthly scheduled import) and tests. ``--json`` prints exactly one JSON
document on stdout (undefined numbers are null); exit 0 on success, 1 when the input is
rejected (nothing written), 2 on wrong usage. Each command imports only what it needs, so
that the CLI starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from pmo_core.commands import (
    answers_only_on_stdout,
    cmd_capacity,
    cmd_demo,
    cmd_forecast,
    cmd_frontier,
    cmd_hash_password,
    cmd_import,
    cmd_kpis,
    cmd_migrate,
    cmd_optimize,
    cmd_report,
    cmd_robust,
    cmd_schedule_risk,
    cmd_snapshots,
    cmd_template,
    cmd_unlock_sign_in,
    cmd_validate,
    emit,
)
from pmo_core.errors import ImportRejected, PmoError


def parse_amount(text: str) -> float:
    """``12000000``, ``12M``, ``850k``, ``1 234,5`` -> a number.

    Examples:
        >>> parse_amount("12M"), parse_amount("850k"), parse_amount("1 234,5")
        (12000000.0, 850000.0, 1234.5)
    """
    s = text.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    s = s.replace("€", "").replace("$", "").replace("£", "")
    mult = 1.0
    if s[-1:].lower() in ("k", "m", "g", "b"):
        mult = {"k": 1e3, "m": 1e6, "g": 1e9, "b": 1e9}[s[-1].lower()]
        s = s[:-1]
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    s = s.replace(",", "")
    try:
        return float(s) * mult
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r}") from exc


def parse_year_budget(text: str) -> tuple[int, float]:
    """``2027=12M`` -> (2027, 12000000.0): a yearly budget limit.

    Examples:
        >>> parse_year_budget("2027=12M")
        (2027, 12000000.0)
    """
    year, sep, amount = text.partition("=")
    if not sep or not year.strip().isdigit():
        raise argparse.ArgumentTypeError(f"not YEAR=AMOUNT: {text!r}")
    return int(year), parse_amount(amount)


def parse_date(text: str) -> date:
    """``2026-10-31`` or ``31/10/2026``."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD or DD/MM/YYYY): {text!r}")


# -------------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="store file (default: $PMO_DB_PATH, then data/pmo.duckdb)")
    common.add_argument("--json", action="store_true", help="print one JSON document")
    common.add_argument(
        "--lang", default="en", choices=["en", "fr"], help="language of messages (default en)"
    )
    snap = argparse.ArgumentParser(add_help=False)
    snap.add_argument("--snapshot", type=int, help="snapshot id (default: the newest)")

    p = argparse.ArgumentParser(
        prog="python -m pmo_core",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str,
        fn: Callable[[argparse.Namespace], int],
        help_: str,
        parents: list[argparse.ArgumentParser],
    ) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_, parents=parents)
        sp.set_defaults(func=fn, uses_store=True)
        return sp

    sp = add(
        "demo", cmd_demo, "write a demo (or scale) workbook in the template's format", [common]
    )
    sp.add_argument("--out", required=True, type=Path)
    sp.add_argument("--projects", type=int, default=60, help="number of projects (default 60)")
    sp.add_argument("--seed", type=int, default=7)
    sp.set_defaults(uses_store=False)

    sp = add("template", cmd_template, "write the empty import template", [common])
    sp.add_argument("--out", required=True, type=Path)
    sp.set_defaults(uses_store=False)

    files_help = (
        "a workbook or CSV; or schedules (.xml MS Project, .xer / .pmxml P6, .gz too) "
        "plus at most one portfolio workbook, read as one snapshot"
    )
    modes = argparse.ArgumentParser(add_help=False)
    modes.add_argument(
        "--lenient",
        action="store_true",
        help="import what is valid: a faulty cell left empty, a row with a faulty id left "
        "out, an exact duplicate row kept once, each listed as a warning (default: strict, "
        "any error blocks)",
    )
    modes.add_argument(
        "--update",
        action="store_true",
        help="a departmental file: the new snapshot is the newest one with this file's "
        "projects (and their rows) replaced or added, everything else carried over",
    )
    sp = add(
        "validate", cmd_validate, "check files without writing; list the issues", [common, modes]
    )
    sp.add_argument("files", type=Path, nargs="+", metavar="FILE", help=files_help)
    sp.add_argument("--mapping", help="mapping profile (JSON) for an unknown export")
    sp.add_argument(
        "--role-field",
        metavar="NAME",
        help="MS Project: the resource field holding the role (Text1... or its alias); "
        "Project Online export: the Resources custom field holding it",
    )

    sp = add(
        "import", cmd_import, "validate and commit one snapshot; print its id", [common, modes]
    )
    sp.add_argument("files", type=Path, nargs="+", metavar="FILE", help=files_help)
    sp.add_argument("--as-of", type=parse_date, help="the snapshot's as-of date")
    sp.add_argument("--mapping", help="mapping profile (JSON) for an unknown export")
    sp.add_argument(
        "--role-field",
        metavar="NAME",
        help="MS Project: the resource field holding the role (Text1... or its alias); "
        "Project Online export: the Resources custom field holding it",
    )
    sp.add_argument("--who", default=os.environ.get("USER"), help="recorded as the importer")

    add(
        "migrate",
        cmd_migrate,
        "upgrade the store to this release (every command does it first)",
        [common],
    )

    add("snapshots", cmd_snapshots, "list snapshots, newest first", [common])

    add("kpis", cmd_kpis, "portfolio and per-project KPIs", [common, snap])

    sp = add(
        "forecast",
        cmd_forecast,
        "P10-P90 of EAC and finish per running project, portfolio P50/P80, calibration",
        [common, snap],
    )
    sp.add_argument("--iterations", type=int, default=10_000, help="draws (default 10000)")
    sp.add_argument("--seed", type=int, default=0, help="same seed, same answer (default 0)")

    sp = add("capacity", cmd_capacity, "demand, capacity and utilisation per month", [common, snap])
    sp.add_argument("--by", choices=["role", "resource"], default="role")

    sp = add(
        "optimize", cmd_optimize, "optimal selection under budget (and capacity)", [common, snap]
    )
    sp.add_argument("--budget", type=parse_amount, required=True, help="e.g. 12000000 or 12M")
    sp.add_argument("--capacity", action="store_true", help="respect role capacity per month")
    sp.add_argument("--value", choices=["alignment", "benefit"], default="alignment")
    sp.add_argument("--force-in", help="comma-separated project ids")
    sp.add_argument("--force-out", help="comma-separated project ids")
    sp.add_argument(
        "--time-limit",
        type=float,
        help="seconds (default: the snapshot's setting optimizer_time_limit, else 10)",
    )
    sp.add_argument(
        "--start-window",
        type=int,
        default=0,
        help="months a project not started yet may start later (default 0)",
    )
    sp.add_argument(
        "--year-budget",
        type=parse_year_budget,
        action="append",
        metavar="YEAR=AMOUNT",
        help="budget limit of a calendar year, e.g. 2027=12M (repeatable)",
    )

    sp = add(
        "schedule-risk",
        cmd_schedule_risk,
        "Monte Carlo over a schedule's logic: P50/P80 finish, criticality, drivers",
        [common],
    )
    sp.add_argument("file", type=Path, metavar="FILE", help="MS Project .xml, P6 .xer or .xml")
    sp.add_argument("--iterations", type=int, default=1_000, help="draws (default 1000)")
    sp.add_argument("--seed", type=int, default=0, help="same seed, same answer (default 0)")

    sp = add(
        "robust",
        cmd_robust,
        "selection probability of each project under uncertain costs, values and judgments",
        [common, snap],
    )
    sp.add_argument("--budget", type=parse_amount, required=True, help="e.g. 12000000 or 12M")
    sp.add_argument("--capacity", action="store_true", help="respect role capacity per month")
    sp.add_argument("--value", choices=["alignment", "benefit"], default="alignment")
    sp.add_argument("--samples", type=int, default=100, help="draws re-solved (default 100)")
    sp.add_argument(
        "--time-limit", type=float, default=30.0, help="seconds for all the draws (default 30)"
    )
    sp.add_argument(
        "--spread", type=float, default=20.0, help="+- percent on costs and values (default 20)"
    )
    sp.add_argument("--seed", type=int, default=0, help="same seed, same answer (default 0)")

    sp = add("frontier", cmd_frontier, "efficient frontier (value vs budget)", [common, snap])
    sp.add_argument("--points", type=int, default=20)
    sp.add_argument("--capacity", action="store_true")
    sp.add_argument("--value", choices=["alignment", "benefit"], default="alignment")
    sp.add_argument(
        "--year-budget",
        type=parse_year_budget,
        action="append",
        metavar="YEAR=AMOUNT",
        help="budget limit of a calendar year, kept while the total moves (repeatable)",
    )

    sp = add(
        "report",
        cmd_report,
        "steering pack: .xlsx, .html or .pdf by the extension of --out",
        [common, snap],
    )
    sp.add_argument("--out", required=True, type=Path, help="pack.xlsx, pack.html or pack.pdf")
    sp.add_argument("--scenario", type=int, help="id of a saved scenario to include")
    sp.add_argument("--programme", action="append", help="only this programme (repeat for several)")

    sp = add(
        "hash-password",
        cmd_hash_password,
        "ask for a password twice and print its scrypt hash for .streamlit/secrets.toml",
        [common],
    )
    sp.set_defaults(uses_store=False)

    sp = add(
        "unlock-sign-in",
        cmd_unlock_sign_in,
        "forget the wrong-password records that lock the sign-in (all, or --key)",
        [common],
    )
    sp.add_argument("--key", action="append", help="only this record (user:password, addr:ADDRESS)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with answers_only_on_stdout():
        return _run(args)


def _text(exc: PmoError, lang: str) -> str:
    """The error's message in ``lang`` (its template translated, then filled)."""
    from pmo_core.i18n import t

    return t(exc.template, lang, **exc.params) if exc.template else str(exc)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.uses_store:
            # One write connection upgrades an older store before the command reads it
            # (nothing happens when it is up to date or does not exist yet).
            from pmo_core import store

            args._migrated = store.migrate(args.db)
        code: int = args.func(args)
        return code
    except ImportRejected as exc:
        if args.json:
            emit(
                args,
                {
                    "ok": False,
                    "snapshot_id": None,
                    "error": str(exc),
                    "issues": [i.to_dict(args.lang) for i in exc.issues],
                },
            )
        else:
            print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except PmoError as exc:
        if args.json:
            emit(args, {"ok": False, "error": _text(exc, args.lang)})
        else:
            print(f"error: {_text(exc, args.lang)}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # the CLI never shows a traceback unless asked
        if os.environ.get("PMO_DEBUG"):
            raise
        msg = f"internal error ({type(exc).__name__}): {exc}. Set PMO_DEBUG=1 for details."
        if args.json:
            emit(args, {"ok": False, "error": msg})
        else:
            print(f"error: {msg}", file=sys.stderr)
        return 1
