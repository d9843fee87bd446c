"""Property-based tests of the error boundary: random input meets only documented errors.

Every public function and every CLI command gets random text (lone surrogates
included), malformed JSON, JSONL, CSV and GeoJSON, and odd paths. A library
call may return or raise a :class:`~geokit.errors.GeokitError`; a command may
exit 0, 1, 2 or 3 with messages that are one ``geokit: ...`` line each, never
a traceback or exit 70 (an internal error).

CI runs a few hundred examples per entry point (profile ``ci``);
``python bench/fuzz.py`` runs the same properties with 10,000 each (profile
``fuzz``, ``GEOKIT_FUZZ_EXAMPLES`` to change it).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geokit
from geokit.cli import main
from geokit.errors import GeokitError

settings.register_profile(
    "ci", max_examples=150, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("GEOKIT_FUZZ_EXAMPLES", "10000")), deadline=None,
    suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("GEOKIT_HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def _ci_cap(n: int) -> settings:
    """Fewer cases for the slow entry points in CI (model loading, folium); all when fuzzing."""
    return settings(max_examples=min(settings().max_examples, n)) if PROFILE == "ci" \
        else settings()

# Characters of every category, lone surrogates (Cs) included.
ANY_CHAR = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=80)
PLACE_WORDS = st.sampled_from(["Kyiv", "Paris", "Donetsk", "Bangor", "Lugansk", "Moscow",
                               "troops", "entered", "next month", "NATO", "\udcff", "\x00",
                               ",", "\n", "Russia", "attacked", "Georgia"])
NEWS_TEXT = st.one_of(ANY_TEXT, st.lists(st.one_of(PLACE_WORDS, ANY_TEXT), max_size=12)
                      .map(" ".join))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), ANY_TEXT)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(ANY_TEXT, kids, max_size=4)), max_leaves=12)
DATES = st.one_of(st.none(), ANY_TEXT, st.sampled_from(
    ["2022-02-24", "9999-12-31", "0000-00-00", "2022-13-45", "99999-99", "2022-02", "yesterday",
     "2024-02-29", "2023-02-29"]))


def _record(fields: dict) -> str:
    # json.dumps writes lone surrogates as \udcff escapes, as scraped JSONL does.
    return json.dumps(fields)


RECORD = st.fixed_dictionaries(
    {}, optional={"id": JSON_VALUE, "text": st.one_of(NEWS_TEXT, JSON_VALUE), "date": DATES,
                  "title": JSON_VALUE, "url": JSON_VALUE,
                  "toponyms": st.one_of(JSON_VALUE, st.lists(st.fixed_dictionaries(
                      {"start": st.integers(-5, 200), "end": st.integers(-5, 200)},
                      optional={"lat": JSON_VALUE, "lon": JSON_VALUE}), max_size=3))})
JSONL = st.lists(st.one_of(RECORD.map(_record), st.text(ANY_CHAR, max_size=40).map(
    lambda s: s.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))), max_size=4
).map("\n".join)
CSV_CELL = st.one_of(ANY_TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")
                                  .decode("utf-8", "replace")),
                     st.sampled_from(["1", "-91", "nan", "inf", "1e400", "many", "", "city",
                                      "town", "UKR", "a|b", '"', "\x00"]))
PLACE_ROW = st.fixed_dictionaries(
    {"name": CSV_CELL, "lat": CSV_CELL, "lon": CSV_CELL},
    optional={"population": CSV_CELL, "feature": CSV_CELL, "aliases": CSV_CELL,
              "country": CSV_CELL})
GEOJSON_FEATURE = st.one_of(JSON_VALUE, st.fixed_dictionaries(
    {"type": st.just("Feature"),
     "geometry": st.one_of(JSON_VALUE, st.fixed_dictionaries(
         {"type": st.just("Point"),
          "coordinates": st.one_of(JSON_VALUE, st.lists(st.one_of(st.floats(), JSON_VALUE),
                                                         max_size=3))})),
     "properties": st.one_of(JSON_VALUE, st.fixed_dictionaries(
         {"name": JSON_VALUE}, optional={"aliases": JSON_VALUE, "population": JSON_VALUE,
                                         "feature": JSON_VALUE, "id": JSON_VALUE}))}))
GEOJSON = st.one_of(
    st.lists(GEOJSON_FEATURE, max_size=3).map(
        lambda fs: json.dumps({"type": "FeatureCollection", "features": fs})),
    JSON_VALUE.map(json.dumps), st.text(ANY_CHAR, max_size=60).map(
        lambda s: s.encode("utf-8", "surrogatepass").decode("utf-8", "replace")),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n))


def _csv(rows: list[dict]) -> str:
    cols = ["name", "lat", "lon", "population", "feature", "aliases", "country"]
    quote = lambda v: '"' + v.replace('"', '""') + '"'  # noqa: E731
    return "\n".join([",".join(cols)] + [",".join(quote(r.get(c, "")) for c in cols)
                                         for r in rows])


_ROOT: list[Path] = []  # the module's scratch root; every example's files go under it


@pytest.fixture(scope="module", autouse=True)
def _scratch_root():
    """One folder for the module's thousands of example files, removed at the end.

    Hypothesis runs many examples inside one test call, so pytest's per-test
    ``tmp_path`` would be shared by all of them; a folder per example under
    one root keeps them apart without leaving them in the system temp dir.
    """
    root = Path(tempfile.mkdtemp(prefix="geokit-prop-"))
    _ROOT.append(root)
    yield root
    _ROOT.remove(root)
    shutil.rmtree(root, ignore_errors=True)


def _scratch(name: str, content: str | bytes) -> Path:
    folder = Path(tempfile.mkdtemp(dir=_ROOT[-1]))
    path = folder / name
    if isinstance(content, str):
        content = content.encode("utf-8", "surrogatepass")
    path.write_bytes(content)
    return path


def _library(call, *args, **kwargs):
    """Run a library call; only GeokitError may escape (a UnicodeWarning is fine)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnicodeWarning)
        try:
            return call(*args, **kwargs)
        except GeokitError:
            return None


