"""Read a YAML file into plain data, keeping the line and column of every key and value.

Forms, template manifests, style files and rule files all load here; the kind of file is a
parameter so every message names what the user opened. Whatever a writer hands over (a GBK file from Notepad, text pasted from Word, a typing
slip, a directory, a hostile anchor bomb) comes back as data or as a located FormError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from ..errors import (
    Diagnostic,
    DrafterError,
    FormError,
    PresetError,
    RuleError,
    SettingsError,
    Severity,
    TemplateError,
    capped,
    shortened,
)
from ..infra.files import path_state, read_user_file
from .closest import closest

try:  # libyaml composes several times faster; the pure-Python loader marks positions the same way
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
Mark = tuple[int, int]


@dataclass(frozen=True)
class FileKind:
    """A kind of YAML file: the word messages use for it and the error its problems raise."""

    noun: str
    error: type[DrafterError]

    @property
    def file_noun(self) -> str:
        """表单 → 表单文件; 样式文件 stays 样式文件."""
        return self.noun if self.noun.endswith("文件") else f"{self.noun}文件"


FORM = FileKind("表单", FormError)
PACK_MANIFEST = FileKind("模板清单", TemplateError)
STYLE_FILE = FileKind("样式文件", PresetError)
RULE_FILE = FileKind("规则文件", RuleError)
SETTINGS_FILE = FileKind("设置文件", SettingsError)

MAX_BYTES = 2 * 1024 * 1024  # a long speech's form is tens of KB; 2 MB still renders in ~2 s
MAX_NODES = 200_000  # an alias "billion laughs" is measured before it is expanded
MAX_DEPTH = 40  # the deepest real form nests 6 levels; libyaml overflows the C stack near 100,000

# Characters YAML refuses or Word pastes invisibly (vertical tab, NUL, C1 controls, stray BOM,
# lone surrogates): removed with a warning, as XML (hence .docx) cannot hold them either.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]"
)
_BRACKET = re.compile(r"[\[\]{}]")
_BIG_ESCAPE = re.compile(r"\\U([0-9A-Fa-f]{8})")
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_WORDS = frozenset(("", "~", "null", "Null", "NULL"))
_COLLECTION_TAGS: dict[type[yaml.Node], str] = {
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
    yaml.MappingNode: "tag:yaml.org,2002:map",
}


class LocatedYamlLoader(_BaseLoader):
    """libyaml's loader telling only text from nothing: every form value is read as text.

    YAML's own resolver tries a dozen patterns on every plain scalar (numbers, dates,
    booleans) that drafter never uses; a form only needs to know which values were left
    empty (nothing, ~ or null), and that is all this resolver decides.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULL_WORDS else _STR_TAG
        return _COLLECTION_TAGS[kind]


def is_left_empty(node: yaml.ScalarNode) -> bool:
    """A value written as nothing, ~ or null (unquoted); libyaml gives its text as ''."""
    return node.tag == _NULL_TAG and not node.style


@dataclass
class LocatedYaml:
    """A parsed YAML file (form, manifest, style or rule file): plain data plus where each piece was written."""

    path: str
    data: dict[str, Any]
    kind: FileKind = FORM
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
        """A message located at `path` in this file."""
        line, column = self.keys[path] if at_key and path in self.keys else self.where(path)
        return Diagnostic(message, self.path, line, column)


def load_located(path: str | Path, kind: FileKind = FORM) -> LocatedYaml:
    """Load a YAML file; raise the kind's error when it cannot be read as a mapping of keys."""
    source = Path(path)
    text, warnings = read_located_text(source, kind)
    form = parse_located(text, str(source), kind)
    form.warnings[:0] = warnings
    return form


def read_text(source: Path, kind: FileKind = FORM) -> str:
    """Read a text file written by any common Windows editor."""
    return read_located_text(source, kind)[0]


def read_located_text(source: Path, kind: FileKind = FORM) -> tuple[str, list[Diagnostic]]:
    """The text of a YAML file, with a warning if its encoding had to be guessed."""
    from .encoding import decode_form  # deferred: start-up speed

    state = path_state(source)
    raw = read_user_file(
        source,
        kind.file_noun,
        kind.error,
        MAX_BYTES,
        missing_hint=_similar_names(source, kind) if state == "missing" else "",
        folder_hint=_files_inside(source, kind) if state == "folder" else "",
    )
    try:
        return decode_form(raw, str(source), kind.noun)
    except FormError as exc:
        raise _as(kind, exc) from None


def _as(kind: FileKind, exc: FormError) -> DrafterError:
    """The loader's error as the error class of the kind of file being read."""
    return exc if kind.error is FormError else kind.error(diagnostics=exc.diagnostics)


