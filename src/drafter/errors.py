"""The one error hierarchy: every stage raises these, only the CLI prints them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, IntEnum
from pathlib import Path


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

    def format(self) -> str:
        """Render as `FILE:LINE:COL: 错误: message`, the form editors click through."""
        where = ":".join(
            str(part) for part in (self.path, self.line, self.column) if part is not None
        )
        label = _LABELS.get(self.severity, "警告")
        text = f"{where}: {label}: {self.message}" if where else f"{label}: {self.message}"
        return f"{text}\n{self.detail}" if self.detail else text


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
        self.diagnostics: list[Diagnostic] = found
        super().__init__("\n".join(d.format() for d in found))


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


class SpeechFileError(DrafterError):
    """A speech file given to `drafter check` (.txt, .md, .docx) cannot be read."""


class ExtractError(DrafterError):
    """`drafter extract` cannot map a speech onto any template that supports extraction."""
