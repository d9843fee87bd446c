"""Reading inputs and writing outputs.

Readers turn files, folders, JSONL, CSV, saved HTML pages or standard input into records
(:func:`iter_records`: every input id comes out as a record or as an error
row). Writers turn Documents into the output formats (JSON, GeoJSON, CSV,
PLOVER JSONL, GeoDataFrame, GeoParquet), every file written atomically through
:func:`geokit.paths.atomic_write`; :func:`read_extract` reads a written extract
back (for a map, after a hand correction). :func:`format_for_output` picks the
format from an ``-o`` suffix and :func:`output_stream` / :func:`output_path`
write a file atomically or to standard output for ``-``; the ACLED codes of
the CSV (event types, dates, precision, fatalities) come from the tables in
``geokit/io/data/``.

May import: ``geokit.errors``, ``geokit.models``, ``geokit.paths``. Readers sit
before the pipeline and writers after it; neither calls a pipeline stage.
"""

from geokit.io._acled import acled_date, acled_event_type, acled_geo_precision, fatalities
from geokit.io._html import HTML_SUFFIXES, article_from_html
from geokit.io._output import (
    OUTPUT_SUFFIXES,
    STDOUT,
    format_for_output,
    is_stdout,
    output_path,
    output_stream,
    write_geodata,
)
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
    "HTML_SUFFIXES",
    "INPUT_FORMATS",
    "OUTPUT_SUFFIXES",
    "STDOUT",
    "Record",
    "RecordError",
    "acled_date",
    "acled_event_type",
    "acled_geo_precision",
    "article_from_html",
    "document_from_dict",
    "document_to_dict",
    "documents_from_json",
    "documents_to_json",
    "events_to_rows",
    "fatalities",
    "format_for_output",
    "is_stdout",
    "iter_records",
    "output_path",
    "output_stream",
    "read_extract",
    "to_geodataframe",
    "to_geojson",
    "to_plover",
    "write_csv",
    "write_geodata",
    "write_geojson",
    "write_geoparquet",
    "write_json",
    "write_jsonl",
]