def _cli(args: list[str], *, stdin: str | None = None) -> None:
    """Invoke a command; assert a documented exit code and one-line messages."""
    result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=True)
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code, result.output,
                                              result.exception)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output, (args, result.output)


# --------------------------------------------------------------------------- library


@pytest.mark.usefixtures("gazetteer")
@given(name=st.one_of(ANY_TEXT, JSON_VALUE), context=st.lists(ANY_TEXT, max_size=3),
       country=st.one_of(st.none(), ANY_TEXT, st.sampled_from(["UA", "UKR", "Ukraine", "xx"])),
       limit=st.one_of(st.integers(-3, 200), JSON_VALUE))
def test_resolve_raises_only_documented_errors(name, context, country, limit):
    _library(geokit.resolve, name, context=context, country=country, limit=limit)


@pytest.mark.usefixtures("gazetteer")
@given(text=st.one_of(NEWS_TEXT, JSON_VALUE), date=DATES,
       min_score=st.one_of(st.floats(), JSON_VALUE),
       spans=st.one_of(st.none(), st.lists(st.tuples(st.integers(-3, 90), st.integers(-3, 90)),
                                           max_size=3)))
def test_geoparse_raises_only_documented_errors(text, date, min_score, spans):
    doc = _library(geokit.geoparse, text, date=date, min_score=min_score, spans=spans)
    if doc is not None:
        json.dumps(geokit.document_to_dict(doc)).encode("utf-8")  # writable: no surrogates
        geokit.to_geojson(doc)


@pytest.mark.usefixtures("gazetteer")
@given(text=st.one_of(NEWS_TEXT, JSON_VALUE), date=DATES, doc_id=st.one_of(ANY_TEXT, JSON_VALUE))
def test_extract_raises_only_documented_errors(text, date, doc_id):
    doc = _library(geokit.extract, text, id=doc_id, date=date)
    if doc is not None:
        geokit.to_geojson(doc)


TRIGGER = st.one_of(st.tuples(st.integers(-3, 90), st.integers(-3, 90)), JSON_VALUE)


