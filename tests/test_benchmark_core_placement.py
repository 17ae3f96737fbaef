"""benchmarks/core_placement.py: the stretches and the time apart are read from the samples as it says."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "core_placement.py"
spec = importlib.util.spec_from_file_location("bench_placement", SCRIPT)
placement = importlib.util.module_from_spec(spec)
spec.loader.exec_module(placement)


def test_stretches_join_samples_on_one_side_of_the_line():
    samples = [(0.0, 0.1, 27), (0.1, 0.2, 31), (0.2, 0.4, 168), (0.4, 0.6, 175), (0.6, 0.7, 29)]
    assert placement.stretches(samples) == [(True, 0.0, 0.2, 27, 31), (False, 0.2, 0.6, 168, 175),
                                            (True, 0.6, 0.7, 29, 29)]


def test_a_time_on_the_line_counts_as_close():
    assert placement.stretches([(0.0, 0.1, placement.CLOSE_NS)])[0][0] is True


def test_the_summary_gives_each_side_its_time_share_median_and_longest(capsys):
    runs = [(True, 0.0, 6.0, 27, 31), (False, 6.0, 7.0, 168, 175), (True, 7.0, 8.0, 29, 29),
            (False, 8.0, 10.0, 160, 170)]
    placement.summarize(runs, 40)
    out = capsys.readouterr().out.splitlines()
    assert out[-3] == "40 measurements in 10 s; 3 move(s) between close and apart"
    assert out[-2] == "close: 7.0 s (70% of the time) in 2 stretch(es), median 3.5 s, longest 6.0 s"
    assert out[-1] == "apart: 3.0 s (30% of the time) in 2 stretch(es), median 1.5 s, longest 2.0 s"


TWO_CPUS = pytest.mark.skipif(len(getattr(os, "sched_getaffinity", lambda _: [])(0)) < 2, reason="needs two CPUs")


@TWO_CPUS
def test_a_short_watch_prints_its_stretches_and_the_time_apart():
    out = subprocess.run([sys.executable, str(SCRIPT), "--seconds", "1", "--idle", "0"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    stretch_lines = [line for line in out if " s  close " in line or " s  apart " in line]
    assert stretch_lines, out
    shares = [int(line.split("(")[1].split("%")[0]) for line in out if "of the time" in line]
    assert 99 <= sum(shares) <= 101  # close and apart share the watch


@pytest.mark.parametrize("args, message", [(["--seconds", "0"], "--seconds must be more than 0"),
                                           (["--save", "/no/such/folder/watch.json"], "cannot write --save")])
def test_bad_arguments_are_refused_before_the_watch(args, message):
    result = subprocess.run([sys.executable, str(SCRIPT), "--idle", "0", *args], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and message in result.stderr


@TWO_CPUS
def test_a_saved_watch_prints_the_same_summary(tmp_path):
    file = tmp_path / "watch.json"
    watch = subprocess.run([sys.executable, str(SCRIPT), "--seconds", "1", "--idle", "0", "--save", str(file)],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    again = subprocess.run([sys.executable, str(SCRIPT), "--from-json", str(file)], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert again[1:] == watch[1:] and "--save" in again[0]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs sched_setaffinity")
def test_one_cpu_is_refused_with_the_reason():
    code = (f"import os, runpy, sys; os.sched_setaffinity(0, {{min(os.sched_getaffinity(0))}}); "
            f"sys.argv = ['core_placement.py']; runpy.run_path({str(SCRIPT)!r}, run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "one CPU only" in result.stderr
