"""Tests for the streaming input readers (geokit.io._readers)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from geokit.errors import ConfigurationError, InputError
from geokit.io._readers import Record, RecordError, iter_records, mark_duplicate_ids


def _jsonl(path, rows):
    path.write_bytes(b"".join(
        (r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in rows))
    return path


def _split(items):
    items = list(items)
    return ([i for i in items if isinstance(i, Record)],
            [i for i in items if isinstance(i, RecordError)], items)


# --------------------------------------------------------------------------- JSONL


def test_jsonl_reads_fields_date_and_meta(tmp_path):
    p = _jsonl(tmp_path / "news.jsonl", [
        {"id": "a", "text": "Kyiv.", "date": "2024-06-19", "url": "http://x", "title": "T",
         "toponyms": [{"start": 0, "end": 4}]},
        {"id": 7, "text": ""},
        {"text": "no id here"},
    ])
    recs, errs, _ = _split(iter_records(p))
    assert errs == []
    assert [r.id for r in recs] == ["a", "7", f"{p}:3"]
    assert recs[0].date == "2024-06-19"
    assert recs[0].meta == {"url": "http://x", "title": "T", "toponyms": [{"start": 0, "end": 4}]}
    assert recs[0].origin == f"{p}:1"
    assert recs[1].text == ""  # an empty text is a record, not an error
    assert recs[0].to_dict()["toponyms"] == [{"start": 0, "end": 4}]


@pytest.mark.parametrize(("line", "kind", "error"), [
    (b"{not json", "invalid_json", "JSONDecodeError"),
    (b"[1, 2]", "not_object", "InputError"),
    (b'"just a string"', "not_object", "InputError"),
    (b'{"id": "x"}', "missing_text", "InputError"),
    (b'{"id": "x", "text": null}', "missing_text", "InputError"),
    (b'{"id": "x", "text": 42}', "missing_text", "InputError"),
    (b'{"id": ["x"], "text": "t"}', "bad_field", "InputError"),
    (b'{"id": "x", "text": "caf\xe9"}', "invalid_encoding", "UnicodeDecodeError"),
    (b'{"id": "x", "text": "a\x00b"}', "binary", "InputError"),
    (b'{"id": "x", "text": "a\\u0000b"}', "binary", "InputError"),
    (b"\x00\x00\x00\rIHDR\x00\x00\x01", "binary", "InputError"),
], ids=["not-json", "array", "string", "no-text", "null-text", "int-text", "bad-id",
        "latin1", "nul-raw", "nul-escaped", "png"])
def test_jsonl_bad_line_is_an_error_row_and_the_rest_survives(tmp_path, line, kind, error):
    p = _jsonl(tmp_path / "in.jsonl", [{"id": "before", "text": "one"}, line,
                                       {"id": "after", "text": "two"}])
    recs, errs, items = _split(iter_records(p))
    assert [r.id for r in recs] == ["before", "after"]
    assert len(errs) >= 1
    assert errs[0].kind == kind
    assert errs[0].error == error
    assert errs[0].origin == f"{p}:2"
    assert errs[0].to_dict()["origin"] == f"{p}:2"
    # Input order is kept: the error sits between the two good records.
    assert isinstance(items[1], RecordError)


def test_binary_garbage_spanning_lines_loses_no_good_record(tmp_path):
    garbage = bytes((i * 37 + 11) % 256 for i in range(4000))  # includes newlines and NULs
    p = tmp_path / "in.jsonl"
    p.write_bytes(json.dumps({"id": "a", "text": "x"}).encode() + b"\n" + garbage + b"\n"
                  + json.dumps({"id": "b", "text": "y"}).encode() + b"\n")
    recs, errs, _ = _split(iter_records(p))
    assert [r.id for r in recs] == ["a", "b"]
    assert errs and {e.kind for e in errs} <= {"binary", "invalid_encoding", "invalid_json"}


def test_missing_text_names_the_id(tmp_path):
    p = _jsonl(tmp_path / "in.jsonl", [{"id": "doc-9", "body": "x"}])
    (err,) = iter_records(p)
    assert err.id == "doc-9"
    assert "'text'" in err.message
    assert "doc-9" in str(err) and "in.jsonl:1" in str(err)


def test_invalid_utf8_reports_the_byte_offset(tmp_path):
    first = json.dumps({"id": "a", "text": "ok"}).encode() + b"\n"
    bad = b'{"id": "b", "text": "caf\xff"}\n'
    p = tmp_path / "in.jsonl"
    p.write_bytes(first + bad)
    _, (err,), _ = _split(iter_records(p))
    expected = len(first) + bad.index(b"\xff")
    assert f"byte {expected}" in err.message


def test_oversized_document_is_an_error(tmp_path):
    p = _jsonl(tmp_path / "in.jsonl", [{"id": "big", "text": "x" * 101},
                                       {"id": "ok", "text": "x" * 100}])
    recs, (err,), _ = _split(iter_records(p, max_chars=100))
    assert err.kind == "too_large" and err.id == "big"
    assert [r.id for r in recs] == ["ok"]
    # With the default limit both pass.
    assert len(_split(iter_records(p))[0]) == 2


def test_oversized_line_is_skipped_without_reading_it_whole(tmp_path):
    # 60 KiB without a newline: over the raw-line limit for max_chars=1000.
    p = tmp_path / "in.jsonl"
    p.write_bytes(b'{"id": "huge", "text": "' + b"y" * 60_000 + b'"}\n'
                  + json.dumps({"id": "next", "text": "fine"}).encode() + b"\n")
    recs, (err,), _ = _split(iter_records(p, max_chars=1000))
    assert err.kind == "too_large" and err.origin == f"{p}:1"
    assert [r.id for r in recs] == ["next"] and recs[0].origin == f"{p}:2"


def test_blank_lines_and_crlf_and_bom(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_bytes(b"\xef\xbb\xbf"
                  + b'{"id": "a", "text": "x"}\r\n\r\n   \n{"id": "b", "text": "y"}')
    recs, errs, _ = _split(iter_records(p))
    assert errs == [] and [r.id for r in recs] == ["a", "b"]
    assert recs[1].origin == f"{p}:4"


def test_jsonl_is_read_lazily(tmp_path, monkeypatch):
    p = tmp_path / "big.jsonl"
    with p.open("w") as fh:
        for i in range(100_000):
            fh.write(json.dumps({"id": f"d{i}", "text": f"text {i}"}) + "\n")
    calls = []
    real_loads = json.loads

    def counting_loads(s, *a, **k):
        calls.append(1)
        return real_loads(s, *a, **k)

    monkeypatch.setattr(json, "loads", counting_loads)
    gen = iter_records(p)
    got = [next(gen).id for _ in range(3)]
    assert got == ["d0", "d1", "d2"]
    assert len(calls) == 3  # nothing parsed ahead of the consumer
    gen.close()


# --------------------------------------------------------------------------- text files


def test_txt_file_and_directory(tmp_path):
    d = tmp_path / "news"
    (d / "sub").mkdir(parents=True)
    (d / "b.txt").write_text("Second text about Tehran.")
    (d / "a.txt").write_text("First text about Kyiv.")
    (d / "notes.md").write_text("ignored")
    (d / "sub" / "c.txt").write_text("Nested.")
    (d / "empty.txt").write_text("")
    recs, errs, _ = _split(iter_records(d))
    assert errs == []
    assert [r.id for r in recs] == ["a", "b", "empty"]
    assert recs[0].text == "First text about Kyiv." and recs[0].origin == str(d / "a.txt")
    assert recs[2].text == ""
    ids = [r.id for r in iter_records(d, recursive=True)]
    assert ids == ["a", "b", "empty", "sub/c"]
    (single,) = iter_records(d / "b.txt")
    assert single.id == "b"


@pytest.mark.parametrize(("payload", "kind"), [
    (b"caf\xe9 au lait", "invalid_encoding"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00", "binary"),
    (bytes(range(1, 31)) * 10, "binary"),
])
def test_bad_txt_file_is_an_error_and_the_directory_continues(tmp_path, payload, kind):
    (tmp_path / "a.txt").write_bytes(payload)
    (tmp_path / "b.txt").write_text("fine")
    items = list(iter_records(tmp_path))
    assert isinstance(items[0], RecordError) and items[0].kind == kind
    assert items[0].id == "a" and items[0].origin == str(tmp_path / "a.txt")
    assert isinstance(items[1], Record) and items[1].text == "fine"


def test_oversized_txt_file(tmp_path):
    (tmp_path / "big.txt").write_text("z" * 5000)
    (err,) = iter_records(tmp_path / "big.txt", max_chars=1000)
    assert err.kind == "too_large" and "5,000 bytes" in err.message


def test_txt_invalid_utf8_offset(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"0123456789\xc3(")
    (err,) = iter_records(p)
    assert "byte 10" in err.message and err.error == "UnicodeDecodeError"


# --------------------------------------------------------------------------- CSV


def test_csv_reads_columns(tmp_path):
    p = tmp_path / "news.csv"
    p.write_text('id,text,date,url,title,section\n'
                 '1,"Kyiv, the capital",2024-01-02,http://a,Title A,world\n'
                 '2,"multi\nline text",,,,\n'
                 '3,,,,,\n', encoding="utf-8")
    recs, errs, _ = _split(iter_records(p))
    assert errs == []
    assert [r.id for r in recs] == ["1", "2", "3"]
    assert recs[0].text == "Kyiv, the capital" and recs[0].date == "2024-01-02"
    assert recs[0].meta == {"url": "http://a", "title": "Title A", "section": "world"}
    assert recs[1].text == "multi\nline text" and recs[1].date is None
    assert recs[2].text == ""
    assert recs[2].origin == f"{p}:5"  # physical line, after the two-line record


def test_csv_bad_rows(tmp_path):
    p = tmp_path / "news.csv"
    p.write_bytes(b"id,text\n"
                  b"1,good\n"
                  b"2,caf\xe9\n"
                  b"3,a,b,c\n"
                  b"4,\"" + b"w" * 200 + b"\"\n"
                  b"5,also good\n")
    recs, errs, _ = _split(iter_records(p, max_chars=100))
    assert [r.id for r in recs] == ["1", "5"]
    assert [(e.origin, e.kind) for e in errs] == [
        (f"{p}:3", "invalid_encoding"), (f"{p}:4", "bad_row"), (f"{p}:5", "too_large")]


def test_csv_unterminated_quote_is_an_error_row_and_the_rest_comes_through(tmp_path):
    p = tmp_path / "news.csv"
    p.write_text('id,text\n'
                 '1,"Kyiv, the capital"\n'
                 '2,"a quote that never closes\n'
                 '3,Shelling in Donetsk\n'
                 '4,"multi\nline, fine"\n'
                 '5,last\n', encoding="utf-8")
    recs, errs, _ = _split(iter_records(p))
    assert [(r.id, r.text) for r in recs] == [
        ("1", "Kyiv, the capital"), ("3", "Shelling in Donetsk"), ("4", "multi\nline, fine"),
        ("5", "last")]
    assert [r.origin for r in recs] == [f"{p}:2", f"{p}:4", f"{p}:5", f"{p}:7"]
    (err,) = errs
    assert (err.origin, err.kind) == (f"{p}:3", "bad_row")
    assert "unterminated quote" in err.message and "line 3" in err.message


def test_csv_strict_quotes(tmp_path):
    p = tmp_path / "news.csv"
    p.write_text('id,text\n'
                 '1,"closed"then more\n'  # text after a closing quote
                 '2,ok\n'
                 '3,"open at the end of the file\n', encoding="utf-8")
    recs, errs, _ = _split(iter_records(p))
    assert [r.id for r in recs] == ["2"]
    assert [(e.origin, e.kind) for e in errs] == [(f"{p}:2", "bad_row"), (f"{p}:4", "bad_row")]
    assert "malformed CSV" in errs[0].message and "unterminated quote" in errs[1].message


def test_csv_unterminated_quote_in_the_header(tmp_path):
    p = tmp_path / "news.csv"
    p.write_text('id,"text\n1,a\n', encoding="utf-8")
    with pytest.raises(InputError, match="CSV header unreadable \\(line 1\\).*unterminated"):
        list(iter_records(p))


def test_csv_without_text_column(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("id,body\n1,hello\n2,world\n")
    recs, errs, _ = _split(iter_records(p))
    assert recs == [] and len(errs) == 2
    assert all(e.kind == "missing_text" and "body" in e.message for e in errs)
    assert errs[0].id == "1"


# ------------------------------------------------------------------- globs, stdin, iterables


def test_glob_mixes_formats(tmp_path):
    _jsonl(tmp_path / "a.jsonl", [{"id": "j1", "text": "x"}])
    (tmp_path / "b.csv").write_text("id,text\nc1,y\n")
    (tmp_path / "c.txt").write_text("z")
    ids = [r.id for r in iter_records(str(tmp_path / "*"))]
    assert ids == ["j1", "c1", "c"]
    with pytest.raises(InputError, match="matches no file"):
        iter_records(str(tmp_path / "*.nothing"))


def test_missing_source_raises_at_call(tmp_path):
    with pytest.raises(InputError, match="no such file") as info:
        iter_records(tmp_path / "absent.jsonl")
    assert "absent.jsonl" in str(info.value)


def _stdin(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_jsonl(monkeypatch):
    _stdin(monkeypatch, b'\n  {"id": "s1", "text": "a"}\nnot json\n{"id": "s2", "text": "b"}\n')
    recs, errs, _ = _split(iter_records("-"))
    assert [r.id for r in recs] == ["s1", "s2"]
    assert recs[0].origin == "<stdin>:2"
    assert errs[0].origin == "<stdin>:3" and errs[0].kind == "invalid_json"


def test_stdin_plain_text_is_one_document(monkeypatch):
    _stdin(monkeypatch, b"\nRussian troops entered Donetsk.\n{not the first char}\n")
    (rec,) = iter_records("-")
    assert rec.id == "<stdin>"
    assert rec.text == "\nRussian troops entered Donetsk.\n{not the first char}\n"


def test_stdin_invalid_utf8_text(monkeypatch):
    _stdin(monkeypatch, b"abc\xff")
    (err,) = iter_records("-")
    assert err.kind == "invalid_encoding" and "byte 3" in err.message


def test_stdin_empty_gives_nothing(monkeypatch):
    _stdin(monkeypatch, b"")
    assert list(iter_records("-")) == []


def test_iterable_of_strings_dicts_and_junk():
    recs, errs, _ = _split(iter_records(
        ["Kyiv", {"id": "d", "text": "Tehran", "date": 2024}, {"id": "e"}, 3.5, b"ok"]))
    assert [(r.id, r.text) for r in recs] == [("<input>:1", "Kyiv"), ("d", "Tehran"),
                                              ("<input>:5", "ok")]
    assert recs[1].date == "2024"
    assert [(e.origin, e.kind) for e in errs] == [("<input>:3", "missing_text"),
                                                  ("<input>:4", "not_object")]


def test_bad_options():
    with pytest.raises(ConfigurationError, match="auto, jsonl, csv, txt"):
        iter_records(["x"], fmt="xml")
    with pytest.raises(ConfigurationError, match="ASCII"):
        iter_records(["x"], encoding="utf-16")


def test_custom_fields_and_forced_format(tmp_path):
    p = _jsonl(tmp_path / "data.log", [{"doc": "q", "body": "Gaza"}])
    (rec,) = iter_records(p, fmt="jsonl", id_field="doc", text_field="body")
    assert (rec.id, rec.text) == ("q", "Gaza")


def test_mark_duplicate_ids():
    seen = {"old"}
    items = list(mark_duplicate_ids(
        iter_records([{"id": "a", "text": "1"}, {"id": "a", "text": "2"},
                      {"id": "old", "text": "3"}, {"id": "b", "text": "4"}]), seen=seen))
    assert [type(i).__name__ for i in items] == ["Record", "RecordError", "RecordError", "Record"]
    assert items[1].kind == "duplicate_id" and items[1].origin == "<input>:2"
    assert seen == {"old", "a", "b"}