@pytest.mark.usefixtures("gazetteer")
@given(text=st.one_of(NEWS_TEXT, JSON_VALUE), trigger=TRIGGER)
@_ci_cap(80)
def test_locate_event_raises_only_documented_errors(text, trigger):
    top = _library(geokit.locate_event, text, trigger)
    if top is not None:
        assert isinstance(top, geokit.Toponym)
        assert text[top.mention.start:top.mention.end] == top.mention.name


@pytest.mark.usefixtures("gazetteer")
@given(items=st.lists(st.one_of(st.tuples(NEWS_TEXT, TRIGGER), JSON_VALUE), max_size=4),
       batch_size=st.integers(1, 3))
@_ci_cap(60)
def test_locate_events_answers_every_item(items, batch_size):
    # every item has one result, a place, none or a documented error, whatever the others are
    out = list(geokit.locate_events(items, on_error="return", batch_size=batch_size))
    assert len(out) == len(items)
    assert all(r is None or isinstance(r, geokit.Toponym | GeokitError) for r in out), out


@given(items=st.lists(st.one_of(NEWS_TEXT, RECORD, JSON_VALUE, st.binary(max_size=40)),
                      max_size=5))
def test_iter_records_yields_encodable_records(items):
    from geokit.io._readers import Record, iter_records

    for item in _library(lambda: list(iter_records(items))) or ():
        if isinstance(item, Record):
            # Every string that entered is now encodable: writers cannot fail on it.
            json.dumps(item.to_dict(), ensure_ascii=False, default=str).encode("utf-8")


@given(content=JSONL)
def test_iter_records_from_a_jsonl_file(content):
    from geokit.io._readers import iter_records

    path = _scratch("in.jsonl", content)
    _library(lambda: [i.to_dict() for i in iter_records(path)])


@given(kind=st.sampled_from(["csv", "geojson"]), rows=st.lists(PLACE_ROW, max_size=3),
       geojson=GEOJSON)
def test_read_user_places_raises_only_input_error(kind, rows, geojson):
    from geokit.gazetteer._user_places import read_user_places

    path = _scratch(f"p.{kind}", _csv(rows) if kind == "csv" else geojson)
    for entry in _library(read_user_places, path) or ():
        # What validation lets through is what the index build can store.
        json.dumps(entry, ensure_ascii=False).encode("utf-8")
        assert all(isinstance(a, str) for a in entry["aliases"])
        assert isinstance(entry["population"], int) and entry["population"] >= 0


@given(content=st.one_of(JSONL, JSON_VALUE.map(json.dumps)))
def test_read_extract_raises_only_documented_errors(content):
    from geokit.io import read_extract

    _library(read_extract, _scratch("x.json", content))


@given(layers=st.one_of(st.lists(st.one_of(ANY_TEXT, st.sampled_from(
           ["places", "deployments", "alliances", "blocs", "timeline"])), max_size=3),
           JSON_VALUE),
       tiles=st.one_of(st.none(), ANY_TEXT, JSON_VALUE), title=st.one_of(st.none(), ANY_TEXT),
       cluster=st.one_of(st.booleans(), ANY_TEXT, JSON_VALUE))
@_ci_cap(60)
def test_build_map_raises_only_documented_errors(layers, tiles, title, cluster):
    from geokit.maps import build_map
    from geokit.models import Document

    _library(build_map, [Document(id="d", text="")], layers=layers, tiles=tiles, title=title,
             cluster=cluster)


# --------------------------------------------------------------------------- CLI


@pytest.mark.usefixtures("gazetteer")
@given(names=st.lists(ANY_TEXT, max_size=3), context=ANY_TEXT,
       fmt=st.sampled_from(["json", "csv", "table", "geojson"]))
def test_cli_resolve(names, context, fmt):
    _cli(["resolve", *names, "--context", context, "--format", fmt])


@pytest.mark.usefixtures("gazetteer")
@given(content=st.one_of(JSONL, NEWS_TEXT), suffix=st.sampled_from([".jsonl", ".txt", ".csv"]),
       gold=st.booleans(), fmt=st.sampled_from(["jsonl", "geojson", "csv"]))
def test_cli_geoparse(content, suffix, gold, fmt):
    path = _scratch(f"in{suffix}", content)
    _cli(["geoparse", str(path), "--format", fmt, *(["--gold-spans"] if gold else []),
          "-o", str(path.with_name("out"))])


