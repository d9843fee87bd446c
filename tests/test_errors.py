"""One test per error class: the tree, the builtins, the messages."""

from __future__ import annotations

import inspect

import pytest

import geokit
from geokit import errors

TREE = [
    (errors.InputError, ValueError),
    (errors.ExtractFormatError, errors.InputError),
    (errors.ConfigurationError, ValueError),
    (errors.PlaceNotFound, LookupError),
    (errors.GazetteerError, RuntimeError),
    (errors.GeocoderError, RuntimeError),
    (errors.DependencyError, ImportError),
    (errors.OutputError, OSError),
]


@pytest.mark.parametrize(("cls", "builtin"), TREE, ids=[c.__name__ for c, _ in TREE])
def test_every_error_is_a_geokit_error_and_its_builtin(cls, builtin):
    assert issubclass(cls, errors.GeokitError)
    assert issubclass(cls, builtin)
    with pytest.raises(builtin):
        raise cls("boom")


def test_the_tree_lists_every_error_class():
    classes = {getattr(errors, n) for n in errors.__all__}
    assert classes == {errors.GeokitError} | {c for c, _ in TREE}
    for cls in classes:
        assert cls.__name__ in errors.__doc__  # the module docstring draws the tree


def test_input_error_names_its_source():
    exc = errors.InputError("empty name", source="<stdin>:2")
    assert str(exc) == "<stdin>:2: empty name"
    assert exc.source == "<stdin>:2"
    assert str(errors.InputError("empty name")) == "empty name"


def test_output_error_names_its_path_in_one_line():
    exc = errors.OutputError("Permission denied", path="/ro/map.html")
    assert str(exc) == "/ro/map.html: Permission denied"
    assert exc.path == "/ro/map.html"
    assert isinstance(exc, OSError)


def test_scrub_surrogates_replaces_and_warns_once_per_string():
    with pytest.warns(UnicodeWarning, match="id 7: replaced 2 lone surrogate"):
        assert errors.scrub_surrogates("a\udcffb\ud800", where="id 7") == "a\ufffdb\ufffd"
    clean = "Kyiv"
    assert errors.scrub_surrogates(clean) is clean
    with pytest.warns(UnicodeWarning):
        got = errors.scrub_surrogates({"t\udcff": ["x\udcff", 1, None]})
    assert got == {"t\ufffd": ["x\ufffd", 1, None]}
    got["t\ufffd"][0].encode("utf-8")  # encodable now


def test_library_raises_the_documented_classes():
    with pytest.raises(errors.InputError, match="empty name"):
        geokit.resolve("  ")
    with pytest.raises(errors.ConfigurationError, match="limit"):
        geokit.resolve("Kyiv", limit=0)
    with pytest.raises(errors.ConfigurationError, match="unknown country"):
        geokit.resolve("Donetsk", country="Atlantis")
    with pytest.raises(errors.PlaceNotFound):
        geokit.Gazetteer.default().resolve_one("Qxzvbnmqwerty Plkjhg")


def test_public_exports():
    public = {n for n, v in vars(geokit).items()
              if not n.startswith("_") and not inspect.ismodule(v) and n != "annotations"}
    assert set(geokit.__all__) == public | {"__version__"}
    for name in geokit.__all__:
        assert getattr(geokit, name) is not None
    for name in errors.__all__:
        assert getattr(geokit, name) is getattr(errors, name)
