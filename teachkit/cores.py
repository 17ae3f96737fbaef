"""How far apart the machine's first two cores are: the time a cache line takes to go between them.

Hogwild threads (word2vec.c's, and ``word2vec.train(..., workers=2)``) write the rows of frequent
words from both cores; each such write takes the row's cache lines from the other core. On a laptop
the two cores share a cache and a line moves in a few tens of nanoseconds; a virtual machine's two
CPUs may sit on parts of the host's processor that share no cache, where it takes several times as
long, and the host can move them while a program runs. Notebook 06 and ``benchmarks/word2vec.py``
print this time next to the threads' speed-up; ``benchmarks/core_placement.py`` watches it change.

    core_to_core_ns(rounds=200_000) -> float   # nanoseconds per transfer; nan on one core
    CLOSE_NS                                   # at most this: the two cores share a cache
"""
from __future__ import annotations

import ctypes
import os
import threading
import time

import numba
import numpy as np

# Any C function: numba must read memory again after calling one, so the wait loop below sees the
# other thread's write instead of a value kept in a register.
_opaque = ctypes.CDLL(None).labs
_opaque.restype, _opaque.argtypes = ctypes.c_long, [ctypes.c_long]

# Cores that share a cache pass a line in about 30 ns; on the host of docs/benchmarks.md, cores that
# share none take about 150-200 ns. 100 ns lies between the two.
CLOSE_NS = 100


@numba.njit(nogil=True)
def _bounce(flag, me, rounds):
    # Thread `me` (0 or 1) waits for its turn (flag even for 0, odd for 1), then passes the turn on.
    for i in range(rounds):
        turn = 2 * i + me
        while flag[0] != turn:
            _opaque(0)
        flag[0] = turn + 1


def core_to_core_ns(rounds: int = 200_000) -> float:
    """Nanoseconds for one cache line to go from one core to the other: two threads, each pinned to
    one of the first two CPUs this process may use, pass a counter back and forth ``rounds`` times
    each (about 10 ms on cores that share a cache). Returns nan when the process may use one CPU
    only. Windows and macOS cannot pin a thread this way: there it returns nan as well."""
    if not hasattr(os, "sched_getaffinity"):
        return float("nan")
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return float("nan")
    flag = np.zeros(8, dtype=np.int64)
    _bounce(flag, 1, 0)  # compile before timing

    def bounce(me):
        os.sched_setaffinity(0, {cpus[me]})  # pid 0: this thread only
        _bounce(flag, me, rounds)

    threads = [threading.Thread(target=bounce, args=(me,)) for me in (0, 1)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (time.perf_counter() - start) / (2 * rounds) * 1e9
