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
    """Base of every error the product reports to a user (exit code 1 in the CLI).

    ``message`` may be an English template with ``{placeholders}`` filled from
    ``params``: ``template`` and ``params`` are kept so that the app shows the message in
    the user's language (``pmo_core.i18n.t(exc.template, lang, **exc.params)``).

    Examples:
        >>> e = PmoError("The store {path} is busy.", path="x.duckdb")
        >>> str(e), e.template, e.params
        ('The store x.duckdb is busy.', 'The store {path} is busy.', {'path': 'x.duckdb'})
    """

    exit_code = 1

    def __init__(self, message: str = "", *args: object, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message, *args)
        self.template = message
        self.params = params


class ImportRejected(PmoError):
    """The input has errors: nothing was written. ``issues`` lists them all."""

    def __init__(self, message: str, issues: Sequence[Located] | None = None) -> None:
        super().__init__(message)
        self.issues: list[Located] = list(issues or [])


class StoreBusy(PmoError):
    """Another process holds the store's write lock past the timeout: retry later."""


class StoreNeedsUpgrade(PmoError):
    """The store misses a migration this code needs: ``python -m pmo_core migrate``
    applies it (the app applies it at start)."""


class StoreForbidden(PmoError):
    """The store's database user lacks a right the app needs on a table or sequence
    (PostgreSQL): its owner grants them with ``deploy/pg_app_role.sql``."""


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
