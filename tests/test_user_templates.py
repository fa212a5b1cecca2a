"""A writer's own packs: found beside the forms, listed, described, and explained when broken."""

import shutil
from pathlib import Path

import pytest

from drafter.packs.finder import find_pack

from .conftest import CONFIGS, ROOT, run_cli, run_drafter, write_variant

BUILTIN = ROOT / "templates"


def copy_pack(workdir: Path, source: str, new_id: str) -> Path:
    """Copy a built-in pack into workdir/templates/<new_id>, renamed as a writer would."""
    target = workdir / "templates" / new_id
    shutil.copytree(BUILTIN / source, target)
    manifest = target / "template.yaml"
    text = manifest.read_text(encoding="utf-8").replace(f"id: {source}", f"id: {new_id}", 1)
    manifest.write_text(text, encoding="utf-8")
    return target


def reword(path: Path, *changes: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def form_for(workdir: Path, example: str, template: str) -> Path:
    return write_variant(
        CONFIGS / f"{example}.yaml", workdir / "form.yaml", lambda d: d.update(template=template)
    )


def render_in(workdir: Path, form: str | Path = "form.yaml", *formats: str) -> str:
    """Run `drafter render` from workdir as a writer would; the text it wrote to output/."""
    args = [arg for fmt in ("txt", *formats) for arg in ("-f", fmt)]
    result = run_drafter("render", form, *args, cwd=workdir)
    assert result.returncode == 0, result.stderr
    return (workdir / "output" / f"{Path(form).stem}.txt").read_text(encoding="utf-8")


def test_copied_and_reworded_pack_renders_from_the_forms_folder(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path, "review-commentary", "my-commentary")
    reword(
        pack / "speech.j2",
        ("的工作仍存在不少差距和不足", "的工作还有一些不足"),
        ("主要呈现出以下", "归纳起来有以下"),
    )
    reword(pack / "template.yaml", ("name: 述职评议点评讲话", "name: 我单位的点评讲话"))
    form_for(tmp_path, "review-commentary.example", "my-commentary")
    text = render_in(tmp_path)
    assert "我们的工作还有一些不足。" in text and "仍存在不少差距" not in text
    assert "归纳起来有以下几个特点：" in text
    assert "\u3000\u3000三、强化责任落实" in text and "我讲三点意见。" in text


def test_copied_new_pack_keeps_its_numbering_when_reworded(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path, "democratic-life-commentary", "my-democratic-life")
    reword(
        pack / "speech.j2",
        ("对这次民主生活会的总体评价", "这次民主生活会开得很成功"),
        ("为此，我提", "借此机会，我再提"),
    )
    form_for(tmp_path, "democratic-life-commentary.example", "my-democratic-life")
    text = render_in(tmp_path, "form.yaml", "docx")
    assert "\u3000\u3000一、这次民主生活会开得很成功\n" in text
    assert "借此机会，我再提三点要求：" in text
    assert (tmp_path / "output" / "form.docx").stat().st_size > 5_000


def test_pack_can_extend_a_builtin_pack_and_reword_one_block(tmp_path: Path) -> None:
    pack = tmp_path / "templates" / "short-opening"
    pack.mkdir(parents=True)
    shutil.copy(BUILTIN / "review-commentary" / "template.yaml", pack / "template.yaml")
    (pack / "speech.j2").write_text(
        '{% extends "review-commentary/speech.j2" %}\n'
        "{% block opening %}今天召开{{ meeting.name }}，我讲{{ m.count(measures.sections) }}意见。"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    form_for(tmp_path, "review-commentary.example", "short-opening")
    text = render_in(tmp_path)
    assert "今天召开党组织书记抓基层党建工作述职评议会议，我讲三点意见。" in text
    assert "按照XXX党委统一要求" not in text
    assert "\u3000\u3000一是党建责任落实到位。" in text


def test_local_pack_overrides_the_builtin_of_the_same_name(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path, "review-commentary", "review-commentary")
    reword(pack / "speech.j2", ("的工作仍存在不少差距和不足", "的工作还有一些不足"))
    result = run_drafter(
        "render", CONFIGS / "review-commentary.example.yaml", "-f", "txt", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "output" / "review-commentary.example.txt").read_text(encoding="utf-8")
    assert "我们的工作还有一些不足。" in text


def test_template_option_takes_the_manifest_path(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path / "shared", "org-life-commentary", "branch")
    reword(pack / "speech.j2", ("下面，我{{", "下面，我简要{{"))
    form = form_for(tmp_path, "org-life-commentary.example", "org-life-commentary")
    result = run_cli(
        "render", form, "--template", pack / "template.yaml", "-f", "txt", "-o", tmp_path / "out"
    )
    assert result.exit_code == 0, result.stderr
    assert "下面，我简要讲三点意见。" in (tmp_path / "out" / "form.txt").read_text(encoding="utf-8")


def test_templates_folder_beside_the_form_is_searched_before_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forms = tmp_path / "2026"
    copy_pack(forms, "commendation-speech", "awards")
    monkeypatch.chdir(tmp_path)
    pack = find_pack("awards", near=forms)
    assert pack.directory == (forms / "templates" / "awards").resolve()
    assert pack.origin == "本地"


def test_render_finds_the_templates_folder_beside_a_form_in_another_folder(tmp_path: Path) -> None:
    forms = tmp_path / "2026"
    copy_pack(forms, "org-life-commentary", "branch")
    form_for(forms, "org-life-commentary.example", "branch")
    result = run_drafter("render", forms / "form.yaml", "-f", "txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_templates_lists_builtin_and_local_packs_with_their_origin(tmp_path: Path) -> None:
    copy_pack(tmp_path, "review-commentary", "review-commentary")
    copy_pack(tmp_path, "commendation-speech", "awards")
    result = run_drafter("templates", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for pack_id, name in [
        ("awards", "表彰大会讲话"),
        ("review-commentary-3part", "述职评议点评讲话（三段式）"),
        ("democratic-life-commentary", "民主生活会点评讲话"),
        ("org-life-commentary", "组织生活会点评讲话"),
        ("commendation-speech", "表彰大会讲话"),
    ]:
        assert any(line.split()[:2] == [pack_id, name] for line in lines), pack_id
    local = [line for line in lines if line.split()[:1] == ["review-commentary"]]
    assert "本地" in local[0] and "已被同名本地模板替代" in local[1]
    assert "在表彰大会上的讲话" in result.stdout  # each pack's description


def test_templates_name_shows_each_field(tmp_path: Path) -> None:
    result = run_drafter("templates", "commendation-speech", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("表彰大会讲话（commendation-speech）\n来源：内置")
    assert "  honourees.representatives[].deeds  事迹 · 文本 · 必填\n" in out
    assert "      说明：一个修饰短语，接“的”，如“扎根乡村教育三十二年”\n" in out
    assert "      示例：扎根乡村教育三十二年、把青春献给山区孩子\n" in out
    assert "  hopes  对受表彰者的希望 · 条目 · 选填\n" in out
    assert "  honourees.spirit  体现的精神 · 列表（每项为条目） · 选填\n" in out
    assert "  thanks  致谢语 · 文本（写“否”则不印） · 选填\n      说明" in out
    assert "      默认：谢谢大家！" in out


def test_templates_with_an_unknown_name_suggests_one() -> None:
    result = run_cli("templates", "org-life")
    assert result.exit_code == 2
    assert "没有名为 org-life 的模板，是否想写 org-life-commentary？" in result.stderr


def test_broken_local_pack_is_reported_and_the_rest_still_listed(tmp_path: Path) -> None:
    broken = tmp_path / "templates" / "broken"
    broken.mkdir(parents=True)
    (broken / "template.yaml").write_text("id: broken\nname: 坏模板\n", encoding="utf-8")
    result = run_drafter("templates", cwd=tmp_path)
    assert result.returncode == 1
    assert "review-commentary" in result.stdout
    assert f"{broken / 'template.yaml'}:1:1: 错误: 模板清单缺少 fields" in result.stderr


# ── Mistakes in a writer's template: Chinese, with the template file and line ──────────

# (line inserted as line 3, line reported (0: the last, where Jinja notices), message)
MISTAKES = [
    ("{% for x in meeting.name %}{{ x }}", 0, "缺少 {% endfor %}"),
    ("{% endfo %}", 3, "不认识的标签 {% endfo %}"),
    ("{{ meeting.name|cn_numbr }}", 3, "没有名为 cn_numbr 的过滤器，是否想写 cn_number？"),
    ("{{ meeting.nmae }}", 3, "未定义的名称：nmae，是否想写 name？"),
    ("{{ meeting.name，title }}", 3, "只能用半角符号"),
    ("{{ meeting.name }", 3, "多余或位置不对的 }"),
    ('{% include "base/missing.j2" %}', 3, "模板引用的文件 base/missing.j2 找不到"),
    ("{% if meeting.name %}{% endfor %}", 3, "最近一个没有结束的是 {% if %}"),
]


@pytest.mark.parametrize(("line", "number", "message"), MISTAKES)
def test_template_mistake_is_explained_with_file_and_line(
    tmp_path: Path, line: str, number: int, message: str
) -> None:
    pack = copy_pack(tmp_path, "review-commentary", "mine")
    source = (pack / "speech.j2").read_text(encoding="utf-8").splitlines()
    source.insert(2, line)
    (pack / "speech.j2").write_text("\n".join(source), encoding="utf-8")
    number = number or len(source)
    form_for(tmp_path, "review-commentary.example", "mine")
    result = run_drafter("render", "form.yaml", "-f", "txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{(pack / 'speech.j2').resolve()}:{number}: 错误: " in result.stderr
    assert message in result.stderr
    assert not (tmp_path / "output").exists()
