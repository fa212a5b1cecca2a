"""The one error hierarchy: every stage raises these, only the CLI prints them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum, IntEnum
from pathlib import Path
from typing import Any

# Output stays readable (and bounded) whatever a file holds: 100,000 unknown keys must not
# print 44 MB. Every error kind caps its diagnostics per file, and values echoed in messages.
MAX_DIAGNOSTICS_PER_FILE = 100
MAX_ECHOED = 60  # characters of a written value shown in a message
MAX_MESSAGE = 2000  # a message built from many echoed parts is cut as a last resort


class ExitCode(IntEnum):
    """What a drafter command tells the shell (see the README's 退出码)."""

    OK = 0
    FAILED = 1  # some forms failed, or `check` found problems
    INPUT = 2  # a usage or input error: nothing could be done


class Severity(str, Enum):
    """How serious a diagnostic is; a `str` so it compares equal to "error" and prints as one."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def label(self) -> str:
        """The word printed before the message."""
        return _LABELS[self]


_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One located message for the user (lines and columns are 1-based)."""

    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None
    severity: Severity = Severity.ERROR
    detail: str = ""  # lines shown under the message, e.g. the offending source line and a caret
    omitted: int = 0  # a "还有 N 处" line standing for N diagnostics left out

    def as_json(self) -> dict[str, Any]:
        """The diagnostic as JSON output (`check --format json`, `drafter serve`) gives it."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }

    def format(self) -> str:
        """Render as `FILE:LINE:COL: 错误: message`, the form editors click through."""
        where = ":".join(
            str(part) for part in (self.path, self.line, self.column) if part is not None
        )
        label = _LABELS.get(self.severity, "警告")
        text = f"{where}: {label}: {self.message}" if where else f"{label}: {self.message}"
        return f"{text}\n{self.detail}" if self.detail else text


def shortened(value: object, limit: int = MAX_ECHOED) -> str:
    """A written value as a message shows it: long ones cut in the middle, with their length."""
    text = str(value)
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}…{text[-half:]}（共 {len(text)} 个字符）"


def capped(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """At most MAX_DIAGNOSTICS_PER_FILE per file, then one line saying how many were left out."""
    kept: list[Diagnostic] = []
    counts: dict[str | None, int] = {}
    left_out: dict[str | None, int] = {}
    for diagnostic in diagnostics:
        path = diagnostic.path
        if diagnostic.omitted:  # capped before: carry its count over
            left_out[path] = left_out.get(path, 0) + diagnostic.omitted
            continue
        counts[path] = counts.get(path, 0) + 1
        if counts[path] <= MAX_DIAGNOSTICS_PER_FILE:
            kept.append(_bounded(diagnostic))
        else:
            left_out[path] = left_out.get(path, 0) + 1
    kept += [
        Diagnostic(f"还有 {n} 处类似问题未列出", path, severity=Severity.INFO, omitted=n)
        for path, n in left_out.items()
    ]
    return kept


def _bounded(diagnostic: Diagnostic) -> Diagnostic:
    if len(diagnostic.message) <= MAX_MESSAGE:
        return diagnostic
    return replace(diagnostic, message=shortened(diagnostic.message, MAX_MESSAGE))


class DrafterError(Exception):
    """Base of every problem the user must see; carries one or more located diagnostics."""

    def __init__(
        self,
        message: str = "",
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
        diagnostics: Iterable[Diagnostic] = (),
    ) -> None:
        found = list(diagnostics)
        if message:
            where = str(path) if path is not None else None
            found.insert(0, Diagnostic(message, where, line, column))
        self.diagnostics: list[Diagnostic] = capped(found)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class UsageError(DrafterError):
    """The command line asks for something that does not exist (a format, a preset, a pack)."""


class FormError(DrafterError):
    """The form file cannot be read or parsed as YAML."""


class ValidationError(DrafterError):
    """The form parsed but does not fit its template's fields."""


class TemplateError(DrafterError):
    """A template pack is broken: bad manifest, Jinja syntax, an undefined name, a sandbox breach."""


class TemplateSecurityError(TemplateError):
    """A template reaches for Python internals or unbounded sizes; the sandbox refused it."""


class PresetError(DrafterError):
    """A layout preset (style file) is missing or has a bad value."""


class OutputError(DrafterError):
    """An output file cannot be written."""


class ToolError(DrafterError):
    """A program drafter hands work to (LibreOffice for PDF) is missing or failed."""


class RuleError(DrafterError):
    """A check rule file (configs/rules/*.yaml or --rules) is malformed."""


class SettingsError(DrafterError):
    """The office settings file cannot be read or holds an unusable setting."""


class SpeechFileError(DrafterError):
    """A speech file given to `drafter check` (.txt, .md, .docx) cannot be read."""


class ExtractError(DrafterError):
    """`drafter extract` cannot map a speech onto any template that supports extraction."""


class WebRequestError(DrafterError):
    """A browser's request `drafter serve` refuses; `status` is the HTTP status it answers with."""

    def __init__(self, message: str, status: int = 400, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status = status


class SaveConflictError(WebRequestError):
    """A form changed on disk since the browser opened it: the save is refused, both kept."""

    def __init__(self, message: str, *, disk: str, mine: str) -> None:
        super().__init__(message, status=409)
        self.disk = disk  # the text on disk now
        self.mine = mine  # the text the refused save would have written
