"""Handing freed memory back to the system between the large steps of a load.

glibc keeps what a process frees in its heaps (one per thread that allocated: DuckDB's
and Arrow's threads each have their own), to reuse later. A step that frees a few
hundred megabytes leaves them resident, and the next step's peak stacks on top: at
1M accounts / 10M activities ~400 MB of a loaded book's 1.3 GB were freed pages.
malloc_trim releases the free pages of every heap (~40 ms for those 400 MB, ~0 on a
small book)."""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

import pyarrow as pa


def _libc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, where the C library is glibc (None elsewhere)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _libc_trim() if sys.platform.startswith("linux") else None


def return_freed_memory() -> None:
    """Give the pages this process has freed back to the system: Arrow's unused pool
    memory, then every glibc heap's free pages (a no-op where the C library is not
    glibc)."""
    pa.default_memory_pool().release_unused()
    if _TRIM is not None:
        _TRIM(0)