def _files_inside(directory: Path, kind: FileKind) -> str:
    """Name the YAML files in a folder given where one file was expected."""
    found = sorted(p.name for p in directory.glob("*.y*ml"))[:5]
    return f"；其中的{kind.noun}有：{'、'.join(found)}，请写出文件名" if found else ""


YAML_SUFFIXES = (".yaml", ".yml")
_TEMPLATE_LINE = re.compile(rb"^template[ \t]*:", re.MULTILINE)


def _similar_names(missing: Path, kind: FileKind) -> str:
    """Suggest a file of the same kind beside a missing one whose name is close (2026.yml for 2026.yaml).

    A form is suggested only among forms (files with a `template:` line), so a style or
    rule file beside them is never offered in their place, nor a form for another kind.
    """
    folder = missing.parent if str(missing.parent) else Path()
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES and p.is_file()]
    except OSError:
        return ""
    names = [p.name for p in found if _looks_like_form(p) == (kind == FORM)]
    close = closest(missing.name, names)
    return f"；是否想写 {folder / close}？" if close else ""


def _looks_like_form(path: Path) -> bool:
    """Whether a YAML file names a template at its top level, as every form does."""
    try:
        with path.open("rb") as file:
            return bool(_TEMPLATE_LINE.search(file.read(8192)))
    except OSError:
        return False


