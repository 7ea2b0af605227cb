"""Domain errors with messages a user can act on.

Pages catch :class:`PmoError` and show it with ``st.error``; the CLI prints it and exits
with the code the error carries. Anything else is a bug and is left to surface.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class Located(Protocol):
    """What an error needs of one problem it carries: an import's
    :class:`pmo_core.ingest.issues.Issue` is one (this module imports nothing of the
    ingest, which raises these errors)."""

    @property
    def severity(self) -> str: ...

    def text(self, lang: str = "en") -> str: ...

    def to_dict(self, lang: str = "en") -> dict[str, Any]: ...


class PmoError(Exception):
    """Base of every error the product reports to a user (exit code 1 in the CLI)."""

    exit_code = 1


class ImportRejected(PmoError):
    """The input has errors: nothing was written. ``issues`` lists them all."""

    def __init__(self, message: str, issues: Sequence[Located] | None = None) -> None:
        super().__init__(message)
        self.issues: list[Located] = list(issues or [])


class StoreBusy(PmoError):
    """Another process holds the store's write lock past the timeout: retry later."""


class SnapshotNotFound(PmoError):
    """The snapshot asked for does not exist (or the store is empty)."""


class Infeasible(PmoError):
    """Forced projects alone break a constraint; ``violations`` says which and by how much."""

    def __init__(self, message: str, violations: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.violations: list[dict[str, Any]] = list(violations or [])


class UsageError(PmoError):
    """Wrong use of a command or function (exit code 2 in the CLI)."""

    exit_code = 2
