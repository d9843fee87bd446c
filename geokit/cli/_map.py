"""``geokit map``: draw articles or an extract file as an interactive HTML map."""

from __future__ import annotations

from pathlib import Path

import click

from geokit.cli._common import EXIT_BAD_INPUT, echo_written, fail, handle_errors
from geokit.errors import InputError

_LAYER_HELP = "places,deployments,alliances,blocs,timeline"


def _layers(value: str) -> list[str]:
    return [x.strip() for x in value.split(",") if x.strip()]


@click.command("map")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("map.html"), show_default=True, help="HTML file to write.")
@click.option("--offline", is_flag=True,
              help="One self-contained file: assets inlined, country outlines instead of "
                   "tiles, no network request when opened.")
@click.option("--layers", "layers", default=_LAYER_HELP, show_default=True,
              help="Comma-separated layers to draw.")
@click.option("--tiles", default=None,
              help="Tile set name or URL template (default OpenStreetMap; ignored with "
                   "--offline).")
@click.option("--attribution", default=None,
              help="Credit line of a --tiles URL template (required for one).")
@click.option("--title", default=None, help="Title shown over the map.")
@click.option("--cluster/--no-cluster", default=None,
              help="Cluster place markers (default: above 300 places).")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Leave out events less sure than this (event confidence, 0 to 1).")
@click.option("--since", default=None, metavar="DATE",
              help="Leave out events before this ISO date (and undated ones).")
@click.option("--until", default=None, metavar="DATE",
              help="Leave out events after this ISO date (and undated ones).")
@click.option("-r", "--recursive", is_flag=True, help="Read sub-directories of directories.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def map_cmd(inputs: tuple[str, ...], output: Path, offline: bool, layers: str,
            tiles: str | None, attribution: str | None, title: str | None,
            cluster: bool | None, min_score: float, since: str | None, until: str | None,
            recursive: bool, quiet: bool) -> None:
    """Draw INPUTS as an interactive map of places, deployments and alliances.

    INPUTS are article texts (a .txt file, a directory, JSONL or CSV records, a
    glob, - for stdin), processed with geokit.extract (geoparse only when
    extract is unavailable: places layer only), or the JSON that
    `geokit extract` wrote, mapped as it is so corrections show up.
    """
    from geokit.maps import DEFAULT_TILES, build_map, save_map  # noqa: PLC0415 - folium is heavy
    from geokit.maps._inputs import load_documents  # noqa: PLC0415

    try:
        docs, errors = load_documents(inputs, recursive=recursive)
    except RecursionError:  # json.loads on a deeply nested file
        raise InputError("JSON nested too deeply to read", source=", ".join(inputs)) from None
    for err in errors:
        click.echo(f"geokit: warning: skipped {err}", err=True)
    if not docs and errors:
        fail(f"no input could be read ({len(errors)} error{'s' if len(errors) != 1 else ''})",
             EXIT_BAD_INPUT)
    m = build_map(docs, layers=_layers(layers), tiles=tiles or DEFAULT_TILES, offline=offline,
                  title=title, cluster="auto" if cluster is None else cluster,
                  min_score=min_score, since=since, until=until, attribution=attribution)
    save_map(m, output)
    if not quiet:
        echo_written(output, docs, note="offline" if offline else "")
