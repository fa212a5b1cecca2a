"""A template shared by a colleague cannot run code, read files or exhaust the machine."""

from pathlib import Path

import pytest

from drafter.errors import TemplateError, TemplateSecurityError
from drafter.packs.sandbox import REMOVED_GLOBALS
from drafter.pipeline import draft_speech

from .conftest import run_cli

FIELDS = (
    "  title:\n    label: 标题\n    required: true\n  items:\n    label: 条目\n    type: list\n"
)

# Known server-side template injection payloads (PayloadsAllTheThings, HackTricks, Jinja CVEs).
INTERNALS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c.__name__ }}{% endfor %}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ namespace.__init__.__globals__.os }}",
    "{{ range.__globals__ }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ config.__class__.__init__.__globals__['os'] }}",
    "{{ request.application.__globals__.__builtins__.__import__('os') }}",
    "{{ title|attr('__class__') }}",
    "{{ items|map(attribute='__class__')|list }}",
    "{{ '{0.__class__.__base__}'.format(title) }}",
    "{{ title|attr('_' ~ '_class_' ~ '_') }}",  # name built at run time
    "{{ title['__cla' ~ 'ss__'] }}",
    "{{ (title|attr('\\x5f\\x5fclass\\x5f\\x5f')) }}",  # escaped underscores
    "{% if false %}{{ title.__class__ }}{% endif %}",  # refused even where it would not run
]
RESOURCES = [
    "{{ 'x' * 100000000 }}",
    "{{ [1, 2] * 100000000 }}",
    "{{ 2 ** 100000000 }}",
]
MUTATIONS = [
    "{{ items.append('x') }}",
    "{% set d = {} %}{{ d.update(a=1) }}",
    "{{ items.pop() }}",
]
OTHER = [
    ("{{ lipsum(1000000) }}", "未定义的名称：lipsum"),
    ("{{ cycler('a', 'b').next() }}", "未定义的名称：cycler"),
    ("{% include '../../../../etc/passwd' %}", "找不到"),
    ("{% include '/etc/passwd' %}", "找不到"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "无限循环"),
]


def write_pack(tmp_path: Path, source: str) -> tuple[Path, Path]:
    """A one-file pack as a colleague might share it, and a form that uses it."""
    pack = tmp_path / "shared-pack"
    pack.mkdir()
    (pack / "template.yaml").write_text(
        f"id: shared-pack\nname: 同事分享的模板\nfields:\n{FIELDS}", encoding="utf-8"
    )
    (pack / "speech.j2").write_text(source, encoding="utf-8")
    form = tmp_path / "form.yaml"
    form.write_text("template: shared-pack\ntitle: 标题\nitems: [甲, 乙]\n", encoding="utf-8")
    return pack, form


def render_with(tmp_path: Path, payload: str) -> tuple[int, str, Path]:
    pack, form = write_pack(tmp_path, f"<title>{{{{ title }}}}</title>\n<p>{payload}</p>\n")
    out = tmp_path / "out"
    result = run_cli("render", form, "--template", pack, "-f", "txt", "-f", "docx", "-o", out)
    return result.exit_code, result.stderr, out


def assert_refused(tmp_path: Path, payload: str, fragment: str) -> None:
    code, stderr, out = render_with(tmp_path, payload)
    assert code == 2
    assert "shared-pack/speech.j2:2: 错误: 模板" in stderr
    assert fragment in stderr
    assert "Traceback" not in stderr and "uid=" not in stderr
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize("payload", INTERNALS)
def test_internal_attribute_is_a_security_error(tmp_path: Path, payload: str) -> None:
    assert_refused(tmp_path, payload, "Python 内部属性")


@pytest.mark.parametrize("payload", RESOURCES)
def test_huge_repetition_is_refused(tmp_path: Path, payload: str) -> None:
    assert_refused(tmp_path, payload, "过长的文字或过大的数")


