"""Streaming input readers shared by ``geoparse``, ``extract``, ``map`` and ``batch``.

:func:`iter_records` turns any supported input into a stream of :class:`Record`
(a text to process) and :class:`RecordError` (an input that could not be read).
A bad record never stops the stream: the caller decides what to do with the
error rows, and every input record comes out as exactly one of the two.

Files are read in binary and decoded line by line, so a JSONL or CSV file of any
size is read with bounded memory and an invalid UTF-8 byte is reported with its
byte offset instead of aborting the whole file (a text-mode file object would
raise from inside its read-ahead buffer, far from the record at fault).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import glob
import json
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from geokit.errors import ConfigurationError, InputError, scrub_surrogates
from geokit.io._html import HTML_SUFFIXES, html_record_fields

__all__ = [
    "DEFAULT_MAX_CHARS",
    "INPUT_FORMATS",
    "Record",
    "RecordError",
    "iter_records",
    "mark_duplicate_ids",
]

#: Largest document text accepted, in characters.
DEFAULT_MAX_CHARS = 2_000_000
#: Values of the ``fmt`` option.
INPUT_FORMATS = ("auto", "jsonl", "csv", "txt", "html")

_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_CSV_SUFFIXES = (".csv",)
_TXT_SUFFIXES = (".txt", ".text")
_BOM = codecs.BOM_UTF8
# Columns the CSV reader maps to Record fields; the rest goes to ``meta``.
_CSV_META = ("url", "title")
# Share of control characters above which a decoded text is called binary.
_BINARY_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Record:
    """One input text to process.

    Attributes
    ----------
    id : str
        The record's id; the file stem for ``.txt`` files; ``"<file>:<line>"``
        when the record has none.
    text : str
        The document text (may be empty: an empty result, not an error).
    date : str or None
        The article date as given in the input, when there is one.
    meta : Mapping
        Every other field of the input record (``url``, ``title``, gold
        ``toponyms``, ...); not compared.
    origin : str
        Where the record came from: ``"file.jsonl:12"``, ``"<stdin>:3"`` or a path.
    """

    id: str
    text: str
    date: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    origin: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the flat input shape (``{"id", "text", "date", **meta}``)."""
        d: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.date is not None:
            d["date"] = self.date
        for k, v in self.meta.items():
            d.setdefault(k, v)
        return d