@pytest.mark.usefixtures("gazetteer")
@given(content=st.one_of(JSONL, NEWS_TEXT), date=st.one_of(st.none(), ANY_TEXT, DATES))
@_ci_cap(80)
def test_cli_extract(content, date):
    path = _scratch("in.jsonl", content)
    _cli(["extract", str(path), *(["--date", date] if date else []),
          "-o", str(path.with_name("out.json"))])


@pytest.mark.usefixtures("gazetteer")
@given(content=st.one_of(JSONL, GEOJSON, NEWS_TEXT), suffix=st.sampled_from([".json", ".jsonl",
                                                                             ".txt"]),
       output=st.sampled_from(["m.html", "", "sub/m.html", "in", "."]))
@_ci_cap(60)
def test_cli_map(content, suffix, output):
    path = _scratch(f"in{suffix}", content)
    out = path.parent / output if output else path.parent
    _cli(["map", str(path), "-q", "-o", str(out if output != "in" else path)])


@pytest.mark.usefixtures("gazetteer")
@given(records=st.lists(st.fixed_dictionaries(
           {}, optional={"id": JSON_VALUE, "text": st.one_of(NEWS_TEXT, JSON_VALUE),
                         "trigger": st.one_of(TRIGGER, ANY_TEXT)}), max_size=4),
       junk=st.lists(ANY_TEXT, max_size=2), fmt=st.sampled_from(["jsonl", "csv", "geojson"]))
@_ci_cap(60)
def test_cli_locate_event_input(records, junk, fmt):
    lines = [_record(r) for r in records] + [j.encode("utf-8", "surrogatepass").decode(
        "utf-8", "replace").replace("\n", " ") for j in junk]
    path = _scratch("in.jsonl", "\n".join(lines))
    out = path.with_name(f"out.{fmt}")
    _cli(["locate-event", "--input", str(path), "-o", str(out), "-q"])
    if out.exists():
        text = out.read_text("utf-8")
        rows = (json.loads(text)["features"] if fmt == "geojson"
                else text.splitlines()[1:] if fmt == "csv" else text.splitlines())
        # every record is a row: an answer or an error (blank lines are no records)
        if fmt != "csv":
            assert len(rows) == sum(bool(x.encode("utf-8").strip()) for x in lines), (
                lines, rows)


@pytest.mark.usefixtures("gazetteer")
@given(content=JSONL, gold=st.booleans())
def test_cli_eval(content, gold):
    path = _scratch("gold.jsonl", content)
    _cli(["eval", str(path), *(["--gold-spans"] if gold else []), "--format", "json",
          "--ner", "off"])


@given(kind=st.sampled_from(["csv", "geojson"]), rows=st.lists(PLACE_ROW, max_size=3),
       geojson=GEOJSON)
def test_cli_gazetteer_add_never_keeps_a_file_the_build_cannot_read(kind, rows, geojson,
                                                                     monkeypatch_module):
    from geokit.gazetteer._user_places import read_user_places

    cache, built = monkeypatch_module
    path = _scratch(f"p.{kind}", _csv(rows) if kind == "csv" else geojson)
    _cli(["gazetteer", "add", str(path)])
    for kept in (cache / "user-places").glob("*"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnicodeWarning)
            read_user_places(kept)  # the cache is never poisoned: this must not raise


@pytest.fixture(scope="module")
def monkeypatch_module():
    """A private cache and a build that only reads the user files (the real one takes ~1 min)."""
    from geokit.gazetteer._build import _load_user, _Sources
    from geokit.gazetteer._index import Gazetteer, user_places_dir

    mp = pytest.MonkeyPatch()
    cache = Path(tempfile.mkdtemp(prefix="geokit-prop-cache-"))
    mp.setenv("GEOKIT_CACHE_DIR", str(cache))
    built: list[int] = []

    def fake_build(path=None, *, progress=None):
        built.append(len(list(_load_user(_Sources(), user_places_dir()))))
        return {}

    mp.setattr(Gazetteer, "build", staticmethod(fake_build))
    yield cache, built
    mp.undo()
    shutil.rmtree(cache, ignore_errors=True)
