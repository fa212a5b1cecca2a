"""What the browser can do with the forms of one folder, without HTTP: the server's core.

Each operation takes and returns plain data (JSON-ready) and raises DrafterError for the
server to answer in Chinese. Drafting, checking, writing and extracting are the command
line's own functions; this module only connects them to a folder and its history.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cn.ordinals import leading_ordinal
from ..config.located_yaml import FORM, MAX_BYTES, LocatedYaml, Path_, parse_located
from ..config.settings import load_settings
from ..errors import (
    Diagnostic,
    DrafterError,
    FormError,
    SaveConflictError,
    UsageError,
    WebRequestError,
)
from ..infra.files import read_user_file
from ..infra.output import write_atomically
from ..lint import lint, speech_date
from ..lint.findings import Finding
from ..lint.form_source import form_source
from ..lint.length import measure
from ..lint.rules import RuleSet, builtin_rules
from ..model import Document
from ..packs.fields import FieldSpec, field_note
from ..packs.finder import find_pack, list_packs
from ..packs.scaffold import safe_file_stem
from ..pipeline import UNPLACED_FIELD, draft_form
from ..presets import DEFAULT_PRESET, Preset, builtin_presets, load_preset, preset_label
from ..readers.located import Piece
from ..readers.paragraphs import block_text
from ..readers.text import read_speech_text
from ..writers import get_writer
from .folder import SPEECH_SUFFIXES, ServedFolder, saved_at, version_of
from .form_edit import edited_text, preview_text, read_data
from .history import BEFORE_SAVE, REFUSED, RESTORED, keep_version, read_version, versions

DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}


@dataclass
class Download:
    """A file for the browser to save."""

    payload: bytes
    name: str
    mime: str


@dataclass
class Workspace:
    """One served folder: its forms, their history, and the office's default style."""

    folder: ServedFolder
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _rules: RuleSet | None = None

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            self._rules = builtin_rules()
        return self._rules

    # ------------------------------------------------------------ home page

    def forms(self) -> list[dict[str, Any]]:
        """Each form's title, pack, speaker, date and when it was last saved."""
        listed = []
        for path in self.folder.forms():
            entry: dict[str, Any] = {"name": path.name, "saved": saved_at(path)}
            try:
                data = read_data(read_speech_text(path)[0])
            except Exception:  # a broken form is still listed: it opens in the text view
                data = None
            if isinstance(data, dict):
                entry.update({key: _shown(data.get(key)) for key in _LISTED})
            else:
                entry["broken"] = True
            listed.append(entry)
        return listed

    def packs(self) -> list[dict[str, str]]:
        packs, _ = list_packs(self.folder.root)
        seen: dict[str, dict[str, str]] = {}
        for pack in packs:  # a local pack comes first and overrides the built-in one
            seen.setdefault(pack.id, {"id": pack.id, "name": pack.name, "origin": pack.origin})
        return list(seen.values())

    def styles(self) -> list[dict[str, str]]:
        """The presets, the office settings' style and style files in the folder."""
        found = [{"id": name, "name": preset_label(name)} for name in builtin_presets()]
        office = load_settings().style
        if office and all(item["id"] != office for item in found):
            found.append({"id": office, "name": f"单位设置的版式（{Path(office).name}）"})
        for path in sorted(self.folder.root.glob("*.y*ml")):
            if path.suffix.lower() in (".yaml", ".yml") and _looks_like_style(path):
                found.append({"id": path.name, "name": f"本文件夹的样式文件 {path.name}"})
        return found

    def default_style(self) -> str:
        return load_settings().style or DEFAULT_PRESET

    # ------------------------------------------------------------ new forms

    def new_form(self, pack_id: object, name: object) -> str:
        """A new form from a pack, with the content `drafter new` writes."""
        from ..commands.new import new_form  # deferred: start-up speed

        if not isinstance(pack_id, str) or not pack_id:
            raise WebRequestError("请选择模板")
        try:
            pack = find_pack(pack_id, self.folder.root)
        except UsageError as exc:
            raise WebRequestError(exc.diagnostics[0].message, status=404) from None
        stem = name if isinstance(name, str) and name.strip() else safe_file_stem(pack.id)
        target = self.folder.free_name(_form_stem(stem))
        self.folder.file(target.name, (".yaml",), "表单")  # a name Windows can hold
        with self._lock:  # the pack by its folder: one beside FOLDER is found from anywhere
            new_form(str(pack.directory), target)
        return target.name

    def extract_upload(self, file_name: str, payload: bytes) -> dict[str, Any]:
        """A new form from an old speech the writer uploaded, and what extract placed."""
        from ..commands.extract import write_form  # deferred: start-up speed
        from ..extract import extract_form  # deferred: start-up speed

        suffix = Path(file_name).suffix.lower()
        if suffix not in SPEECH_SUFFIXES:
            raise WebRequestError(
                f"只能上传 {'、'.join(SPEECH_SUFFIXES)} 格式的讲话稿：{file_name}", status=415
            )
        stem = _form_stem(Path(file_name).stem)
        with tempfile.TemporaryDirectory(prefix="drafter-upload-") as temp:
            speech = Path(temp) / f"upload{suffix}"
            speech.write_bytes(payload)
            with self._lock:
                target = self.folder.free_name(stem)
                extraction = extract_form(speech, target.name)
                write_form(target, extraction.text, force=False)
        unplaced = read_data(extraction.text).get(UNPLACED_FIELD) or []
        return {
            "name": target.name,
            "pack": extraction.pack.id,
            "summary": extraction.summary(),
            "placed": extraction.recognition.found,
            "missing": extraction.recognition.missing,
            "unplaced": unplaced if isinstance(unplaced, list) else [unplaced],
        }

    # ------------------------------------------------------------ the editor

    def open_form(self, name: object) -> dict[str, Any]:
        """A form's text, version, data and the fields its pack declares."""
        path = self.folder.form(name)
        payload = _read_form(path)
        text, _ = _decoded(payload)
        opened: dict[str, Any] = {
            "name": path.name,
            "text": text,
            "version": version_of(payload),
            "styles": self.styles(),
            "style": self.default_style(),
        }
        try:
            form = parse_located(text, str(path))
            draft = draft_form(form)
        except DrafterError as exc:
            opened["problems"] = [d.as_json() for d in exc.diagnostics]
            return opened  # the plain text view lets the writer fix it
        opened.update(
            data=form.data,
            pack={"id": draft.pack.id, "name": draft.pack.name},
            fields=[field_json(spec) for spec in draft.pack.schema.fields],
        )
        return opened

    def preview(self, name: object, data: object, style: object = None) -> dict[str, Any]:
        """The page as it will print, problems at their fields, findings, length."""
        path = self.folder.form(name, exists=False)
        if not isinstance(data, dict):
            raise WebRequestError("表单内容应为键和值的对应（JSON 对象）")
        text, pieces = preview_text(data)
        form = parse_located(text, str(path))
        try:
            draft = draft_form(form)
        except DrafterError as exc:
            return {"html": None, "problems": at_fields(exc.diagnostics, form)}
        preset = self.preset(style)
        html = get_writer("html")(draft.document, preset).decode("utf-8")
        source = form_source(
            draft.form,
            draft.document,
            numbered=draft.pack.schema.numbered_at,
            text=text,
            pieces=pieces,
        )
        findings = lint(source, self.rules, speech_date(source))
        return {
            "html": html,
            "problems": at_fields(draft.warnings, form),
            "findings": [finding_json(f, source.line_starts, source.pieces) for f in findings],
            "length": measure(draft.document).as_json(),
            "markers": printed_markers(draft.document, source.pieces, source.numbered),
        }

    def preset(self, style: object) -> Preset:
        name = style if isinstance(style, str) and style else self.default_style()
        if name.lower().endswith((".yaml", ".yml")) and "/" not in name and "\\" not in name:
            name = str(self.folder.file(name, (".yaml", ".yml"), "样式"))
        return load_preset(name)

    # ------------------------------------------------------------ saving

    def save(self, name: object, version: object, data: object) -> dict[str, Any]:
        """Write the browser's data into the form, refusing if the file changed meanwhile."""
        if not isinstance(data, dict):
            raise WebRequestError("表单内容应为键和值的对应（JSON 对象）")
        return self._write(name, version, lambda text: edited_text(text, data))

    def save_text(self, name: object, version: object, text: object) -> dict[str, Any]:
        """Write the text the plain editor holds."""
        if not isinstance(text, str):
            raise WebRequestError("表单文字应为字符串")
        return self._write(name, version, lambda old: _with_line_ends_of(old, text))

    def restore(self, name: object, version: object, entry: object) -> dict[str, Any]:
        """Put a kept version back; the version it replaces is kept too."""
        path = self.folder.form(name)
        kept = read_version(path, entry)
        text, _ = _decoded(kept)
        return self._write(name, version, lambda _old: text, why=RESTORED)

    def _write(
        self, name: object, version: object, change: Callable[[str], str], why: str = BEFORE_SAVE
    ) -> dict[str, Any]:
        path = self.folder.form(name)
        with self._lock:
            before = _read_form(path)
            text, codec = _decoded(before)
            new_text = change(text)
            payload = new_text.encode(codec or "utf-8")
            if version != version_of(before):
                kept = keep_version(path, payload, REFUSED)
                raise _conflict(path, kept, text, new_text)
            if payload != before:
                keep_version(path, before, why)
                write_atomically(path, payload)
        return {"version": version_of(payload), "text": new_text, "saved": saved_at(path)}

    def history(self, name: object) -> list[dict[str, str]]:
        return [version.as_json() for version in versions(self.folder.form(name))]

    def history_text(self, name: object, entry: object) -> str:
        return _decoded(read_version(self.folder.form(name), entry))[0]

    # ------------------------------------------------------------ downloads

    def download(self, name: object, fmt: object, style: object = None) -> Download:
        """The saved form in a format, as `drafter render` writes it."""
        from ..commands.render import RenderJob, draft_checked  # deferred: start-up speed

        if not isinstance(fmt, str) or fmt not in DOWNLOADS:
            raise WebRequestError(f"不支持下载这种格式：{fmt}；可选 {'、'.join(DOWNLOADS)}")
        path = self.folder.form(name)
        preset = self.preset(style).with_reference_doc(load_settings().reference_doc)
        draft = draft_checked(RenderJob(path, (), preset))
        payload = get_writer(fmt)(draft.document, preset)
        return Download(payload, f"{path.stem}.{fmt}", DOWNLOADS[fmt])


