"""The Jinja sandbox packs run in: Jinja's immutable sandbox plus checks made before anything runs.

Jinja's sandbox refuses `__class__`, `__globals__` and the like when the template reaches
them. We also refuse them when a template is compiled, so a pack that so much as mentions
an internal attribute is rejected before any of it runs.

A render also runs under a budget, so a pack cannot exhaust the machine's memory or time:
every text a template makes (an operator, a filter, a method, a macro, a joined string) is
capped at MAX_TEXT characters, checked before the work when its size can be told from the
arguments (`center(10**9)`, `"%0999999999d"|format`, `"{0:>999999999}".format`), after it
otherwise; all the text a template outputs together at MAX_OUTPUT; loop steps and macro calls
at MAX_STEPS, and the whole render at MAX_SECONDS.
"""

from __future__ import annotations

import re
import time
import types
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from jinja2 import nodes, pass_context
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace

from ..errors import TemplateSecurityError

# Globals with no use in a speech and a long record in template-injection payloads:
# lipsum's __globals__ and cycler.__init__.__globals__ reach `os`, and lipsum(n=10**7)
# builds text until memory runs out. joiner, namespace, range and dict stay: templates use them.
REMOVED_GLOBALS = ("lipsum", "cycler")
MAX_SEQUENCE = 100_000  # the same cap Jinja's sandbox puts on range()
MAX_POWER_BITS = 4_096
MAX_TEXT = 1_000_000  # characters in one text a template makes; a speech has some ten thousand
MAX_OUTPUT = 5_000_000  # characters a template outputs in all (macro results counted again)
MAX_STEPS = 1_000_000  # loop steps and macro calls in one render
MAX_SECONDS = 5.0
_DUNDER = re.compile(r"__\w+__")
TOO_LARGE = "模板试图生成过长的文字或过大的数，已阻止"
TOO_LONG = (
    f"模板运行的步数或时间超出上限（循环和宏调用共 {MAX_STEPS} 步、{MAX_SECONDS:g} 秒），已停止；"
    "请检查模板中的循环和宏"
)
# Internal filter names the compiler wraps around loops and joined strings, and calls at the
# start of each body to charge its literal text (see `_budgeted`).
STEPS_FILTER, TEXT_FILTER, CHARGE_FILTER = "drafter_steps", "drafter_text", "drafter_charge"
# Nodes whose body runs once per loop step, call or block render: each charges its own literal
# text; literal text anywhere else inside belongs to the enclosing body.
_BODIES = (nodes.For, nodes.Macro, nodes.CallBlock, nodes.Block, nodes.FilterBlock)
# Width and precision numbers in %-style and {}-style format strings.
_FORMAT_NUMBERS = re.compile(r"\d+")
_SIZED = (str, list, tuple)  # what `_capped` measures (a tuple: faster to test than a union)


class Budget:
    """What one render has spent: steps, output characters, and its deadline."""

    def __init__(self) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self) -> None:
        self.steps += 1
        # Reading the clock costs more than a step: look every 1024 steps.
        if self.steps > MAX_STEPS or (not self.steps & 1023 and time.monotonic() > self.deadline):
            raise SecurityError(TOO_LONG)

    def spend(self, characters: int) -> None:
        self.output += characters
        if self.output > MAX_OUTPUT:
            raise SecurityError(TOO_LARGE)


_BUDGET: ContextVar[Budget] = ContextVar("drafter_template_budget")


def new_budget() -> None:
    """Start a fresh budget for the render about to run in this context."""
    _BUDGET.set(Budget())


def _budget() -> Budget:
    budget = _BUDGET.get(None)
    if budget is None:  # a template rendered outside render_speech still gets one
        budget = Budget()
        _BUDGET.set(budget)
    return budget


def _capped(value: Any) -> Any:
    """`value`, unless it is a text or sequence longer than a template may make."""
    if isinstance(value, _SIZED) and len(value) > MAX_TEXT:
        raise SecurityError(TOO_LARGE)
    return value


