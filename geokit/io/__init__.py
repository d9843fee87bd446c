"""Reading inputs and writing outputs.

Readers turn files, folders, JSONL, CSV or standard input into records
(:func:`iter_records`: every input id comes out as a record or as an error
row). Writers turn Documents into the output formats (JSON, GeoJSON, CSV,
PLOVER JSONL, GeoDataFrame, GeoParquet), every file written atomically through
:func:`geokit.paths.atomic_write`; :func:`read_extract` reads a written extract
back (for a map, after a hand correction).

May import: ``geokit.errors``, ``geokit.models``, ``geokit.paths``. Readers sit
before the pipeline and writers after it; neither calls a pipeline stage.
"""

from geokit.io._readers import DEFAULT_MAX_CHARS, INPUT_FORMATS, Record, RecordError, iter_records
from geokit.io._writers import (
    ACLED_COLUMNS,
    EXTRACT_FORMAT_VERSION,
    document_from_dict,
    document_to_dict,
    documents_from_json,
    documents_to_json,
    events_to_rows,
    read_extract,
    to_geodataframe,
    to_geojson,
    to_plover,
    write_csv,
    write_geojson,
    write_geoparquet,
    write_json,
    write_jsonl,
)

__all__ = [
    "ACLED_COLUMNS",
    "DEFAULT_MAX_CHARS",
    "EXTRACT_FORMAT_VERSION",
    "INPUT_FORMATS",
    "Record",
    "RecordError",
    "document_from_dict",
    "document_to_dict",
    "documents_from_json",
    "documents_to_json",
    "events_to_rows",
    "iter_records",
    "read_extract",
    "to_geodataframe",
    "to_geojson",
    "to_plover",
    "write_csv",
    "write_geojson",
    "write_geoparquet",
    "write_json",
    "write_jsonl",
]
