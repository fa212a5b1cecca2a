"""Nothing a writer did is lost: atomic writes, edit protection, locked files, killed runs."""

from __future__ import annotations

import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from drafter.infra.fingerprint import DocxState, docx_state, paragraph_texts, text_fingerprint

from .conftest import EXAMPLE, run_cli

FormMaker = Callable[..., Path]
EDIT = "这一句是写稿人在 Word 里亲手改过的。"


def errors(stderr: str) -> str:
    """stderr without the check's warnings (the example form keeps its XXX placeholders)."""
    return "".join(line for line in stderr.splitlines(keepends=True) if ": 警告: " not in line)


def edit_docx(path: Path, change: Callable[[docx.document.Document], None]) -> None:
    """Open a .docx with python-docx, change it, save it, as a writer in Word would."""
    document = docx.Document(str(path))
    change(document)
    document.save(str(path))


def body_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


# ---------------------------------------------------------------- edit protection


def test_unedited_output_is_replaced_silently(
    rendered: tuple[Path, Path], make_form: FormMaker
) -> None:
    form, target = rendered
    changed = make_form(lambda d: d.update(title="新的标题"), name="speech.yaml")
    assert changed == form
    result = run_cli("render", form, "-o", target.parent)
    assert result.exit_code == 0
    assert not errors(result.stderr)
    assert result.stdout.strip() == str(target)
    assert body_text(target).startswith("新的标题")


def test_edited_docx_is_kept_and_the_writer_is_told_how_to_go_on(
    rendered: tuple[Path, Path],
) -> None:
    form, target = rendered
    edit_docx(target, lambda d: setattr(d.paragraphs[3].runs[0], "text", EDIT))
    edited = target.read_bytes()
    result = run_cli("render", form, "-o", target.parent)
    assert result.exit_code == 1
    assert target.read_bytes() == edited
    assert EDIT in body_text(target)
    message = errors(result.stderr)
    assert message.startswith(f"{target}: 错误: 这份 Word 文档在 drafter 生成之后被修改过")
    assert "--force" in message and "-o" in message
    assert result.stdout == ""


