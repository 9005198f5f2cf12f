#!/usr/bin/env python3
"""Starts N copies of a script on this machine as one torch.distributed group,
with the environment torchrun gives its workers (RANK, WORLD_SIZE,
LOCAL_RANK, LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT).

For where torchrun itself fails: Debian 12's python3-torch (1.13) under
Python 3.11 stops in torchrun's argument handling ("'NoneType' object has no
attribute 'get'"). Elsewhere use torchrun; the trainer reads the same variables.

  python3 python/run_local.py --nproc 2 python/lstm_lens_torch.py train --out DIR ... PATH
"""

import os
import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv) -> int:
    if len(argv) < 3 or argv[0] != "--nproc" or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.stderr.write("usage: run_local.py --nproc N SCRIPT [ARG...]\n")
        return 2
    n = int(argv[1])
    command = [sys.executable] + argv[2:]
    port = str(free_port())
    # N processes share the cores: split the BLAS pools unless told otherwise.
    blas = str(max(1, (os.cpu_count() or 1) // n))
    base = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        base.setdefault(var, blas)
    procs = []
    for rank in range(n):
        env = dict(base, RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(n), LOCAL_WORLD_SIZE=str(n),
                   GROUP_RANK="0", MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
        procs.append(subprocess.Popen(command, env=env))
    # The first failure stops the rest: a lone survivor would wait on its peers forever.
    while True:
        codes = [p.poll() for p in procs]
        failed = [c for c in codes if c not in (None, 0)]
        if failed:
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                p.wait()
            return failed[0]
        if all(c == 0 for c in codes):
            return 0
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
