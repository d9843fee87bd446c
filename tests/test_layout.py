"""The package is laid out as its pipeline: no import cycle, nothing imports upward.

Every ``import`` and ``from ... import`` in geokit is read from the source,
including the ones inside functions (a lazy import is still a dependency).
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "geokit"

# Each unit's rank in the flow; a unit may import only units of a lower rank
# (and itself). The root package's __init__ is the public face and may import all.
RANK = {
    "geokit._version": 0, "geokit.errors": 0, "geokit.geo": 0, "geokit.paths": 0,
    "geokit.models": 1,
    "geokit.gazetteer": 2,
    "geokit.geoparse": 3,
    "geokit.io": 3,
    "geokit.events": 4,
    "geokit.eval": 5,
    "geokit.batch": 5,
    "geokit.maps": 5,
    "geokit.cli": 6,
}


def _module_name(path):
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _unit(name):
    parts = name.split(".")
    for n in (2, 1):
        cand = ".".join(parts[:n])
        if cand in RANK:
            return cand
    return name


def _imports(path):
    name = _module_name(path)
    pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("geokit")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.startswith("geokit"):
                out.add(mod)
                out |= {f"{mod}.{a.name}" for a in node.names}
    return name, out


def _graph():
    modules = {}
    for path in ROOT.rglob("*.py"):
        name, deps = _imports(path)
        modules[name] = deps
    known = set(modules)
    # Importing a submodule runs its package's __init__ first, so an edge from a
    # module to its own enclosing package is how Python works, not a cycle;
    # "from pkg import submodule" depends on the submodule.
    graph = {}
    for m, deps in modules.items():
        subs = {d for d in deps if d in known and d.rpartition(".")[0] in deps}
        graph[m] = {d for d in deps if d in known and d != m and not m.startswith(d + ".")
                    and not any(s.startswith(d + ".") for s in subs)}
    return graph


def test_every_module_belongs_to_a_unit_of_the_flow():
    for m in _graph():
        assert m == "geokit" or _unit(m) in RANK, f"{m} is in no unit of the layout"


@pytest.mark.parametrize("module", sorted(m for m in _graph() if m != "geokit"))
def test_nothing_imports_upward(module):
    graph = _graph()
    mine = RANK[_unit(module)]
    for dep in graph[module]:
        if dep == "geokit":
            pytest.fail(f"{module} imports the package root")
        unit = _unit(dep)
        if unit == _unit(module):
            continue
        assert RANK[unit] < mine, f"{module} (rank {mine}) imports {dep} (rank {RANK[unit]})"


def test_no_import_cycle():
    graph = _graph()
    state = {}
    stack = []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == "open":
                cycle = stack[stack.index(d):] + [d]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if d not in state:
                visit(d)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_the_checker_sees_a_lazy_upward_import(tmp_path, monkeypatch):
    # The checks above must be able to fail: an import inside a function counts.
    fake_root = tmp_path / "geokit"
    fake_root.mkdir()
    (fake_root / "models.py").write_text("def f():\n    from geokit.cli import main\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", fake_root)
    name, deps = _imports(fake_root / "models.py")
    assert name == "geokit.models"
    assert "geokit.cli" in deps and RANK[_unit("geokit.cli")] > RANK[_unit(name)]


def test_no_function_longer_than_120_lines():
    long = []
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > 120:
                    long.append(f"{_module_name(path)}.{node.name}: {n} lines")
    assert long == []
