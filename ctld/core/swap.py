"""Replacing a directory in one step, so readers see the old release or the new one,
never a mix or nothing.

On Linux, renameat2(RENAME_EXCHANGE) swaps two paths atomically; the old release then
sits at the staging path and is removed after. Where that call is missing (other
systems, old kernels), the target is renamed aside and the new one renamed in: two
renames, with a window of a few microseconds in which the target does not exist.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def replace_directory(new: Path, target: Path) -> None:
    """Put `new` at `target`; the previous `target`, if any, is deleted after."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new)
        return
    aside = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, aside)
    os.rename(new, target)
    shutil.rmtree(aside)


def _exchange(a: Path, b: Path) -> bool:
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE
    )
    return result == 0
