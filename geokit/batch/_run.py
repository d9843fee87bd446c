"""Run geokit over a corpus: streaming, parallel, resumable, every record accounted for.

The flow; only step 3 runs on the workers::

    1. read     iter_records(source) -> Record | RecordError, in input order;
                mark_duplicate_ids turns repeated ids into error rows (the ids
                seen are kept on disk, so memory stays flat on any corpus)
    2. chunk    consecutive windows of ``chunk_size`` items (seq 0, 1, ...)
    3. process  each chunk's records on a worker (process pool or Dask), at most
                ``window`` chunks in flight, so memory stays bounded
    4. stage    each finished chunk is written under ``OUTDIR/.geokit-batch/``
                (atomic files, then a ``done`` marker): the resume checkpoint
    5. finalise when every chunk is done: concatenate in chunk order into
                ``places.parquet``, ``events.parquet``, ``documents.jsonl``,
                ``errors.jsonl``, then ``manifest.json`` with ``complete: true``

Chunks are cut from the input order, not from completion order, and outputs
are assembled in chunk order, so a run, a resumed run and a run on the other
engine all produce the same files. The client (this process) does the reading
and the bookkeeping; workers get records and send back rows and Parquet bytes,
so a Dask cluster need not share a file system with the client.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import io
import json
import os
import re
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

from geokit.errors import ConfigurationError, GeokitError, InputError
from geokit.models import Document
from geokit.paths import atomic_write

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ENGINES",
    "ON_ERROR",
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
#: The lock file of a running batch (``OUTDIR/.geokit-batch.lock``). Outside
#: :data:`STATE_DIR` and never deleted: removing a lock file while another run
#: waits on it would let a third run lock a new file of the same name.
LOCK_FILE = ".geokit-batch.lock"
_STATE_FORMAT = 2
_OUTPUTS = ("documents.jsonl", "errors.jsonl", "places.parquet", "events.parquet",
            "places", "events")
_COUNTS = ("records", "documents", "errors", "places", "events")
# The only files a batch writes inside OUTDIR/places/ and OUTDIR/events/.
_PART = re.compile(r"part-\d{5}\.parquet")

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
        ``local`` or ``dask``.
    workers : int
        Worker processes used.
    chunks : int
        Chunks in the run.
    resumed_chunks : int
        Chunks found already done and not processed again.
    processed : int
        Records handled by this invocation (the rest came from resumed chunks).
    seconds : float
        Wall time of this invocation.
    startup_seconds : float
        Of which starting the workers and loading the pipeline on each.
    process_seconds : float
        Of which reading and processing, from the first chunk sent to the last done.
    complete : bool
        True when the outputs are final and the accounting holds.
    peak_worker_rss_mb : float or None
        Largest resident set size reached by any worker process.
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
    processed: int
    seconds: float
    startup_seconds: float
    process_seconds: float
    complete: bool
    peak_worker_rss_mb: float | None = None

    @property
    def accounted(self) -> bool:
        """True when every input record is a document or an error row."""
        return self.documents + self.errors == self.records

    @property
    def docs_per_second(self) -> float:
        """Records processed per second of processing time (start-up excluded)."""
        return 0.0 if self.process_seconds <= 0 else self.processed / self.process_seconds

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready fields."""
        d = dataclasses.asdict(self)
        d["accounted"] = self.accounted
        d["docs_per_second"] = round(self.docs_per_second, 2)
        return d


# --------------------------------------------------------------------------- worker side
# Everything from here to the engines runs in worker processes; it is
# top-level so pickle (process pool) and cloudpickle (Dask) ship it by name.


def default_process(record: Any) -> Document:
    """Extract places, actors and events from one record (the default per-record function).

    Calls :func:`geokit.extract` when the events stage is installed, else
    :func:`geokit.geoparse` (places only).

    Parameters
    ----------
    record : geokit.io._readers.Record
        ``id``, ``text``, ``date`` and ``meta`` are used.

    Returns
    -------
    Document
    """
    return _pipeline()(record.text, id=record.id, date=record.date, meta=dict(record.meta))


def _pipeline() -> Callable[..., Document]:
    from geokit.events import extract  # noqa: PLC0415 - loads spaCy; workers only

    return extract


def _process_many(records: list[Any]) -> Iterator[Document | Exception]:
    """Extract a chunk's records together (:func:`geokit.extract_many`): one result each.

    A record that fails yields its exception, in its place; the documents are
    those :func:`default_process` gives one by one.
    """
    from geokit.events import extract_many  # noqa: PLC0415 - loads spaCy; workers only

    return extract_many(((r.text, {"id": r.id, "date": r.date, "meta": dict(r.meta)})
                         for r in records), on_error="return")


def _warm_default() -> None:
    # One tiny document loads spaCy and opens the gazetteer into the pipeline's
    # own process-wide caches, once per worker, before any timed work.
    from geokit.io._readers import Record  # noqa: PLC0415

    default_process(Record(id="warmup", text="Talks in Paris.", origin="<warmup>"))


