"""The examples are correct code against the public API (they are not run here)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import geokit.maps as gm

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _maps_names(tree: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
            and isinstance(n.value, ast.Name) and n.value.id == "gm"}


def _check(source: str, name: str) -> None:
    tree = ast.parse(source, filename=name)
    compile(tree, name, "exec")
    used = _maps_names(tree)
    assert used, f"{name} uses no geokit.maps name"
    assert used <= set(gm.__all__), f"{name} uses unknown names {used - set(gm.__all__)}"
    private = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
               if "._" in a.name] + [n.module for n in ast.walk(tree)
                                      if isinstance(n, ast.ImportFrom) and "._" in (n.module or "")]
    assert private == [], f"{name} imports private modules {private}"


def test_streamlit_app_compiles_against_the_api():
    _check((EXAMPLES / "streamlit_app.py").read_text("utf-8"), "streamlit_app.py")


def test_notebook_compiles_against_the_api():
    nb = json.loads((EXAMPLES / "notebook.ipynb").read_text("utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    # Each cell's last bare expression ("m") is display in Jupyter, valid Python too.
    _check(code, "notebook.ipynb")
