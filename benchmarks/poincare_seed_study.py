"""Benchmark: what each defect of notebook 05's seed post costs, over several seeds, and when burn-in helps.

    python benchmarks/poincare_seed_study.py                 # seeds 0 1 2, writes poincare_seed_study.json
    python benchmarks/poincare_seed_study.py --seeds 0 1 2 3 4

Three studies on the WordNet mammal closure (1,180 nodes), all scored with
``teachkit.evaluate.reconstruction`` (docs/references.md protocol), NaN where the embedding broke:

ladder     ``teachkit.poincare_seed``: the post's loop as it describes it (2-D, 1000 epochs, lr 0.1 per
           example, "10 negatives" of which the first is u itself, eps 1e-5), then one defect fixed
           per rung, in the order of ``poincare_seed.FIXES``; the last rung is the corrected trainer.
reverse    the corrected trainer with one defect put back at a time; and the corrected trainer with
           eps 1e-9 instead of 1e-5 (how much room at the rim the 2-D layout gets).
burn-in    ``teachkit.poincare.train`` with burn_in=10 against burn_in=0 at several epoch budgets: in 2-D
           with notebook 05's showcase settings, in 5-D with the paper preset (its exercises).

The notebook shows the recorded table (``poincare_seed_study.json`` next to this script) beside one
live pass of the ladder; with the same code and seed 0 the live pass reproduces the recorded run.
One numba thread, CPU time from time.process_time().
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numba  # noqa: E402
import numpy as np  # noqa: E402

from teachkit import data, poincare  # noqa: E402
from teachkit import poincare_seed as ps  # noqa: E402
from teachkit.evaluate import reconstruction  # noqa: E402

OUT = Path(__file__).resolve().parent / "poincare_seed_study.json"
SHOWCASE = dict(dim=2, epochs=200, lr=1.0, n_negatives=20, hard_negatives=10, candidates=50, burn_in=10,
                burn_in_negatives="uniform", eps=1e-9)  # notebook 05 s 2-D animation (it checks they agree)
EXERCISES = dict(preset="paper", dim=5)  # notebook 05's exercises ablate the paper preset
BURN_IN_EPOCHS = (50, 100, 200, 400)


def seed_run(closure, recipe, seed: int, **settings) -> dict:
    started = time.process_time()
    run = ps.train_seed(closure, recipe, seed=seed, **settings)
    score = ps.score(run)
    return dict(seed=seed, mean_rank=score.mean_rank, map=score.map, n_nan=score.n_nan,
                first_nan_epoch=run.first_nan_epoch, cpu=round(time.process_time() - started, 2))


def train_run(closure, seed: int, **settings) -> dict:
    started = time.process_time()
    model = poincare.train(closure, keep_snapshots=False, progress=False, seed=seed, **settings)
    result = reconstruction(model.vectors, model.edges, poincare.distances_from)
    return dict(seed=seed, mean_rank=result.mean_rank, map=result.map, cpu=round(time.process_time() - started, 2))


def summary(runs: list[dict]) -> str:
    maps, ranks = np.array([r["map"] for r in runs]), np.array([r["mean_rank"] for r in runs])
    nan = sum(np.isnan(maps))
    text = (f"MAP {np.nanmean(maps):.3f} [{np.nanmin(maps):.3f}, {np.nanmax(maps):.3f}]  "
            f"mean rank {np.nanmean(ranks):7.2f}" if nan < len(runs) else "MAP nan" + " " * 38)
    return text + (f"  ({nan} of {len(runs)} runs NaN)" if nan else "")


def main(seeds: list[int]) -> None:
    numba.set_num_threads(1)
    closure = data.mammal_closure()
    ps.train_seed(closure, epochs=1)  # compile once, outside the timings
    poincare.train(closure, dim=2, epochs=1, progress=False)
    study = dict(command="python benchmarks/poincare_seed_study.py --seeds " + " ".join(map(str, seeds)),
                 date=datetime.date.today().isoformat(), seeds=seeds, seed_settings=ps.SEED_SETTINGS,
                 showcase_settings=SHOWCASE, exercise_settings=EXERCISES, ladder=[], reverse=[], burn_in=[])
    print("ladder (2-D, 1000 epochs; one defect fixed per rung)", flush=True)
    for k, (label, recipe) in enumerate(ps.ladder()):
        runs = [seed_run(closure, recipe, s) for s in seeds]
        study["ladder"].append(dict(rung=k, label=label, kept=recipe.kept, runs=runs))
        print(f"  {k}  {label:42s} {summary(runs)}", flush=True)
    print("reverse check (the corrected trainer with one defect put back)", flush=True)
    for label, recipe in ps.reverse_check():
        runs = [seed_run(closure, recipe, s) for s in seeds]
        study["reverse"].append(dict(label=label, kept=recipe.kept, runs=runs))
        print(f"     {label:42s} {summary(runs)}", flush=True)
    label = "corrected trainer, eps 1e-9"
    runs = [seed_run(closure, ps.CORRECTED, s, eps=1e-9) for s in seeds]
    study["reverse"].append(dict(label=label, kept=[], eps=1e-9, runs=runs))
    print(f"     {label:42s} {summary(runs)}", flush=True)
    print("burn-in (10 epochs at lr/10) against none, per epoch budget", flush=True)
    for name, settings in [("2-D showcase", SHOWCASE), ("5-D paper preset", EXERCISES)]:
        for epochs in BURN_IN_EPOCHS:
            for burn_in in (0, 10):
                runs = [train_run(closure, s, **{**settings, "epochs": epochs, "burn_in": burn_in}) for s in seeds]
                study["burn_in"].append(dict(settings=name, epochs=epochs, burn_in=burn_in, runs=runs))
                print(f"  {name:17s} {epochs:4d} epochs, burn-in {burn_in:2d}: {summary(runs)}", flush=True)
    OUT.write_text(json.dumps(study, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    if len(args.seeds) < 3:
        sys.exit("use at least 3 seeds: a single run says little about a defect in 2-D")
    main(args.seeds)
