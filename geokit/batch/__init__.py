"""Corpora at scale: every record through a process, on all cores or a Dask cluster.

:func:`run_batch` streams records from :func:`geokit.io.iter_records`, runs
them in chunks on a local process pool or Dask, and writes places and events
as GeoParquet plus ``documents.jsonl``, ``errors.jsonl`` and ``manifest.json``
(every input id is a result or an error row; ``--resume`` finishes a killed run).

May import: ``geokit.errors``, ``geokit.models``, ``geokit.paths``,
``geokit.io`` and the pipeline stages it runs (``geokit.events``).
"""

from geokit.batch._run import (
    DEFAULT_CHUNK_SIZE,
    ENGINES,
    ON_ERROR,
    PART_ROWS,
    BatchSummary,
    default_process,
    run_batch,
)

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ENGINES",
    "ON_ERROR",
    "PART_ROWS",
    "BatchSummary",
    "default_process",
    "run_batch",
]
