"""File-system helpers shared by every stage that writes files."""

from __future__ import annotations

import os

__all__ = ["FILE_MODE"]


def _umask() -> int:
    # Read by setting and restoring: there is no other portable way.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: mkstemp creates files 0600; geokit's files (outputs, the gazetteer index a
#: cluster's workers share) are for sharing, so they get the mode a plain
#: open() would give (0666 minus the umask), read once at import.
FILE_MODE = 0o666 & ~_umask()
