"""Command line: ``python -m pmo_core COMMAND`` (DESIGN section 7).

For automation (a monthly scheduled import) and tests. ``--json`` prints exactly one JSON
document on stdout (undefined numbers are null); exit 0 on success, 1 when the input is
rejected (nothing written), 2 on wrong usage. Each command imports only what it needs, so
that the CLI starts fast.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pmo_core.errors import ImportRejected, PmoError, UsageError

# Tables each read command needs (loading 200k allocation rows for `kpis` would be waste).
KPI_TABLES = (
    "projects",
    "objectives",
    "pairwise",
    "alignment",
    "milestones",
    "risks",
    "status_reports",
)
CAPACITY_TABLES = ("projects", "resources", "capacity", "allocations")


def jsonable(obj: Any) -> Any:
    """Make ``obj`` JSON-safe: NaN/inf/NA -> None, dates -> ISO text, numpy -> Python.

    Examples:
        >>> jsonable({"a": float("nan"), "b": [1.5, date(2026, 1, 31)]})
        {'a': None, 'b': [1.5, '2026-01-31']}
    """
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [jsonable(v) for v in obj]
    if obj is None or isinstance(obj, bool | str):
        return obj
    if isinstance(obj, int):
        return obj
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, datetime):
        return obj.isoformat(timespec="seconds")
    if isinstance(obj, date):
        return obj.isoformat()
    if hasattr(obj, "item") and not hasattr(obj, "__len__"):  # numpy scalar
        return jsonable(obj.item())
    if hasattr(obj, "isoformat"):  # pandas Timestamp
        return None if str(obj) == "NaT" else obj.isoformat()
    from pmo_core.i18n import is_missing

    if is_missing(obj):
        return None
    return str(obj)


_OUT: list[Any] = []  # where answers go: the real stdout while libraries write to stderr


def emit(args: argparse.Namespace, doc: dict[str, Any], text: str | None = None) -> None:
    """Print the command's answer: the JSON document, or a human text."""
    out = _OUT[-1] if _OUT else sys.stdout
    if args.json:
        out.write(json.dumps(jsonable(doc), ensure_ascii=False, allow_nan=False) + "\n")
    else:
        body = text if text is not None else json.dumps(jsonable(doc), indent=2, ensure_ascii=False)
        out.write(body + "\n")
    out.flush()