def _counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """A loop's items, each one step of the budget."""
    budget = _budget()
    for item in iterable:
        budget.step()
        yield item


@pass_context  # so Jinja cannot finalize at compile time: `'x'|center(9**6)` counts too
def _finalize(context: Any, value: Any) -> Any:
    """Every `{{ … }}` output, counted against the render's output budget."""
    if isinstance(value, str):  # Budget.spend written out: this runs for every output
        budget = _BUDGET.get(None) or _budget()
        budget.output += len(value)
        if budget.output > MAX_OUTPUT:
            raise SecurityError(TOO_LARGE)
    return value


@pass_context  # so Jinja cannot fold the call away at compile time
def _charge(context: Any, value: str, characters: int) -> str:
    """A body's literal text, counted once each time the body runs (it outputs nothing)."""
    _budget().spend(characters)
    return value


class CappedNamespace(Namespace):
    """`namespace()` whose attributes cannot hold an over-long text (doubling in a loop)."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, _capped(value))


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

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        options.setdefault("finalize", _finalize)
        super().__init__(**options)
        for name in REMOVED_GLOBALS:
            self.globals.pop(name, None)
        self.globals["namespace"] = CappedNamespace
        self.filters = _GuardedFilters(self.filters)
        self.filters[STEPS_FILTER] = _counted
        self.filters[TEXT_FILTER] = _capped
        self.filters[CHARGE_FILTER] = _charge

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
        _budgeted(source)
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
            _budget().step()
            # What Context.call would do for a macro, which takes no context of its own:
            # drop the frame variables the compiler passes along, and call it.
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            return _capped(obj(*args, **kwargs))
        name, owner = getattr(obj, "__name__", ""), getattr(obj, "__self__", None)
        _check_arguments(name, owner, args, kwargs)
        return _capped(super().call(context, obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Multiply, add, format and raise to a power only up to sizes a speech could need."""
        if operator == "*" and _repeated_length(left, right) > MAX_SEQUENCE:
            raise SecurityError(TOO_LARGE)
        if operator == "**" and _power_bits(left, right) > MAX_POWER_BITS:
            raise SecurityError(TOO_LARGE)
        if operator == "%" and isinstance(left, str):
            _check_format(left, right if isinstance(right, tuple) else (right,), {})
        if operator == "+" and _length(left) + _length(right) > MAX_TEXT:
            raise SecurityError(TOO_LARGE)
        return _capped(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`"{0:>9}".format(…)`: widths checked before the text is made."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(text, args, kwargs)
            return _capped(wrapped(*args, **kwargs))  # type: ignore[no-any-return]

        return checked


class _GuardedFilters(dict[str, Any]):
    """The filter table: each filter, Jinja's or one added later, checked before and after."""

    def __init__(self, filters: dict[str, Any]) -> None:
        super().__init__()
        for name, function in filters.items():
            self[name] = function

    def __setitem__(self, name: str, function: Any) -> None:
        super().__setitem__(name, _guarded(name, function))

    def update(self, *others: Any, **more: Any) -> None:  # type: ignore[override]
        for name, function in dict(*others, **more).items():
            self[name] = function


def _guarded(name: str, function: Any) -> Any:
    """`function` as a filter whose result's size is checked before (if its arguments tell) and after."""
    passes = getattr(function, "jinja_pass_arg", None)

    if name in _SIZED_BY_ARGUMENTS:

        def guarded(*args: Any, **kwargs: Any) -> Any:
            value, *rest = args[1:] if passes is not None else args
            _check_arguments(name, value, tuple(rest), kwargs)
            return _capped(function(*args, **kwargs))

    else:  # nothing to check before: most filters (escape, trim, length …) on every render

        def guarded(*args: Any, **kwargs: Any) -> Any:
            return _capped(function(*args, **kwargs))

    if passes is not None:
        guarded.jinja_pass_arg = passes  # type: ignore[attr-defined]
    return guarded


def _budgeted(template: nodes.Template) -> None:
    """Count every loop step and literal output, and cap every joined text (`~`)."""
    for loop in template.find_all(nodes.For):
        loop.iter = _wrapped(loop.iter, STEPS_FILTER)
    # Literal text skips `finalize`: each body charges its own literal text whenever it runs
    # (a loop over literal text counts against the budget), one call instead of one per output.
    owners: list[Any] = [template, *template.find_all(_BODIES)]
    for owner in owners:
        bodies = [owner.body, owner.else_] if isinstance(owner, nodes.For) else [owner.body]
        for body in bodies:
            characters = _literal_characters(body)
            if characters:
                charge = nodes.Filter(
                    nodes.Const(""), CHARGE_FILTER, [nodes.Const(characters)], [], None, None
                )
                body.insert(0, nodes.Output([charge], lineno=body[0].lineno))
    # Replace each `a ~ b` in whatever holds it; the tree is walked before it is changed.
    for parent in list(template.find_all(nodes.Node)):
        for field, value in parent.iter_fields():
            if isinstance(value, nodes.Concat):
                setattr(parent, field, _wrapped(value, TEXT_FILTER))
            elif isinstance(value, list):
                value[:] = [
                    _wrapped(item, TEXT_FILTER) if isinstance(item, nodes.Concat) else item
                    for item in value
                ]


def _literal_characters(body: list[nodes.Node]) -> int:
    """Characters of literal text in `body`, outside the bodies that charge their own."""
    total, pending = 0, list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
        elif not isinstance(node, _BODIES):
            pending.extend(node.iter_child_nodes())
    return total


def _wrapped(node: nodes.Node, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


# Filters and methods whose result's size follows from one numeric argument.
_WIDTH_ARGUMENTS = {"center", "ljust", "rjust", "zfill", "indent", "wordwrap", "truncate"}
_REPEATING = {"expandtabs", "indent", "wordwrap"}
# Every name `_check_arguments` looks at before a call.
_SIZED_BY_ARGUMENTS = _WIDTH_ARGUMENTS | _REPEATING | {"replace", "format", "format_map", "join"}


def _check_arguments(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a call whose result would clearly be too long, before it is made."""
    numbers = [a for a in (*args, *kwargs.values()) if isinstance(a, int)]
    if name in _WIDTH_ARGUMENTS and any(n > MAX_TEXT for n in numbers):
        raise SecurityError(TOO_LARGE)
    if name in _REPEATING and numbers and _length(value) * max(numbers) > MAX_TEXT * 10:
        raise SecurityError(TOO_LARGE)
    if name == "replace" and isinstance(value, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        grown = (value.count(old) if old else len(value) + 1) * max(len(new) - len(old), 0)
        if len(value) + grown > MAX_TEXT:
            raise SecurityError(TOO_LARGE)
    if name in ("format", "format_map") and isinstance(value, str):
        _check_format(value, args, kwargs)
    if name == "join":
        items = value if isinstance(value, list | tuple) else ()
        if sum(_length(item) for item in items) > MAX_TEXT:
            raise SecurityError(TOO_LARGE)


def _check_format(template: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a %- or {}-format whose widths or precisions would make an over-long text."""
    widths = [int(number) for number in _FORMAT_NUMBERS.findall(template)]
    if any(width > MAX_TEXT for width in widths):
        raise SecurityError(TOO_LARGE)
    if "*" in template or "{" in template.partition("{")[2]:  # widths given as arguments
        values = [*args, *kwargs.values()]
        if isinstance(args[:1], tuple) and args and isinstance(args[0], dict):
            values += list(args[0].values())
        if any(isinstance(v, int) and abs(v) > MAX_TEXT for v in values):
            raise SecurityError(TOO_LARGE)


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


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