default_process.warmup = _warm_default  # type: ignore[attr-defined]
default_process.many = _process_many  # type: ignore[attr-defined]

_WARMED: set[str] = set()


def warm_worker(process: Process) -> int:
    """Run ``process.warmup()`` once per worker process; return the process id.

    The pool initializer and the engines' start-up call it; :func:`run_chunk`
    calls it too, for Dask workers that join a cluster later.
    """
    key = process_name(process)
    if key not in _WARMED:
        warm = getattr(process, "warmup", None)
        if callable(warm):
            warm()
        _WARMED.add(key)
    return os.getpid()


def process_name(process: Process) -> str:
    """Return ``module:qualname`` of a process function (recorded in the manifest)."""
    return f"{getattr(process, '__module__', '?')}:{getattr(process, '__qualname__', process)}"


def _ping(process: Process) -> int:
    # Warms the worker it lands on and answers with its pid; the pause lets
    # the other workers pick up their share of the pings meanwhile.
    time.sleep(0.05)
    return warm_worker(process)


def _top_countries(doc: Document, n: int = 3) -> list[str]:
    counts = Counter(t.place.country for t in doc.places if t.place.country)
    # Ties broken by code so the summary never depends on dict order.
    return [c for c, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def summarise(doc: Document, record: Any) -> dict[str, Any]:
    """Return the ``documents.jsonl`` row for one processed record."""
    row: dict[str, Any] = {
        "id": record.id, "origin": record.origin, "date": doc.date,
        "chars": len(record.text), "toponyms": len(doc.toponyms), "places": len(doc.places),
        "actors": len(doc.actors), "events": len(doc.events), "relations": len(doc.relations),
        "top_countries": _top_countries(doc),
    }
    for key in ("url", "title"):
        value = (record.meta or {}).get(key)
        if value:
            row[key] = str(value)
    return row


def error_row(id: Any, origin: Any, error: str, kind: str, message: str) -> dict[str, Any]:
    """Return the ``errors.jsonl`` row (the shape of ``RecordError.to_dict``)."""
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


def _table_bytes(docs: list[Document], kind: str) -> tuple[bytes | None, int]:
    from geokit.io._writers import to_geodataframe  # noqa: PLC0415

    gdf = to_geodataframe(docs, kind=kind)
    if not len(gdf):
        return None, 0
    buf = io.BytesIO()
    # Serialised here, on the worker: the client only writes bytes to disk.
    _typed(gdf).to_parquet(buf, index=False)
    return buf.getvalue(), len(gdf)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 500 else text[:497] + "..."


def _results(process: Process, records: list[Any]) -> list[Any]:
    """Return each record's Document, or the exception its processing raised.

    With ``process.many`` (``records -> one Document or exception each, in
    order``; :func:`default_process` has one) the chunk is processed together;
    if that fails as a whole or miscounts, every record is processed again
    one by one, so each still gets its own result or error.
    """
    many = getattr(process, "many", None)
    if callable(many):
        try:
            out = list(many(records))
        except Exception:  # noqa: BLE001 - a batch-level failure: retried record by record
            out = []
        if len(out) == len(records):
            return out
    return [_one(process, r) for r in records]


def _one(process: Process, record: Any) -> Any:
    try:
        return process(record)
    except Exception as exc:  # noqa: BLE001 - one bad record never spoils the chunk
        return exc


def run_chunk(process: Process, items: list[tuple[int, Any]]) -> dict[str, Any]:
    """Process one chunk of ``(seq, Record)`` on a worker.

    A record whose processing raises becomes an error row; the rest of the
    chunk goes on. Returns rows and Parquet bytes, never the documents (their
    text can be megabytes and the client does not need it).
    """
    warm_worker(process)
    t0, cpu0 = time.perf_counter(), time.process_time()
    rows: list[tuple[int, str, dict[str, Any]]] = []
    docs: list[Document] = []
    results = _results(process, [record for _, record in items])
    for (seq, record), result in zip(items, results, strict=True):
        try:
            if isinstance(result, Exception):
                raise result
            doc = result
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
    places, n_places = _table_bytes(docs, "places")
    events, n_events = _table_bytes(docs, "events")
    return {
        "rows": rows, "places": places, "n_places": n_places, "events": events,
        "n_events": n_events, "seconds": time.perf_counter() - t0,
        "cpu_seconds": time.process_time() - cpu0, "pid": os.getpid(),
        # ru_maxrss is in KiB on Linux.
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def _exit_with_parent(parent: int) -> None:
    # A pool worker holds both ends of its task queue, so it never sees EOF
    # when the client is killed with SIGKILL: it would live on as an orphan.
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="geokit-parent-watch").start()




# --------------------------------------------------------------------------- engines


_WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    """Set the environment variables not set already, for the block only."""
    added = [k for k in values if k not in os.environ]
    os.environ.update({k: values[k] for k in added})
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


class _LocalEngine:
    """A process pool of spawned workers, each warmed once by :meth:`start`."""

    name = "local"

    def __init__(self, *, workers: int, process: Process) -> None:
        import multiprocessing  # noqa: PLC0415
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        self.workers = workers
        self._process = process
        # spawn, as Dask does: a fork would copy the client's threads and
        # locks (progress bar, SQLite) into the workers.
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_exit_with_parent, initargs=(os.getpid(),))

    def start(self) -> None:
        """Return once every worker has started and warmed up.

        Warming in a task rather than in the pool initializer lets a failure
        (no gazetteer index, no spaCy model) reach the client with its message.
        """
        pids: set[int] = set()
        # The pool spawns its workers on the first submit, and they inherit
        # this environment: one BLAS thread each, as Dask's nanny sets
        # (distributed.nanny.pre-spawn-environ), since the workers already
        # fill the cores. A value the user set is kept.
        with _environ(_WORKER_ENV):
            while len(pids) < self.workers:
                futures = [self._pool.submit(_ping, self._process) for _ in range(self.workers)]
                pids.update(f.result() for f in futures)

    def imap_unordered(self, tasks: Iterator[tuple[int, list]], window: int
                       ) -> Iterator[tuple[int, dict[str, Any]]]:
        """Run ``run_chunk`` on each task, ``window`` at a time; yield as they finish."""
        from concurrent.futures import FIRST_COMPLETED, wait  # noqa: PLC0415
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        pending: dict[Any, int] = {}
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                key, items = task
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
        """Stop the workers (waiting for running chunks, dropping queued ones)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


class _DaskEngine:
    """dask.distributed: a LocalCluster, or an existing cluster at ``scheduler``."""

    name = "dask"

    def __init__(self, *, workers: int | None, process: Process, scheduler: str | None) -> None:
        try:
            from dask.distributed import Client, LocalCluster  # noqa: PLC0415
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            from geokit.errors import DependencyError  # noqa: PLC0415

            raise DependencyError("the dask engine needs dask.distributed: "
                                  "pip install 'dask[distributed]'") from exc
        import logging  # noqa: PLC0415

        self._process = process
        self._cluster = None
        if scheduler:
            try:
                self._client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise ConfigurationError(f"cannot reach the Dask scheduler at {scheduler}: "
                                         f"{exc}") from exc
        else:
            # One single-threaded worker process per core: the pipeline is
            # pure Python holding the GIL, so threads would add no throughput.
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        self.workers = workers or 0

    def start(self) -> None:
        """Return once every worker of the cluster has warmed up."""
        addresses = list(self._client.scheduler_info().get("workers", {}))
        if not addresses:
            raise GeokitError("the Dask cluster has no workers")
        futures = [self._client.submit(warm_worker, self._process, workers=[a],
                                       allow_other_workers=False, pure=False)
                   for a in addresses]
        self._client.gather(futures)
        self.workers = len(addresses)

    def imap_unordered(self, tasks: Iterator[tuple[int, list]], window: int
                       ) -> Iterator[tuple[int, dict[str, Any]]]:
        """Run ``run_chunk`` on each task, ``window`` at a time; yield as they finish."""
        from dask.distributed import as_completed  # noqa: PLC0415
        from distributed.scheduler import KilledWorker  # noqa: PLC0415

        keys: dict[str, int] = {}
        ac = as_completed()
        in_flight = 0
        exhausted = False
        while True:
            while not exhausted and in_flight < window:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                key, items = task
                fut = self._client.submit(run_chunk, self._process, items, pure=False)
                keys[fut.key] = key
                ac.add(fut)
                in_flight += 1
            if not in_flight:
                return
            fut = next(ac)
            in_flight -= 1
            key = keys.pop(fut.key)
            try:
                result = fut.result()
            except KilledWorker as exc:
                raise GeokitError(
                    f"Dask workers kept dying (killed, out of memory or crashed) on chunk "
                    f"{key}; finished chunks are kept: run again with --resume") from exc
            fut.release()
            yield key, result

    def close(self) -> None:
        """Disconnect; stop the LocalCluster if this engine started one."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _make_engine(engine: str, *, workers: int | None, process: Process,
                 scheduler: str | None) -> Any:
    if engine == "local":
        return _LocalEngine(workers=workers or 1, process=process)
    return _DaskEngine(workers=workers, process=process, scheduler=scheduler)