@contextmanager
def answers_only_on_stdout() -> Iterator[None]:
    """Send everything written to file descriptor 1 (HiGHS, Rust readers print there
    directly) to stderr, and keep the real stdout for :func:`emit`: ``--json`` prints one
    JSON document and nothing else."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (embedded): nothing to protect
        yield
        return
    real = os.fdopen(os.dup(saved), "w", encoding="utf-8")
    os.dup2(2, 1)
    _OUT.append(real)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        _OUT.pop()
        real.flush()
        real.close()


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


def _ids(text: str | None) -> tuple[str, ...]:
    return tuple(s.strip() for s in (text or "").split(",") if s.strip())


def _snapshot(args: argparse.Namespace, tables: Sequence[str] | None = None) -> Any:
    from pmo_core import store

    return store.get_snapshot(
        args.snapshot, tables=None if tables is None else tuple(tables), path=args.db
    )


# ------------------------------------------------------------------------------ commands


def cmd_demo(args: argparse.Namespace) -> int:
    from pmo_core import demo

    demo.write_demo(args.out, n_projects=args.projects, seed=args.seed)
    emit(
        args,
        {"ok": True, "out": str(args.out), "projects": args.projects},
        f"Wrote {args.out} ({args.projects} projects).",
    )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from pmo_core.ingest import template

    template.write_template(args.out, lang=args.lang)
    emit(args, {"ok": True, "out": str(args.out), "lang": args.lang}, f"Wrote {args.out}.")
    return 0


def _issues_doc(result: Any, lang: str) -> list[dict[str, Any]]:
    return [i.to_dict(lang) for i in result.issues]


def _issues_text(result: Any, lang: str) -> str:
    lines = []
    for i in result.issues:
        where = " ".join(
            p for p in (i.sheet or "", f"row {i.row}" if i.row else "", i.column or "") if p
        )
        lines.append(f"{i.severity.upper():8} {where}: {i.text(lang)}")
    return "\n".join(lines)


def _mapping(args: argparse.Namespace) -> dict[str, Any] | None:
    if not args.mapping:
        return None
    try:
        loaded: dict[str, Any] = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"Cannot read the mapping profile {args.mapping}: {exc}") from exc
    return loaded


def cmd_validate(args: argparse.Namespace) -> int:
    from pmo_core import store
    from pmo_core.ingest import pipeline

    result = pipeline.validate_files(
        args.files, mapping=_mapping(args), path=store.db_path(args.db), role_field=args.role_field
    )
    doc = {
        "ok": result.ok,
        "snapshot_id": None,
        "counts": result.counts,
        "issues": _issues_doc(result, args.lang),
    }
    summary = "OK" if result.ok else "REJECTED"
    emit(args, doc, f"{_issues_text(result, args.lang)}\n{summary}: {result.counts}".strip())
    return 0 if result.ok else 1


def cmd_import(args: argparse.Namespace) -> int:
    from pmo_core import store
    from pmo_core.ingest import pipeline

    result = pipeline.validate_files(
        args.files, mapping=_mapping(args), path=store.db_path(args.db), role_field=args.role_field
    )
    doc: dict[str, Any] = {
        "ok": result.ok,
        "snapshot_id": None,
        "counts": result.counts,
        "issues": _issues_doc(result, args.lang),
    }
    if not result.ok:
        emit(args, doc, f"{_issues_text(result, args.lang)}\nREJECTED: nothing was imported.")
        return 1
    sid = pipeline.commit_result(result, as_of=args.as_of, who=args.who, path=args.db)
    doc["snapshot_id"] = sid
    doc["as_of"] = pipeline.resolve_as_of(result, args.as_of)
    emit(args, doc, f"{_issues_text(result, args.lang)}\nImported snapshot {sid}.".strip())
    return 0


def cmd_snapshots(args: argparse.Namespace) -> int:
    from pmo_core import store

    df = store.list_snapshots(args.db)
    rows = df.to_dict(orient="records")
    emit(
        args,
        {"snapshots": rows},
        df.drop(columns=["counts"]).to_string(index=False) if len(df) else "No snapshot.",
    )
    return 0


def cmd_kpis(args: argparse.Namespace) -> int:
    snapshot = _snapshot(args, KPI_TABLES)
    from pmo_core import kpi

    emit(args, kpi.kpis_document(snapshot))
    return 0


def cmd_capacity(args: argparse.Namespace) -> int:
    snapshot = _snapshot(args, CAPACITY_TABLES)
    from pmo_core.kpi import capacity

    emit(args, capacity.capacity_document(snapshot, by=args.by))
    return 0


def cmd_optimize(args: argparse.Namespace) -> int:
    from pmo_core import optimize

    snapshot = _snapshot(args)
    limit = args.time_limit or optimize.time_limit_from_settings(snapshot.settings)
    whatif = optimize.WhatIf(
        budget=args.budget,
        capacity=args.capacity,
        value=args.value,
        force_in=_ids(args.force_in),
        force_out=_ids(args.force_out),
        time_limit=limit,
        start_windows=args.start_window,
        yearly_budget=args.year_budget or (),
    )
    emit(args, optimize.optimize_document(snapshot, whatif))
    return 0


def cmd_frontier(args: argparse.Namespace) -> int:
    from pmo_core import optimize

    whatif = optimize.WhatIf(
        capacity=args.capacity, value=args.value, yearly_budget=args.year_budget or ()
    )
    emit(args, optimize.frontier_document(_snapshot(args), whatif, points=args.points))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pmo_core import report, store

    ids = None
    if args.programme:
        projects = store.get_snapshot(args.snapshot, tables=("projects",), path=args.db)
        p = projects.frames["projects"]
        ids = p.loc[p["program"].isin(args.programme), "project_id"].tolist()
    body = report.build_report(
        args.snapshot,
        args.out,
        lang=args.lang,
        project_ids=ids,
        scenario_id=args.scenario,
        path=args.db,
    )
    fmt = report.report_format(args.out)
    emit(
        args,
        {"out": str(args.out), "format": fmt, "bytes": len(body)},
        f"{args.out} ({fmt}, {len(body)} bytes)",
    )
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from pmo_core import auth

    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise UsageError("The two passwords differ.")
    else:  # piped: the first line
        first = sys.stdin.readline().rstrip("\n")
    try:
        encoded = auth.hash_password(first)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    emit(
        args,
        {"hash": encoded},
        f'{encoded}\n\nIn .streamlit/secrets.toml:\n[pmo]\neditor_password_hash = "{encoded}"',
    )
    return 0


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
        sp.set_defaults(func=fn)
        return sp

    sp = add(
        "demo", cmd_demo, "write a demo (or scale) workbook in the template's format", [common]
    )
    sp.add_argument("--out", required=True, type=Path)
    sp.add_argument("--projects", type=int, default=60, help="number of projects (default 60)")
    sp.add_argument("--seed", type=int, default=7)

    sp = add("template", cmd_template, "write the empty import template", [common])
    sp.add_argument("--out", required=True, type=Path)

    files_help = (
        "a workbook or CSV; or schedules (.xml MS Project, .xer / .pmxml P6, .gz too) "
        "plus at most one portfolio workbook, read as one snapshot"
    )
    sp = add("validate", cmd_validate, "check files without writing; list the issues", [common])
    sp.add_argument("files", type=Path, nargs="+", metavar="FILE", help=files_help)
    sp.add_argument("--mapping", help="mapping profile (JSON) for an unknown export")
    sp.add_argument(
        "--role-field",
        metavar="NAME",
        help="MS Project: the resource field holding the role (Text1... or its alias)",
    )

    sp = add("import", cmd_import, "validate and commit one snapshot; print its id", [common])
    sp.add_argument("files", type=Path, nargs="+", metavar="FILE", help=files_help)
    sp.add_argument("--as-of", type=parse_date, help="the snapshot's as-of date")
    sp.add_argument("--mapping", help="mapping profile (JSON) for an unknown export")
    sp.add_argument(
        "--role-field",
        metavar="NAME",
        help="MS Project: the resource field holding the role (Text1... or its alias)",
    )
    sp.add_argument("--who", default=os.environ.get("USER"), help="recorded as the importer")

    add("snapshots", cmd_snapshots, "list snapshots, newest first", [common])

    add("kpis", cmd_kpis, "portfolio and per-project KPIs", [common, snap])

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

    add(
        "hash-password",
        cmd_hash_password,
        "ask for a password twice and print its scrypt hash for .streamlit/secrets.toml",
        [common],
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    with answers_only_on_stdout():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
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
            emit(args, {"ok": False, "error": str(exc)})
        else:
            print(f"error: {exc}", file=sys.stderr)
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
