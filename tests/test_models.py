"""The data model's own checks (geokit/models.py)."""

from __future__ import annotations

import pytest

from geokit.models import is_iso_date


@pytest.mark.parametrize("value", ["2024-02-29", "2024-03", "2024", "0001-01-01", "9999-12-31"])
def test_a_day_a_month_or_a_year_is_an_iso_date(value):
    assert is_iso_date(value)


@pytest.mark.parametrize("value", ["99999-99", "2023-02-29", "2024-13", "2024-00", "0000",
                                   "24-06-19", "2024-6-1", "2024-06-19T10:00", " 2024", "June",
                                   "", None, 2024, ["2024"]])
def test_anything_else_is_not(value):
    assert not is_iso_date(value)