def test_force_replaces_an_edited_docx(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    edit_docx(target, lambda d: setattr(d.paragraphs[3].runs[0], "text", EDIT))
    result = run_cli("render", form, "-o", target.parent, "--force")
    assert result.exit_code == 0, result.stderr
    assert EDIT not in body_text(target)
    assert docx_state(target) is DocxState.UNEDITED


def test_opening_and_saving_without_edits_keeps_the_output_replaceable(
    rendered: tuple[Path, Path],
) -> None:
    form, target = rendered
    edit_docx(target, lambda d: None)
    assert run_cli("render", form, "-o", target.parent).exit_code == 0


def test_a_header_the_writer_added_counts_as_an_edit(rendered: tuple[Path, Path]) -> None:
    form, target = rendered
    edit_docx(target, lambda d: d.sections[0].header.add_paragraph("内部资料 注意保存"))
    assert docx_state(target) is DocxState.EDITED
    assert run_cli("render", form, "-o", target.parent).exit_code == 1


def test_formatting_only_changes_do_not_count_as_edits(rendered: tuple[Path, Path]) -> None:
    _, target = rendered

    def embolden(document: docx.document.Document) -> None:
        for run in document.paragraphs[3].runs:
            run.bold = True

    edit_docx(target, embolden)
    assert docx_state(target) is DocxState.UNEDITED


def test_other_formats_are_still_written_beside_a_protected_docx(
    rendered: tuple[Path, Path],
) -> None:
    form, target = rendered
    edit_docx(target, lambda d: setattr(d.paragraphs[3].runs[0], "text", EDIT))
    result = run_cli("render", form, "-f", "docx", "-f", "txt", "-o", target.parent)
    assert result.exit_code == 1
    assert result.stdout.strip() == str(target.with_suffix(".txt"))
    assert EDIT in body_text(target)


def test_a_docx_drafter_did_not_write_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "review-commentary.example.docx"
    document = docx.Document()
    document.add_paragraph("单位自己的文件")
    document.save(str(target))
    before = target.read_bytes()
    result = run_cli("render", EXAMPLE, "-o", tmp_path)
    assert result.exit_code == 1
    assert "没有 drafter 的生成记录" in result.stderr and "--force" in result.stderr
    assert target.read_bytes() == before


def test_a_file_that_is_not_a_docx_at_all_is_not_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "review-commentary.example.docx"
    target.write_bytes(b"not a zip")
    assert run_cli("render", EXAMPLE, "-o", tmp_path).exit_code == 1
    assert target.read_bytes() == b"not a zip"
    assert run_cli("render", EXAMPLE, "-o", tmp_path, "--force").exit_code == 0
    assert zipfile.is_zipfile(target)


def test_txt_and_md_are_always_regenerated(tmp_path: Path) -> None:
    target = tmp_path / "review-commentary.example.txt"
    target.write_text("旧内容", encoding="utf-8")
    assert run_cli("render", EXAMPLE, "-f", "txt", "-o", tmp_path).exit_code == 0
    assert "谢谢大家" in target.read_text(encoding="utf-8")


def resave_with_libreoffice(target: Path, tmp_path: Path) -> None:
    """Open `target` in LibreOffice and save it again as .docx, in place."""
    resaved = tmp_path / "resaved"
    subprocess.run(
        [
            "soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(resaved), str(target),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    shutil.copyfile(resaved / target.name, target)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_docx_resaved_by_libreoffice_without_edits_is_still_replaceable(
    rendered: tuple[Path, Path], tmp_path: Path
) -> None:
    form, target = rendered
    resave_with_libreoffice(target, tmp_path)
    assert docx_state(target) is DocxState.UNEDITED
    assert run_cli("render", form, "-o", target.parent).exit_code == 0


# ---------------------------------------------------------------- the fingerprint


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def xml(body: str) -> object:
    from xml.etree import ElementTree as ET

    return ET.fromstring(f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')


def test_fingerprint_ignores_run_splits_and_empty_paragraphs() -> None:
    one = xml("<w:p><w:r><w:t>党建工作</w:t></w:r></w:p>")
    split = xml(
        "<w:p><w:r><w:t>党建</w:t></w:r><w:proofErr/><w:r><w:t>工作</w:t></w:r></w:p><w:p/>"
    )
    assert text_fingerprint(one) == text_fingerprint(split)


def test_fingerprint_ignores_field_results_such_as_page_numbers() -> None:
    def footer(number: str) -> object:
        return xml(
            '<w:p><w:r><w:t xml:space="preserve">— </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{number}</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
        )

    assert paragraph_texts(footer("1")) == ["—  —"]
    assert text_fingerprint(xml(""), [footer("1")]) == text_fingerprint(xml(""), [footer("7")])


def test_fingerprint_sees_a_line_break_and_a_changed_character() -> None:
    base = text_fingerprint(xml("<w:p><w:r><w:t>第一行第二行</w:t></w:r></w:p>"))
    broken = xml("<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>")
    assert text_fingerprint(broken) != base
    assert text_fingerprint(xml("<w:p><w:r><w:t>第一行第二行。</w:t></w:r></w:p>")) != base


# ---------------------------------------------------------------- locked targets


def test_locked_target_is_a_clear_message_not_a_traceback(
    rendered: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    form, target = rendered

    def locked(source: str, destination: str) -> None:
        raise PermissionError(13, "The process cannot access the file", destination)

    monkeypatch.setattr(os, "replace", locked)
    result = run_cli("render", form, "-o", target.parent)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{target}: 错误: 无法写入：文件可能正在 Word 或 WPS 中打开" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temp file left


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions as a normal user"
)
def test_read_only_output_folder_is_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = run_cli("render", EXAMPLE, "-f", "txt", "-o", folder)
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert "无法写入" in result.stderr and "Traceback" not in result.stderr


def test_temporary_file_never_ends_in_the_target_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(source: str, destination: str) -> None:
        seen.append(os.path.basename(source))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", spy)
    result = run_cli("render", EXAMPLE, "-f", "docx", "-f", "txt", "-o", tmp_path)
    assert result.exit_code == 0
    assert len(seen) == 2
    for name in seen:
        assert name.startswith(".") and name.endswith(".tmp")
        assert not name.endswith((".docx", ".txt"))


def test_leftovers_of_a_killed_run_are_removed_and_nothing_else(tmp_path: Path) -> None:
    """The next render into a folder removes old temporary files of drafter's own shape only."""
    out = tmp_path / "out"
    out.mkdir()
    hour_ago = time.time() - 3600
    stale = [".审稿.docx.k3x9_q0a.tmp", ".讲话.txt.abcdefgh.tmp"]
    kept = [
        ".讲话.docx.zz99zz99.tmp",  # right shape but fresh: perhaps another run is writing it
        "笔记.tmp",  # the writer's own
        ".讲话.docx.tmp",  # not drafter's shape
        ".讲话.docx.ABCDEFGH.tmp",  # tempfile never uses capitals
    ]
    for name in stale + kept:
        (out / name).write_bytes(b"half a file")
        if name != kept[0]:
            os.utime(out / name, (hour_ago, hour_ago))
    folder = out / ".讲话.docx.dir12345.tmp"
    folder.mkdir()
    os.utime(folder, (hour_ago, hour_ago))
    result = run_cli("render", EXAMPLE, "-f", "txt", "-o", out)
    assert result.exit_code == 0, result.stderr
    names = {path.name for path in out.iterdir()}
    assert not names & set(stale)
    assert set(kept) | {folder.name, EXAMPLE.with_suffix(".txt").name} == names


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_outputs_get_ordinary_permissions_and_a_fixed_form_keeps_its_own(tmp_path: Path) -> None:
    """A colleague can open what drafter wrote; --fix does not change who may read a form."""
    umask = os.umask(0o022)
    os.umask(umask)
    out = tmp_path / "out"
    assert run_cli("render", EXAMPLE, "-f", "docx", "-f", "txt", "-o", out).exit_code == 0
    for written in out.iterdir():
        assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~umask, written.name
    form = tmp_path / "form.yaml"
    form.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("总结成绩实事求是", "总结成绩,实事求是"),
        encoding="utf-8",
    )
    form.chmod(0o640)
    result = run_cli("check", "--fix", form)
    assert "已修改" in result.stdout
    assert "总结成绩，实事求是" in form.read_text(encoding="utf-8")
    assert stat.S_IMODE(form.stat().st_mode) == 0o640


# ---------------------------------------------------------------- a killed batch


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL of a process group is POSIX-only")
def test_killed_batch_leaves_every_output_complete_or_absent(tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    count = 400
    for number in range(count):
        shutil.copyfile(EXAMPLE, forms / f"speech{number:03}.yaml")
    reference = run_cli("render", EXAMPLE, "-f", "txt", "-o", tmp_path / "reference")
    assert reference.exit_code == 0
    expected_text = (tmp_path / "reference" / "review-commentary.example.txt").read_bytes()
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "drafter", "render", str(forms), "-f", "docx", "-f", "txt",
         "-o", str(out), "-j", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("*.docx"))) < 10 and process.poll() is None:
            assert time.monotonic() < deadline, "the batch wrote nothing"
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the main process and its workers at once
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the batch finished before it was killed"
    outputs = sorted(out.iterdir())
    docx_files = [p for p in outputs if p.suffix == ".docx"]
    assert 10 <= len(docx_files) < count
    for path in outputs:
        if path.suffix == ".docx":
            assert "谢谢大家" in body_text(path), path
            assert docx_state(path) is DocxState.UNEDITED
        elif path.suffix == ".txt":
            assert path.read_bytes() == expected_text, path
        else:  # an interrupted write leaves only its temporary file, never a half output
            assert path.name.startswith(".") and path.suffix == ".tmp", path


def test_written_docx_is_a_valid_package(rendered: tuple[Path, Path]) -> None:
    _, target = rendered
    with zipfile.ZipFile(target) as package:
        assert package.testzip() is None
    assert docx.Document(io.BytesIO(target.read_bytes())).paragraphs
