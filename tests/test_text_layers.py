"""The Chinese-text layers import only downward: lint never drafts, and nothing cycles."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LAYERS = ("drafter.cn", "drafter.readers", "drafter.lint", "drafter.extract")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every drafter module a file imports, at any depth (inside functions too)."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:  # `from . import x` imports the module x, not the package
                submodule = f"{module}.{alias.name}"
                found.add(submodule if submodule in MODULES else module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("drafter")}


MODULES = {_module_name(path): path for path in (SRC / "drafter").rglob("*.py")}
GRAPH = {
    name: {target for target in _imports(path) if target in MODULES and target != name}
    for name, path in MODULES.items()
}


@pytest.mark.parametrize("forbidden", ["drafter.pipeline", "drafter.packs"])
def test_lint_never_imports_the_render_pipeline(forbidden: str) -> None:
    offenders = {
        (name, target)
        for name, targets in GRAPH.items()
        if name.startswith("drafter.lint")
        for target in targets
        if target == forbidden or target.startswith(forbidden + ".")
    }
    assert offenders == set()


def test_text_layers_have_no_import_cycle() -> None:
    inside = {name: GRAPH[name] for name in GRAPH if name.startswith(LAYERS)}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), list(inside[start])
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name in inside and name not in seen:
                seen.add(name)
                todo.extend(inside[name])
        return False

    assert [name for name in inside if reaches(name, name)] == []


def test_cn_depends_on_nothing_above_it() -> None:
    above = {
        target
        for name, targets in GRAPH.items()
        if name.startswith("drafter.cn")
        for target in targets
        if not target.startswith("drafter.cn")
    }
    assert above == set()
