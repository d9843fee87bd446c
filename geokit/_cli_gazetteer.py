"""``geokit resolve`` and ``geokit gazetteer ...`` (filled in by the gazetteer work)."""
