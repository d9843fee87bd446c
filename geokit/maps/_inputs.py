"""Turn map inputs (texts, directories, JSONL, extract JSON) into documents."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from geokit.io._readers import Record, RecordError, iter_records
from geokit.io._writers import read_extract
from geokit.models import Document

__all__ = ["default_processor", "is_extract_file", "load_documents"]

Processor = Callable[..., Document]
_EXTRACT_KEYS = ("places", "events", "relations", "actors")


def default_processor() -> tuple[Processor, str]:
    """Return the text processor (:func:`geokit.extract`) and its name."""
    from geokit.events import extract  # noqa: PLC0415 - loads spaCy only when text is mapped

    return extract, "extract"


def is_extract_file(path: Path) -> bool:
    """Return True for a ``geokit extract`` JSON/JSONL file (not raw article records).

    A ``.json`` file is always read as extract output; a ``.jsonl`` file is when
    its first record has a ``places``, ``events``, ``relations`` or ``actors``
    field (raw article records have ``text`` instead).
    """
    if not path.is_file():
        return False
    suffix = path.suffix.lower()
    if suffix == ".json":
        return True
    if suffix not in (".jsonl", ".ndjson"):
        return False
    with path.open("rb") as fh:
        for raw in fh:
            if raw.strip():
                try:
                    obj = json.loads(raw)
                except ValueError:
                    return False  # let the record reader report the bad line
                return isinstance(obj, dict) and any(k in obj for k in _EXTRACT_KEYS)
    return False


def _records(source: str, recursive: bool) -> Iterator[Record | RecordError]:
    yield from iter_records(source, recursive=recursive)


def load_documents(
    sources: Iterable[str | os.PathLike[str]],
    *,
    process: Processor | None = None,
    recursive: bool = False,
) -> tuple[list[Document], list[RecordError]]:
    """Read every input into documents, keeping the unreadable records as errors.

    Parameters
    ----------
    sources : iterable of str or PathLike
        Extract JSON/JSONL files (read back as they are, so an analyst's
        corrections are mapped), or anything :func:`geokit.io._readers.iter_records`
        reads: a ``.txt`` file, a directory, a JSONL/CSV file of articles, a
        glob or ``"-"``.
    process : callable, optional
        ``process(text, id=..., date=...) -> Document`` for article texts;
        default :func:`default_processor`, looked up only if a text is met.
    recursive : bool
        Read sub-directories of directory inputs.

    Returns
    -------
    (documents, errors)
        Documents in input order, and a :class:`~geokit.io._readers.RecordError` for
        each record that could not be read or processed.

    Raises
    ------
    ExtractFormatError
        A malformed extract file (the message names the file and the field).
    InputError
        An input that does not exist.
    """
    docs: list[Document] = []
    errors: list[RecordError] = []
    for source in sources:
        path = Path(source)
        if str(source) != "-" and is_extract_file(path):
            docs.extend(read_extract(path))
            continue
        for item in _records(os.fspath(source), recursive):
            if isinstance(item, RecordError):
                errors.append(item)
                continue
            if process is None:
                process = default_processor()[0]
            try:
                doc = process(item.text, id=item.id, date=item.date)
            except (ValueError, LookupError) as exc:  # bad text: one error row, keep going
                errors.append(RecordError(item.id, item.origin, type(exc).__name__, str(exc),
                                          "bad_record"))
                continue
            if item.meta:
                doc = _with_meta(doc, item.meta)
            docs.append(doc)
    return docs, errors


def _with_meta(doc: Document, meta: Any) -> Document:
    from dataclasses import replace  # noqa: PLC0415

    return replace(doc, meta={**dict(meta), **dict(doc.meta)})
