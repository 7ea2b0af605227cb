"""The house's rules (docs/architecture.md), computed from the code's syntax trees.

- the library never imports the UI (streamlit, ui);
- pages and ui never touch the database, and hold no SQL;
- no import circle between pmo_core modules at module level;
- no module takes another package's ``_private`` names;
- pages are thin (no cache, no store call, at most 150 lines); every cache is in
  ``ui/loaders.py``;
- every package in the tree is named in docs/architecture.md.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = sorted((ROOT / "pmo_core").rglob("*.py"))
PAGES = sorted((ROOT / "pages").glob("*.py"))
UI_PKG = sorted((ROOT / "ui").glob("*.py"))
UI = sorted([ROOT / "app.py", *PAGES, *UI_PKG])
ALL = sorted([*CORE, *UI])
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|CREATE\s+TABLE|UPDATE\s+\w+\s+SET)\b",
    re.IGNORECASE | re.DOTALL,
)
PAGE_MAX_LINES = 150


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in ALL}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def _imported_modules(path: Path, top_level_only: bool) -> list[tuple[str, list[str]]]:
    """(module, imported names) of each project import; ``from a import b`` counts ``a.b``
    as the module when ``a.b`` is one. ``if TYPE_CHECKING:`` blocks are not imports."""
    out: list[tuple[str, list[str]]] = []
    tree = _tree(path)
    nodes: list[ast.stmt]
    if top_level_only:
        nodes = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        # imports inside top-level try/if blocks still run at import time
        for n in tree.body:
            if isinstance(n, ast.Try):
                nodes += [s for s in n.body if isinstance(s, ast.Import | ast.ImportFrom)]
            if isinstance(n, ast.If) and "TYPE_CHECKING" not in ast.unparse(n.test):
                nodes += [s for s in n.body if isinstance(s, ast.Import | ast.ImportFrom)]
    else:
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    for node in nodes:
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.split(".")[0] in ("pmo_core", "ui")]
        elif node.module and node.level == 0 and node.module.split(".")[0] in ("pmo_core", "ui"):
            names = [a.name for a in node.names]
            subs = [f"{node.module}.{n}" for n in names if f"{node.module}.{n}" in MODULES]
            out.append((node.module, [n for n in names if f"{node.module}.{n}" not in MODULES]))
            out += [(s, []) for s in subs]
    return out


@pytest.mark.parametrize("path", CORE, ids=_rel)
def test_pmo_core_never_imports_streamlit_nor_ui(path: Path) -> None:
    assert not {"streamlit", "ui"} & _imports(path)


@pytest.mark.parametrize("path", UI, ids=_rel)
def test_pages_and_ui_never_import_duckdb_nor_hold_sql(path: Path) -> None:
    assert "duckdb" not in _imports(path)
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not SQL.search(node.value), f"SQL in {path.name}: {node.value[:60]}"


@pytest.mark.parametrize("path", UI, ids=_rel)
def test_pages_do_not_set_page_config(path: Path) -> None:
    if path.name != "app.py":
        assert "set_page_config" not in path.read_text(encoding="utf-8")


def _graph(top_level_only: bool = True) -> dict[str, set[str]]:
    """Module -> the project modules it imports (at module level only, or anywhere):
    importing a submodule runs its packages' ``__init__`` first, so those count too."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        deps = set()
        for mod, _ in _imported_modules(path, top_level_only=top_level_only):
            parts = mod.split(".")
            for i in range(1, len(parts) + 1):
                dep = ".".join(parts[:i])
                if dep in MODULES and dep != name and not name.startswith(dep + "."):
                    deps.add(dep)
        graph[name] = deps
    return graph


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that ends where it starts, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                return [*stack[stack.index(d) :], d]
            if d not in state and (found := visit(d)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _find_cycle(graph) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_at_module_level() -> None:
    cycle = _find_cycle(_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_no_circle_dodged_by_an_import_inside_a_function() -> None:
    # Imports inside functions are fine to keep a command's start-up light (the CLI), not
    # to hide a circle: counted too, the graph still has none.
    cycle = _find_cycle(_graph(top_level_only=False))
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize("path", ALL, ids=_rel)
def test_no_private_name_taken_from_another_module(path: Path) -> None:
    for module, names in _imported_modules(path, top_level_only=False):
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private, f"{_module_name(path)} takes {private} from {module}"


@pytest.mark.parametrize("path", PAGES, ids=_rel)
def test_pages_are_thin(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= PAGE_MAX_LINES, f"{path.name} is over {PAGE_MAX_LINES} lines"
    assert "cache_data" not in text and "cache_resource" not in text
    assert "store" not in {
        a.asname or a.name
        for n in ast.walk(_tree(path))
        if isinstance(n, ast.ImportFrom) and n.module == "pmo_core"
        for a in n.names
    }, f"{path.name} calls the store: go through ui/loaders.py"


@pytest.mark.parametrize("path", [p for p in UI if p.name != "loaders.py"], ids=_rel)
def test_caches_live_only_in_ui_loaders(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "st.cache_data" not in text.replace("st.cache_data.clear", "")
    assert "st.cache_resource" not in text


def test_every_package_is_named_in_the_architecture_doc() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(
        str(p.parent.relative_to(ROOT)) + "/"
        for p in ROOT.glob("pmo_core/**/__init__.py")
        if "migrations" not in p.parts
    )
    packages += ["ui/", "pages/"]
    missing = [p for p in packages if p.removeprefix("pmo_core/") not in doc]
    assert not missing, f"docs/architecture.md does not name {missing}"
