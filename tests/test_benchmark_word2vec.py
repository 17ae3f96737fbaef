"""benchmarks/word2vec.py's summary: the ratios issue 20 sets goals for are computed as it says."""
import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("gensim")
spec = importlib.util.spec_from_file_location("bench_w2v", Path(__file__).parent.parent / "benchmarks" / "word2vec.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def row(cpu, wall, quality=0.4, transfer=float("nan"), load=0.2):
    return [cpu, wall, quality, quality / 2, quality / 4, transfer, load]


def test_summary_of_a_saved_run(tmp_path, capsys):
    runs = [  # SGNS, two seeds: teachkit twice gensim's CPU rate; two workers 1.8x and 1.0x
        {"config": "SGNS", "workers": 1, "library": "gensim", "rows": [row(300, 300), row(300, 300)]},
        {"config": "SGNS", "workers": 1, "library": "teachkit", "rows": [row(600, 600, 0.41), row(600, 600, 0.41)]},
        {"config": "SGNS", "workers": 2, "library": "gensim", "rows": [row(300, 600, 0.4, 30), row(300, 600, 0.4, 30)]},
        {"config": "SGNS", "workers": 2, "library": "teachkit",
         "rows": [row(540, 1080, 0.4, 30), row(300, 600, 0.4, 170)]},
        # two one-worker processes at once, the reference: 570 / 600 words per CPU-second
        {"config": "SGNS", "workers": 2, "library": "independent",
         "rows": [row(570, 1140, float("nan"), 30), row(570, 1140, float("nan"), 170)]},
    ]
    file = tmp_path / "run.json"
    file.write_text(json.dumps({"command": "python benchmarks/word2vec.py", "date": "2026-12-07", "gensim": "4.4",
                                "numba": "0.6", "tokens": 1000, "epochs": 5, "seeds": [1, 2], "runs": runs}))
    loaded, seeds = bench.load_runs(file)
    bench.summarize(loaded, ["SGNS"], [1, 2], seeds)
    out = capsys.readouterr().out
    assert "1 worker CPU 2.00x [met]" in out
    assert "2 workers wall 1.40x [met]" in out           # (1080 + 600) / 2 / 600
    assert "words per CPU-second 0.70 [MISSED]" in out   # (540 + 300) / 2 / 600
    assert "wall speed-up 1.40x [not judged" not in out and "wall speed-up 1.40x [MISSED]" in out
    assert "two one-worker runs at once, in two processes: words per CPU-second 0.95 of one alone" in out
    assert "per seed 1.80x (30 ns), 1.00x (170 ns)" in out
    # the seed whose cores shared a cache, alone: 540 / 600 and 1080 / 600
    assert ("the 1 seed(s) with the cores close (at most 100 ns): words per CPU-second 0.90 [met], "
            "wall speed-up 1.80x [met]") in out
    assert "WS353 0.410 (0.000) vs 0.400 (0.000) +0.010 [met]" in out


def test_runs_pooled_seed_by_seed_split_by_where_the_cores_were(capsys):
    def run(seeds):  # one SGNS run: per seed (one-worker CPU rate, two-worker CPU rate, core-to-core ns)
        return {("SGNS", 1, "teachkit"): [row(one, one) for one, _, _ in seeds],
                ("SGNS", 2, "teachkit"): [row(two, 2 * two, 0.4, ns) for _, two, ns in seeds]}

    bench.pooled([run([(600, 600, 30), (400, 200, 170)]), run([(500, 400, 100), (600, 420, 101)])])
    out = capsys.readouterr().out
    # per seed: 600/600 = 1.0 (30 ns), 200/400 = 0.5 (170), 400/500 = 0.8 (100 ns: close), 420/600 = 0.7 (101)
    assert "SGNS     all 0.75 (0.50-1.00, 4); close 0.90 (0.80-1.00, 2); apart 0.60 (0.50-0.70, 2)" in out
    assert "CBOW" not in out  # architectures not in the runs are left out


def test_pooling_refuses_runs_whose_seeds_do_not_pair():
    unpaired = {("SGNS", 1, "teachkit"): [row(600, 600)] * 2, ("SGNS", 2, "teachkit"): [row(500, 1000, 0.4, 30)]}
    with pytest.raises(ValueError, match="not as many 2-worker seeds"):
        bench.pooled([unpaired, unpaired])


def test_a_saved_run_names_the_commit_it_ran_at(monkeypatch):
    version = bench.code_version()  # this test runs in a git clone
    assert isinstance(version, str) and version and "\n" not in version

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(bench.subprocess, "run", no_git)
    assert bench.code_version() is None  # a copy without git still saves its runs


def test_the_independent_pair_runs_two_processes_at_once():
    sentences = [["the", "cat", "sat", "on", "the", "mat"], ["a", "dog", "sat", "on", "a", "log"]] * 200
    vocab = bench.Vocab.build(sentences, min_count=5)
    cpus, wall = bench.run_independent_pair(sentences, vocab, bench.CONFIGS["CBOW+HS"], 1, seed=1)
    assert len(cpus) == 2 and all(0 < cpu < 60 for cpu in cpus) and 0 < wall < 60


def test_a_failing_process_of_the_pair_is_reported_not_waited_for():
    with pytest.raises(RuntimeError, match="independent pair failed") as caught:
        bench.run_independent_pair([["a", "b"]], bench.Vocab.build([["a", "b"]], min_count=1),
                                   {**bench.CONFIGS["SGNS"], "alpha": -1.0}, 1, seed=1)  # train refuses alpha < 0
    assert "alpha must be" in str(caught.value.__cause__)  # the child's own error, not the barrier's


def test_a_miss_is_not_rounded_up_to_its_goal():
    assert bench.shown(1.697, 1.7) == "1.697" and bench.shown(1.68, 1.7) == "1.68" and bench.shown(1.7, 1.7) == "1.70"


def test_a_process_of_the_pair_that_dies_is_reported_not_waited_for(monkeypatch):
    import os
    monkeypatch.setattr(bench, "run_teachkit", lambda *args: os._exit(3))  # the forked children inherit it
    sentences = [["a", "b"]] * 5
    with pytest.raises(RuntimeError, match="died \\(exit code 3\\)"):
        bench.run_independent_pair(sentences, bench.Vocab.build(sentences, min_count=1), bench.CONFIGS["SGNS"], 1, seed=1)
