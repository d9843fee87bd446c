"""Tests for ``geokit batch`` (geokit.batch._run, geokit.cli._batch).

Two kinds of run: the real pipeline (geokit.extract or geokit.geoparse) on
GeoVirus articles, for the end-to-end claims (broken corpus, SIGKILL and
resume, engine parity); and ``light_process`` (exact gazetteer look-ups of
capitalised words) where the point is the bookkeeping.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from batch_helpers import (
    FAIL_MARK,
    GEOVIRUS,
    ROOT,
    dev_records,
    light_process,
    slow_process,
    write_broken_corpus,
)
from click.testing import CliRunner

import geokit
from geokit import BatchSummary, run_batch
from geokit.batch._run import STATE_DIR, process_name
from geokit.cli import main
from geokit.errors import ConfigurationError, GeokitError, InputError

needs_corpus = pytest.mark.skipif(
    not GEOVIRUS.exists(), reason=f"the dev texts are not at {GEOVIRUS} (kept outside the repo)")
needs_pipeline = pytest.mark.skipif(
    not (hasattr(geokit, "extract") or hasattr(geokit, "geoparse")),
    reason="neither geokit.extract nor geokit.geoparse is in this tree yet")

LIGHT = f"{light_process.__module__}:light_process"
SLOW = f"{slow_process.__module__}:slow_process"


def _env() -> dict[str, str]:
    # Subprocesses (and the workers they spawn) import this tree and batch_helpers.
    paths = [str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]
    return os.environ | {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def _geokit(*args: str, **kwargs) -> subprocess.Popen:
    command = [sys.executable, "-c", "from geokit.cli import main; main()", *args]
    return subprocess.Popen(command, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def _table(path: Path) -> list[dict]:
    import geopandas as gpd

    gdf = gpd.read_parquet(path)
    gdf["x"], gdf["y"] = gdf.geometry.x, gdf.geometry.y
    return gdf.drop(columns=gdf.geometry.name).astype(object).where(gdf.notna(), None).to_dict(
        "records")


def outputs(outdir: Path) -> dict[str, list[dict]]:
    """Everything a run wrote except the manifest (which holds timings)."""
    out = {name: _lines(outdir / f"{name}.jsonl") for name in ("documents", "errors")}
    for kind in ("places", "events"):
        single, parts = outdir / f"{kind}.parquet", outdir / kind
        assert single.exists() != parts.exists(), f"{kind}: one file or one folder of parts"
        out[kind] = _table(single if single.exists() else parts)
    return out


def _manifest(outdir: Path) -> dict:
    return json.loads((outdir / "manifest.json").read_text("utf-8"))


def _jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def broken_corpus(tmp_path_factory) -> tuple[Path, dict]:
    """The 229 GeoVirus articles and 12 broken records (5%): every kind of damage."""
    if not GEOVIRUS.exists():
        pytest.skip(f"the dev texts are not at {GEOVIRUS} (kept outside the repo)")
    path = tmp_path_factory.mktemp("corpus") / "news.jsonl"
    return path, write_broken_corpus(path, dev_records())


@pytest.fixture(scope="module")
def reference_run(broken_corpus, tmp_path_factory) -> tuple[Path, BatchSummary]:
    """An uninterrupted run of the real pipeline on the broken corpus (local engine)."""
    if not (hasattr(geokit, "extract") or hasattr(geokit, "geoparse")):
        pytest.skip("neither geokit.extract nor geokit.geoparse is in this tree yet")
    out = tmp_path_factory.mktemp("reference")
    return out, run_batch(broken_corpus[0], out, workers=2, chunk_size=8, quiet=True)


@pytest.fixture(scope="module")
def light_corpus(tmp_path_factory) -> Path:
    """60 articles (a handful of texts repeated when the dev set is absent) and 3 bad lines."""
    if GEOVIRUS.exists():
        good = dev_records(60)
    else:
        texts = ["Troops moved from Moscow to Donetsk.", "Talks in Paris and Berlin.",
                 "Floods hit Dhaka.", "Pyongyang and Tehran signed a deal."]
        good = [{"id": f"doc-{i}", "text": texts[i % 4]} for i in range(60)]
    good[17]["text"] += f" {FAIL_MARK}"
    path = tmp_path_factory.mktemp("light") / "light.jsonl"
    rows = [json.dumps(r) for r in good]
    rows.insert(5, "{broken")
    rows.insert(30, json.dumps({"id": good[3]["id"], "text": "same id again"}))
    rows.insert(50, json.dumps({"id": "x"}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def light_reference(light_corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("light-ref")
    run_batch(light_corpus, out, workers=2, chunk_size=7, process=light_process, quiet=True)
    return out


# --------------------------------------------------------------------------- real pipeline


@needs_corpus
@needs_pipeline
def test_broken_corpus_every_record_accounted(broken_corpus, reference_run):
    corpus, info = broken_corpus
    out, summary = reference_run
    good_ids, broken = info["good_ids"], info["broken"]
    assert len(broken) / (len(broken) + len(good_ids)) == pytest.approx(0.05, abs=0.005)

    assert summary.complete and summary.accounted
    assert (summary.records, summary.documents, summary.errors) == (
        len(good_ids) + len(broken), len(good_ids), len(broken))
    docs, errors = _lines(out / "documents.jsonl"), _lines(out / "errors.jsonl")
    # Every good id exactly once, in input order; every broken line exactly once.
    assert [d["id"] for d in docs] == good_ids
    assert [(e["origin"], e["id"], e["kind"]) for e in errors] == [
        (f"{corpus}:{line}", rid, kind) for line, rid, kind in broken]
    for e in errors:
        assert e["message"] and e["error"]
    by_kind = {e["kind"]: e["message"] for e in errors}
    assert "not valid JSON" in by_kind["invalid_json"]
    assert "'text'" in by_kind["missing_text"]
    assert "NUL byte" in by_kind["binary"]
    assert "more than" in by_kind["too_large"]
    assert "duplicate id" in by_kind["duplicate_id"]

    # The real pipeline found places, and the tables join to the documents.
    tables = outputs(out)
    assert summary.places == len(tables["places"]) > len(good_ids)
    assert {r["doc_id"] for r in tables["places"]} <= set(good_ids)
    per_doc = {d["id"]: d["places"] for d in docs}
    for doc_id, n in per_doc.items():
        assert n == sum(1 for r in tables["places"] if r["doc_id"] == doc_id)
    for r in tables["places"]:
        assert -90 <= r["lat"] <= 90 and -180 <= r["lon"] <= 180
        assert (r["x"], r["y"]) == (r["lon"], r["lat"])

    manifest = _manifest(out)
    assert manifest["complete"] and manifest["accounted"]
    assert manifest["counts"] == {"records": summary.records, "documents": summary.documents,
                                  "errors": summary.errors, "places": summary.places,
                                  "events": summary.events}
    assert manifest["errors_by_kind"] == dict(Counter(kind for _, _, kind in broken))
    assert set(manifest["errors_by_kind"]) == {"binary", "duplicate_id", "invalid_json",
                                               "missing_text", "too_large"}
    assert manifest["process"] == "geokit.batch._run:default_process"
    assert manifest["geokit"] == geokit.__version__
    assert set(manifest["timings"]) >= {"seconds", "startup_seconds", "process_seconds"}
    assert len(manifest["worker_rss_mb"]) == 2
    assert not (out / STATE_DIR).exists()


@needs_corpus
@needs_pipeline
@pytest.mark.slow
def test_sigkill_mid_run_then_resume_equals_uninterrupted_run(broken_corpus, reference_run,
                                                              tmp_path):
    import psutil

    corpus, _ = broken_corpus
    ref_out, ref = reference_run
    out = tmp_path / "out"
    chunks = out / STATE_DIR / "chunks"
    proc = _geokit("batch", str(corpus), "-o", str(out), "--workers", "2", "--chunk-size", "2")
    workers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 300  # a hung run fails here instead of hanging the suite
        while len(list(chunks.glob("*.done.json"))) < 3:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "no chunk finished"
            workers = psutil.Process(proc.pid).children(recursive=True) or workers
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done_at_kill = len(list(chunks.glob("*.done.json")))
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    # Nothing that looks finished: no final outputs, the manifest says running.
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "documents.jsonl").exists() and not (out / "places.parquet").exists()
    assert _manifest(out)["complete"] is False
    total = -(-ref.records // 2)
    assert done_at_kill < total, "the run finished before it was killed"
    # Workers do not outlive the killed client.
    _, alive = psutil.wait_procs(workers, timeout=30)
    for p in alive:
        p.kill()
    assert not alive, f"orphaned workers: {alive}"

    resumed = _geokit("batch", str(corpus), "-o", str(out), "--workers", "2", "--resume")
    stdout, stderr = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, stderr
    assert "chunks were already done" in stdout
    assert f"{ref.records} records = {ref.documents} documents + {ref.errors} errors (ok)" in stdout
    manifest = _manifest(out)
    assert manifest["complete"] and manifest["chunk_size"] == 2
    assert manifest["resumed_chunks"] >= done_at_kill
    assert 0 < manifest["processed"] < ref.records
    assert outputs(out) == outputs(ref_out)


@needs_corpus
@needs_pipeline
@pytest.mark.slow
def test_dask_engine_gives_the_same_outputs_as_the_local_pool(broken_corpus, reference_run,
                                                              tmp_path):
    corpus, _ = broken_corpus
    ref_out, ref = reference_run
    summary = run_batch(corpus, tmp_path, engine="dask", workers=2, chunk_size=16, quiet=True)
    assert summary.engine == "dask" and summary.workers == 2
    assert (summary.records, summary.documents, summary.places, summary.events) == (
        ref.records, ref.documents, ref.places, ref.events)
    assert outputs(tmp_path) == outputs(ref_out)


# --------------------------------------------------------------------------- bookkeeping


@pytest.mark.parametrize("chunk_size", [1, 7, 64, 1000])
def test_outputs_do_not_depend_on_chunk_size_or_workers(light_corpus, light_reference,
                                                        tmp_path, chunk_size):
    summary = run_batch(light_corpus, tmp_path, workers=1 if chunk_size == 1 else 2,
                        chunk_size=chunk_size, process=light_process, quiet=True)
    assert summary.chunks == -(-summary.records // chunk_size)
    assert outputs(tmp_path) == outputs(light_reference)


def test_light_corpus_accounting(light_corpus, light_reference):
    docs, errors = _lines(light_reference / "documents.jsonl"), _lines(
        light_reference / "errors.jsonl")
    manifest = _manifest(light_reference)
    assert manifest["counts"]["records"] == 63 == len(docs) + len(errors)
    assert [e["kind"] for e in errors] == [
        "invalid_json", "processing_failed", "duplicate_id", "missing_text"]
    failed = errors[1]
    assert failed["error"] == "RuntimeError"
    assert failed["message"] == f"deliberate failure in {failed['id']}"
    assert failed["origin"] == f"{light_corpus}:19"
    dup = errors[2]
    assert sum(1 for d in docs if d["id"] == dup["id"]) == 1
    assert len({d["id"] for d in docs}) == len(docs) == 59
    assert manifest["process"] == process_name(light_process)


def test_engines_agree_on_the_light_process(light_corpus, light_reference, tmp_path):
    summary = run_batch(light_corpus, tmp_path, engine="dask", workers=2, chunk_size=9,
                        process=light_process, quiet=True)
    assert summary.engine == "dask"
    assert outputs(tmp_path) == outputs(light_reference)


def test_dask_engine_uses_an_existing_scheduler(light_corpus, light_reference, tmp_path):
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        summary = run_batch(light_corpus, tmp_path, engine="dask", scheduler=address,
                            process=light_process, chunk_size=16, quiet=True)
        # The cluster outlives the run: the engine only disconnected from it.
        with Client(address) as client:
            assert len(client.scheduler_info()["workers"]) == 1
    assert summary.workers == 1
    assert _manifest(tmp_path)["scheduler"] == address
    assert outputs(tmp_path) == outputs(light_reference)


def test_large_tables_are_written_as_parts(light_corpus, light_reference, tmp_path):
    summary = run_batch(light_corpus, tmp_path, workers=2, chunk_size=5, part_rows=100,
                        process=light_process, quiet=True)
    import pyarrow.parquet as pq

    parts = sorted((tmp_path / "places").glob("part-*.parquet"))
    sizes = [pq.ParquetFile(p).metadata.num_rows for p in parts]
    # Parts of whole chunks, each at least part_rows rows but the last.
    assert len(parts) >= 2 and sum(sizes) == summary.places
    assert all(n >= 100 for n in sizes[:-1]) and sizes[-1] > 0
    assert _manifest(tmp_path)["outputs"]["places"] == "places/"
    assert outputs(tmp_path) == outputs(light_reference)
    # A later run with small tables replaces the parts by one file.
    run_batch(light_corpus, tmp_path, workers=1, process=light_process, quiet=True)
    assert not (tmp_path / "places").exists() and (tmp_path / "places.parquet").exists()


def test_on_error_raise_stops_at_the_first_bad_record(light_corpus, tmp_path):
    with pytest.raises(InputError, match=r"light\.jsonl:6: invalid_json: not valid JSON"):
        run_batch(light_corpus, tmp_path, workers=1, chunk_size=100, on_error="raise",
                  process=light_process, quiet=True)
    manifest = _manifest(tmp_path)
    assert manifest["status"] == "failed" and not manifest["complete"]
    assert "invalid_json" in manifest["error"]
    assert not (tmp_path / "documents.jsonl").exists()


def test_a_processing_failure_raises_with_on_error_raise(tmp_path):
    records = [{"id": "a", "text": "Paris."}, {"id": "b", "text": f"Oslo. {FAIL_MARK}"}]
    with pytest.raises(InputError, match=r"<input>:2 \(id b\): processing_failed: deliberate"):
        run_batch(records, tmp_path, workers=1, on_error="raise", process=light_process,
                  quiet=True)


def test_a_dead_worker_keeps_finished_chunks_for_resume(tmp_path):
    flag = tmp_path / "die-once"
    flag.touch()
    records = [{"id": f"d{i}", "text": "Troops left Moscow for Donetsk."} for i in range(40)]
    records[25]["text"] = f"DIE {flag}"
    out = tmp_path / "out"
    with pytest.raises(GeokitError, match="a worker process died.*--resume"):
        run_batch(records, out, workers=1, chunk_size=5, window=1,
                  process=_die_once_process, quiet=True)
    assert 0 < len(list((out / STATE_DIR / "chunks").glob("*.done.json"))) < 8
    assert _manifest(out)["status"] == "failed"
    summary = run_batch(records, out, workers=1, resume=True, process=_die_once_process,
                        quiet=True)
    assert summary.resumed_chunks == 5 and summary.processed == 15
    docs = _lines(out / "documents.jsonl")
    assert [d["id"] for d in docs] == [f"d{i}" for i in range(40)]


def test_dask_reruns_the_chunk_of_a_dead_worker(tmp_path):
    flag = tmp_path / "die-once"
    flag.touch()
    records = [{"id": f"d{i}", "text": "Troops left Moscow for Donetsk."} for i in range(12)]
    records[7]["text"] = f"DIE {flag}"
    summary = run_batch(records, tmp_path / "out", engine="dask", workers=1, chunk_size=4,
                        process=_die_once_process, quiet=True)
    assert not flag.exists()  # a worker did die
    assert summary.complete and summary.documents == 12
    docs = _lines(tmp_path / "out" / "documents.jsonl")
    assert [d["id"] for d in docs] == [f"d{i}" for i in range(12)]


def _die_once_process(record):
    """``light_process``, except that the record ``DIE <flag file>`` kills its worker once."""
    if record.text.startswith("DIE "):
        flag = Path(record.text[4:])
        if flag.exists():
            flag.unlink()
            os._exit(3)
    return light_process(record)


def test_resume_on_a_finished_run_does_nothing(light_corpus, tmp_path):
    first = run_batch(light_corpus, tmp_path, workers=1, process=light_process, quiet=True)
    before = (tmp_path / "documents.jsonl").stat().st_mtime_ns
    again = run_batch(light_corpus, tmp_path, resume=True, process=light_process, quiet=True)
    assert again.processed == 0 and again.records == first.records
    assert (tmp_path / "documents.jsonl").stat().st_mtime_ns == before


def test_resume_refuses_another_input_or_a_changed_one(light_corpus, tmp_path):
    out = tmp_path / "out"
    other = _jsonl(tmp_path / "other.jsonl", [{"id": "a", "text": "Paris."}])
    run_batch(light_corpus, out, workers=1, process=light_process, quiet=True)
    with pytest.raises(ConfigurationError, match="holds a run of"):
        run_batch(other, out, resume=True, process=light_process, quiet=True)
    # An interrupted run whose input then changed.
    state = out / STATE_DIR
    run_batch(other, out, workers=1, process=light_process, quiet=True)
    state.mkdir()
    (state / "chunks").mkdir()
    (state / "state.json").write_text(json.dumps({
        "input": str(other), "process": process_name(light_process), "chunk_size": 64,
        "max_chars": 100}))
    (state / "chunks" / "000000.done.json").write_text(json.dumps({
        "chunk": 0, "records": 1, "digest": "not-this-input"}))
    with pytest.raises(ConfigurationError, match="the input changed"):
        run_batch(other, out, resume=True, process=light_process, quiet=True)
    with pytest.raises(ConfigurationError, match="resume with the same process"):
        run_batch(other, out, resume=True, process=slow_process, quiet=True)


def test_a_fresh_run_clears_stale_outputs(tmp_path):
    # An earlier run wrote parts; this one writes single files and removes them.
    run_batch([{"id": "a", "text": "Paris."}], tmp_path, workers=1, process=light_process,
              quiet=True, part_rows=0)
    assert (tmp_path / "places" / "part-00000.parquet").exists()
    (tmp_path / "errors.jsonl").write_text("stale\n")
    run_batch([{"id": "a", "text": "Paris."}], tmp_path, workers=1, process=light_process,
              quiet=True)
    assert not (tmp_path / "places").exists()
    assert (tmp_path / "errors.jsonl").read_text() == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".geokit-batch.lock", "documents.jsonl", "errors.jsonl", "events.parquet",
        "manifest.json", "places.parquet"]


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("plant", [
    {"places/mine.geojson": b"{}", "places/part-00000.parquet": b"x"},  # a file batch never writes
    {"events/notes.txt": b"keep"},
    {"documents.jsonl": b"my own\n"},  # outputs' names, but no batch manifest beside them
])
def test_a_run_never_deletes_what_it_did_not_write(tmp_path, plant):
    for name, data in plant.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    if "documents.jsonl" not in plant:  # a finished run's manifest does not make them its own
        run_batch([{"id": "a", "text": "Paris."}], tmp_path / "x", workers=1,
                  process=light_process, quiet=True)
        os.replace(tmp_path / "x" / "manifest.json", tmp_path / "manifest.json")
    before = _snapshot(tmp_path)
    with pytest.raises(ConfigurationError, match="move it away or choose another output folder"):
        run_batch([{"id": "a", "text": "Paris."}], tmp_path, workers=1, process=light_process,
                  quiet=True)
    after = {k: v for k, v in _snapshot(tmp_path).items() if k != ".geokit-batch.lock"}
    assert after == before


def test_two_runs_into_one_folder_the_second_fails_at_once(light_corpus, tmp_path):
    out = tmp_path / "out"
    first = _geokit("batch", str(light_corpus), "-o", str(out), "--workers", "1",
                    "--process", SLOW)
    try:
        deadline = time.monotonic() + 120
        while not (out / STATE_DIR / "state.json").exists():
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first run did not start"
            time.sleep(0.05)
        before = _snapshot(out)
        t = time.monotonic()
        with pytest.raises(ConfigurationError, match=f"{out} is in use by another geokit batch "
                           f"\\(pid {first.pid}"):
            run_batch(light_corpus, out, workers=1, process=light_process, quiet=True)
        assert time.monotonic() - t < 5  # at once, not after waiting for the lock
        # Nothing of the first run's was touched: its files are as they were
        # (the first run may have added chunks and filled its index of seen
        # ids meanwhile: it creates that index right after its state file).
        after = _snapshot(out)

        def its_own(k: str) -> bool:
            return "chunks" in k or "seen-ids" in k

        assert {k: after[k] for k in before if not its_own(k)} == {
            k: v for k, v in before.items() if not its_own(k)}
        stdout, stderr = first.communicate(timeout=300)
    finally:
        first.kill()
    assert first.returncode == 0, stderr
    manifest = _manifest(out)
    assert manifest["status"] == "complete" and manifest["accounted"]
    assert manifest["counts"]["records"] == len(_lines(out / "documents.jsonl")) + len(
        _lines(out / "errors.jsonl"))
    # Once the first run is over, the folder is free again.
    again = run_batch(light_corpus, out, resume=True, process=light_process, quiet=True)
    assert again.complete and again.processed == 0


def test_a_killed_run_leaves_no_stale_lock(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
        "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)"),
        str(out / ".geokit-batch.lock")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(ConfigurationError, match="in use by another geokit batch"):
            run_batch([{"id": "a", "text": "Paris."}], out, workers=1, process=light_process,
                      quiet=True)
        assert sorted(p.name for p in out.iterdir()) == [".geokit-batch.lock"]
    finally:
        holder.kill()
        holder.wait()
    summary = run_batch([{"id": "a", "text": "Paris."}], out, workers=1,
                        process=light_process, quiet=True)
    assert summary.complete and summary.documents == 1


def test_empty_input(tmp_path):
    src = tmp_path / "empty.jsonl"
    src.write_text("")
    summary = run_batch(src, tmp_path / "out", workers=1, process=light_process, quiet=True)
    assert (summary.records, summary.chunks, summary.complete) == (0, 0, True)
    assert outputs(tmp_path / "out") == {"documents": [], "errors": [], "places": [],
                                         "events": []}


@pytest.mark.parametrize("kwargs, message", [
    ({"engine": "spark"}, "unknown engine 'spark'; valid: local, dask"),
    ({"on_error": "warn"}, "unknown on_error policy 'warn'; valid: skip, raise"),
    ({"chunk_size": 0}, "chunk size must be at least 1"),
    ({"workers": 0}, "workers must be at least 1"),
    ({"scheduler": "tcp://127.0.0.1:1"}, "a scheduler address needs the dask engine"),
    ({"engine": "dask", "scheduler": "tcp://127.0.0.1:1", "workers": 2},
     "with a scheduler the cluster's own workers are used"),
])
def test_bad_options(tmp_path, kwargs, message):
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")):
        run_batch(["x"], tmp_path, **kwargs)


def test_a_missing_input_fails_before_any_worker_starts(tmp_path):
    with pytest.raises(InputError, match="nope.jsonl: no such file"):
        run_batch(tmp_path / "nope.jsonl", tmp_path / "out", process=light_process)


# --------------------------------------------------------------------------- inputs


def test_directory_of_text_files(tmp_path):
    src = tmp_path / "news"
    src.mkdir()
    (src / "b.txt").write_text("Shelling near Donetsk and Luhansk.")
    (src / "a.txt").write_text("Talks in Geneva.")
    (src / "c.txt").write_bytes(b"\x00\x01binary")
    (src / "notes.md").write_text("not read")
    run_batch(src, tmp_path / "out", workers=1, process=light_process, quiet=True)
    docs, errors = (_lines(tmp_path / "out" / f"{n}.jsonl") for n in ("documents", "errors"))
    assert [(d["id"], d["top_countries"]) for d in docs] == [("a", ["CHE"]), ("b", ["UKR"])]
    assert [(e["id"], e["origin"], e["kind"]) for e in errors] == [
        ("c", str(src / "c.txt"), "binary")]


def test_csv_with_url_and_title(tmp_path):
    src = tmp_path / "news.csv"
    src.write_text('id,text,date,url,title\n1,"Talks in Geneva.",2024-06-19,http://x/1,Talks\n'
                   '2,,2024-06-20,,\n3,"Kyiv, then Lviv.",,,\n', encoding="utf-8")
    run_batch(src, tmp_path / "out", workers=1, process=light_process, quiet=True)
    docs = _lines(tmp_path / "out" / "documents.jsonl")
    assert docs[0] | {"top_countries": None} == {
        "id": "1", "origin": f"{src}:2", "date": "2024-06-19", "chars": 16, "toponyms": 1,
        "places": 1, "actors": 0, "events": 0, "relations": 0, "top_countries": None,
        "url": "http://x/1", "title": "Talks"}
    assert [d["id"] for d in docs] == ["1", "2", "3"]  # an empty text is a document
    assert docs[1]["places"] == 0


def test_iterable_of_texts_and_dicts(tmp_path):
    summary = run_batch(["Paris.", {"id": "x", "text": "Oslo."}, 42], tmp_path, workers=1,
                        process=light_process, quiet=True)
    assert (summary.input, summary.documents, summary.errors) == ("<iterable>", 2, 1)
    assert [d["id"] for d in _lines(tmp_path / "documents.jsonl")] == ["<input>:1", "x"]


# --------------------------------------------------------------------------- CLI


def test_cli_prints_the_accounting(light_corpus, light_reference, tmp_path):
    result = CliRunner().invoke(main, [
        "batch", str(light_corpus), "-o", str(tmp_path), "--workers", "2", "--chunk-size",
        "10", "--process", LIGHT])
    assert result.exit_code == 0, result.output
    m = _manifest(tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0] == (f"63 records = 59 documents + 4 errors (ok); {m['counts']['places']} "
                        "places, 0 events")
    assert lines[1].startswith("63 processed in ") and lines[1].endswith(" docs/s")
    assert "on 2 local workers" in lines[1]
    assert lines[2] == f"outputs in {tmp_path} (see manifest.json, errors.jsonl)"
    assert result.stderr == ""  # no progress bar off a terminal
    assert outputs(tmp_path) == outputs(light_reference)


def test_cli_json_summary_and_stdin(tmp_path):
    stdin = "".join(json.dumps({"id": f"s{i}", "text": "Talks in Geneva."}) + "\n"
                    for i in range(3)) + "{oops\n"
    result = CliRunner().invoke(main, [
        "batch", "-", "-o", str(tmp_path), "--workers", "1", "--process", LIGHT,
        "--format", "json"], input=stdin)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["records"], summary["documents"], summary["errors"]) == (4, 3, 1)
    assert summary["accounted"] is True and summary["input"] == "-"
    assert _lines(tmp_path / "errors.jsonl")[0]["origin"] == "<stdin>:4"


@pytest.mark.parametrize("args, message", [
    (["--process", "nodots"], "--process must look like package.module:function"),
    (["--process", "batch_helpers:nothing"], "cannot load --process"),
    (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "own workers are used"),
    (["--resume"], None),
])
def test_cli_errors_exit_2_with_a_message(light_corpus, tmp_path, args, message):
    if message is None:  # --resume on another input's folder
        run_batch([{"id": "a", "text": "Paris."}], tmp_path, workers=1,
                  process=light_process, quiet=True)
        message = "holds a run of '<iterable>'"
        args = [*args, "--process", LIGHT]
    result = CliRunner().invoke(main, ["batch", str(light_corpus), "-o", str(tmp_path), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("geokit: error: ") and message in result.stderr


def test_cli_help_names_every_option():
    result = CliRunner().invoke(main, ["batch", "--help"])
    assert result.exit_code == 0
    for option in ("--outdir", "--engine", "--scheduler", "--workers", "--resume",
                   "--on-error", "--chunk-size", "--max-chars", "--process", "--quiet"):
        assert option in result.output


def test_progress_bar_on_a_terminal(monkeypatch, tmp_path):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    src = _jsonl(tmp_path / "in.jsonl", [{"id": f"{i}", "text": "Paris."} for i in range(9)])
    run_batch(src, tmp_path / "out", workers=1, chunk_size=3, process=light_process)
    shown = err.getvalue()
    assert "geokit batch" in shown and "doc/s" in shown and "9/9" in shown
    err.seek(0)
    err.truncate()
    run_batch(src, tmp_path / "out2", workers=1, process=light_process, quiet=True)
    assert err.getvalue() == ""


def test_local_workers_get_one_blas_thread_each_and_the_client_env_is_restored(monkeypatch):
    from batch_helpers import blas_threads_env, light_process

    from geokit.batch._run import _LocalEngine

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's own choice wins
    eng = _LocalEngine(workers=1, process=light_process)
    try:
        eng.start()
        seen = eng._pool.submit(blas_threads_env).result()
    finally:
        eng.close()
    assert seen == {"OMP_NUM_THREADS": "3", "OPENBLAS_NUM_THREADS": "1"}
    assert "OPENBLAS_NUM_THREADS" not in os.environ


# --------------------------------------------------------------------------- chunks read together


def _chunk_records():
    from geokit.io._readers import Record

    texts = [("a", "Pyongyang said it will send troops to the Donetsk region.", "2024-06-27"),
             ("b", "Talks in Doha.", "2024/06/27"),  # a bad date: this record's error row
             ("c", "", None),
             ("d", "Iran supplied Russia with drones, officials in Kyiv said.", None)]
    return [(seq, Record(id=i, text=t, date=d, meta={"title": i}, origin=f"in:{seq}"))
            for seq, (i, t, d) in enumerate(texts)]


def _by_id(result):
    return {row["id"]: (kind, row) for _, kind, row in result["rows"]}


@needs_pipeline
def test_the_default_chunk_is_extracted_together_with_one_row_per_record(monkeypatch):
    from geokit.batch import _run
    from geokit.batch._run import default_process, run_chunk

    items = _chunk_records()
    together = run_chunk(default_process, items)
    # The same chunk record by record (no `many`): the same rows and tables.
    monkeypatch.setattr(_run, "_results",
                        lambda process, records: [_run._one(process, r) for r in records])
    alone = run_chunk(default_process, items)
    assert [(s, k) for s, k, _ in together["rows"]] == [(0, "ok"), (1, "error"), (2, "ok"),
                                                         (3, "ok")]
    assert together["rows"] == alone["rows"]
    assert (together["places"], together["events"]) == (alone["places"], alone["events"])
    kind, row = _by_id(together)["b"]
    assert row["error"] == "InputError" and "date" in row["message"]


def _many_fails(records):
    raise MemoryError("the whole chunk at once was too much")


def _many_miscounts(records):
    return [light_process(r) for r in records[1:]]


@pytest.mark.parametrize("many", [_many_fails, _many_miscounts])
def test_a_failed_chunk_call_falls_back_to_one_record_at_a_time(monkeypatch, many):
    from geokit.batch._run import run_chunk
    from geokit.io._readers import Record

    def process(record):
        return light_process(record)

    process.many = many
    items = [(seq, Record(id=f"r{seq}", text=t, origin="x"))
             for seq, t in enumerate(["Troops in Paris.", f"{FAIL_MARK} here", "Madrid."])]
    result = run_chunk(process, items)
    assert [(s, k, r["id"]) for s, k, r in result["rows"]] == [
        (0, "ok", "r0"), (1, "error", "r1"), (2, "ok", "r2")]
    assert result["n_places"] == 2
