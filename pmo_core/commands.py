"""What each command of ``python -m pmo_core`` does, and how it prints its answer.

``cmd_<command>(args) -> exit code`` runs one command from the parsed arguments (the
parser, ``main`` and the error handling are in :mod:`pmo_core.cli`); ``emit`` prints its
answer, with ``--json`` exactly one JSON document (``jsonable``: undefined numbers are
null), and ``answers_only_on_stdout`` keeps stdout for it while libraries print. Each
command imports only what it needs, so that the CLI starts fast.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pmo_core.errors import UsageError

# Tables each read command needs (loading 200k allocation rows for `kpis` would be waste).
KPI_TABLES = (
    "projects",
    "objectives",
    "pairwise",
    "alignment",
    "milestones",
    "risks",
    "status_reports",
    "baseline",
    "priorities",
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
    """One line per issue, errors first: where (sheet, row and its project, column), the
    message, and the value read."""
    lines = []
    for i in sorted(result.issues, key=lambda i: i.severity != "error"):
        row = f"row {i.row}" if i.row else ""
        if row and i.project_id:
            row += f" ({i.project_id})"
        where = " ".join(p for p in (i.sheet or "", row, i.column or "") if p)
        value = f" [{i.value}]" if i.value not in (None, "") else ""
        lines.append(f"{i.severity.upper():8} {where}: {i.text(lang)}{value}")
    return "\n".join(lines)


def _mapping(args: argparse.Namespace) -> dict[str, Any] | None:
    if not args.mapping:
        return None
    try:
        loaded: dict[str, Any] = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"Cannot read the mapping profile {args.mapping}: {exc}") from exc
    return loaded


def _validated(args: argparse.Namespace) -> Any:
    """The files of ``validate``/``import`` read in the mode asked (strict, ``--lenient``,
    ``--update``), against the store of ``--db``."""
    from pmo_core import store
    from pmo_core.ingest import pipeline

    return pipeline.validate_files(
        args.files,
        mapping=_mapping(args),
        path=store.db_path(args.db),
        role_field=args.role_field,
        lenient=args.lenient,
        update=args.update,
    )


def _import_doc(args: argparse.Namespace, result: Any) -> dict[str, Any]:
    """The JSON of ``validate``/``import`` (DESIGN section 7), with the mode's fields:
    ``lenient`` and the count of its corrections (``fixes``), ``update`` (its counts of
    projects updated, added, kept, and the snapshot it started from; null otherwise).
    ``counts`` are the rows read from the file; ``import`` adds ``snapshot_counts``, the
    rows of the snapshot written (an update's carried-over rows included)."""
    from pmo_core.ingest.schedules.common import read_counts

    return {
        "ok": result.ok,
        "snapshot_id": None,
        "counts": read_counts(result),
        "issues": _issues_doc(result, args.lang),
        "lenient": bool(args.lenient),
        "fixes": result.fixes,
        "update": result.update,
    }


def _update_text(result: Any) -> str:
    u = result.update
    if u is None:
        return ""
    return (
        f"\nUpdate of snapshot {u['base_snapshot_id']}: {u['updated']} projects updated, "
        f"{u['added']} added, {u['kept']} kept."
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from pmo_core.kpi.schedule_quality import schedule_quality_document

    result = _validated(args)
    quality_doc = schedule_quality_document(result, args.lang)
    doc = _import_doc(args, result)
    doc["schedule_quality"] = quality_doc
    summary = "OK" if result.ok else "REJECTED"
    quality = "".join(
        f"\nDCMA {p['project_id']}: {p['passed']} passed, {p['failed']} failed, "
        f"{p['not_applicable']} n/a"
        for p in (quality_doc or {}).get("projects", [])
    )
    text = f"{_issues_text(result, args.lang)}\n{summary}: {doc['counts']}{quality}"
    emit(args, doc, (text + _update_text(result)).strip())
    return 0 if result.ok else 1


def cmd_import(args: argparse.Namespace) -> int:
    from pmo_core.ingest import pipeline

    result = _validated(args)
    if not result.ok:
        doc = _import_doc(args, result)
        emit(args, doc, f"{_issues_text(result, args.lang)}\nREJECTED: nothing was imported.")
        return 1
    as_of = pipeline.resolve_as_of(result, args.as_of)
    same = pipeline.same_as_of(as_of, args.db)
    if same is not None:
        result.issues.append(same)
    sid = pipeline.commit_result(result, as_of=as_of, who=args.who, path=args.db)
    from pmo_core import store

    doc = _import_doc(args, result)
    doc["snapshot_id"] = sid
    doc["as_of"] = as_of
    stored = store.list_snapshots(args.db)
    doc["snapshot_counts"] = stored.loc[stored["snapshot_id"] == sid, "counts"].iloc[0]
    text = f"{_issues_text(result, args.lang)}{_update_text(result)}\nImported snapshot {sid}."
    emit(args, doc, text.strip())
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Upgrade the store to this release (every other command does it first too)."""
    from pmo_core import store

    path = store.display_name(args.db)
    applied = list(getattr(args, "_migrated", [])) or store.migrate(args.db)
    if applied:
        text = f"Store {path} upgraded: migrations {', '.join(map(str, applied))} applied."
    else:
        text = f"Store {path} is up to date."
    emit(args, {"ok": True, "db": str(path), "applied": applied}, text)
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


def cmd_forecast(args: argparse.Namespace) -> int:
    from pmo_core import forecast

    if args.iterations < 1:
        raise UsageError("--iterations must be at least 1.")
    history = forecast.store_history(args.snapshot, args.db, KPI_TABLES)
    emit(args, forecast.forecast_document(history, iterations=args.iterations, seed=args.seed))
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


def cmd_schedule_risk(args: argparse.Namespace) -> int:
    from pmo_core.forecast import schedule_risk
    from pmo_core.ingest.schedules import is_schedule_name, read_schedule

    if args.iterations < 1:
        raise UsageError("--iterations must be at least 1.")
    if not is_schedule_name(args.file.name):
        raise UsageError(
            f"{args.file.name}: not a schedule (MS Project .xml or .mpp, P6 .xer or .xml)."
        )
    result = read_schedule(args.file.read_bytes(), args.file.name)
    if not result.ok:
        emit(
            args,
            {"ok": False, "issues": _issues_doc(result, args.lang)},
            _issues_text(result, args.lang),
        )
        return 1
    doc = schedule_risk.simulate(
        result.activities, result.relations, iterations=args.iterations, seed=args.seed
    )
    text = (
        f"P50 finish {doc['finish_p50']}, P80 {doc['finish_p80']} "
        f"(deterministic {doc['deterministic_finish']}, {args.iterations} draws)"
    )
    emit(args, {"ok": True, "file": args.file.name, **doc}, text)
    return 0


def cmd_robust(args: argparse.Namespace) -> int:
    from pmo_core import optimize
    from pmo_core.optimize import robust

    if args.samples < 1:
        raise UsageError("--samples must be at least 1.")
    if not 0 <= args.spread < 100:
        raise UsageError("--spread is a percentage from 0 to 99, e.g. 20.")
    snapshot = _snapshot(args)
    whatif = optimize.WhatIf(budget=args.budget, capacity=args.capacity, value=args.value)
    p = optimize.snapshot_problem(snapshot, whatif)
    values = robust.ahp_values(snapshot, p) if args.value == "alignment" else None
    doc = robust.robust_document_for(
        p,
        samples=args.samples,
        spread=args.spread / 100,
        seed=args.seed,
        time_limit=args.time_limit,
        values=values,
    )
    emit(args, {"snapshot_id": snapshot.snapshot_id, "ahp_perturbed": values is not None, **doc})
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


def cmd_unlock_sign_in(args: argparse.Namespace) -> int:
    """Forget the wrong-password records (all, or those of ``--key``): the sign-in is
    unlocked for every process of the app at its next try (a running server also keeps
    its own count until it restarts, at most the lock's length)."""
    from pmo_core.store import attempts

    records = attempts.list_attempts(path=args.db)
    keys = [k for k in records if not args.key or k in args.key]
    attempts.clear_attempts(keys, path=args.db)
    emit(args, {"cleared": keys}, "\n".join(f"cleared {k}" for k in keys) or "nothing to clear")
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
