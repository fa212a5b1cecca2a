"""Shared fixtures: forms are built from the shipped example, so a schema change is made once."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from drafter.cli import main
from drafter.writers import docx as docx_writer

from .ooxml import validate_docx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "configs" / "review-commentary.example.yaml"
MINIMAL = ROOT / "configs" / "review-commentary.minimal.yaml"
# A copy of ../shared/reference/model-speech.txt, so a bare checkout can run the fidelity test.
REFERENCE = ROOT / "tests" / "fixtures" / "model-speech.txt"
# The model speech as scraped from the web (traditional characters, pinyin, page chrome), and
# further speeches written for `drafter extract`'s tests.
MODEL_ORIGINAL = ROOT / "tests" / "fixtures" / "model-speech.original.txt"
SPEECHES = ROOT / "tests" / "fixtures" / "speeches"


CONFIGS = ROOT / "configs"


def write_variant(
    example: Path, target: Path, edit: Callable[[dict[str, Any]], None] | None = None
) -> Path:
    """Write a copy of any shipped example form to `target`, changed by `edit(data)`."""
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    if edit is not None:
        edit(data)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """drafter's cache in a temporary folder, never the user's: also for drafter subprocesses."""
    folder = tmp_path_factory.mktemp("drafter-cache")
    before = os.environ.get("DRAFTER_CACHE_DIR")
    os.environ["DRAFTER_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("DRAFTER_CACHE_DIR", None)
    else:
        os.environ["DRAFTER_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def valid_docx_outputs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every .docx drafter writes in the test process validates against ECMA-376 (tests/xsd)."""
    problems: list[str] = []
    assemble = docx_writer.assemble

    def validated(*args: Any) -> bytes:
        package = assemble(*args)
        problems.extend(validate_docx(package).errors)
        return package

    monkeypatch.setattr(docx_writer, "assemble", validated)
    yield
    assert not problems, "drafter wrote a .docx the schemas refuse:\n" + "\n".join(problems[:20])


@pytest.fixture(scope="session")
def example_data() -> dict[str, Any]:
    """The example form as plain data."""
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def make_form(tmp_path: Path, example_data: dict[str, Any]) -> Callable[..., Path]:
    """Write a copy of the example form, changed by `edit(data)`, and return its path."""
    counter = iter(range(1_000_000))

    def build(edit: Callable[[dict[str, Any]], None] | None = None, name: str = "") -> Path:
        data = copy.deepcopy(example_data)
        if edit is not None:
            edit(data)
        path = tmp_path / (name or f"form{next(counter)}.yaml")
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return build


@pytest.fixture
def rendered(tmp_path: Path, make_form: Callable[..., Path]) -> tuple[Path, Path]:
    """A form and the .docx drafter made from it in tmp_path/out."""
    form = make_form(name="speech.yaml")
    result = run_cli("render", form, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    return form, tmp_path / "out" / "speech.docx"


# A numbered format slot ({1}) left in a message; every run of drafter in the suite is checked.
# After a letter, digit or bracket it is a regular expression's count (\d{4} in a schema).
FORMAT_SLOT = re.compile(r"(?<![A-Za-z0-9_)\]}\\])\{\d+\}")


def assert_no_format_slot(said: str, args: tuple[str | Path, ...]) -> None:
    """No message carries an unfilled slot, unless it quotes one the writer wrote.

    A rule file whose message has {1} is told so (“{1} 写法不对”), and a form's own text
    comes back as written (-o -, echoed lines): those slots are the writer's.
    """
    written = " ".join(map(str, args))
    for line in said.splitlines():
        for slot in FORMAT_SLOT.findall(line):
            if slot in written or "写法不对" in line or re.match(r"\s+\d+ \| ", line):
                continue
            raise AssertionError(f"消息中有未填入的格式占位 {slot}：{line}")


def run_cli(*args: str | Path) -> Result:
    """Run drafter in-process, keeping stdout and stderr apart."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert_no_format_slot(result.stdout + result.stderr, args)
    return result


def run_drafter(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    **options: Any,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m drafter` as a writer would, in a separate process (`env` added to ours).

    Its output is read as UTF-8, so it is asked to write UTF-8 whatever the machine's
    locale (Windows would otherwise use the ANSI code page for a pipe).
    """
    result = subprocess.run(
        [sys.executable, "-m", "drafter", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
        check=False,
        **options,  # e.g. timeout, or preexec_fn setting a resource limit
    )
    assert_no_format_slot((result.stdout or "") + (result.stderr or ""), args)
    return result


@pytest.fixture
def render_text(tmp_path: Path) -> Callable[[Path], str]:
    """Render a form to txt and return the text."""

    def render(form: Path) -> str:
        result = run_cli("render", form, "-f", "txt", "-o", tmp_path / "out")
        assert result.exit_code == 0, result.stderr
        return (tmp_path / "out" / f"{form.stem}.txt").read_text(encoding="utf-8")

    return render
