"""Light, portable dependencies: wheels on every office platform, the same traditional check."""

from __future__ import annotations

import email
import hashlib
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT

# python.org ships Windows-on-ARM Python from 3.11 on, but PyYAML's win_arm64 wheels start at
# 3.12 (its 3.11 build would need a compiler): Windows on ARM needs Python 3.12 (README).
PLATFORMS = [("win32", "3.11"), ("win_amd64", "3.11"), ("win_arm64", "3.12")]
# The Han blocks, as lint/text_rules.py scans them.
HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
T2S_EXPECTED = ROOT / "tests" / "fixtures" / "t2s" / "expected.tsv"


def _pip(*args: str | Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def wheel_requirements(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The dependencies the built wheel declares (extras left out)."""
    out = tmp_path_factory.mktemp("wheel")
    built = _pip("wheel", "--no-deps", "--no-build-isolation", "-w", out, ROOT)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = out.glob("gongwen_drafter-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(name))
    required = metadata.get_all("Requires-Dist") or []
    return [r for r in required if "extra ==" not in r]


def _tool(name: str) -> ModuleType:
    """tools/NAME.py as a module."""
    path = ROOT / "tools" / f"{name}.py"
    if not path.is_file():
        pytest.skip("no tools/ in this copy")
    spec = importlib.util.spec_from_file_location(f"{name}_tool", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.index
@pytest.mark.parametrize(("platform", "python"), PLATFORMS)
def test_every_dependency_has_a_wheel_for(
    platform: str, python: str, wheel_requirements: list[str], tmp_path: Path
) -> None:
    probe = _pip("download", "--no-deps", "--only-binary=:all:", "-d", tmp_path, "click")
    if probe.returncode != 0:
        pytest.skip("软件包索引不可用")
    # pip evaluates markers for this machine even with --platform: evaluate them for the target
    # with the offline bundle's own rules (a dependency may be for some platforms only).
    bundle = _tool("bundle")
    environment = bundle.target_environment(platform, python)
    wanted = [
        bundle.without_marker(requirement)
        for requirement in map(bundle.Requirement, wheel_requirements)
        if requirement.marker is None or requirement.marker.evaluate(environment)
    ]
    result = _pip(
        "download", "--only-binary=:all:", "--platform", platform, "--python-version", python,
        "-d", tmp_path / platform, *wanted,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]


def test_no_converter_segmenter_or_rich_is_required(wheel_requirements: list[str]) -> None:
    """The traditional check and the title segmenter use drafter's own data (cn/data/)."""
    names = {
        requirement.split(">")[0].split("=")[0].split(";")[0].strip().lower()
        for requirement in wheel_requirements
    }
    assert not {"opencc", "opencc-purepy", "rjieba", "jieba", "rich"} & names


def _expected_conversions() -> tuple[str, list[tuple[str, str]]]:
    """The digest of every Han character converted, and sample texts with their conversions,
    as the opencc-purepy wrapper drafter used before converted them (tools/make_t2s_table.py)."""
    lines = [
        line.split("\t")
        for line in T2S_EXPECTED.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    (name, digest), *samples = lines
    assert name == "han-characters"
    return digest, [(text, simplified) for text, simplified in samples]


def test_the_table_converts_every_han_character_as_before() -> None:
    from drafter.cn.traditional import simplified_converter

    digest, _ = _expected_conversions()
    chars = "\n".join(chr(code) for start, end in HAN_BLOCKS for code in range(start, end))
    converted = simplified_converter()(chars)
    assert hashlib.sha256(converted.encode("utf-8")).hexdigest() == digest


def test_the_table_converts_phrases_as_before() -> None:
    from drafter.cn.traditional import simplified_converter

    _, samples = _expected_conversions()
    assert len(samples) > 900
    convert = simplified_converter()
    assert [text for text, simplified in samples if convert(text) != simplified] == []


def test_the_table_matches_the_opencc_purepy_wrapper_it_replaced() -> None:
    """Where opencc-purepy is at hand (tools/make_t2s_table.py's own check, repeated)."""
    pytest.importorskip("opencc_purepy")
    tool = _tool("make_t2s_table")
    from drafter.cn.traditional import simplified_converter

    chars = tool.han_characters()
    assert simplified_converter()(chars) == tool.reference_converter()(chars)


def test_the_converter_changes_the_characters_opencc_changed() -> None:
    """Character by character over the Han blocks, as the compiled opencc 1.1 converted them."""
    opencc = pytest.importorskip("opencc")
    from drafter.cn.traditional import simplified_converter

    chars = "\n".join(chr(code) for start, end in HAN_BLOCKS for code in range(start, end))
    expected = opencc.OpenCC("t2s.json").convert(chars)
    assert simplified_converter()(chars) == expected


def test_the_table_carries_its_licence_and_source() -> None:
    from drafter.cn.traditional import read_table

    data = ROOT / "src" / "drafter" / "cn" / "data"
    assert "Apache License" in (data / "NOTICE").read_text(encoding="utf-8")
    head = (data / "t2s.txt").read_text(encoding="utf-8")[:1000]
    assert "OpenCC" in head and "Apache-2.0" in head
    assert read_table()["顯"] == "显"


@pytest.mark.parametrize(
    ("text", "simplified"),
    [
        ("成效显著，选结束语", "成效显著，选结束语"),  # simplified text is left alone
        ("顯著的成績", "显著的成绩"),
        ("反覆強調", "反复强调"),  # a phrase decides the character
        ("豈有此理", "岂有此理"),  # U+F900, a compatibility ideograph pasted from a PDF
    ],
)
def test_the_converter_keeps_simplified_text_and_converts_traditional(
    text: str, simplified: str
) -> None:
    from drafter.cn.traditional import simplified_converter

    assert simplified_converter()(text) == simplified
