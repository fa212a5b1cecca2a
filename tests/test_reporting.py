"""Printing lives in cli.py and reporting.py; one error handler; exit codes and severities are enums."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import click
import pytest

from drafter.cli import main
from drafter.errors import Diagnostic, ExitCode, Severity, UsageError

from .conftest import EXAMPLE, ROOT, run_cli

SRC = ROOT / "src" / "drafter"
PRINTERS = {"cli.py", "reporting.py"}
# write_to_stdout is the byte-exact writer reporting.py calls for `-o -` and `styles`.
RAW_STDOUT = {"infra/output.py"}


def calls_in(path: Path) -> set[str]:
    """Dotted names of everything called in a module (click.echo, print, sys.stdout.write…)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            found.add(ast.unparse(node.func))
    return found


def test_only_the_cli_and_reporting_print() -> None:
    printing = {"click.echo", "print", "click.secho", "sys.stdout.write", "sys.stderr.write"}
    offenders = {
        path.relative_to(SRC).as_posix(): sorted(calls_in(path) & printing)
        for path in SRC.rglob("*.py")
        if path.relative_to(SRC).as_posix() not in PRINTERS | RAW_STDOUT
    }
    assert {name: calls for name, calls in offenders.items() if calls} == {}


def test_commands_do_not_import_click() -> None:
    importers = [
        path.name
        for path in (SRC / "commands").glob("*.py")
        if "import click" in path.read_text(encoding="utf-8")
    ]
    assert importers == []


def test_the_cli_has_one_error_handler() -> None:
    source = (SRC / "cli.py").read_text(encoding="utf-8")
    assert source.count("except DrafterError") == 1
    assert "sys.exit(2)" not in source and "EXIT_" not in source


def test_a_drafter_error_in_any_command_is_reported_with_exit_code_2(tmp_path: Path) -> None:
    @main.command("probe-error")
    def probe() -> None:
        raise UsageError("测试错误", path="a.yaml", line=3, column=5)

    try:
        result = run_cli("probe-error")
    finally:
        main.commands.pop("probe-error")
    assert result.exit_code == ExitCode.INPUT == 2
    assert result.stderr == "a.yaml:3:5: 错误: 测试错误\n"
    assert result.stdout == ""


def test_usage_errors_of_click_keep_their_exit_code() -> None:
    result = run_cli("render")
    assert result.exit_code == click.UsageError.exit_code == ExitCode.INPUT


def test_exit_codes_are_the_documented_numbers() -> None:
    assert [int(code) for code in ExitCode] == [0, 1, 2]
    assert [code.name for code in ExitCode] == ["OK", "FAILED", "INPUT"]


@pytest.mark.parametrize(
    ("severity", "word", "label"),
    [
        (Severity.ERROR, "error", "错误"),
        (Severity.WARNING, "warning", "警告"),
        (Severity.INFO, "info", "提示"),
    ],
)
def test_severities_compare_print_and_serialise_as_their_words(
    severity: Severity, word: str, label: str
) -> None:
    assert severity == word and str(severity) == word and f"{severity}" == word
    assert json.dumps({"severity": severity}) == f'{{"severity": "{word}"}}'
    assert Diagnostic("消息", "f.yaml", 1, 2, severity).format() == f"f.yaml:1:2: {label}: 消息"
    assert Severity(word) is severity


def test_check_json_carries_severity_words(tmp_path: Path) -> None:
    result = run_cli("check", EXAMPLE, "--format", "json")
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert result.exit_code == ExitCode.FAILED
    assert {finding["severity"] for finding in findings} <= {"error", "warning"}