@pytest.mark.parametrize("payload", MUTATIONS)
def test_template_cannot_change_the_form_data(tmp_path: Path, payload: str) -> None:
    assert_refused(tmp_path, payload, "不能修改表单数据")


@pytest.mark.parametrize(("payload", "fragment"), OTHER)
def test_other_escapes_fail_as_template_errors(tmp_path: Path, payload: str, fragment: str) -> None:
    code, stderr, out = render_with(tmp_path, payload)
    assert code == 2
    assert "错误: 模板" in stderr and fragment in stderr
    assert "Traceback" not in stderr and "root:" not in stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_security_error_is_raised_before_the_template_runs(tmp_path: Path) -> None:
    source = "<title>{{ title }}</title>\n{{ 1 / 0 }}\n{{ title.__class__ }}\n"
    pack, form = write_pack(tmp_path, source)
    with pytest.raises(TemplateSecurityError) as caught:
        draft_speech(form, str(pack))
    assert isinstance(caught.value, TemplateError)
    assert caught.value.diagnostics[0].line == 3  # not the division on line 2: nothing ran


def test_lipsum_and_cycler_are_not_offered_to_templates() -> None:
    from drafter.packs.templating import environment

    env = environment((Path(__file__).parent,))
    assert set(REMOVED_GLOBALS) == {"lipsum", "cycler"}
    assert not set(REMOVED_GLOBALS) & set(env.globals)
    assert {"range", "namespace", "joiner", "dict"} <= set(env.globals)


def test_ordinary_arithmetic_and_repetition_still_work(tmp_path: Path) -> None:
    code, stderr, out = render_with(tmp_path, "{{ '—' * 3 }}{{ 2 ** 10 }}{{ items|length * 2 }}")
    assert code == 0, stderr
    assert "———10244" in (out / "form.txt").read_text(encoding="utf-8")


def test_form_fields_take_a_short_path_that_still_refuses_internals() -> None:
    """Field reads skip Jinja's general checks; anything starting with _ still gets them."""
    from jinja2 import Undefined

    from drafter.packs.sandbox import FormFields, SpeechSandbox

    env = SpeechSandbox()
    fields = FormFields(name="会议", items="条目")
    assert env.getattr(fields, "name") == "会议"
    assert env.getattr(fields, "items") == "条目"  # the field, never a dict method
    assert isinstance(env.getattr(fields, "missing"), Undefined)
    for internal in ("__dict__", "__class__", "_private"):
        assert isinstance(env.getattr(fields, internal), Undefined)


def test_loop_variables_and_macros_work_through_the_short_path(tmp_path: Path) -> None:
    payload = (
        "{% macro mark(n) %}[{{ n }}]{% endmacro %}"
        "{% for item in items %}{{ mark(loop.index) }}{{ item }}"
        "{% if loop.last %}。{% endif %}{% endfor %}"
    )
    code, stderr, out = render_with(tmp_path, payload)
    assert code == 0, stderr
    assert "[1]甲[2]乙。" in (out / "form.txt").read_text(encoding="utf-8")


def test_the_cve_2025_27516_format_escape_is_refused(tmp_path: Path) -> None:
    """Jinja 3.1.5 let `|attr('format')` reach str.format unchecked; 3.1.6 (our floor) closes it."""
    payload = "{{ ('{0.' ~ '_' ~ '_class_' ~ '_}')|attr('format')(title) }}"
    code, stderr, out = render_with(tmp_path, payload)
    assert code == 2, stderr
    assert "错误: 模板" in stderr and "Traceback" not in stderr
    assert "<class" not in stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_the_dependency_floors_hold_the_fixes_we_rely_on() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dependencies = " ".join(project["dependencies"])
    assert "jinja2>=3.1.6" in dependencies
    # the web server's floors carry their security fixes (CVE-2022-31799; CVE-2024-49768/9)
    assert "bottle>=0.13.2" in dependencies and "waitress>=3.0.1" in dependencies
    assert project["name"] != "drafter"  # the index's `drafter` is another project
