"""Every example in a docstring is run and must print what it says (numpydoc ``Examples``)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import geokit


def _with_examples() -> list[str]:
    finder = doctest.DocTestFinder()
    names = []
    for info in pkgutil.walk_packages(geokit.__path__, "geokit."):
        module = importlib.import_module(info.name)
        # Examples marked +SKIP (they need a built index or the network) don't count.
        if any(not ex.options.get(doctest.SKIP) for t in finder.find(module)
               for ex in t.examples):
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _with_examples())
def test_docstring_examples_hold(name):
    # report=True prints each failing example, which pytest shows on failure.
    result = doctest.testmod(importlib.import_module(name), report=True,
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail"
