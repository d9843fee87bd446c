"""Run geokit over a corpus: streaming, parallel, resumable, every record accounted for.

The flow, all in the calling process except step 3::

    1. read     iter_records(source) -> Record | RecordError, in input order (seq 0, 1, ...)
    2. chunk    consecutive windows of ``chunk_size`` items; reader errors and
                duplicate ids become error rows here, deterministically
    3. process  each chunk's records on a worker (process pool or Dask), at most
                ``window`` chunks in flight, so memory stays bounded
    4. stage    each finished chunk is written under ``OUTDIR/.geokit-batch/``
                (atomic files, then a ``done`` marker): the resume checkpoint
    5. finalise when every chunk is done: concatenate in chunk order into
                ``places.parquet``, ``events.parquet``, ``documents.jsonl``,
                ``errors.jsonl``, then ``manifest.json`` with ``complete: true``

Chunks are cut from the input order, not from completion order, and outputs
are assembled in chunk order, so a run, a resumed run and a run on the other
engine all produce the same files.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import resource
import shutil
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._models import Document
from .errors import ConfigurationError, GeokitError, InputError

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ENGINES",
    "PART_ROWS",
    "BatchSummary",
    "default_process",
    "run_batch",
]

#: Engines :func:`run_batch` accepts.
ENGINES = ("local", "dask")
#: Policies for records that fail.
ON_ERROR = ("skip", "raise")
#: Records per chunk: big enough that per-chunk overhead (a task, five small
#: files) is a few percent of the work, small enough that a kill loses little.
DEFAULT_CHUNK_SIZE = 64
#: A places/events table with more rows than this is written as
#: ``places/part-NNNNN.parquet`` parts of about this many rows each, so the
#: final assembly never holds more than one part in memory (~250k rows is
#: ~150 MB as a DataFrame, ~10 MB as Parquet).
PART_ROWS = 250_000

STATE_DIR = ".geokit-batch"
_STATE_FORMAT = 1

Process = Callable[[Any], Document]


@dataclasses.dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch run did.

    Attributes
    ----------
    input : str
        The input as given.
    outdir : str
        Where the outputs are.
    records : int
        Items read from the input (good and bad).
    documents, errors : int
        Rows in ``documents.jsonl`` and ``errors.jsonl``; ``documents + errors == records``.
    places, events : int
        Rows in the places and events tables.
    engine : str
    workers : int
    chunks : int
        Chunks in the run.
    resumed_chunks : int
        Chunks found already done and not processed again.
    seconds : float
        Wall time of this invocation.
    complete : bool
        True when the outputs are final and the accounting holds.
    peak_worker_rss_mb : float or None
        Largest resident set size seen on any worker.
    """

    input: str
    outdir: str
    records: int
    documents: int
    errors: int
    places: int
    events: int
    engine: str
    workers: int
    chunks: int
    resumed_chunks: int
    seconds: float
    complete: bool
    peak_worker_rss_mb: float | None = None

    @property
    def accounted(self) -> bool:
        """True when every input record is a document or an error row."""
        return self.documents + self.errors == self.records

    @property
    def docs_per_second(self) -> float:
        """Records processed per second of this invocation (resumed chunks excluded)."""
        return 0.0 if self.seconds <= 0 else self.processed / self.seconds

    @property
    def processed(self) -> int:
        """Records handled in this invocation (an estimate when chunks were resumed)."""
        if not self.chunks:
            return 0
        return round(self.records * (self.chunks - self.resumed_chunks) / self.chunks)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready fields."""
        d = dataclasses.asdict(self)
        d["accounted"] = self.accounted
        return d


# --------------------------------------------------------------------------- worker side
# Everything from here to the engines runs in worker processes; it is
# top-level so pickle (process pool) and cloudpickle (Dask) ship it by name.


def default_process(record: Any) -> Document:
    """Extract places, actors and events from one record (the default per-record function).

    Parameters
    ----------
    record : geokit._io.Record
        ``id``, ``text``, ``date`` and ``meta`` are used.

    Returns
    -------
    Document
    """
    try:
        from ._extract import extract  # noqa: PLC0415 - spaCy loads with it
    except ImportError:  # the events stage is not in this tree yet: places only
        from ._geoparse import geoparse  # noqa: PLC0415

        doc = geoparse(record.text, id=record.id, date=record.date)
    else:
        doc = extract(record.text, date=record.date, id=record.id)
    return dataclasses.replace(doc, meta=dict(record.meta or {}))


def _warm_default() -> None:
    # One tiny document loads spaCy and opens the gazetteer into the pipeline's
    # own module-level caches, once per worker process, before timing starts.
    from ._io import Record  # noqa: PLC0415

    default_process(Record(id="warmup", text="Talks in Paris.", date=None, meta={},
                           origin="<warmup>"))


default_process.warmup = _warm_default  # type: ignore[attr-defined]

_WARMED: set[str] = set()


def _process_key(process: Process) -> str:
    return f"{getattr(process, '__module__', '')}:{getattr(process, '__qualname__', process)!r}"


def warm_worker(process: Process) -> None:
    """Run ``process.warmup()`` once per worker process (pool initializer, Dask lazy init)."""
    key = _process_key(process)
    if key in _WARMED:
        return
    warm = getattr(process, "warmup", None)
    if callable(warm):
        warm()
    _WARMED.add(key)


def _top_countries(doc: Document, n: int = 3) -> list[str]:
    counts = Counter(t.place.country for t in doc.places if t.place.country)
    # Ties broken by code so the summary never depends on dict order.
    return [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def summarise(doc: Document, record: Any) -> dict[str, Any]:
    """Return the ``documents.jsonl`` row for one processed record."""
    row: dict[str, Any] = {
        "id": record.id, "origin": record.origin, "status": "ok", "date": doc.date,
        "toponyms": len(doc.toponyms), "places": len(doc.places), "actors": len(doc.actors),
        "events": len(doc.events), "relations": len(doc.relations),
        "top_countries": _top_countries(doc),
    }
    meta = record.meta or {}
    for key in ("url", "title"):
        if meta.get(key):
            row[key] = str(meta[key])
    return row


def error_row(id: Any, origin: Any, error: str, kind: str, message: str) -> dict[str, Any]:
    """Return the ``errors.jsonl`` row (the shape of :meth:`geokit._io.RecordError.to_dict`)."""
    return {"id": None if id is None else str(id),
            "origin": None if origin is None else str(origin),
            "error": error, "kind": kind, "message": message}


# Column types for the tables, so every chunk and part has one schema: a chunk
# whose admin1 values are all null would otherwise be written as Arrow "null"
# and clash with the string column of the next part.
_INT_COLUMNS = ("start", "end", "geonameid", "geo_precision")
_FLOAT_COLUMNS = ("score", "lat", "lon", "confidence", "origin_lat", "origin_lon")


def _typed(gdf: Any) -> Any:
    geometry = gdf.geometry.name
    for col in gdf.columns:
        if col == geometry:
            continue
        if col in _INT_COLUMNS:
            gdf[col] = gdf[col].astype("Int64")
        elif col in _FLOAT_COLUMNS:
            gdf[col] = gdf[col].astype("float64")
        elif gdf[col].dtype == object or str(gdf[col].dtype) == "str":
            gdf[col] = gdf[col].astype("string")
    return gdf


def _maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def run_chunk(process: Process, items: list[tuple[int, Any]]) -> dict[str, Any]:
    """Process one chunk of ``(seq, Record)`` on a worker.

    A record whose processing raises becomes an error row; the rest of the
    chunk goes on. Returns compact rows, never the documents (their text can be
    megabytes and the client does not need it).
    """
    from ._export import to_geodataframe  # noqa: PLC0415

    warm_worker(process)
    t0 = time.perf_counter()
    rows: list[tuple[int, str, dict[str, Any]]] = []
    docs: list[Document] = []
    for seq, record in items:
        try:
            doc = process(record)
            if not isinstance(doc, Document):
                raise TypeError(f"process returned {type(doc).__name__}, not Document")
            # Rows are keyed by the record id: a pipeline that renames documents
            # would break the documents <-> places join.
            if doc.id != record.id:
                doc = dataclasses.replace(doc, id=record.id)
            row = summarise(doc, record)
        except Exception as exc:  # noqa: BLE001 - one bad record never spoils the chunk
            rows.append((seq, "error", error_row(record.id, record.origin, type(exc).__name__,
                                                 "processing_failed", _one_line(exc))))
            continue
        rows.append((seq, "ok", row))
        docs.append(doc)
    places = _typed(to_geodataframe(docs, kind="places")) if docs else None
    events = _typed(to_geodataframe(docs, kind="events")) if docs else None
    return {
        "rows": rows,
        "places": places if places is not None and len(places) else None,
        "events": events if events is not None and len(events) else None,
        "seconds": time.perf_counter() - t0,
        "pid": os.getpid(),
        "maxrss_kb": _maxrss_kb(),
    }


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 500 else text[:497] + "..."


# --------------------------------------------------------------------------- engines


class _LocalEngine:
    """A process pool; each worker warms the pipeline once in its initializer."""

    name = "local"

    def __init__(self, *, workers: int, process: Process) -> None:
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        self.workers = workers
        self._process = process
        self._pool = ProcessPoolExecutor(max_workers=workers, initializer=warm_worker,
                                         initargs=(process,))

    def imap_unordered(self, tasks: Iterator[tuple[int, list]], window: int
                       ) -> Iterator[tuple[int, dict[str, Any]]]:
        from concurrent.futures import FIRST_COMPLETED, wait  # noqa: PLC0415
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        pending: dict[Any, int] = {}
        tasks = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                try:
                    key, items = next(tasks)
                except StopIteration:
                    exhausted = True
                    break
                pending[self._pool.submit(run_chunk, self._process, items)] = key
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=pending.__getitem__):
                key = pending.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool as exc:
                    raise GeokitError(
                        f"a worker process died (killed, out of memory or crashed) while "
                        f"processing chunk {key}; finished chunks are kept: run again with "
                        "--resume") from exc
                yield key, result

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _DaskEngine:
    """dask.distributed: a LocalCluster, or an existing cluster at ``scheduler``."""

    name = "dask"

    def __init__(self, *, workers: int | None, process: Process, scheduler: str | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster  # noqa: PLC0415
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            from .errors import DependencyError  # noqa: PLC0415

            raise DependencyError("the dask engine needs dask.distributed: "
                                  "pip install 'dask[distributed]'") from exc
        import logging  # noqa: PLC0415

        self._process = process
        self._cluster = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout="30s")
            except OSError as exc:
                raise ConfigurationError(f"cannot reach the Dask scheduler at {scheduler}: "
                                         f"{exc}") from exc
        else:
            # One single-threaded worker process per core: spaCy holds the GIL,
            # so threads would not add throughput.
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                         processes=True, dashboard_address=None,
                                         silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        self.workers = workers or len(self._client.scheduler_info().get("workers", {})) or 1

    def imap_unordered(self, tasks: Iterator[tuple[int, list]], window: int
                       ) -> Iterator[tuple[int, dict[str, Any]]]:
        from dask.distributed import as_completed  # noqa: PLC0415

        keys: dict[str, int] = {}
        ac = as_completed()
        in_flight = 0
        tasks = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and in_flight < window:
                try:
                    key, items = next(tasks)
                except StopIteration:
                    exhausted = True
                    break
                fut = self._client.submit(run_chunk, self._process, items, pure=False)
                keys[fut.key] = key
                ac.add(fut)
                in_flight += 1
            if not in_flight:
                return
            fut = next(ac)
            in_flight -= 1
            result = fut.result()
            key = keys.pop(fut.key)
            fut.release()
            yield key, result

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _make_engine(engine: str, *, workers: int, process: Process,
                 scheduler: str | None) -> Any:
    if engine == "local":
        if scheduler:
            raise ConfigurationError("--scheduler needs --engine dask")
        return _LocalEngine(workers=workers, process=process)
    return _DaskEngine(workers=None if scheduler and workers is None else workers,
                       process=process, scheduler=scheduler)


# --------------------------------------------------------------------------- client side


class _SeenIds:
    """Ids already read, kept in a scratch SQLite file.

    Memory stays flat however many millions of records stream by; a dict would
    grow by ~100 bytes per id.
    """

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, origin TEXT) WITHOUT ROWID")
        self._path = path

    def claim(self, ids_origins: list[tuple[str, str]]) -> dict[int, str]:
        """Claim ids in order; return {position: first origin} for those already taken."""
        if not ids_origins:
            return {}
        dup: dict[int, str] = {}
        first: dict[str, str] = {}
        self._db.execute("BEGIN")
        for lo in range(0, len(ids_origins), 500):
            batch = ids_origins[lo:lo + 500]
            marks = ",".join("?" * len(batch))
            first.update(self._db.execute(
                f"SELECT id, origin FROM seen WHERE id IN ({marks})",  # noqa: S608
                [i for i, _ in batch]).fetchall())
        new = []
        for pos, (id_, origin) in enumerate(ids_origins):
            if id_ in first:
                dup[pos] = first[id_]
            else:
                first[id_] = origin
                new.append((id_, origin))
        self._db.executemany("INSERT INTO seen VALUES (?, ?)", new)
        self._db.execute("COMMIT")
        return dup

    def close(self) -> None:
        self._db.close()
        self._path.unlink(missing_ok=True)


def _ids_digest(items: list[tuple[int, Any]]) -> str:
    h = hashlib.sha1(usedforsecurity=False)
    for _, item in items:
        h.update(repr((type(item).__name__, getattr(item, "id", None),
                       getattr(item, "origin", None))).encode("utf-8", "replace"))
    return h.hexdigest()


class _Staging:
    """The checkpoint: per-chunk files under ``OUTDIR/.geokit-batch/chunks``.

    A chunk counts as done only once its ``done.json`` marker exists, and the
    marker is written last, so a kill at any moment leaves whole chunks or
    nothing.
    """

    def __init__(self, outdir: Path) -> None:
        self.root = outdir / STATE_DIR
        self.chunks = self.root / "chunks"

    def path(self, k: int, what: str) -> Path:
        return self.chunks / f"{k:06d}.{what}"

    def reset(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.chunks.mkdir(parents=True)

    def clean_partial(self) -> None:
        self.chunks.mkdir(parents=True, exist_ok=True)
        for p in self.chunks.iterdir():
            if p.name.startswith(".") and p.name.endswith(".tmp"):
                p.unlink(missing_ok=True)

    def done(self) -> dict[int, dict[str, Any]]:
        out = {}
        for p in self.chunks.glob("*.done.json"):
            marker = json.loads(p.read_text(encoding="utf-8"))
            out[int(marker["chunk"])] = marker
        return out

    def write(self, k: int, marker: dict[str, Any], rows: list[tuple[int, str, dict]],
              places: Any, events: Any) -> None:
        from ._export import write_geoparquet, write_json, write_jsonl  # noqa: PLC0415

        write_jsonl(self.path(k, "documents.jsonl"), (r for _, s, r in rows if s == "ok"))
        write_jsonl(self.path(k, "errors.jsonl"), (r for _, s, r in rows if s == "error"))
        for what, table in (("places", places), ("events", events)):
            p = self.path(k, f"{what}.parquet")
            if table is not None:
                write_geoparquet(p, table)
            else:
                p.unlink(missing_ok=True)
        write_json(self.path(k, "done.json"), marker, indent=None)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _version() -> str:
    from . import __version__  # noqa: PLC0415

    return __version__


def _chunked(stream: Iterable[Any], size: int) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    chunk: list[tuple[int, Any]] = []
    k = 0
    for seq, item in enumerate(stream):
        chunk.append((seq, item))
        if len(chunk) == size:
            yield k, chunk
            k += 1
            chunk = []
    if chunk:
        yield k, chunk


def _estimate_total(source: Any, box: dict[str, int]) -> None:
    # For the progress bar's ETA only: counts lines of JSONL/CSV files and
    # .txt files of directories; stdin stays unknown.
    try:
        from glob import glob  # noqa: PLC0415

        if not isinstance(source, str | os.PathLike) or str(source) == "-":
            return
        s = str(source)
        paths = [Path(p) for p in sorted(glob(s))] if any(c in s for c in "*?[") else [Path(s)]
        n = 0
        for p in paths:
            if p.is_dir():
                n += sum(1 for _ in p.rglob("*.txt"))
            elif p.suffix.lower() == ".txt":
                n += 1
            elif p.is_file():
                with p.open("rb") as f:
                    lines = sum(1 for line in f if line.strip())
                n += lines - 1 if p.suffix.lower() == ".csv" else lines
        box["total"] = n
    except OSError:
        return


class _Progress:
    """tqdm on stderr when it is a terminal (documents/s and, when countable, ETA)."""

    def __init__(self, source: Any, *, quiet: bool) -> None:
        self.bar = None
        if quiet or not sys.stderr.isatty():
            return
        from tqdm import tqdm  # noqa: PLC0415

        self.bar = tqdm(unit="doc", desc="geokit batch", file=sys.stderr, dynamic_ncols=True,
                        smoothing=0.1)
        self._box: dict[str, int] = {}
        threading.Thread(target=_estimate_total, args=(source, self._box), daemon=True).start()

    def update(self, n: int, *, errors: int = 0) -> None:
        if self.bar is None:
            return
        if self.bar.total is None and "total" in self._box:
            self.bar.total = self._box["total"]
        self.bar.update(n)
        if errors:
            self.bar.set_postfix_str(f"{errors} errors", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _check_choice(name: str, value: str, valid: tuple[str, ...]) -> None:
    if value not in valid:
        raise ConfigurationError(f"unknown {name} {value!r}; valid: {', '.join(valid)}")


def _record_error_fields(item: Any) -> dict[str, Any]:
    return error_row(item.id, item.origin, item.error, item.kind or "unreadable", item.message)


def run_batch(
    source: Any,
    outdir: str | os.PathLike[str],
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    resume: bool = False,
    on_error: str = "skip",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    quiet: bool = False,
    process: Process | None = None,
    part_rows: int = PART_ROWS,
    window: int | None = None,
) -> BatchSummary:
    """Process a corpus into GeoParquet tables, per-document summaries and an error log.

    Parameters
    ----------
    source : str, path or iterable
        What :func:`geokit._io.iter_records` reads: a directory of ``.txt``
        files, a JSONL or CSV file, a glob, or ``"-"`` for stdin.
    outdir : path
        Output folder (created). Holds ``places.parquet``, ``events.parquet``
        (or ``places/part-NNNNN.parquet`` parts when larger than ``part_rows``
        rows), ``documents.jsonl``, ``errors.jsonl`` and ``manifest.json``.
    engine : {"local", "dask"}
        A process pool on this machine, or dask.distributed.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``); with
        ``engine="dask"`` and no scheduler a LocalCluster is started.
    workers : int, optional
        Worker processes; default every core (local), or the cluster's workers.
    resume : bool, default False
        Finish an interrupted run in ``outdir``: chunks already done are not
        processed again. The input must be the same; the chunk size of the
        first run is used.
    on_error : {"skip", "raise"}
        ``skip`` writes bad records to ``errors.jsonl`` and goes on; ``raise``
        stops at the first one with :class:`~geokit.InputError`.
    chunk_size : int
        Records per task and per checkpoint.
    quiet : bool
        No progress bar (there is none anyway when stderr is not a terminal).
    process : callable, optional
        ``Record -> Document``, top-level so it can be pickled; default
        :func:`default_process` (:func:`geokit.extract`). An optional
        ``process.warmup()`` runs once per worker.
    part_rows : int
        Row threshold for splitting tables into parts.
    window : int, optional
        Chunks in flight at once; default twice the workers.

    Returns
    -------
    BatchSummary

    Raises
    ------
    ConfigurationError
        A bad option, or ``resume`` on a folder holding a run of another input.
    InputError
        With ``on_error="raise"``, the first bad record.
    GeokitError
        The accounting does not add up (a bug; the manifest stays incomplete).
    """
    from ._export import write_json  # noqa: PLC0415
    from ._io import RecordError, iter_records  # noqa: PLC0415

    _check_choice("engine", engine, ENGINES)
    _check_choice("on_error policy", on_error, ON_ERROR)
    if chunk_size < 1:
        raise ConfigurationError(f"chunk size must be at least 1, got {chunk_size}")
    if workers is not None and workers < 1:
        raise ConfigurationError(f"workers must be at least 1, got {workers}")
    if scheduler and engine != "dask":
        raise ConfigurationError("a scheduler address needs engine='dask'")
    if workers is None and not (engine == "dask" and scheduler):
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
            os.cpu_count() or 1)
    process = process or default_process
    t_start = time.perf_counter()
    started = _now()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    staging = _Staging(out)
    input_name = str(source) if isinstance(source, str | os.PathLike) else "<iterable>"
    state_path = staging.root / "state.json"
    manifest_path = out / "manifest.json"

    done: dict[int, dict[str, Any]] = {}
    if resume and state_path.exists():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if state.get("input") != input_name:
            raise ConfigurationError(
                f"{out} holds a run of {state.get('input')!r}, not {input_name!r}; "
                "resume with the same input or choose another output folder")
        chunk_size = int(state["chunk_size"])
        started = state.get("started", started)
        staging.clean_partial()
        done = staging.done()
    elif resume and manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("complete") and manifest.get("input") == input_name:
            return _summary_from_manifest(manifest, seconds=time.perf_counter() - t_start)
    if not done:
        staging.reset()
        write_json(state_path, {"format": _STATE_FORMAT, "input": input_name,
                                "chunk_size": chunk_size, "started": started,
                                "geokit": _version()})
    base_manifest = {
        "geokit": _version(), "input": input_name, "outdir": str(out), "engine": engine,
        "scheduler": scheduler, "workers": workers, "chunk_size": chunk_size,
        "on_error": on_error, "started": started,
    }
    # Any earlier complete manifest stops describing this folder now.
    write_json(manifest_path, base_manifest | {"complete": False, "status": "running"})

    seen = _SeenIds(staging.root / "seen-ids.sqlite")
    progress = _Progress(source, quiet=quiet)
    counts = Counter()
    resumed_chunks = 0
    chunk_inputs: dict[int, tuple[list[tuple[int, str, dict]], str, int, int]] = {}
    n_chunks = 0
    peak_rss: dict[int, int] = {}
    busy_seconds = 0.0

    def raise_for(row: dict[str, Any]) -> None:
        where = row["origin"] or "<input>"
        if row["id"] is not None:
            where += f" (id {row['id']})"
        raise InputError(f"{row['error']}: {row['message']}", source=where)

    def tasks() -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        nonlocal n_chunks, resumed_chunks
        for k, items in _chunked(iter_records(source), chunk_size):
            n_chunks = k + 1
            pre: list[tuple[int, str, dict]] = []
            todo: list[tuple[int, Any]] = []
            for seq, item in items:
                if isinstance(item, RecordError):
                    pre.append((seq, "error", _record_error_fields(item)))
                else:
                    todo.append((seq, item))
            dup = seen.claim([(str(r.id), str(r.origin)) for _, r in todo])
            if dup:
                keep = []
                for pos, (seq, r) in enumerate(todo):
                    if pos in dup:
                        pre.append((seq, "error", error_row(
                            r.id, r.origin, "InputError", "duplicate_id",
                            f"duplicate id {r.id!r}, first seen at {dup[pos]}")))
                    else:
                        keep.append((seq, r))
                todo = keep
            digest = _ids_digest(items)
            first_seq = items[0][0]
            if k in done:
                marker = done[k]
                if marker.get("digest") != digest or marker.get("records") != len(items):
                    raise ConfigurationError(
                        f"the input changed since the interrupted run (chunk {k}, records "
                        f"{first_seq}..{first_seq + len(items) - 1} differ); rerun without "
                        "--resume")
                resumed_chunks += 1
                for key in ("records", "documents", "errors", "places", "events"):
                    counts[key] += marker[key]
                progress.update(len(items), errors=counts["errors"])
                continue
            if on_error == "raise" and pre:
                raise_for(min(pre, key=lambda r: r[0])[2])
            chunk_inputs[k] = (pre, digest, first_seq, len(items))
            yield k, todo

    eng = _make_engine(engine, workers=workers, process=process, scheduler=scheduler)
    try:
        for k, result in eng.imap_unordered(tasks(), window or 2 * eng.workers):
            pre, digest, first_seq, n_items = chunk_inputs.pop(k)
            rows = sorted(pre + result["rows"], key=lambda r: r[0])
            if on_error == "raise":
                bad = next((r for r in rows if r[1] == "error"), None)
                if bad is not None:
                    raise_for(bad[2])
            if len(rows) != n_items:
                raise GeokitError(f"chunk {k}: {n_items} records in, {len(rows)} rows out")
            places, events = result["places"], result["events"]
            marker = {
                "chunk": k, "first_seq": first_seq, "records": n_items, "digest": digest,
                "documents": sum(1 for r in rows if r[1] == "ok"),
                "errors": sum(1 for r in rows if r[1] == "error"),
                "places": 0 if places is None else len(places),
                "events": 0 if events is None else len(events),
                "seconds": round(result["seconds"], 4),
            }
            staging.write(k, marker, rows, places, events)
            for key in ("records", "documents", "errors", "places", "events"):
                counts[key] += marker[key]
            busy_seconds += result["seconds"]
            peak_rss[result["pid"]] = max(peak_rss.get(result["pid"], 0), result["maxrss_kb"])
            progress.update(n_items, errors=counts["errors"])
        workers = eng.workers
    finally:
        progress.close()
        eng.close()
        seen.close()

    t_final = time.perf_counter()
    outputs, written = _finalise(out, staging, n_chunks, part_rows=part_rows)
    # The check reads back what was written, not the counters that produced it.
    if written["documents"] + written["errors"] != counts["records"] or any(
            written[k] != counts[k] for k in ("documents", "errors", "places", "events")):
        raise GeokitError(
            f"accounting failed: {counts['records']} records in, {written['documents']} "
            f"documents + {written['errors']} errors written; {manifest_path} left incomplete")
    seconds = time.perf_counter() - t_start
    peak_mb = round(max(peak_rss.values()) / 1024, 1) if peak_rss else None
    summary = BatchSummary(
        input=input_name, outdir=str(out), records=counts["records"],
        documents=counts["documents"], errors=counts["errors"], places=counts["places"],
        events=counts["events"], engine=engine, workers=workers or 0, chunks=n_chunks,
        resumed_chunks=resumed_chunks, seconds=round(seconds, 3), complete=True,
        peak_worker_rss_mb=peak_mb,
    )
    write_json(manifest_path, base_manifest | {
        "workers": workers, "complete": True, "status": "complete", "finished": _now(),
        "counts": {k: counts[k] for k in ("records", "documents", "errors", "places",
                                          "events")},
        "accounted": summary.accounted, "chunks": n_chunks, "resumed_chunks": resumed_chunks,
        "outputs": outputs,
        "timings": {
            "seconds": round(seconds, 3), "finalise_seconds": round(time.perf_counter()
                                                                    - t_final, 3),
            "worker_busy_seconds": round(busy_seconds, 3),
            "docs_per_second": round(summary.docs_per_second, 2),
        },
        "peak_worker_rss_mb": peak_mb,
    })
    staging.remove()
    return summary


def _summary_from_manifest(m: dict[str, Any], *, seconds: float) -> BatchSummary:
    c = m.get("counts", {})
    return BatchSummary(
        input=m["input"], outdir=m["outdir"], records=c.get("records", 0),
        documents=c.get("documents", 0), errors=c.get("errors", 0), places=c.get("places", 0),
        events=c.get("events", 0), engine=m.get("engine", ""), workers=m.get("workers") or 0,
        chunks=m.get("chunks", 0), resumed_chunks=m.get("chunks", 0), seconds=round(seconds, 3),
        complete=True, peak_worker_rss_mb=m.get("peak_worker_rss_mb"),
    )


# --------------------------------------------------------------------------- finalise


def _concat_text(paths: Iterable[Path], target: Path) -> int:
    from ._export import _atomic  # noqa: PLC0415

    n = 0
    with _atomic(target) as f:
        for p in paths:
            if p.exists():
                with p.open(encoding="utf-8") as src:
                    for line in src:
                        f.write(line)
                        n += 1
    return n


def _empty_table(kind: str) -> Any:
    from ._export import to_geodataframe  # noqa: PLC0415

    return _typed(to_geodataframe([], kind=kind))


def _write_table(kind: str, out: Path, files: list[Path], rows: list[int],
                 part_rows: int) -> tuple[str, int]:
    """Concatenate chunk tables in chunk order into one file or into parts."""
    import geopandas as gpd  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    from ._export import write_geoparquet  # noqa: PLC0415

    single, parted = out / f"{kind}.parquet", out / kind

    def load(group: list[Path]) -> Any:
        frames = [gpd.read_parquet(p) for p in group]
        if not frames:
            return _empty_table(kind)
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)

    if sum(rows) <= part_rows:
        table = load(files)
        write_geoparquet(single, table)
        shutil.rmtree(parted, ignore_errors=True)
        return single.name, len(table)
    # Parts of whole chunks, ~part_rows rows each, built in a temp folder that
    # replaces the old one in one rename.
    tmp = out / f".{kind}.parts.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    group: list[Path] = []
    n = part = total = 0
    for p, r in zip(files, rows, strict=True):
        group.append(p)
        n += r
        if n >= part_rows:
            table = load(group)
            write_geoparquet(tmp / f"part-{part:05d}.parquet", table)
            group, n, part, total = [], 0, part + 1, total + len(table)
    if group:
        table = load(group)
        write_geoparquet(tmp / f"part-{part:05d}.parquet", table)
        total += len(table)
    old = out / f".{kind}.old"
    shutil.rmtree(old, ignore_errors=True)
    if parted.exists():
        os.replace(parted, old)
    os.replace(tmp, parted)
    shutil.rmtree(old, ignore_errors=True)
    single.unlink(missing_ok=True)
    return f"{parted.name}/", total


def _finalise(out: Path, staging: _Staging, n_chunks: int, *,
              part_rows: int) -> tuple[dict[str, str], dict[str, int]]:
    done = staging.done()
    missing = [k for k in range(n_chunks) if k not in done]
    if missing:
        raise GeokitError(f"{len(missing)} chunks unfinished (first: {missing[0]}); "
                          "run again with --resume")
    order = range(n_chunks)
    written = {}
    outputs = {"documents": "documents.jsonl", "errors": "errors.jsonl"}
    for kind in ("documents", "errors"):
        written[kind] = _concat_text((staging.path(k, f"{kind}.jsonl") for k in order),
                                     out / f"{kind}.jsonl")
    for kind in ("places", "events"):
        ks = [k for k in order if done[k][kind]]
        outputs[kind], written[kind] = _write_table(
            kind, out, [staging.path(k, f"{kind}.parquet") for k in ks],
            [done[k][kind] for k in ks], part_rows)
    return outputs, written
