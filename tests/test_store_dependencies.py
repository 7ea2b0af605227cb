"""Dependencies (issue 16, item 7): every runtime dependency has an upper bound in
requirements.txt, requirements.lock pins each one inside its range, and the install of
`make run`, `make test` and `.ci/run` goes through the lock."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def _requirements(name: str) -> list[Requirement]:
    out = []
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            out.append(Requirement(line))
    return out


def _lock() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"requirements.lock: not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


@pytest.mark.parametrize("req", _requirements("requirements.txt"), ids=str)
def test_every_runtime_dependency_has_an_upper_bound(req: Requirement) -> None:
    assert any(s.operator in ("<", "<=", "~=", "==") for s in req.specifier), str(req)


@pytest.mark.parametrize(
    "req", _requirements("requirements.txt") + _requirements("requirements-dev.txt"), ids=str
)
def test_the_lock_pins_every_dependency_inside_its_range(req: Requirement) -> None:
    pins = _lock()
    name = canonicalize_name(req.name)
    assert name in pins, f"{req.name} is not in requirements.lock: run `make lock`"
    assert req.specifier.contains(pins[name], prereleases=True), (str(req), pins[name])


def test_every_install_goes_through_the_lock() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [ln for ln in make.splitlines() if re.search(r"pip install .*-r requirements", ln)]
    recipe_lock = make.split("\nlock:", 1)[1]
    constrained = [ln for ln in installs if ln not in recipe_lock]
    assert constrained and all("-c requirements.lock" in ln for ln in constrained), installs
    assert re.search(r"^lock:", make, flags=re.M), "no `make lock` target"
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