# --------------------------------------------------------------------------- client side


class _DiskIdSet:
    """The ids seen so far, as a set kept in a scratch SQLite file.

    Enough of a set for :func:`geokit.io._readers.mark_duplicate_ids` (``in`` and
    ``add``). Memory stays flat however many millions of ids stream by; a
    Python set would grow by ~100 bytes per id.
    """

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self._path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        # A scratch file rebuilt on every run: no journal, no fsync.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (id TEXT PRIMARY KEY) WITHOUT ROWID")

    def __contains__(self, id: object) -> bool:
        return self._db.execute("SELECT 1 FROM seen WHERE id = ?", (id,)).fetchone() is not None

    def add(self, id: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (id,))

    def close(self) -> None:
        self._db.close()
        self._path.unlink(missing_ok=True)


def _ids_digest(items: list[tuple[int, Any]]) -> str:
    h = hashlib.sha1(usedforsecurity=False)
    for _, item in items:
        h.update(repr((type(item).__name__, item.id, item.origin)).encode("utf-8", "replace"))
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

    def done(self) -> dict[int, dict[str, Any]]:
        out = {}
        for p in self.chunks.glob("*.done.json"):
            marker = json.loads(p.read_text(encoding="utf-8"))
            out[int(marker["chunk"])] = marker
        return out

    def write(self, k: int, marker: dict[str, Any], rows: list[tuple[int, str, dict]],
              result: dict[str, Any]) -> None:
        from geokit.io._writers import write_json, write_jsonl  # noqa: PLC0415

        write_jsonl(self.path(k, "documents.jsonl"), (r for _, s, r in rows if s == "ok"))
        write_jsonl(self.path(k, "errors.jsonl"), (r for _, s, r in rows if s == "error"))
        for what in ("places", "events"):
            p = self.path(k, f"{what}.parquet")
            if result[what] is None:
                p.unlink(missing_ok=True)
            else:
                with atomic_write(p, binary=True) as f:
                    f.write(result[what])
        write_json(self.path(k, "done.json"), marker, indent=None)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _version() -> str:
    from geokit._version import __version__  # noqa: PLC0415

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


