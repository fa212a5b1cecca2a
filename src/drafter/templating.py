"""Run a pack's Jinja template in a sandbox over validated form data, producing speech markup."""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import TemplateError
from .markup import USER_LINE_BREAK
from .numerals import cn_count, cn_number, cn_ordinal, cn_paren
from .phrasing import clause, cn_date, sentence

if TYPE_CHECKING:
    from jinja2 import Environment

    from .packs import TemplatePack


def _blank_safe(fn: Callable[..., str]) -> Callable[..., str]:
    """Let a filter take an absent optional field (None) and give empty text."""

    def wrapper(value: Any, *args: Any) -> str:
        return "" if value is None else fn(value, *args)

    wrapper.__doc__ = fn.__doc__
    return wrapper


FILTERS: dict[str, Callable[..., str]] = {
    "cn_number": cn_number,
    "cn_count": cn_count,
    "cn_ordinal": cn_ordinal,
    "cn_paren": cn_paren,
    "clause": _blank_safe(clause),
    "sentence": _blank_safe(sentence),
    "cn_date": _blank_safe(cn_date),
}

_ENVIRONMENTS: dict[tuple[Path, ...], Environment] = {}


def environment(search_path: tuple[Path, ...]) -> Environment:
    """A sandboxed, strict, autoescaping environment, compiled templates cached per search path."""
    env = _ENVIRONMENTS.get(search_path)
    if env is None:
        from jinja2 import FileSystemLoader, StrictUndefined
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        env = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader([str(p) for p in search_path], encoding="utf-8"),
            undefined=StrictUndefined,
            autoescape=True,  # the markup is XML: a writer's < & " stay text
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        env.filters.update(FILTERS)
        _ENVIRONMENTS[search_path] = env
    return env


def render_speech(pack: TemplatePack, data: dict[str, Any]) -> str:
    """Render a pack's entry template with the form's data as its context."""
    import jinja2
    from jinja2.sandbox import SecurityError

    env = environment(pack.search_path)
    try:
        template = env.get_template(pack.entry)
        return template.render({key: _context(value) for key, value in data.items()})
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"模板语法错误：{exc.message}", path=exc.filename or pack.entry, line=exc.lineno
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"找不到模板文件 {exc.name}", path=str(pack.directory)) from None
    except SecurityError as exc:
        path, line = _template_frame(exc)
        raise TemplateError(
            f"模板试图访问不安全的内容，已被阻止（{exc}）", path=path, line=line
        ) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc)
        raise TemplateError(
            f"模板用到了未定义的名称：{_undefined_name(exc)}", path=path, line=line
        ) from None
    except (TypeError, ValueError, AttributeError, ArithmeticError) as exc:
        path, line = _template_frame(exc)
        raise TemplateError(f"模板运行出错：{exc}", path=path, line=line) from None


def _context(value: Any) -> Any:
    """Form data as the template sees it: fields as attributes, typed line breaks marked."""
    if isinstance(value, dict):
        # A namespace, not a dict: a field called `items` or `keys` must not be a dict method.
        return types.SimpleNamespace(**{k: _context(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_context(v) for v in value]
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\n", USER_LINE_BREAK)
    return value


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where Jinja was when `exc` was raised."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".jinja", ".html", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _undefined_name(exc: Exception) -> str:
    """The name in Jinja's "'x' is undefined" or "'…' has no attribute 'x'"."""
    match = re.search(r"has no attribute '([^']*)'|'([^']*)' is undefined", str(exc))
    return next((name for name in match.groups() if name), "") if match else str(exc)
