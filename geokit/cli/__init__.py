"""The ``geokit`` command line: a thin click layer over the library.

Each command lives in its own module and is a plain ``click.Command``; this
module makes the group and adds them, so the list below is the one place that
says which commands exist, and no command module imports this one (no cycle).
Commands parse arguments, call the public library, and print with
:func:`geokit.cli._common.emit`; library errors become one line on stderr and
an exit code (see ``_common``).

May import: every other geokit subpackage (the CLI sits at the end of the flow).
"""

from __future__ import annotations

import click

from geokit.cli._batch import batch_cmd
from geokit.cli._eval import eval_cmd
from geokit.cli._extract import extract_cmd
from geokit.cli._gazetteer import gazetteer_group, resolve_cmd
from geokit.cli._geoparse import geoparse_cmd
from geokit.cli._locate_event import locate_event_cmd
from geokit.cli._map import map_cmd

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geokit")
def main() -> None:
    """Turn news text into maps: places, actors, events, offline."""


for _command in (resolve_cmd, gazetteer_group, geoparse_cmd, extract_cmd, locate_event_cmd,
                 map_cmd, eval_cmd, batch_cmd):
    main.add_command(_command)
