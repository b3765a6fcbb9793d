"""Errors a user can act on.

Every error names what the user must fix (a file and line, a path, a parameter), so
the command line can print it without a traceback.
"""

from __future__ import annotations

from pathlib import Path


class CtldError(Exception):
    """Base class of the errors ctld reports to users without a traceback."""


class MissingPathError(CtldError):
    def __init__(self, path: Path | str, what: str = "path") -> None:
        self.path = Path(path)
        super().__init__(f"{what} not found: {self.path}")


class SourceSyntaxError(CtldError):
    """An RDF source file does not parse; carries the file and 1-based line."""

    def __init__(self, path: Path | str, line: int | None, detail: str) -> None:
        self.path = Path(path)
        self.line = line
        self.detail = detail
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: syntax error: {detail}")


class QueryFileError(CtldError):
    """A packaged .rq file has bad metadata or does not parse."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)
        super().__init__(f"{self.path}: {detail}")


class ToolMissingError(CtldError):
    """An external program (Java, Jena's jars) that a command needs is not installed."""


class ReasonerError(CtldError):
    """The OWL reasoner could not run (as opposed to finding an inconsistency)."""


class ArticleError(CtldError):
    """An article file is malformed: names the file, the front matter field and line."""

    def __init__(self, path: Path | str, field: str | None, line: int | None, detail: str) -> None:
        self.path = Path(path)
        self.field = field
        self.line = line
        where = f"{self.path}:{line}" if line else str(self.path)
        about = f"field '{field}': " if field else ""
        super().__init__(f"{where}: {about}{detail}")


class DataFileError(CtldError):
    """A YAML or CSV data file (lexicon, gold annotations, reference table) is malformed."""

    def __init__(self, path: Path | str, line: int | None, detail: str) -> None:
        self.path = Path(path)
        self.line = line
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {detail}")


class QueryRefusedError(CtldError):
    """A query the endpoint will not run: an update, SERVICE, LOAD, or a syntax error.

    Carries the HTTP status the server answers with, so one error type serves the
    command line and the endpoint alike.
    """

    def __init__(self, message: str, status: int = 400) -> None:
        self.status = status
        super().__init__(message)


class QueryTimeoutError(CtldError):
    """A query ran past its time limit and its worker was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query ran longer than {seconds:g} s and was stopped")


class ParameterError(CtldError):
    """A packaged query's parameter is missing, unknown, or not of its declared type."""

    def __init__(self, query: str, name: str, detail: str) -> None:
        self.query = query
        self.name = name
        super().__init__(f"query '{query}', parameter '{name}': {detail}")


class StoreError(CtldError):
    """The store cannot answer: a remote endpoint is unreachable or answers with an error."""
