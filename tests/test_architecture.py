"""Layers stay apart: the library never imports the UI; pages never touch the database."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = sorted((ROOT / "pmo_core").rglob("*.py"))
UI = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py")])
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|CREATE\s+TABLE|UPDATE\s+\w+\s+SET)\b",
    re.IGNORECASE | re.DOTALL,
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pmo_core_never_imports_streamlit(path: Path) -> None:
    assert "streamlit" not in _imports(path)


@pytest.mark.parametrize("path", UI, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_never_import_duckdb_nor_hold_sql(path: Path) -> None:
    assert "duckdb" not in _imports(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not SQL.search(node.value), f"SQL in {path.name}: {node.value[:60]}"


@pytest.mark.parametrize("path", UI, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_do_not_set_page_config(path: Path) -> None:
    if path.name != "app.py":
        assert "set_page_config" not in path.read_text(encoding="utf-8")