@dataclass(frozen=True, slots=True)
class RecordError:
    """An input record that could not be read.

    Attributes
    ----------
    id : str or None
        The record's id when it could be read, else None.
    origin : str
        ``"file.jsonl:12"``, ``"<stdin>:3"`` or a path.
    error : str
        The exception class name (``"JSONDecodeError"``, ``"UnicodeDecodeError"``,
        ``"InputError"``).
    message : str
        What is wrong, for a human.
    kind : str
        A stable machine tag: ``invalid_json``, ``not_object``, ``missing_text``,
        ``bad_field``, ``invalid_encoding``, ``binary``, ``too_large``,
        ``unreadable``, ``bad_row``, ``duplicate_id``.
    """

    id: str | None
    origin: str
    error: str
    message: str
    kind: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready row (the ``errors.jsonl`` shape)."""
        return {"id": self.id, "origin": self.origin, "error": self.error,
                "kind": self.kind, "message": self.message}

    def __str__(self) -> str:
        who = f" (id {self.id})" if self.id is not None else ""
        return f"{self.origin}{who}: {self.message}"


Item = Record | RecordError


def _err(origin: str, kind: str, message: str, *, id: str | None = None,
         error: str = "InputError") -> RecordError:
    return RecordError(id=id, origin=origin, error=error, message=message, kind=kind)


def _binary_reason(text: str) -> str | None:
    """Say why ``text`` looks like binary data, or None when it looks like text."""
    if "\x00" in text:
        return f"contains NUL bytes (first at character {text.index(chr(0))})"
    # Other C0 controls occur in scraped text now and then; only a high share
    # means the bytes were never text.
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v")
    if controls >= 8 and controls > _BINARY_SHARE * len(text):
        return f"looks like binary data ({controls} control characters in {len(text)})"
    return None


def _decode(raw: bytes, encoding: str, origin: str, offset: int) -> str | RecordError:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        return _err(
            origin, "invalid_encoding",
            f"invalid {exc.encoding} at byte {offset + exc.start} "
            f"({raw[exc.start:exc.start + 4]!r}): {exc.reason}",
            error="UnicodeDecodeError",
        )


# --------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based
    offset: int  # byte offset of the line's first byte in the stream
    raw: bytes | None  # None when the line exceeded the byte limit
    size: int  # bytes in the line, newline included


def _iter_lines(fh: IO[bytes], limit: int | None, *, start: tuple[int, int] = (0, 0)
                ) -> Iterator[_Line]:
    """Yield the physical lines of a binary stream without holding more than ``limit`` bytes.

    ``start`` is (lines, bytes) already read before the stream's position,
    so numbers and offsets stay those of the whole file.
    """
    number, offset = start
    chunk = -1 if limit is None else limit + 1
    while True:
        raw = fh.readline(chunk)
        if not raw:
            return
        number += 1
        if number == 1 and raw.startswith(_BOM):
            offset, raw = len(_BOM), raw[len(_BOM):]
        size = len(raw)
        if limit is not None and size > limit and not raw.endswith(b"\n"):
            # Too long: skip to the end of the line in fixed chunks so a
            # newline-free multi-gigabyte blob cannot exhaust memory.
            while not raw.endswith(b"\n"):
                raw = fh.readline(1 << 20)
                if not raw:
                    break
                size += len(raw)
            yield _Line(number, offset, None, size)
        else:
            yield _Line(number, offset, raw, size)
        offset += size


def _line_limit(max_chars: int | None) -> int | None:
    # A JSON string of n characters takes at most 6n bytes (\\uXXXX escapes);
    # the extra MiB leaves room for the record's other fields.
    return None if max_chars is None else 6 * max_chars + (1 << 20)


# --------------------------------------------------------------------------- records


def _id_of(obj: Mapping[str, Any], id_field: str) -> str | None | RecordError:
    value = obj.get(id_field)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return _err("", "bad_field",
                    f"{id_field!r} must be a string or an integer, got {type(value).__name__}")
    return str(value)


def _from_mapping(
    obj: Mapping[str, Any], origin: str, *, id_field: str, text_field: str,
    max_chars: int | None,
) -> Item:
    """Build a Record from a decoded JSON object or dict (pure)."""
    obj = html_record_fields(obj, text_field=text_field)
    rid = _id_of(obj, id_field)
    if isinstance(rid, RecordError):
        return _err(origin, rid.kind, rid.message)
    if text_field not in obj:
        return _err(origin, "missing_text", f"no {text_field!r} field", id=rid)
    text = obj[text_field]
    if not isinstance(text, str):
        return _err(origin, "missing_text",
                    f"{text_field!r} must be a string, got {type(text).__name__}", id=rid)
    bad = _unusable_text(text, origin, rid, max_chars, field=f"{text_field!r} ")
    if bad is not None:
        return bad
    date = obj.get("date")
    if date is not None and not isinstance(date, str):
        date = str(date)
    meta = {k: v for k, v in obj.items() if k not in (id_field, text_field, "date")}
    return Record(id=rid if rid is not None else origin, text=text, date=date or None,
                  meta=meta, origin=origin)


def _read_jsonl_lines(
    lines: Iterable[_Line], name: str, *, encoding: str, id_field: str, text_field: str,
    max_chars: int | None,
) -> Iterator[Item]:
    for line in lines:
        origin = f"{name}:{line.number}"
        if line.raw is None:
            yield _err(origin, "too_large",
                       f"line has {line.size:,} bytes, more than a document of "
                       f"{max_chars:,} characters can take")
            continue
        if not line.raw.strip():
            continue
        if b"\x00" in line.raw:
            yield _err(origin, "binary",
                       f"NUL byte at byte {line.offset + line.raw.index(0)}: binary data, not JSON")
            continue
        text = _decode(line.raw, encoding, origin, line.offset)
        if isinstance(text, RecordError):
            yield text
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield _err(origin, "invalid_json", f"not valid JSON: {exc}", error="JSONDecodeError")
            continue
        except RecursionError:
            yield _err(origin, "invalid_json", "JSON nested too deeply", error="RecursionError")
            continue
        if not isinstance(obj, dict):
            yield _err(origin, "not_object",
                       f"expected a JSON object, got {type(obj).__name__}")
            continue
        yield _from_mapping(obj, origin, id_field=id_field, text_field=text_field,
                            max_chars=max_chars)


def _read_jsonl(path: Path, **opts: Any) -> Iterator[Item]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield _err(str(path), "unreadable", f"cannot open: {exc.strerror or exc}",
                   error=type(exc).__name__)
        return
    with fh:
        yield from _read_jsonl_lines(_iter_lines(fh, _line_limit(opts["max_chars"])),
                                     str(path), **opts)


def _unusable_text(text: str, origin: str, rid: str | None, max_chars: int | None, *,
                   field: str = "") -> RecordError | None:
    """Return the error row for a text over the size limit or of binary data, else None."""
    if max_chars is not None and len(text) > max_chars:
        return _err(origin, "too_large",
                    f"text has {len(text):,} characters, more than the limit of {max_chars:,}",
                    id=rid)
    reason = _binary_reason(text)
    return _err(origin, "binary", f"{field}{reason}", id=rid) if reason else None


def _read_text_bytes(raw: bytes, origin: str, rid: str, *, encoding: str,
                     max_chars: int | None, meta: Mapping[str, Any]) -> Item:
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    if b"\x00" in raw:
        return _err(origin, "binary", f"NUL byte at byte {raw.index(0)}: binary data, not text",
                    id=rid)
    text = _decode(raw, encoding, origin, 0)
    if isinstance(text, RecordError):
        return RecordError(id=rid, origin=text.origin, error=text.error,
                           message=text.message, kind=text.kind)
    bad = _unusable_text(text, origin, rid, max_chars)
    if bad is not None:
        return bad
    return Record(id=rid, text=text, meta=dict(meta), origin=origin)


def _read_txt(path: Path, rid: str, *, encoding: str, max_chars: int | None, **_: Any) -> Item:
    origin = str(path)
    # UTF-8 needs at most 4 bytes a character: reading one byte past that
    # bound tells "too large" without reading a huge file whole.
    limit = None if max_chars is None else 4 * max_chars
    try:
        with path.open("rb") as fh:
            raw = fh.read(-1 if limit is None else limit + 1)
            if limit is not None and len(raw) > limit:
                size = os.fstat(fh.fileno()).st_size
                return _err(origin, "too_large",
                            f"file has {size:,} bytes, more than a document of "
                            f"{max_chars:,} characters can take", id=rid)
    except OSError as exc:
        return _err(origin, "unreadable", f"cannot read: {exc.strerror or exc}", id=rid,
                    error=type(exc).__name__)
    return _read_text_bytes(raw, origin, rid, encoding=encoding, max_chars=max_chars,
                            meta={"path": origin})


def _read_html(path: Path, rid: str, **opts: Any) -> Item:
    page = _read_txt(path, rid, **opts)
    if isinstance(page, RecordError):
        return page
    from geokit.io._html import article_from_html  # noqa: PLC0415 - trafilatura is heavy

    article = article_from_html(page.text)
    text = article.pop("text")
    if not text:
        return _err(str(path), "missing_text",
                    "no article text in the HTML page (only scripts, menus or boilerplate)",
                    id=rid)
    date = article.pop("date", None)
    return Record(id=rid, text=text, date=date, meta={**page.meta, **article},
                  origin=page.origin)


def _read_csv(path: Path, *, encoding: str, id_field: str, text_field: str,
              max_chars: int | None) -> Iterator[Item]:
    name = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield _err(name, "unreadable", f"cannot open: {exc.strerror or exc}",
                   error=type(exc).__name__)
        return
    old_limit = csv.field_size_limit()
    # The csv module's default field limit (128 KiB) is far below a long
    # article; set it to the document limit so an oversized field stops early
    # with an error.
    csv.field_size_limit(sys.maxsize // 4 if max_chars is None else max_chars + 1)
    try:
        with fh:
            header: list[str] | None = None
            for first, row in _csv_rows(fh, name, encoding=encoding, max_chars=max_chars):
                origin = f"{name}:{first}"
                if header is None:
                    if isinstance(row, RecordError):
                        raise InputError(f"CSV header unreadable (line {first}): "
                                         f"{row.message}", source=name)
                    header = [h.strip() for h in row]
                    continue
                if isinstance(row, RecordError):
                    yield row
                    continue
                if not row:
                    continue
                if len(row) > len(header):
                    yield _err(origin, "bad_row",
                               f"row has {len(row)} fields, the header has {len(header)}")
                    continue
                obj: dict[str, Any] = {h: v for h, v in zip(header, row, strict=False)
                                       if v != "" or h == text_field}
                if text_field not in header:
                    yield _err(origin, "missing_text",
                               f"the CSV header has no {text_field!r} column "
                               f"(columns: {', '.join(header)})", id=obj.get(id_field))
                    continue
                yield _from_mapping(obj, origin, id_field=id_field, text_field=text_field,
                                    max_chars=max_chars)
    finally:
        csv.field_size_limit(old_limit)


def _csv_rows(fh: IO[bytes], name: str, *, encoding: str, max_chars: int | None
              ) -> Iterator[tuple[int, list[str] | RecordError]]:
    """Yield (first physical line, fields or error) for each CSV record, strictly parsed.

    The csv module's default dialect is lenient: a quote that never closes
    swallows the rest of the file into one field and reports success. Strict
    parsing raises instead; the record is then an error row naming the line
    where the quote opened, and reading starts again on the next physical line,
    so the records after it still come through.
    """
    # Physical lines that could not be decoded or were too long, by line number;
    # the csv module sees a harmless stand-in and the row that spans them
    # becomes an error row.
    bad: dict[int, RecordError] = {}
    start: tuple[int, int] | None = (0, 0)
    while start is not None:
        fh.seek(start[1])
        # Lines read before the current record; where to read again after it.
        mark: dict[str, Any] = {"last": start[0], "resume": None}
        reader = csv.reader(_csv_lines(fh, name, encoding, max_chars, start, bad, mark),
                            strict=True)
        start = None
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                first, end = mark["last"] + 1, mark["base"] + reader.line_num
                mark["last"] = end
                if "field limit" in str(exc):
                    yield first, _err(f"{name}:{first}", "too_large",
                                      f"a field has more than {max_chars:,} characters",
                                      error="csv.Error")
                    continue
                eof = "unexpected end of data" in str(exc)
                if end == first and not eof:
                    yield first, _err(f"{name}:{first}", "bad_row", f"malformed CSV: {exc}",
                                      error="csv.Error")
                    continue
                # A quote that spans lines and then breaks (at the end of the file,
                # or on meeting the next record's opening quote) never closed.
                where = "never closes" if eof else f"does not close before line {end} ({exc})"
                yield first, _err(f"{name}:{first}", "bad_row", f"unterminated quote: the "
                                  f"quoted field opened on line {first} {where}",
                                  error="csv.Error")
                if end > first:
                    start = mark["resume"]  # the lines it swallowed, read again as records
                # Past an error at the end of the file the csv module returns stale
                # fields instead of stopping, so this reader is done either way.
                break
            first = mark["last"] + 1
            mark["last"] = mark["base"] + reader.line_num
            problem = next((bad[n] for n in range(first, mark["last"] + 1) if n in bad), None)
            yield first, (row if problem is None else problem)


def _csv_lines(fh: IO[bytes], name: str, encoding: str, max_chars: int | None,
               start: tuple[int, int], bad: dict[int, RecordError], mark: dict[str, Any]
               ) -> Iterator[str]:
    """Decode the physical lines for the csv module, noting in ``mark`` where records start."""
    mark["base"] = start[0]
    for line in _iter_lines(fh, _line_limit(max_chars), start=start):
        if line.number == mark["last"] + 2:
            # The second line of the current record: where to read again if
            # the record turns out to be an unterminated quote.
            mark["resume"] = (line.number - 1, line.offset)
        origin = f"{name}:{line.number}"
        if line.raw is None:
            bad[line.number] = _err(origin, "too_large",
                                    f"line has {line.size:,} bytes, more than the limit")
            yield "\n"
            continue
        if b"\x00" in line.raw:
            bad[line.number] = _err(
                origin, "binary", f"NUL byte at byte {line.offset + line.raw.index(0)}")
            yield "\n"
            continue
        text = _decode(line.raw, encoding, origin, line.offset)
        if isinstance(text, RecordError):
            bad[line.number] = text
            yield "\n"
        else:
            yield text


# --------------------------------------------------------------------------- dispatch


def _kind_of(path: Path, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    suffix = path.suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _CSV_SUFFIXES:
        return "csv"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "txt"


def _read_path(path: Path, fmt: str, rid: str | None, **opts: Any) -> Iterator[Item]:
    kind = _kind_of(path, fmt)
    if kind == "jsonl":
        yield from _read_jsonl(path, **opts)
    elif kind == "csv":
        yield from _read_csv(path, **opts)
    elif kind == "html":
        yield _read_html(path, rid or path.stem, **opts)
    else:
        yield _read_txt(path, rid or path.stem, **opts)


def _read_directory(root: Path, fmt: str, recursive: bool, **opts: Any) -> Iterator[Item]:
    pattern = "**/*" if recursive else "*"
    try:  # Path.glob reads an unreadable folder as empty: say so instead
        os.scandir(root).close()
    except OSError as exc:
        raise InputError(f"cannot read the folder: {exc.strerror or exc}",
                         source=str(root)) from None
    wanted = {"auto": _TXT_SUFFIXES + HTML_SUFFIXES, "txt": _TXT_SUFFIXES, "html": HTML_SUFFIXES,
              "jsonl": _JSONL_SUFFIXES, "csv": _CSV_SUFFIXES}[fmt]
    files = sorted(p for p in root.glob(pattern)
                   if p.is_file() and p.suffix.lower() in wanted)
    for path in files:
        # Nested files keep their sub-directory in the id so a/x.txt and b/x.txt differ.
        rid = path.relative_to(root).with_suffix("").as_posix()
        yield from _read_path(path, fmt, rid, **opts)


def _read_stdin(fmt: str, **opts: Any) -> Iterator[Item]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream without bytes underneath (some test runners)
        import io  # noqa: PLC0415

        stream = io.BytesIO(sys.stdin.read().encode(opts["encoding"], "surrogateescape"))
    lines = _iter_lines(stream, _line_limit(opts["max_chars"]))
    head: list[_Line] = []
    first = b""
    for line in lines:
        head.append(line)
        if line.raw is None or line.raw.strip():
            first = (line.raw or b"{").lstrip()[:1]
            break

    def chained() -> Iterator[_Line]:
        yield from head
        yield from lines

    if fmt == "jsonl" or (fmt == "auto" and first == b"{"):
        yield from _read_jsonl_lines(chained(), "<stdin>", **opts)
        return
    if not head:
        return
    max_chars = opts["max_chars"]
    limit = None if max_chars is None else 4 * max_chars
    parts, size = [], 0
    for line in chained():
        if line.raw is None or (limit is not None and size + line.size > limit):
            for _ in lines:  # drain, so the size is reported
                size += _.size
            size += line.size
            yield _err("<stdin>", "too_large",
                       f"standard input has {size:,} bytes, more than a document of "
                       f"{max_chars:,} characters can take", id="<stdin>")
            return
        parts.append(line.raw)
        size += line.size
    yield _read_text_bytes(b"".join(parts), "<stdin>", "<stdin>", encoding=opts["encoding"],
                           max_chars=max_chars, meta={})


def _read_iterable(items: Iterable[Any], **opts: Any) -> Iterator[Item]:
    for n, item in enumerate(items, 1):
        origin = f"<input>:{n}"
        if isinstance(item, Record | RecordError):
            yield item
        elif isinstance(item, str):
            if opts["max_chars"] is not None and len(item) > opts["max_chars"]:
                yield _err(origin, "too_large",
                           f"text has {len(item):,} characters, more than the limit of "
                           f"{opts['max_chars']:,}")
            else:
                yield Record(id=origin, text=item, origin=origin)
        elif isinstance(item, bytes):
            yield _read_text_bytes(item, origin, origin, encoding=opts["encoding"],
                                   max_chars=opts["max_chars"], meta={})
        elif isinstance(item, Mapping):
            yield _from_mapping(item, origin, id_field=opts["id_field"],
                                text_field=opts["text_field"], max_chars=opts["max_chars"])
        else:
            yield _err(origin, "not_object",
                       f"expected a string or a mapping, got {type(item).__name__}")


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigurationError(f"unknown encoding {encoding!r}") from None
    # Files are split into lines before decoding, which needs "\n" to be the
    # byte 0x0A as in every ASCII-compatible encoding (not UTF-16/32).
    if "\n".encode(encoding) != b"\n":
        raise ConfigurationError(
            f"encoding {encoding!r} is not ASCII-compatible; convert the input to UTF-8")


def iter_records(
    source: str | os.PathLike[str] | Iterable[Any],
    *,
    fmt: str = "auto",
    id_field: str = "id",
    text_field: str = "text",
    encoding: str = "utf-8",
    max_chars: int | None = DEFAULT_MAX_CHARS,
    recursive: bool = False,
) -> Iterator[Record | RecordError]:
    """Stream the records of an input, one :class:`Record` or :class:`RecordError` each.

    Parameters
    ----------
    source : str, PathLike or iterable
        A ``.txt`` file (one document, id = file stem); a saved web page
        (``.html``/``.htm``: its article text, with ``title``, ``url`` and the
        date from the page's metadata); a directory of ``.txt`` and ``.html``
        files (sorted by path); a ``.jsonl``/``.ndjson`` file (one JSON object per
        line; a record with ``html`` and no ``text`` is read as a page); a
        ``.csv`` file with a header (columns ``id``, ``text`` and optional
        ``date``, ``url``, ``title``; other columns go to ``meta``); a
        glob pattern (``"news/*.jsonl"``, ``"**"`` recursive); ``"-"`` for
        standard input (JSONL when the first non-blank character is ``{``,
        otherwise one text); or an iterable of strings, dicts or Records.
    fmt : {"auto", "jsonl", "csv", "txt", "html"}
        Force a format instead of guessing it from file suffixes.
    id_field, text_field : str
        Names of the id and text fields in JSONL, CSV and dict records.
    encoding : str
        Encoding of files and standard input; must be ASCII-compatible.
    max_chars : int or None
        Longest text accepted, in characters; longer documents become
        ``too_large`` error rows. None for no limit.
    recursive : bool
        Also read ``.txt`` files in sub-directories of a directory source.

    Yields
    ------
    Record or RecordError
        In input order. Records without an id get their origin
        (``"file.jsonl:12"``) as id. Blank JSONL lines are skipped; an empty
        text is a valid Record. Duplicate ids are passed through (see
        :func:`mark_duplicate_ids`).

    Raises
    ------
    InputError
        When the source itself does not exist or a glob matches nothing, or
        a CSV header cannot be read.
    ConfigurationError
        For an unknown ``fmt`` or an unusable encoding.

    Examples
    --------
    >>> [r.text for r in iter_records(["Kyiv is in Ukraine.", ""])]
    ['Kyiv is in Ukraine.', '']
    """
    if fmt not in INPUT_FORMATS:
        raise ConfigurationError(
            f"unknown input format {fmt!r}; use one of {', '.join(INPUT_FORMATS)}")
    if max_chars is not None and max_chars < 0:
        raise ConfigurationError(f"max_chars must be positive, got {max_chars}")
    _check_encoding(encoding)
    opts = {"encoding": encoding, "id_field": id_field, "text_field": text_field,
            "max_chars": max_chars}
    if isinstance(source, str | os.PathLike):
        return _scrubbed(_iter_source(os.fspath(source), fmt, recursive, opts))
    if isinstance(source, bytes | Mapping):
        raise ConfigurationError(
            f"source must be a path, '-' or an iterable of texts, got {type(source).__name__}")
    if not isinstance(source, Iterable):
        raise ConfigurationError(
            f"source must be a path, '-' or an iterable of texts, got {type(source).__name__}")
    return _scrubbed(_read_iterable(source, **opts))


def _scrubbed(items: Iterator[Item]) -> Iterator[Item]:
    """Replace lone surrogates in every string a record carries (one warning each).

    JSON escapes let lone surrogates through and scraped text has them; they cannot be
    encoded, so every writer (JSONL, Parquet, SQLite) would fail on them later.
    """
    for item in items:
        where = scrub_surrogates(item.origin, where="input")
        if isinstance(item, RecordError):
            yield dataclasses.replace(
                item, id=scrub_surrogates(item.id, where=where), origin=where,
                message=scrub_surrogates(item.message, where=where))
        else:
            yield dataclasses.replace(
                item, id=scrub_surrogates(item.id, where=where), origin=where,
                text=scrub_surrogates(item.text, where=where),
                date=scrub_surrogates(item.date, where=where),
                meta=scrub_surrogates(dict(item.meta), where=where))


def _iter_source(source: str, fmt: str, recursive: bool, opts: dict[str, Any]) -> Iterator[Item]:
    # Resolve the source eagerly so a missing file fails at the call, not at
    # the first next(), where the caller may no longer know what it asked for.
    if source == "-":
        if fmt == "csv":
            raise ConfigurationError("CSV from standard input is not supported; give a file")
        return _read_stdin(fmt, **opts)
    path = Path(source)
    if path.is_dir():
        return _read_directory(path, fmt, recursive, **opts)
    if path.exists():
        return _read_path(path, fmt, None, **opts)
    if glob.has_magic(source):
        matches = sorted(glob.glob(source, recursive=True))
        if not matches:
            raise InputError("the pattern matches no file", source=source)
        return _read_glob(matches, fmt, recursive, opts)
    raise InputError("no such file or directory", source=source)


def _read_glob(matches: list[str], fmt: str, recursive: bool,
               opts: dict[str, Any]) -> Iterator[Item]:
    for match in matches:
        path = Path(match)
        if path.is_dir():
            yield from _read_directory(path, fmt, recursive, **opts)
        else:
            yield from _read_path(path, fmt, None, **opts)


def mark_duplicate_ids(
    items: Iterable[Record | RecordError], *, seen: set[str] | None = None,
) -> Iterator[Record | RecordError]:
    """Turn every Record whose id was already seen into a ``duplicate_id`` error row.

    Parameters
    ----------
    items : iterable of Record or RecordError
        Usually the output of :func:`iter_records`.
    seen : set of str, optional
        Ids already processed (e.g. by an earlier, resumed run); updated in place.

    Yields
    ------
    Record or RecordError
        The first Record of each id unchanged; later ones as errors.
    """
    seen = set() if seen is None else seen
    for item in items:
        if isinstance(item, Record):
            if item.id in seen:
                yield RecordError(id=item.id, origin=item.origin, error="InputError",
                                  message=f"duplicate id {item.id!r}", kind="duplicate_id")
                continue
            seen.add(item.id)
        yield item
