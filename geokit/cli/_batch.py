"""``geokit batch``: a corpus into GeoParquet tables on a local pool or a Dask cluster."""

from __future__ import annotations

import importlib
from typing import Any

import click

from geokit.batch._run import DEFAULT_CHUNK_SIZE, ENGINES, ON_ERROR, BatchSummary, run_batch
from geokit.cli._common import emit, format_option, handle_errors
from geokit.errors import ConfigurationError


def _load_process(spec: str) -> Any:
    """Import ``package.module:function``."""
    module, _, name = spec.partition(":")
    if not module or not name:
        raise ConfigurationError(f"--process must look like package.module:function, got {spec!r}")
    try:
        fn = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ConfigurationError(f"cannot load --process {spec!r}: {exc}") from exc
    if not callable(fn):
        raise ConfigurationError(f"--process {spec!r} is not callable")
    return fn


def _summary_text(s: BatchSummary) -> str:
    check = "ok" if s.accounted else "MISMATCH"
    lines = [
        f"{s.records} records = {s.documents} documents + {s.errors} errors ({check}); "
        f"{s.places} places, {s.events} events",
    ]
    if s.processed:
        lines.append(
            f"{s.processed} processed in {s.seconds:.1f} s ({s.startup_seconds:.1f} s start-up) "
            f"on {s.workers} {s.engine} worker{'s' if s.workers != 1 else ''}: "
            f"{s.docs_per_second:.1f} docs/s")
    if s.resumed_chunks:
        lines.append(f"{s.resumed_chunks} of {s.chunks} chunks were already done")
    lines.append(f"outputs in {s.outdir} (see manifest.json"
                 + (", errors.jsonl)" if s.errors else ")"))
    return "\n".join(lines) + "\n"


@click.command("batch")
@click.argument("source", metavar="INPUT")
@click.option("-o", "--outdir", required=True, type=click.Path(file_okay=False),
              help="Output folder: places.parquet, events.parquet, documents.jsonl, "
                   "errors.jsonl, manifest.json.")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="local: a process pool on this machine; dask: dask.distributed.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler of an existing cluster (tcp://host:8786); without it "
                   "--engine dask starts a LocalCluster.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core).")
@click.option("--resume", is_flag=True,
              help="Finish an interrupted run in OUTDIR without redoing finished records.")
@click.option("--on-error", type=click.Choice(ON_ERROR), default="skip", show_default=True,
              help="skip: log bad records to errors.jsonl and go on; raise: stop at the first.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=DEFAULT_CHUNK_SIZE,
              show_default=True, help="Records per task and per checkpoint.")
@click.option("--max-chars", type=click.IntRange(min=1), default=None,
              help="Longest document accepted, in characters (default 2,000,000).")
@click.option("--process", "process_spec", default=None, metavar="MODULE:FUNCTION",
              help="Per-record function Record -> Document instead of geokit's pipeline.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@format_option(["text", "json"], default="text")
@handle_errors
def batch_cmd(source: str, outdir: str, engine: str, scheduler: str | None,
              workers: int | None, resume: bool, on_error: str, chunk_size: int,
              max_chars: int | None, process_spec: str | None, quiet: bool, fmt: str) -> None:
    """Process a corpus INPUT into map-ready tables, every record accounted for.

    INPUT is a directory of .txt files, a JSONL or CSV file (id, text, optional
    date, url, title), a glob, or - for standard input; it is read as a stream.
    Bad records go to OUTDIR/errors.jsonl and never stop the run; the end
    checks that documents + errors = records. A run killed at any point can be
    finished with --resume.
    """
    if scheduler and engine != "dask":
        engine = "dask"  # --scheduler only makes sense on Dask
    summary = run_batch(
        source, outdir, engine=engine, scheduler=scheduler, workers=workers, resume=resume,
        on_error=on_error, chunk_size=chunk_size, max_chars=max_chars, quiet=quiet,
        process=_load_process(process_spec) if process_spec else None)
    if fmt == "json":
        emit(summary.to_dict(), "json")
    else:
        click.echo(_summary_text(summary), nl=False)