def _count_records(source: Any, box: dict[str, int]) -> None:
    # For the progress bar's ETA only, on a thread: non-blank lines of JSONL,
    # rows of CSV (one per line, a guess), .txt files of directories. Stdin
    # and iterables stay unknown.
    from glob import glob, has_magic  # noqa: PLC0415

    if not isinstance(source, str | os.PathLike) or str(source) == "-":
        return
    s = os.fspath(source)
    paths = [Path(p) for p in sorted(glob(s, recursive=True))] if has_magic(s) else [Path(s)]
    n = 0
    try:
        for p in paths:
            if p.is_dir():
                n += sum(1 for q in p.iterdir() if q.suffix.lower() in (".txt", ".text"))
            elif p.suffix.lower() in (".jsonl", ".ndjson", ".csv"):
                with p.open("rb") as f:
                    n += sum(1 for line in f if line.strip())
                n -= p.suffix.lower() == ".csv"
            elif p.is_file():
                n += 1
    except OSError:
        return
    box["total"] = n


class _Progress:
    """tqdm on stderr when it is a terminal: documents/s and, once counted, ETA."""

    def __init__(self, source: Any, *, quiet: bool) -> None:
        self.bar = None
        if quiet or not sys.stderr.isatty():
            return
        from tqdm import tqdm  # noqa: PLC0415

        self.bar = tqdm(unit="doc", desc="geokit batch", file=sys.stderr, dynamic_ncols=True,
                        smoothing=0.1)
        self._box: dict[str, int] = {}
        threading.Thread(target=_count_records, args=(source, self._box), daemon=True).start()

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


def _raise_for(row: dict[str, Any]) -> None:
    where = row["origin"] or "<input>"
    if row["id"] is not None:
        where += f" (id {row['id']})"
    raise InputError(f"{row['kind']}: {row['message']}", source=where)


@dataclasses.dataclass(slots=True, eq=False)
class _Run:
    """One run's settings and counters, passed from stage to stage."""

    out: Path
    staging: _Staging
    input_name: str
    engine: str
    scheduler: str | None
    workers: int | None
    on_error: str
    chunk_size: int
    max_chars: int
    process: Process
    t_start: float
    started: str
    done: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict)
    base_manifest: dict[str, Any] = dataclasses.field(default_factory=dict)
    counts: Counter[str] = dataclasses.field(default_factory=Counter)
    resumed_chunks: int = 0
    processed: int = 0
    n_chunks: int = 0
    chunk_inputs: dict[int, tuple[list[tuple[int, str, dict]], str, int, int]] = (
        dataclasses.field(default_factory=dict))
    peak_rss: dict[int, int] = dataclasses.field(default_factory=dict)
    busy_seconds: float = 0.0
    cpu_seconds: float = 0.0
    startup: float = 0.0
    process_seconds: float = 0.0

    @property
    def manifest_path(self) -> Path:
        """``OUTDIR/manifest.json``."""
        return self.out / "manifest.json"


