"""The README moves with the code: every CLI command and every page is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_core.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)  # type: ignore[union-attr, arg-type]


def test_readme_opens_with_the_two_commands() -> None:
    head = README[:400]
    assert "make run" in head and "make test" in head


@pytest.mark.parametrize("command", _commands())
def test_readme_documents_every_cli_command(command: str) -> None:
    assert f"`{command}" in README, f"README does not document `{command}`"


@pytest.mark.parametrize(
    "page", sorted(p.name for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
)
def test_readme_lists_every_page(page: str) -> None:
    assert f"pages/{page}" in README, f"README does not list pages/{page}"


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([command, "--help"])
    assert exc.value.code == 0
    assert "--json" in capsys.readouterr().out
