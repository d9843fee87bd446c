"""Saved web pages as input: article text and title/date/url, never scripts or menus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokit.cli import main
from geokit.io import iter_records
from geokit.io._html import article_from_html
from geokit.io._readers import Record, RecordError

PAGE = Path(__file__).parent / "data" / "saved_news_page.html"
# Words that only the page's scripts, menu, cookie banner, sidebar and footer hold.
BOILERPLATE = ("Paris", "Madrid", "Lisbon", "Moscow", "Tokyo", "Oslo", "Valencia", "Warsaw",
               "London", "Berlin", "Rome", "cookies", "adCity", "Subscribe", "Privacy")
URL = "https://news.example.org/world/duhok-drone-strike"
TITLE = "Drone strike hits village near Duhok"


def test_article_text_and_metadata():
    a = article_from_html(PAGE.read_text(encoding="utf-8"))
    assert (a["title"], a["date"], a["url"]) == (TITLE, "2024-03-04", URL)
    assert "A Turkish drone strike hit a village near Duhok" in a["text"]
    assert "base for attacks." in a["text"]
    assert [w for w in BOILERPLATE if w in a["text"]] == []


def test_a_page_without_an_article_gives_empty_text():
    page = "<html><head><script>var x = 'Kyiv';</script></head><body><nav>Home</nav></body></html>"
    assert article_from_html(page)["text"] == ""
    assert article_from_html("<html><body><nav>Menu</nav></body></html>")["text"] == ""
    bare = "<html><body><p>Shelling hit Donetsk overnight.</p></body></html>"
    assert article_from_html(bare) == {"text": "Shelling hit Donetsk overnight."}


def test_html_file_is_a_record_with_its_metadata(tmp_path):
    (rec,) = list(iter_records(PAGE))
    assert isinstance(rec, Record)
    assert rec.id == "saved_news_page" and rec.date == "2024-03-04"
    assert rec.meta["title"] == TITLE and rec.meta["url"] == URL
    assert rec.meta["path"] == str(PAGE)
    assert "<p>" not in rec.text and "Duhok" in rec.text


def test_folder_reads_html_and_txt(tmp_path):
    (tmp_path / "page.htm").write_text(PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "note.txt").write_text("Shelling hit Donetsk.", encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body><nav>Menu</nav></body></html>",
                                         encoding="utf-8")
    items = {i.id: i for i in iter_records(tmp_path)}
    assert set(items) == {"page", "note", "empty"}
    assert items["page"].meta["title"] == TITLE and items["note"].text == "Shelling hit Donetsk."
    bad = items["empty"]
    assert isinstance(bad, RecordError) and bad.kind == "missing_text"
    assert "no article text in the HTML page" in bad.message and "empty.html" in bad.origin


def test_jsonl_record_with_html(tmp_path):
    page = PAGE.read_text(encoding="utf-8")
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "a", "html": page}) + "\n"
                 + json.dumps({"id": "b", "html": page, "title": "Our own title"}) + "\n",
                 encoding="utf-8")
    a, b = list(iter_records(p))
    assert a.text.startswith(TITLE) and a.date == "2024-03-04"
    assert (a.meta["title"], a.meta["url"]) == (TITLE, URL) and "html" not in a.meta
    assert b.meta["title"] == "Our own title"  # the record's own field wins


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "page.json"
    r = CliRunner().invoke(main, ["extract", str(PAGE), "-o", str(out)])
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text(encoding="utf-8"))["documents"][0]


def test_extract_reads_the_article_not_the_page(extracted):
    names = {p["name"] for p in extracted["places"]}
    assert "Duhok" in names
    assert names.isdisjoint(BOILERPLATE)
    assert extracted["meta"]["title"] == TITLE and extracted["meta"]["url"] == URL
    assert extracted["date"] == "2024-03-04"


def test_extract_csv_source_is_the_page_url():
    r = CliRunner().invoke(main, ["extract", str(PAGE), "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and {row["source"] for row in rows} == {URL}
