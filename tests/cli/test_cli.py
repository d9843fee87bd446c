"""The CLI as a whole: every command documented, exit codes, version."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

import geokit
from geokit.cli import main
from geokit.cli._common import EXIT_BAD_INPUT, EXIT_NOT_FOUND


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


COMMANDS = list(_commands(main))


def test_the_commands_the_readme_names_exist():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"resolve", "geoparse", "eval", "extract", "locate-event", "map", "batch",
            "gazetteer build", "gazetteer info", "gazetteer add"} <= names


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_has_help(path, cmd):
    assert (cmd.help or "").strip(), f"geokit {' '.join(path)} has no help text"
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    for param in cmd.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"geokit {' '.join(path)} {param.opts} lacks help"


def test_commands_that_write_records_share_one_format_option():
    for path, cmd in COMMANDS:
        fmt = [p for p in cmd.params if p.name == "fmt"]
        if fmt:
            assert fmt[0].opts == ["--format"], path
            assert isinstance(fmt[0].type, click.Choice), path


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert geokit.__version__ in result.output


def test_exit_codes_bad_usage_and_not_found():
    runner = CliRunner()
    assert runner.invoke(main, ["resolve", "--limit", "zero", "Kyiv"]).exit_code == EXIT_BAD_INPUT
    assert runner.invoke(main, ["no-such-command"]).exit_code == EXIT_BAD_INPUT
    missing = runner.invoke(main, ["resolve", "Qxzvbnmqwerty Plkjhg"])
    assert missing.exit_code == EXIT_NOT_FOUND


def test_a_suffix_the_command_cannot_write_is_bad_usage(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Shelling hit Donetsk.", encoding="utf-8")
    out = tmp_path / "places.json"
    r = CliRunner().invoke(main, ["geoparse", str(src), "-o", str(out)])
    assert r.exit_code == EXIT_BAD_INPUT
    assert f"{out}: this command cannot write json (.json)" in r.stderr
    assert not out.exists()


def test_extract_stdin_to_stdout_as_csv(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["extract", "-", "-o", "-", "--format", "csv", "--date",
                                  "2024-06-01"],
                           input="Russian forces shelled Kharkiv on 3 June 2024, killing 12.")
    assert r.exit_code == 0, r.output
    header, *rows = r.stdout.splitlines()
    assert header.startswith("event_id,event_date,year,time_precision,event_type")
    (shelling,) = [row for row in rows if ",Explosions/Remote violence," in row]
    assert ",2024-06-03,2024,1," in shelling and ",12,ASSAULT,shelling," in shelling
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_extract_to_a_file_says_what_it_wrote_unless_quiet(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Russian forces shelled Kharkiv on 3 June 2024, killing 12.", encoding="utf-8")
    out = tmp_path / "out.json"
    r = CliRunner().invoke(main, ["extract", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    (doc,) = geokit.read_extract(out)
    assert doc.places and doc.events  # the summary counts something
    assert r.stdout == ""
    assert r.stderr == (f"wrote {out} (1 document, {len(doc.places)} place mentions, "
                        f"{len(doc.events)} events)\n")
    for flag in ("-q", "--quiet"):
        out.unlink()
        r = CliRunner().invoke(main, ["extract", str(src), "-o", str(out), flag])
        assert r.exit_code == 0 and r.output == ""
        assert geokit.read_extract(out) == [doc]


def test_extract_to_stdout_prints_only_the_data(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Russian forces shelled Kharkiv.", encoding="utf-8")
    r = CliRunner().invoke(main, ["extract", str(src)])
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout.startswith("{")