def _conflict(path: Path, kept: Path, disk: str, mine: str) -> SaveConflictError:
    return SaveConflictError(
        f"{path.name} 在您打开之后已被修改（另一位同事、别的编辑器或 drafter check --fix），"
        f"为免覆盖别人的修改，没有保存。您的版本已另存为 .drafter-history/{kept.parent.name}/{kept.name}；"
        "请比较两个版本，重新打开表单后再改。",
        disk=disk,
        mine=mine,
    )


_LISTED = ("title", "template", "speaker", "date")


def _shown(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _form_stem(stem: str) -> str:
    """A form name from what the writer typed: no folders, no suffix twice."""
    stem = stem.strip()
    for suffix in (".yaml", ".yml"):
        stem = stem.removesuffix(suffix)
    stem = stem.replace("/", "-").replace("\\", "-").strip(". ")
    return stem[:100] or "表单"


def _looks_like_style(path: Path) -> bool:
    try:
        data = read_data(read_speech_text(path)[0])
    except Exception:
        return False
    return isinstance(data, dict) and "template" not in data and ("base" in data or "body" in data)


def _with_line_ends_of(old: str, text: str) -> str:
    """`text` with the line ends `old` was written with (a browser's text box gives \n only)."""
    if "\r\n" in old and "\r\n" not in text:
        return text.replace("\n", "\r\n")
    return text


def _read_form(path: Path) -> bytes:
    """A form's bytes, read once (what its version names), within the form size limit."""
    return read_user_file(path, FORM.file_noun, FormError, MAX_BYTES)


def _decoded(payload: bytes) -> tuple[str, str | None]:
    from ..config.encoding import decode_form  # deferred: start-up speed
    from ..readers.text import codec_of  # deferred: start-up speed

    text, _ = decode_form(payload, "")
    return text, codec_of(payload, text)


def _browser_note(spec: FieldSpec) -> str:
    """必填/选填 and formats as `drafter new` says them, without how YAML writes a list item."""
    parts = field_note(spec).split("；")
    return "；".join(part for part in parts if "“- ”" not in part)


def field_json(spec: FieldSpec) -> dict[str, Any]:
    """A field as the browser builds its input: label, type, help, example, required …"""
    return {
        "key": spec.key,
        "label": spec.label,
        "type": spec.type,
        "required": spec.required,
        "help": spec.help,
        "note": _browser_note(spec),
        "example": spec.example if isinstance(spec.example, str) else None,
        "default": spec.default if isinstance(spec.default, str) else None,
        "min_items": spec.min_items,
        "numbered": spec.numbered,
        "choices": [[value, printed] for value, printed in spec.choices],
        "item": field_json(spec.item) if spec.item else None,
        "fields": [field_json(child) for child in spec.fields],
    }


def at_fields(diagnostics: list[Diagnostic], form: LocatedYaml) -> list[dict[str, Any]]:
    """Each diagnostic with the key path of the field it is located at (None: the form)."""
    places: dict[tuple[int, int], Path_] = {mark: path for path, mark in form.keys.items()}
    places.update({mark: path for path, mark in form.values.items()})
    return [
        {**d.as_json(), "path": list(places.get((d.line or 0, d.column or 0), ())) or None}
        for d in diagnostics
    ]


def printed_markers(
    document: Document, pieces: list[Piece], numbered: frozenset[Path_]
) -> list[dict[str, Any]]:
    """The ordinal the draft prints before each numbered value (二是, 三要, （一）), by path.

    The editor shows it beside the field, so the writer sees the numbering without typing it.
    """
    texts = [block_text(block) for block in document.blocks]
    found = []
    for piece in pieces:
        if piece.key not in numbered or not piece.text:
            continue
        for text in texts:
            at = text.find(piece.text)
            marker = _marker_before(text, at, piece.text[0]) if at > 0 else None
            if marker:
                found.append({"path": list(piece.key), "marker": marker})
                break
    return found


def _marker_before(text: str, at: int, first: str) -> str | None:
    """The whole ordinal ending just before `at` (the longest that reads as one)."""
    for width in range(min(at, 6), 0, -1):
        candidate = text[at - width : at]
        if leading_ordinal(candidate + first) == candidate:
            return candidate
    return None


def finding_json(finding: Finding, line_starts: list[int], pieces: list[Piece]) -> dict[str, Any]:
    """A finding with the field it concerns and where in its value, for the one-click fix."""
    shown: dict[str, Any] = {
        "rule": finding.rule.id,
        "message": finding.message,
        "suggestion": finding.suggestion,
        "severity": str(finding.severity),
        "path": None,
    }
    if finding.line is None or finding.column is None:
        return shown
    offset = line_starts[finding.line - 1] + finding.column - 1
    for piece in pieces:
        if offset in piece.offsets:
            index = piece.offsets.index(offset)
            shown.update(path=list(piece.key), index=index)
            if finding.edit is not None:
                shown.update(original=finding.edit.original, fix=finding.edit.replacement)
            break
    return shown
