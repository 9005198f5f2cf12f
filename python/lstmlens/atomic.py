"""Atomic file writes, as src/core/atomicWrite.ts does them: write a
temporary file in the same folder, flush it to disk, rename it over the
target. Readers see the old file or the new one, never half of one."""

import os
import secrets
import time


def write_file_atomic(target: str, data: bytes) -> None:
    directory = os.path.dirname(os.path.abspath(target))
    tmp = os.path.join(directory, ".%s.%d.%x.%s.tmp" % (os.path.basename(target), os.getpid(), int(time.time() * 1000), secrets.token_hex(3)))
    try:
        with open(tmp, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def is_atomic_temp_name(name: str) -> bool:
    """Leftovers of a crashed write (ours or the extension's): safe to delete."""
    return name.startswith(".") and name.endswith(".tmp")
