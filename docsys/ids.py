"""Row identifiers and version numbers taken from user input (URLs, forms, JSON).

A value is an identifier only if it is a whole number in the range of the database's
INTEGER columns: "12", 12. Anything else ("x", "1.5", True, [1], a 25-digit number)
names no row. Checking here keeps such input from reaching the database, where SQLite
cannot bind integers past 64 bits and PostgreSQL refuses them for an INTEGER column.
"""
from __future__ import annotations

import re

MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value) -> int | None:
    """``value`` as a positive identifier, or None when it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None