def parse_located(text: str, shown: str, kind: FileKind = FORM) -> LocatedYaml:
    """Parse YAML text; collect duplicate keys as problems instead of losing either value."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text, warnings = _scrub(text, shown)
    lines = text.split("\n")
    form = LocatedYaml(path=shown, data={}, warnings=warnings, kind=kind)
    try:
        parsed = _parse(text, lines, form)
    except FormError as exc:
        raise _as(kind, _echoing(exc, lines)) from None
    parsed.warnings = capped(parsed.warnings)  # one per line of a pasted file: keep it readable
    return parsed


def _parse(text: str, lines: list[str], form: LocatedYaml) -> LocatedYaml:
    shown, kind = form.path, form.kind
    _refuse_deep_brackets(text, form)
    try:
        root = yaml.compose(text, Loader=LocatedYamlLoader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_errors(exc, lines, shown) from None
    except yaml.YAMLError as exc:
        raise FormError(f"无法解析 YAML：{exc}", path=shown) from None
    except ValueError:  # PyYAML's pure-Python scanner calls chr() on an escape past U+10FFFF
        raise _escape_error(text, lines, shown) from None
    except RecursionError:
        raise _too_deep(form, None) from None
    if root is None:
        empty = (
            "表单是空的：请至少填写 template 和必填项（可运行 drafter new 模板名 生成一份带说明的表单）"
            if kind == FORM
            else f"{kind.noun}是空的"
        )
        raise FormError(empty, path=shown, line=1, column=1)
    if not isinstance(root, yaml.MappingNode):
        raise _not_a_mapping(root, lines, form)
    if "&" in text:  # only anchors let aliases share (and multiply) nodes: measure first
        _measure(root, form)
    form.data = _Builder(form, lines).build(root, ())
    return form


def _not_a_mapping(root: yaml.Node, lines: list[str], form: LocatedYaml) -> FormError:
    """Explain a file that parsed as one list or one piece of text."""
    shown = form.path
    if isinstance(root, yaml.ScalarNode):
        from .mistakes import scalar_document_slip  # deferred: start-up speed

        slip = scalar_document_slip(lines)
        if slip:
            return FormError(slip.message, path=shown, line=slip.line, column=slip.column)
    line, column = _mark(root)
    example = "（如 template: review-commentary）" if form.kind == FORM else ""
    return FormError(
        f"{form.kind.noun}的最外层应为“键: 值”条目{example}，而不是列表或单个文本",
        path=shown,
        line=line,
        column=column,
    )


def _refuse_deep_brackets(text: str, form: LocatedYaml) -> None:
    """Refuse [[[[… nested past MAX_DEPTH before libyaml recurses into it and crashes."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKET.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            raise _too_deep(form, (line, column))


def _too_deep(form: LocatedYaml, where: Mark | None) -> FormError:
    line, column = where or (None, None)
    return FormError(
        f"{form.kind.noun}嵌套层次过深（超过 {MAX_DEPTH} 层），已拒绝处理；请检查缩进，以及方括号 [ ]、花括号 {{ }} 是否误写",
        path=form.path,
        line=line,
        column=column,
    )


def _measure(root: yaml.Node, form: LocatedYaml) -> None:
    """Refuse alias bombs, self-referring aliases and deep nesting before building anything.

    Aliases share nodes, so the expanded size is counted once per node (memoised): a
    "billion laughs" is measured in microseconds instead of being expanded.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise _too_deep(form, _mark(node))
        if key in active:
            line, column = _mark(node)
            raise FormError(
                "别名 * 引用了它自身所在的内容，形成循环", path=form.path, line=line, column=column
            )
        total = 1
        if not isinstance(node, yaml.ScalarNode):
            active.add(key)
            children = (
                node.value
                if isinstance(node, yaml.SequenceNode)
                else _pairs(cast(yaml.MappingNode, node))
            )
            total += sum(size(child, depth + 1) for child in children)
            active.discard(key)
        if total > MAX_NODES:
            line, column = _mark(node)
            raise FormError(
                f"{form.kind.noun}展开后过大（超过 {MAX_NODES} 项，锚点 & 与别名 * 层层引用），已拒绝处理",
                path=form.path,
                line=line,
                column=column,
            )
        sizes[key] = total
        return total

    size(root, 0)


def _pairs(node: yaml.MappingNode) -> list[yaml.Node]:
    return [part for pair in node.value for part in pair]


class _Builder:
    """Walk composed YAML nodes into plain data, recording marks and the slips YAML accepts."""

    def __init__(self, form: LocatedYaml, lines: list[str]) -> None:
        self.form = form
        self.lines = lines

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise _too_deep(self.form, _mark(node))
        self.form.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._mapping(cast(yaml.MappingNode, node), path)

    def _scalar(self, node: yaml.ScalarNode) -> str | None:
        if is_left_empty(node):
            return None
        if not node.style and node.end_mark.line > node.start_mark.line:
            self._check_folded_lines(node)
        value: str = node.value
        if _UNPRINTABLE.search(value):  # written as escapes ("\v", "\x00") in double quotes
            line, column = _mark(node)
            self.form.warnings.append(_removed_warning(value, self.form.path, line, column))
            value = _UNPRINTABLE.sub("", value)
        return value

    def _check_folded_lines(self, node: yaml.ScalarNode) -> None:
        """Lines YAML silently joined into one text although they look like fields or items."""
        from .mistakes import folded_line_slip  # deferred: start-up speed

        first = node.start_mark.line
        for index in range(first, min(node.end_mark.line + 1, len(self.lines))):
            text = self.lines[index]
            if index == first:  # only the value part of the first line, not its key
                text = " " * node.start_mark.column + text[node.start_mark.column :]
                if not text.lstrip().startswith("-"):
                    continue
            if index > first and self._first_item_undashed(node, text):
                return
            slip = folded_line_slip(text, index + 1)
            if slip:
                self._problem(slip.message, slip.line, slip.column)
                return

    def _first_item_undashed(self, node: yaml.ScalarNode, text: str) -> bool:
        """`大家准备认真` on its own line, then `- 报告实事求是` under it: the first "- " is missing."""
        from .mistakes import missing_first_dash  # deferred: start-up speed

        line, column = node.start_mark.line, node.start_mark.column
        if self.lines[line][:column].strip():  # the text follows a key or a dash: not this slip
            return False
        slip = missing_first_dash(self.lines[line], line + 1, text)
        if slip:
            self._problem(slip.message, slip.line, slip.column)
        return slip is not None

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        new_item = False  # a repeated key in a list item opened an item whose "- " is missing
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
            if key.startswith("\u3000"):
                self._wide_space_key(key_node)
            if key.startswith("-") and key[1:2].strip():
                self._tight_dash_key(key_node)
            if key in out:
                if not new_item:
                    first_key = str(node.value[0][0].value)
                    new_item = self._duplicate(key, key_node, key_path, key == first_key)
                continue
            self.form.keys[key_path] = _mark(key_node)
            out[key] = self.build(value_node, key_path)
        return out

    def _wide_space_key(self, key_node: yaml.ScalarNode) -> None:
        from .mistakes import wide_indent  # deferred: start-up speed

        line, _ = _mark(key_node)
        slip = wide_indent(self.lines[line - 1], line)
        if slip:
            self._problem(slip.message, slip.line, slip.column)

    def _tight_dash_key(self, key_node: yaml.ScalarNode) -> None:
        """`-point: …`: the dash of a list item written without its space, read as a key."""
        from .mistakes import tight_dash  # deferred: start-up speed

        line, _ = _mark(key_node)
        slip = tight_dash(self.lines[line - 1], line)
        if slip:
            self._problem(slip.message, slip.line, slip.column)

    def _duplicate(self, key: str, key_node: yaml.Node, key_path: Path_, opens: bool) -> bool:
        """Report a repeated key; True when it opens a list item whose "- " was left out.

        `opens`: the key is the one a list item starts with (`- point: …`), so its repeat
        is the next item's start, not a second value to merge.
        """
        first_line = self.form.keys[key_path][0]
        line, column = _mark(key_node)
        if opens and len(key_path) > 1 and isinstance(key_path[-2], int):
            from .mistakes import missing_dash_item  # deferred: start-up speed

            item_line = self.form.values.get(key_path[:-1], (first_line, 1))[0]
            slip = missing_dash_item(self.lines, line, item_line)
            self._problem(slip.message, slip.line, slip.column)
            return True
        self._problem(
            f"重复的键 {shortened(key)}：第 {first_line} 行已经写过一次，第 {line} 行又写了一次；"
            "后写的会覆盖先写的，内容会丢失：请删去多余的一处，或把两处的内容合在一起",
            line,
            column,
        )
        return False

    def _problem(self, message: str, line: int, column: int) -> None:
        self.form.problems.append(_diagnostic(message, self.form.path, line, column, self.lines))


def _mark(node: yaml.Node) -> Mark:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _scrub(text: str, shown: str) -> tuple[str, list[Diagnostic]]:
    """Remove invisible control characters (often pasted from Word), one warning per line."""
    if not _UNPRINTABLE.search(text):
        return text, []
    warnings: list[Diagnostic] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        found = _UNPRINTABLE.search(line)
        if found:
            warnings.append(_removed_warning(line, shown, number, found.start() + 1))
            lines[number - 1] = _UNPRINTABLE.sub("", line)
    return "\n".join(lines), warnings


def _removed_warning(text: str, shown: str, line: int, column: int) -> Diagnostic:
    """Name the invisible characters removed from `text` (first few, and how many)."""
    found = _UNPRINTABLE.findall(text)
    names = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in found))
    count = f"，共 {len(found)} 个" if len(found) > 1 else ""
    return Diagnostic(
        f"删除了不可见的控制字符 {names}（常见于从 Word 复制的文字{count}）",
        shown,
        line,
        column,
        Severity.WARNING,
    )


def _escape_error(text: str, lines: list[str], shown: str) -> FormError:
    """Locate the escape beyond Unicode that the pure-Python scanner could not turn into a character."""
    from .mistakes import bad_escape  # deferred: start-up speed

    found = next((m for m in _BIG_ESCAPE.finditer(text) if int(m.group(1), 16) > 0x10FFFF), None)
    at = found.start() if found else 0
    line = text.count("\n", 0, at) + 1
    mistake = bad_escape(lines, line, at - (text.rfind("\n", 0, at) + 1) + 1)
    return FormError(mistake.message, path=shown, line=mistake.line, column=mistake.column)


MAX_REPAIRS = 10  # syntax slips fixed in memory to look for the next one; then stop


def _syntax_errors(exc: yaml.MarkedYAMLError, lines: list[str], shown: str) -> FormError:
    """The slip the parser stopped at, and the independent slips after it.

    The parser cannot go on past a syntax error. A slip with one sure fix (a full-width
    colon, a missing space, a list item's missing "- ") is fixed in memory and the text
    parsed again, so the next mistake comes in the same run; and every later line that
    shows a slip by itself is named too (YAML may take `-甲` for text, not an error). The
    writer gets every slip drafter can be sure of at once, and nothing a fix of its own
    might have caused.
    """
    from .mistakes import explain, later_slips  # deferred: start-up speed

    found = [explain(exc, lines)]
    repaired = list(lines)
    for _ in range(MAX_REPAIRS):
        last = found[-1]
        if last.fixed is None or not 0 < last.line <= len(repaired):
            break
        repaired[last.line - 1] = last.fixed
        try:
            yaml.compose("\n".join(repaired), Loader=LocatedYamlLoader)
            break
        except yaml.MarkedYAMLError as again:
            following = explain(again, repaired)
        except (yaml.YAMLError, ValueError, RecursionError):
            break
        if following.line <= last.line:
            break
        found.append(following)
    named = {mistake.line for mistake in found}
    found += [m for m in later_slips(lines, found[0].line) if m.line not in named]
    found.sort(key=lambda mistake: mistake.line)
    return FormError(diagnostics=[Diagnostic(m.message, shown, m.line, m.column) for m in found])


def _echoing(exc: FormError, lines: list[str]) -> FormError:
    """The same error with each located message echoing its line under it."""
    echoed = [
        _diagnostic(d.message, d.path or "", d.line, d.column or 1, lines)
        if d.line is not None and not d.detail
        else d
        for d in exc.diagnostics
    ]
    return FormError(diagnostics=echoed)


def _diagnostic(message: str, shown: str, line: int, column: int, lines: list[str]) -> Diagnostic:
    """An error at a position in the form, echoing the line with a caret under the column."""
    from .excerpt import caret_excerpt  # deferred: start-up speed

    source = lines[line - 1] if 0 < line <= len(lines) else ""
    detail = caret_excerpt(source, line, column) if source.strip() else ""
    return Diagnostic(message, shown, line, column, detail=detail)
