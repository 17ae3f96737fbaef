"""teachkit.cores: the core-to-core time is a real measurement, and nan where it cannot be one."""
import math
import os
import subprocess
import sys

import pytest

from teachkit.cores import core_to_core_ns


@pytest.mark.skipif(len(getattr(os, "sched_getaffinity", lambda _: [])(0)) < 2, reason="needs two CPUs")
def test_two_cores_take_some_nanoseconds():
    ns = core_to_core_ns(rounds=20_000)
    assert 1 < ns < 100_000  # a cache line moves in tens to hundreds of ns, far from 0 and from a sleep


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs sched_setaffinity")
def test_one_cpu_gives_nan():
    code = "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); " \
           "from teachkit.cores import core_to_core_ns; print(core_to_core_ns())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert math.isnan(float(out))
