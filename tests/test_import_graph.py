"""No import cycles between drafter's modules, and every import inside a function says why.

The graph counts every import that runs: at module level and inside functions (a cycle
hidden in a function is still a cycle). Imports under `if TYPE_CHECKING:` never run and are
left out; so is the implicit import of a module's parent package, which Python performs for
every submodule and which would make any package that imports its own submodules a "cycle".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from .conftest import ROOT

SRC = ROOT / "src"
PACKAGE = "drafter"
MARKERS = ("# deferred: start-up speed", "# deferred: optional dependency")

# Cycles in lint/ and extract/, which another engineer is untangling in parallel.
# MUST BECOME EMPTY AT MERGE.
KNOWN_ELSEWHERE: set[frozenset[str]] = set()

# Files other engineers own that still have unmarked function-level imports; each adds the
# markers in its own branch. MUST BECOME EMPTY AT MERGE.
MARKERS_ADDED_ELSEWHERE: tuple[str, ...] = ()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((SRC / PACKAGE).rglob("*.py"))}


def runtime_imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import that can run, with whether it sits inside a function."""

    def visit(
        node: ast.AST, in_function: bool
    ) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                yield from (
                    item for other in child.orelse for item in visit_one(other, in_function)
                )
                continue
            yield from visit_one(child, in_function)

    def visit_one(
        node: ast.AST, in_function: bool
    ) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function
            return
        inside = in_function or isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        yield from visit(node, inside)

    yield from visit(tree, False)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(
    node: ast.Import | ast.ImportFrom, importer: str, path: Path, known: set[str]
) -> set[str]:
    """The drafter modules an import statement loads."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if node.level:
        package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    submodules = {f"{base}.{alias.name}" for alias in node.names} & known
    if len(submodules) == len(node.names):  # `from . import a, b` loads modules a and b
        return submodules
    return ({base} & known) | submodules


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    known = set(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, _ in runtime_imports(tree):
            graph[name] |= imported_modules(node, name, path, known) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path) per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [_path_through(group, graph) for group in groups]


def _path_through(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A closed path inside a strongly connected group, for the failure message."""
    start = min(group)
    path, seen = [start], {start}
    while True:
        following = sorted(graph[path[-1]] & group)
        back = [target for target in following if target in seen]
        if back:
            return [*path[path.index(back[0]) :], back[0]]
        path.append(following[0])
        seen.add(following[0])


def test_the_import_graph_has_no_cycles() -> None:
    found = cycles(import_graph())
    unexpected = [cycle for cycle in found if frozenset(cycle) not in KNOWN_ELSEWHERE]
    assert not unexpected, "import cycles:\n" + "\n".join(" → ".join(c) for c in unexpected)


def test_the_cycle_finder_finds_a_hidden_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]


def test_every_import_inside_a_function_carries_its_marker() -> None:
    unmarked = []
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith(MARKERS_ADDED_ELSEWHERE):
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node, in_function in runtime_imports(ast.parse(source, str(path))):
            if in_function and not any(marker in lines[node.lineno - 1] for marker in MARKERS):
                unmarked.append(f"{relative}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert not unmarked, "imports inside functions without a marker:\n" + "\n".join(unmarked)
