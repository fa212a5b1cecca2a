"""The Jinja sandbox packs run in: Jinja's immutable sandbox plus checks made before anything runs.

Jinja's sandbox refuses `__class__`, `__globals__` and the like when the template reaches
them. We also refuse them when a template is compiled, so a pack that so much as mentions
an internal attribute is rejected before any of it runs, and we cap the two operators that
can exhaust memory from one short expression (`'x' * 10**9`, `9 ** 9 ** 9`).
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from typing import Any

from jinja2 import nodes
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..errors import TemplateSecurityError

# Globals with no use in a speech and a long record in template-injection payloads:
# lipsum's __globals__ and cycler.__init__.__globals__ reach `os`, and lipsum(n=10**7)
# builds text until memory runs out. joiner, namespace, range and dict stay: templates use them.
REMOVED_GLOBALS = ("lipsum", "cycler")
MAX_SEQUENCE = 100_000  # the same cap Jinja's sandbox puts on range()
MAX_POWER_BITS = 4_096
_DUNDER = re.compile(r"__\w+__")
TOO_LARGE = "模板试图生成过长的文字或过大的数，已阻止"


class FormFields(types.SimpleNamespace):
    """A mapping of the form as templates see it: its fields are attributes.

    The sandbox reads these fields without its general checks: the namespace is built by
    drafter from validated form data and holds only text, lists, None and more FormFields.
    """


class SpeechSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox that also rejects internal attributes at compile time.

    Reading a form field, a loop variable (loop.index) or calling a macro is most of what a
    speech template does; those take a short path here, everything else Jinja's full checks.
    """

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for name in REMOVED_GLOBALS:
            self.globals.pop(name, None)

    def compile(  # type: ignore[override]
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        """Parse, refuse unsafe names, then compile as Jinja would."""
        if isinstance(source, str):
            source = self.parse(source, name, filename)
        refuse_internal_names(source, filename or name or "模板")
        return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`item.point`: a form field read directly, anything else checked by Jinja."""
        kind = type(obj)
        if (kind is FormFields or kind is LoopContext) and not attribute.startswith("_"):
            if kind is FormFields:
                fields = obj.__dict__
                if attribute in fields:
                    return fields[attribute]
            else:
                return getattr(obj, attribute)
        return super().getattr(obj, attribute)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call a template's own macro directly; anything else only after Jinja's checks."""
        if type(obj) is Macro:
            return context.call(obj, *args, **kwargs)
        return super().call(context, obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Multiply and raise to a power only up to sizes a speech could need."""
        if operator == "*" and _repeated_length(left, right) > MAX_SEQUENCE:
            raise SecurityError(TOO_LARGE)
        if operator == "**" and _power_bits(left, right) > MAX_POWER_BITS:
            raise SecurityError(TOO_LARGE)
        return super().call_binop(context, operator, left, right)


def refuse_internal_names(template: nodes.Template, filename: str) -> None:
    """Raise TemplateSecurityError at the first `_name` attribute or dunder string."""
    for node, name in _internal_names(template):
        raise TemplateSecurityError(
            internal_attribute_message(name), path=filename, line=node.lineno
        )


def internal_attribute_message(name: str) -> str:
    """Why a template naming `__class__` and the like is refused, in Chinese."""
    return (
        f"模板试图访问 Python 内部属性 {name}，这可能被用来执行任意代码，已拒绝运行此模板"
        "（模板中只能使用表单字段、过滤器和宏）"
    )


def _internal_names(template: nodes.Template) -> Iterator[tuple[nodes.Node, str]]:
    for node in template.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Const)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            yield node, node.attr
        elif isinstance(node, nodes.Getitem | nodes.Filter):
            # obj["_x"], obj|attr("_x"), items|map(attribute="_x")
            for arg in (
                getattr(node, "arg", None),
                *getattr(node, "args", ()),
                *(kw.value for kw in getattr(node, "kwargs", ())),
            ):
                if isinstance(arg, nodes.Const) and str(arg.value).startswith("_"):
                    yield node, str(arg.value)
        elif isinstance(node, nodes.Const) and isinstance(node.value, str):
            # A dunder anywhere in a string: "{0.__class__}".format(obj) and the like.
            found = _DUNDER.search(node.value)
            if found:
                yield node, found.group()


def _repeated_length(left: Any, right: Any) -> int:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            return len(seq) * times
    return 0


def _power_bits(base: Any, exponent: Any) -> float:
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        return max(abs(base), 1).bit_length() * exponent
    return 0
