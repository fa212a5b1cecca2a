"""Read a form file into plain data, keeping the line and column of every key and value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, FormError

try:  # libyaml composes several times faster; the pure-Python loader marks positions the same way
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
Mark = tuple[int, int]

MAX_NODES = 200_000  # an alias "billion laughs" expands past this long before it costs a second
MAX_BYTES = 10 * 1024 * 1024

# Characters YAML refuses or Word pastes invisibly (vertical tab, NUL, C1 controls, BOM inside).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff]")
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass
class LoadedForm:
    """A parsed form: plain data (every scalar a str or None) plus where each piece was written."""

    path: str
    data: dict[str, Any]
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)

    def where(self, path: Path_) -> Mark:
        """Best position for a path: its value, else its key, else the nearest parent."""
        while True:
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def diagnostic(self, path: Path_, message: str, *, at_key: bool = False) -> Diagnostic:
        """A message located at `path` in this form."""
        line, column = self.keys.get(path) if at_key and path in self.keys else self.where(path)
        return Diagnostic(message, self.path, line, column)


def load_form(path: str | Path) -> LoadedForm:
    """Load a YAML form; raise FormError when it cannot be read as a mapping of fields."""
    source = Path(path)
    text = read_text(source)
    return parse_form(text, str(source))


def read_text(source: Path) -> str:
    """Read a text file written by any common Windows editor."""
    shown = str(source)
    if source.is_dir():
        raise FormError(f"这是一个文件夹，不是表单文件：{shown}", path=shown)
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise FormError(f"找不到表单文件：{shown}", path=shown) from None
    except OSError as exc:
        raise FormError(f"无法读取表单文件：{exc.strerror or exc}", path=shown) from None
    if len(raw) > MAX_BYTES:
        raise FormError(
            f"表单文件过大（{len(raw) // 1024 // 1024} MB），上限为 10 MB；请检查是否误选了其他文件",
            path=shown,
        )
    return decode(raw, shown)


def decode(raw: bytes, shown: str) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; other encodings are errors."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FormError(
            f"文件不是 UTF-8 编码（第 {exc.start} 字节无法识别）；"
            "请在记事本或 WPS 中“另存为”，编码选择 UTF-8 后再试",
            path=shown,
            line=line,
            column=column,
        ) from None


def parse_form(text: str, shown: str) -> LoadedForm:
    """Parse form text; collect duplicate keys as problems instead of losing either value."""
    text, warnings = _scrub(text, shown)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, shown) from None
    except yaml.YAMLError as exc:
        raise FormError(f"无法解析 YAML：{exc}", path=shown) from None
    if root is None:
        raise FormError("表单是空的：请至少填写 template 和必填项", path=shown, line=1, column=1)
    if not isinstance(root, yaml.MappingNode):
        line, column = _mark(root)
        raise FormError(
            "表单的最外层应为“键: 值”条目（如 template: review-commentary），而不是列表或单个文本",
            path=shown,
            line=line,
            column=column,
        )
    form = LoadedForm(path=shown, data={}, warnings=warnings)
    builder = _Builder(form)
    form.data = builder.build(root, ())
    return form


class _Builder:
    """Walk composed YAML nodes into plain data, recording marks and refusing alias bombs."""

    def __init__(self, form: LoadedForm) -> None:
        self.form = form
        self.visited = 0
        self.active: set[int] = set()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.visited += 1
        if self.visited > MAX_NODES:
            line, column = _mark(node)
            raise FormError(
                "表单展开后过大（锚点 & 与别名 * 层层引用），已拒绝处理",
                path=self.form.path,
                line=line,
                column=column,
            )
        self.form.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.ScalarNode):
            if (
                node.tag == _NULL_TAG and not node.style
            ):  # plain ~, null or nothing; libyaml says ''
                return None
            return node.value
        if id(node) in self.active:
            line, column = _mark(node)
            raise FormError(
                "别名 * 引用了它自身所在的内容，形成循环",
                path=self.form.path,
                line=line,
                column=column,
            )
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _mark(key_node)
                raise FormError(
                    "键必须是简单的文字（如 title），不能是列表或条目",
                    path=self.form.path,
                    line=line,
                    column=column,
                )
            key = key_node.value
            key_path = (*path, key)
            if key in out:
                first_line = self.form.keys[key_path][0]
                line, column = _mark(key_node)
                self.form.problems.append(
                    Diagnostic(
                        f"重复的键 {key}：第 {first_line} 行已经写过一次，第 {line} 行又写了一次；"
                        "后写的会覆盖先写的，内容会丢失，请把两处合并成一处",
                        self.form.path,
                        line,
                        column,
                    )
                )
                continue
            self.form.keys[key_path] = _mark(key_node)
            out[key] = self.build(value_node, key_path)
        return out


def _mark(node: yaml.Node) -> Mark:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scrub(text: str, shown: str) -> tuple[str, list[Diagnostic]]:
    """Remove invisible control characters (often pasted from Word), warning where each was."""
    if not _UNPRINTABLE.search(text):
        return text, []
    warnings: list[Diagnostic] = []
    for match in _UNPRINTABLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        warnings.append(
            Diagnostic(
                f"删除了不可见的控制字符 U+{ord(match.group()):04X}（常见于从 Word 复制的文字）",
                shown,
                line,
                column,
                "warning",
            )
        )
    return _UNPRINTABLE.sub("", text), warnings


# PyYAML's English problems (context and problem), in the words a writer can act on.
_PROBLEMS = (
    ("while scanning a quoted scalar", "引号没有闭合；请补上结尾的引号"),
    (
        "mapping values are not allowed",
        "这里不能出现“键: 值”；常见原因是上一行缩进不对，或文字里的英文冒号后跟了空格（可改用中文冒号，或给整段文字加引号）",
    ),
    (
        "could not find expected ':'",
        "缺少英文冒号“:”；每个字段应写成“键: 值”（冒号为英文半角，后面跟一个空格）",
    ),
    (
        "found unexpected end of stream",
        "文件在引号或括号闭合之前就结束了；请检查是否少了一个引号或括号",
    ),
    ("but found '<block sequence start>'", "列表项“- ”的缩进与上一项不一致"),
    ("but found '-'", "列表项“- ”的缩进与上一项不一致"),
    ("but found '<block mapping start>'", "这一行的缩进与同级字段不一致"),
    ("found undefined alias", "别名 * 引用了不存在的锚点 &"),
)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, shown: str) -> FormError:
    mark = exc.problem_mark or exc.context_mark
    if "quoted scalar" in (exc.context or "") and exc.context_mark:
        mark = exc.context_mark  # where the quote opened, not the end of the file
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    lines = text.splitlines()
    offending = (
        lines[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(lines) else ""
    )
    said = f"{exc.context or ''} {exc.problem or ''}"
    if offending == "\t":
        message = "这里用了 Tab 键缩进；YAML 只能用空格缩进，请把 Tab 换成空格"
    else:
        found = (cn for en, cn in _PROBLEMS if en in said)
        message = next(found, f"YAML 格式错误（{exc.problem or exc}）")
    return FormError(message, path=shown, line=line, column=column)
