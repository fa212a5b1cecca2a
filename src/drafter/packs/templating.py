"""Run a pack's Jinja template in a sandbox over validated form data, producing speech markup."""

from __future__ import annotations

import contextlib
import re
import types
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cn.dates import cn_date
from ..cn.numerals import cn_count, cn_number, cn_ordinal, cn_paren
from ..cn.phrasing import clause, sentence
from ..config.closest import closest
from ..errors import TemplateError, TemplateSecurityError
from ..infra.cache import cache_dir, code_digest, prune
from ..markup import USER_LINE_BREAK

if TYPE_CHECKING:
    from jinja2 import BytecodeCache, Environment

    from .finder import TemplatePack


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
_KINDS = {"filter": "过滤器", "test": "判断（is 之后的词）"}


def environment(search_path: tuple[Path, ...]) -> Environment:
    """A sandboxed, strict, autoescaping environment, compiled templates cached per search path.

    auto_reload: a long-running process (`drafter serve`, the API) re-reads a .j2 file a
    writer edited since it was compiled; the check is one stat per template and render.
    """
    env = _ENVIRONMENTS.get(search_path)
    if env is None:
        from jinja2 import StrictUndefined  # deferred: start-up speed

        from .confined_loader import ConfinedLoader  # deferred: start-up speed
        from .sandbox import SpeechSandbox  # deferred: start-up speed

        env = SpeechSandbox(
            loader=ConfinedLoader(search_path),  # nothing read from outside the pack's folders
            bytecode_cache=bytecode_cache(),
            undefined=StrictUndefined,
            autoescape=True,  # the markup is XML: a writer's < & " stay text
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
        )
        env.filters.update(FILTERS)
        _ENVIRONMENTS[search_path] = env
    return env


def bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs: compiling them is most of a cold render's Jinja time.

    The files sit in the user cache; their names carry the digest of drafter's code, so a
    changed sandbox never runs code an older one compiled (Jinja keys each file by the
    template's source). Each new file prunes the cache folder to its bound.
    """
    folder = cache_dir()
    if folder is None:
        return None
    kept: Path = folder
    from jinja2.bccache import Bucket, FileSystemBytecodeCache  # deferred: start-up speed

    class QuietCache(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError, ValueError, EOFError):
                super().load_bytecode(bucket)

        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)
            prune(kept)

    try:
        (folder / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return QuietCache(str(folder / "templates"), pattern=f"{code_digest()}-%s.cache")


def render_speech(pack: TemplatePack, data: dict[str, Any]) -> str:
    """Render a pack's entry template with the form's data as its context."""
    import jinja2  # deferred: start-up speed
    from jinja2.sandbox import SecurityError  # deferred: start-up speed

    from .sandbox import TOO_LARGE, FormFields, new_budget  # deferred: start-up speed

    env = environment(pack.search_path)
    try:
        template = env.get_template(pack.entry)
        new_budget()
        return template.render({key: _context(value, FormFields) for key, value in data.items()})
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or str(pack.directory / pack.entry)
        raise TemplateError(_syntax_message(env, exc), path=where, line=exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        path, line = _template_frame(exc, pack)
        raise TemplateError(
            f"模板引用的文件 {exc.name} 找不到；只能引用 {_search_text(pack)} 中的模板文件",
            path=path,
            line=line,
        ) from None
    except SecurityError as exc:
        path, line = _template_frame(exc, pack)
        raise TemplateSecurityError(_security_message(str(exc)), path=path, line=line) from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc, pack)
        raise TemplateError(_undefined_message(exc, pack), path=path, line=line) from None
    except RecursionError:
        raise TemplateError(
            "模板中的宏或继承无限循环地调用自己，无法生成讲话", path=str(pack.directory)
        ) from None
    except MemoryError as exc:  # what the budget's caps did not foresee
        path, line = _template_frame(exc, pack)
        raise TemplateSecurityError(TOO_LARGE, path=path, line=line) from None
    except (TypeError, ValueError, AttributeError, ArithmeticError, LookupError) as exc:
        path, line = _template_frame(exc, pack)
        raise TemplateError(f"模板运行出错：{exc}", path=path, line=line) from None


def _context(value: Any, fields: type[types.SimpleNamespace]) -> Any:
    """Form data as the template sees it: fields as attributes, typed line breaks marked."""
    if isinstance(value, str):
        return (
            value.replace("\r\n", "\n").replace("\n", USER_LINE_BREAK) if "\n" in value else value
        )
    if isinstance(value, dict):
        # A namespace, not a dict: a field called `items` or `keys` must not be a dict method.
        return fields(**{k: _context(v, fields) for k, v in value.items()})
    if isinstance(value, list):
        return [_context(v, fields) for v in value]
    return value


def _template_frame(exc: BaseException, pack: TemplatePack) -> tuple[str | None, int | None]:
    """The template file and line where Jinja was when `exc` was raised (else the entry)."""
    found: tuple[str | None, int | None] = (str(pack.directory / pack.entry), None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".jinja", ".html", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _syntax_message(env: Environment, exc: Exception) -> str:
    """Jinja's syntax or assertion message in Chinese."""
    from .jinja_messages import (  # deferred: start-up speed
        UNKNOWN_NAME,
        translate_syntax,
        unknown_name_message,
    )

    message = getattr(exc, "message", None) or str(exc)
    unknown = UNKNOWN_NAME.search(message)
    if unknown:
        kind = unknown["kind"]
        known = env.filters if kind == "filter" else env.tests
        listed = FILTERS if kind == "filter" else ("defined", "none", "number", "string")
        return "模板语法错误：" + unknown_name_message(_KINDS[kind], unknown["name"], known, listed)
    return f"模板语法错误：{translate_syntax(message)}"


def _security_message(detail: str) -> str:
    """Say in Chinese what the sandbox refused (our own refusals are Chinese already)."""
    from .sandbox import internal_attribute_message  # deferred: start-up speed

    found = re.search(r"access to attribute '([^']*)' of '([^']*)' object is unsafe", detail)
    if found and found[1].startswith("_"):
        return internal_attribute_message(found[1])
    if found:
        return f"模板不能修改表单数据（{found[2]} 的 {found[1]}），已阻止"
    return detail if not detail.isascii() else f"模板试图调用不安全的内容，已阻止（{detail}）"


def _undefined_message(exc: Exception, pack: TemplatePack) -> str:
    """Name the undefined field and, when it looks like a typo, the field meant."""
    name = _undefined_name(exc)
    keys = {path[-1] for path, _ in pack.schema.walk()}
    close = closest(name, sorted(keys - {name}))
    if close:
        return f"模板用到了未定义的名称：{name}，是否想写 {close}？"
    return (
        f"模板用到了未定义的名称：{name}；表单字段要先在 template.yaml 的 fields 中声明，"
        "可选字段请用 {% if 字段 %} 判断"
    )


def _undefined_name(exc: Exception) -> str:
    """The name in Jinja's "'x' is undefined" or "'…' has no attribute 'x'"."""
    match = re.search(r"has no attribute '([^']*)'|'([^']*)' is undefined", str(exc))
    return next((name for name in match.groups() if name), "") if match else str(exc)


def _search_text(pack: TemplatePack) -> str:
    return "、".join(str(p) for p in pack.search_path)