def _check_options(engine: str, on_error: str, *, chunk_size: int, workers: int | None,
                   scheduler: str | None) -> int | None:
    """Reject bad options; return the worker count (one per core when not given)."""
    _check_choice("engine", engine, ENGINES)
    _check_choice("on_error policy", on_error, ON_ERROR)
    if chunk_size < 1:
        raise ConfigurationError(f"chunk size must be at least 1, got {chunk_size}")
    if workers is not None and workers < 1:
        raise ConfigurationError(f"workers must be at least 1, got {workers}")
    if scheduler and engine != "dask":
        raise ConfigurationError("a scheduler address needs the dask engine")
    if scheduler and workers is not None:
        raise ConfigurationError("workers sets the size of a local pool or LocalCluster; "
                                 "with a scheduler the cluster's own workers are used")
    if workers is None and not scheduler:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
            os.cpu_count() or 1)
    return workers


def _resume(run: _Run) -> BatchSummary | None:
    """Take up the interrupted run in ``run.out``; return its summary if already complete."""
    state_path = run.staging.root / "state.json"
    out, input_name = run.out, run.input_name
    if state_path.exists():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if state.get("input") != input_name:
            raise ConfigurationError(
                f"{out} holds a run of {state.get('input')!r}, not {input_name!r}; "
                "resume with the same input or choose another output folder")
        if state.get("process") != process_name(run.process):
            raise ConfigurationError(
                f"{out} holds a run made with {state.get('process')}, not "
                f"{process_name(run.process)}; resume with the same process function")
        run.chunk_size, run.max_chars = int(state["chunk_size"]), state["max_chars"]
        run.started = state.get("started", run.started)
        run.done = run.staging.done()
    elif run.manifest_path.exists():
        manifest = json.loads(run.manifest_path.read_text(encoding="utf-8"))
        if manifest.get("input") != input_name:
            raise ConfigurationError(
                f"{out} holds a run of {manifest.get('input')!r}, not {input_name!r}; "
                "resume with the same input or choose another output folder")
        if manifest.get("complete"):
            return _summary_from_manifest(manifest, seconds=time.perf_counter() - run.t_start)
    return None


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` for the block, or fail at once.

    Two runs into one folder would overwrite each other's chunks and manifest;
    the second fails here before it reads or writes anything else. The kernel
    drops an ``flock`` when its holder dies, so a killed run leaves no stale lock.
    """
    path = out / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            raise ConfigurationError(
                f"{out} is in use by another geokit batch (pid {holder}, lock {path}); "
                "wait for it to finish or choose another output folder") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def _is_batch_manifest(path: Path) -> bool:
    """Tell whether ``path`` is a manifest written by :func:`run_batch`."""
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(m, dict) and {"geokit", "input", "process", "status"} <= m.keys()


def _earlier_outputs(out: Path) -> list[Path]:
    """Return the outputs of an earlier run in ``out``, checking they are geokit's.

    Only files a batch writes are returned (the folders with their
    ``part-NNNNN.parquet`` files), and only when ``out`` holds a batch manifest;
    anything else under an output's name raises, so a run never deletes
    what it did not write.
    """
    found = [out / name for name in _OUTPUTS if os.path.lexists(out / name)]
    if not found:
        return []
    if not _is_batch_manifest(out / "manifest.json"):
        raise ConfigurationError(
            f"{found[0]} exists but {out} holds no manifest.json of a geokit batch, so it "
            "was not written by one; move it away or choose another output folder")
    for p in found:
        _check_output(p)
    return found


def _check_output(p: Path) -> None:
    """Raise unless ``p`` looks like an output of a batch (a file, or a folder of parts)."""
    if p.is_symlink() or p.is_dir() != (p.name in ("places", "events")):
        raise ConfigurationError(f"{p} is not an output geokit batch writes; move it "
                                 "away or choose another output folder")
    if p.is_dir():
        other = next((c for c in sorted(p.iterdir())
                      if not (_PART.fullmatch(c.name) and c.is_file())), None)
        if other is not None:
            raise ConfigurationError(
                f"{other} was not written by geokit batch; move it away or choose "
                "another output folder")


def _remove_outputs(paths: list[Path]) -> None:
    """Delete outputs checked by :func:`_earlier_outputs` (folders file by file)."""
    for p in paths:
        if p.is_dir():
            for part in p.iterdir():
                part.unlink()
            p.rmdir()
        else:
            p.unlink(missing_ok=True)


def _start_afresh(run: _Run) -> None:
    """Empty the staging folder, record the run's state and remove earlier outputs."""
    from geokit.io._writers import write_json  # noqa: PLC0415

    # Checked before anything changes: a folder of someone else's files stops the run.
    earlier = _earlier_outputs(run.out)
    run.staging.reset()
    write_json(run.staging.root / "state.json", {
        "format": _STATE_FORMAT, "input": run.input_name, "process": process_name(run.process),
        "chunk_size": run.chunk_size, "max_chars": run.max_chars, "started": run.started,
        "geokit": _version()})
    # Outputs of an earlier run must not sit beside this run's manifest.
    _remove_outputs(earlier)


def _tasks(run: _Run, stream: Iterable[Any], seen: _DiskIdSet,
           progress: _Progress) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
    """Yield the chunks still to process; count the resumed ones, checking they are unchanged."""
    from geokit.io._readers import RecordError, mark_duplicate_ids  # noqa: PLC0415

    for k, items in _chunked(mark_duplicate_ids(stream, seen=seen), run.chunk_size):
        run.n_chunks = k + 1
        digest, first_seq = _ids_digest(items), items[0][0]
        if k in run.done:
            marker = run.done[k]
            if marker.get("digest") != digest or marker.get("records") != len(items):
                raise ConfigurationError(
                    f"the input changed since the interrupted run (chunk {k}, records "
                    f"{first_seq}..{first_seq + len(items) - 1} differ); rerun without "
                    "--resume")
            run.resumed_chunks += 1
            run.counts.update({c: marker[c] for c in _COUNTS})
            progress.update(len(items), errors=run.counts["errors"])
            continue
        pre = [(seq, "error", item.to_dict()) for seq, item in items
               if isinstance(item, RecordError)]
        if run.on_error == "raise" and pre:
            _raise_for(pre[0][2])
        run.chunk_inputs[k] = (pre, digest, first_seq, len(items))
        yield k, [(seq, item) for seq, item in items if not isinstance(item, RecordError)]


def _process_chunks(run: _Run, stream: Iterable[Any], seen: _DiskIdSet, progress: _Progress,
                    window: int | None) -> None:
    """Start the engine, process every chunk not done yet and stage each as it finishes."""
    eng = _make_engine(run.engine, workers=run.workers, process=run.process,
                       scheduler=run.scheduler)
    try:
        try:
            eng.start()
        except GeokitError:
            raise
        except Exception as exc:
            raise GeokitError(f"the workers could not load {process_name(run.process)}: "
                              f"{type(exc).__name__}: {_one_line(exc)}") from exc
        run.startup = time.perf_counter() - run.t_start
        t_process = time.perf_counter()
        for k, result in eng.imap_unordered(_tasks(run, stream, seen, progress),
                                            window or 2 * eng.workers):
            _stage_chunk(run, k, result, progress)
        run.process_seconds = time.perf_counter() - t_process
        run.workers = eng.workers
    finally:
        progress.close()
        eng.close()
        seen.close()


def _stage_chunk(run: _Run, k: int, result: dict[str, Any], progress: _Progress) -> None:
    """Check one finished chunk, write it to the staging folder and count it."""
    pre, digest, first_seq, n_items = run.chunk_inputs.pop(k)
    rows = sorted(pre + result["rows"], key=lambda r: r[0])
    if run.on_error == "raise":
        bad = next((r for r in rows if r[1] == "error"), None)
        if bad is not None:
            _raise_for(bad[2])
    if len(rows) != n_items:
        raise GeokitError(f"chunk {k}: {n_items} records in, {len(rows)} rows out")
    marker = {
        "chunk": k, "first_seq": first_seq, "records": n_items, "digest": digest,
        "documents": sum(1 for r in rows if r[1] == "ok"),
        "errors": sum(1 for r in rows if r[1] == "error"),
        "places": result["n_places"], "events": result["n_events"],
        "seconds": round(result["seconds"], 4),
    }
    run.staging.write(k, marker, rows, result)
    run.counts.update({c: marker[c] for c in _COUNTS})
    run.processed += n_items
    run.busy_seconds += result["seconds"]
    run.cpu_seconds += result["cpu_seconds"]
    run.peak_rss[result["pid"]] = max(run.peak_rss.get(result["pid"], 0), result["maxrss_kb"])
    progress.update(n_items, errors=run.counts["errors"])


def _complete(run: _Run, outputs: dict[str, str], written: dict[str, int],
              t_final: float) -> BatchSummary:
    """Check the accounting, write the complete manifest, drop the staging folder."""
    from geokit.io._writers import write_json  # noqa: PLC0415

    counts, peak_rss = run.counts, run.peak_rss
    # The check reads back what was written, not the counters that produced it.
    if written["documents"] + written["errors"] != counts["records"] or any(
            written[k] != counts[k] for k in ("documents", "errors", "places", "events")):
        raise GeokitError(
            f"accounting failed: {counts['records']} records in, {written['documents']} "
            f"documents + {written['errors']} errors written; {run.manifest_path} left "
            "incomplete")
    seconds = time.perf_counter() - run.t_start
    peak_mb = round(max(peak_rss.values()) / 1024, 1) if peak_rss else None
    summary = BatchSummary(
        input=run.input_name, outdir=str(run.out), records=counts["records"],
        documents=counts["documents"], errors=counts["errors"], places=counts["places"],
        events=counts["events"], engine=run.engine, workers=run.workers or 0,
        chunks=run.n_chunks, resumed_chunks=run.resumed_chunks, processed=run.processed,
        seconds=round(seconds, 3), startup_seconds=round(run.startup, 3),
        process_seconds=round(run.process_seconds, 3), complete=True,
        peak_worker_rss_mb=peak_mb,
    )
    write_json(run.manifest_path, run.base_manifest | {
        "workers": run.workers, "complete": True, "status": "complete", "finished": _now(),
        "counts": {k: counts[k] for k in _COUNTS},
        "errors_by_kind": _errors_by_kind(run.out / "errors.jsonl"),
        "accounted": summary.accounted, "chunks": run.n_chunks,
        "resumed_chunks": run.resumed_chunks, "processed": run.processed, "outputs": outputs,
        "timings": {
            "seconds": summary.seconds, "startup_seconds": summary.startup_seconds,
            "process_seconds": summary.process_seconds,
            "finalise_seconds": round(time.perf_counter() - t_final, 3),
            "worker_busy_seconds": round(run.busy_seconds, 3),
            # Below the busy time when other processes took the workers' cores.
            "worker_cpu_seconds": round(run.cpu_seconds, 3),
            "docs_per_second": round(summary.docs_per_second, 2),
        },
        "peak_worker_rss_mb": peak_mb,
        "worker_rss_mb": sorted(round(v / 1024, 1) for v in peak_rss.values()),
        "client_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    })
    run.staging.remove()
    return summary


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
    max_chars: int | None = None,
    quiet: bool = False,
    process: Process | None = None,
    part_rows: int = PART_ROWS,
    window: int | None = None,
) -> BatchSummary:
    """Process a corpus into GeoParquet tables, per-document summaries and an error log.

    Parameters
    ----------
    source : str, path or iterable
        What :func:`geokit.io._readers.iter_records` reads: a directory of ``.txt``
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
        Worker processes; default one per core. Not allowed with ``scheduler``
        (the cluster has the workers it has).
    resume : bool, default False
        Finish an interrupted run in ``outdir``: chunks already done are not
        processed again. The input must be the same; the chunk size and
        ``max_chars`` of the first run are used.
    on_error : {"skip", "raise"}
        ``skip`` writes bad records to ``errors.jsonl`` and goes on; ``raise``
        stops at the first one with :class:`~geokit.InputError`.
    chunk_size : int
        Records per task and per checkpoint.
    max_chars : int, optional
        Longest document accepted (default
        :data:`geokit.io._readers.DEFAULT_MAX_CHARS`); longer ones are ``too_large`` errors.
    quiet : bool
        No progress bar (there is none anyway when stderr is not a terminal).
    process : callable, optional
        ``Record -> Document``, top-level so it can be pickled; default
        :func:`default_process`. An optional ``process.warmup()`` runs once
        per worker before any record; an optional ``process.many(records)``
        (one Document or exception per record, in order) processes a chunk
        together, as :func:`default_process` does with
        :func:`geokit.extract_many`.
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
        With ``on_error="raise"``, the first bad record; or an unreadable source.
    GeokitError
        A worker died, or the accounting does not add up (the manifest stays
        incomplete; finished chunks are kept for ``resume``).
    """
    from geokit.io._readers import DEFAULT_MAX_CHARS  # noqa: PLC0415

    workers = _check_options(engine, on_error, chunk_size=chunk_size, workers=workers,
                             scheduler=scheduler)
    max_chars = DEFAULT_MAX_CHARS if max_chars is None else max_chars
    process = process or default_process
    t_start = time.perf_counter()
    started = _now()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    input_name = os.fspath(source) if isinstance(source, str | os.PathLike) else "<iterable>"
    run = _Run(out=out, staging=_Staging(out), input_name=input_name, engine=engine,
               scheduler=scheduler, workers=workers, on_error=on_error, chunk_size=chunk_size,
               max_chars=max_chars, process=process, t_start=t_start, started=started)
    with _locked(out):
        return _run_locked(run, source, resume=resume, quiet=quiet, window=window,
                           part_rows=part_rows)


def _run_locked(run: _Run, source: Any, *, resume: bool, quiet: bool, window: int | None,
                part_rows: int) -> BatchSummary:
    """Run the batch once ``run.out`` is locked: resume or start, process, finalise."""
    from geokit.io._readers import iter_records  # noqa: PLC0415
    from geokit.io._writers import write_json  # noqa: PLC0415

    out, process, input_name, engine = run.out, run.process, run.input_name, run.engine
    if resume and (finished := _resume(run)) is not None:
        return finished
    if not run.done:
        _start_afresh(run)
    run.base_manifest = {
        "geokit": _version(), "input": input_name, "outdir": str(out),
        "process": process_name(process), "engine": engine,
        "scheduler": run.scheduler, "workers": run.workers, "chunk_size": run.chunk_size,
        "max_chars": run.max_chars, "on_error": run.on_error, "started": run.started,
    }
    write_json(run.manifest_path, run.base_manifest | {"complete": False, "status": "running"})

    # Opened before the workers start, so a missing input fails fast.
    stream = iter_records(source, max_chars=run.max_chars)
    seen = _DiskIdSet(run.staging.root / "seen-ids.sqlite")
    progress = _Progress(source, quiet=quiet)
    try:
        _process_chunks(run, stream, seen, progress, window)
        t_final = time.perf_counter()
        outputs, written = _finalise(out, run.staging, run.n_chunks, part_rows=part_rows)
    except BaseException as exc:
        write_json(run.manifest_path, run.base_manifest | {
            "complete": False, "status": "failed", "finished": _now(),
            "error": f"{type(exc).__name__}: {_one_line(exc)}",
            "chunks_done": len(run.staging.done()) if run.staging.chunks.exists() else 0})
        raise
    return _complete(run, outputs, written, t_final)


def _errors_by_kind(path: Path) -> dict[str, int]:
    kinds: Counter[str] = Counter()
    with path.open(encoding="utf-8") as f:
        for line in f:
            kinds[json.loads(line)["kind"]] += 1
    return dict(sorted(kinds.items()))


def _summary_from_manifest(m: dict[str, Any], *, seconds: float) -> BatchSummary:
    c = m.get("counts", {})
    return BatchSummary(
        input=m["input"], outdir=m["outdir"], records=c.get("records", 0),
        documents=c.get("documents", 0), errors=c.get("errors", 0), places=c.get("places", 0),
        events=c.get("events", 0), engine=m.get("engine", ""), workers=m.get("workers") or 0,
        chunks=m.get("chunks", 0), resumed_chunks=m.get("chunks", 0), processed=0,
        seconds=round(seconds, 3), startup_seconds=0.0, process_seconds=0.0, complete=True,
        peak_worker_rss_mb=m.get("peak_worker_rss_mb"),
    )


# --------------------------------------------------------------------------- finalise


def _concat_text(paths: Iterable[Path], target: Path) -> int:
    n = 0
    with atomic_write(target) as f:
        for p in paths:
            with p.open(encoding="utf-8") as src:
                for line in src:
                    f.write(line)
                    n += 1
    return n


def _write_table(kind: str, out: Path, files: list[Path], rows: list[int],
                 part_rows: int) -> tuple[str, int]:
    """Concatenate chunk tables in chunk order into one file or into parts."""
    import geopandas as gpd  # noqa: PLC0415
    import pandas as pd  # noqa: PLC0415

    from geokit.io._writers import to_geodataframe, write_geoparquet  # noqa: PLC0415

    def load(group: list[Path]) -> Any:
        if not group:
            return _typed(to_geodataframe([], kind=kind))
        frames = [gpd.read_parquet(p) for p in group]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)

    if sum(rows) <= part_rows:
        table = load(files)
        write_geoparquet(out / f"{kind}.parquet", table)
        return f"{kind}.parquet", len(table)
    # Parts of whole chunks, ~part_rows rows each, built in a temp folder that
    # becomes OUTDIR/kind/ in one rename.
    tmp = out / f".{kind}.parts.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    group: list[Path] = []
    n = part = total = 0
    for i, (p, r) in enumerate(zip(files, rows, strict=True)):
        group.append(p)
        n += r
        if n >= part_rows or i == len(files) - 1:
            table = load(group)
            write_geoparquet(tmp / f"part-{part:05d}.parquet", table)
            group, n, part, total = [], 0, part + 1, total + len(table)
    if os.path.lexists(out / kind):  # parts of an earlier attempt at this run
        _check_output(out / kind)
        _remove_outputs([out / kind])
    os.replace(tmp, out / kind)
    return f"{kind}/", total


def _finalise(out: Path, staging: _Staging, n_chunks: int, *,
              part_rows: int) -> tuple[dict[str, str], dict[str, int]]:
    done = staging.done()
    missing = [k for k in range(n_chunks) if k not in done]
    if missing:
        raise GeokitError(f"{len(missing)} chunks unfinished (first: {missing[0]}); "
                          "run again with --resume")
    written = {}
    outputs = {"documents": "documents.jsonl", "errors": "errors.jsonl"}
    for kind in ("documents", "errors"):
        written[kind] = _concat_text((staging.path(k, f"{kind}.jsonl") for k in range(n_chunks)),
                                     out / f"{kind}.jsonl")
    for kind in ("places", "events"):
        ks = [k for k in range(n_chunks) if done[k][kind]]
        outputs[kind], written[kind] = _write_table(
            kind, out, [staging.path(k, f"{kind}.parquet") for k in ks],
            [done[k][kind] for k in ks], part_rows)
    return outputs, written
