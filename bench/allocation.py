#!/usr/bin/env python3
"""Allocation targets of issue #7, in one run: `dolbom allocate` against the Python package `matching`
(HospitalResident, resident-optimal) on the same generated instances. The assignments must be identical; the
speed ratio is reported at each size. Above the size `matching` finishes in a few minutes, dolbom runs alone.

Usage: python3 bench/allocation.py DOLBOM_BIN [--max-matching N]
Instances: children choose up to 5 centres, popular centres more often; classes 1-4, points 0-100, a lottery from
the published seed (SHA-256 of "seed:id", as dolbom computes it), places for about 70% of the children.
"""
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = [(1_000, 20), (5_000, 100), (10_000, 200), (20_000, 400), (100_000, 2_000)]


def lottery(seed, child_id):
    return int.from_bytes(hashlib.sha256(f"{seed}:{child_id}".encode()).digest()[:8], "big")


def instance(children, centres, seed):
    rng = random.Random(seed)
    weights = [1.0 / (1 + i) ** 0.6 for i in range(centres)]
    ids = [f"c{i}" for i in range(centres)]
    total = int(children * 0.7)
    caps = [max(1, int(total * w / sum(weights))) for w in weights]
    kids = []
    for k in range(children):
        n = rng.randint(1, 5)
        picks = []
        while len(picks) < n:
            c = rng.choices(ids, weights)[0]
            if c not in picks:
                picks.append(c)
        kids.append({"id": f"k{k}", "choices": picks, "priority_class": rng.randint(1, 4), "points": rng.randint(0, 100)})
    centers = [{"id": c, "capacity": cap} for c, cap in zip(ids, caps)]
    return {"centers": centers, "children": kids, "lottery_seed": seed}


def run_dolbom(binary, data, workdir):
    path, out = Path(workdir) / "in.json", Path(workdir) / "out.json"
    path.write_text(json.dumps(data))
    start = time.perf_counter()
    subprocess.run([binary, "allocate", "--input", str(path), "--output", str(out)], check=True, capture_output=True)
    took = time.perf_counter() - start
    return json.loads(out.read_text())["assignments"], took


def run_matching(data):
    from matching.games import HospitalResident

    seed = data["lottery_seed"]
    key = {k["id"]: (k["priority_class"], -k["points"], lottery(seed, k["id"])) for k in data["children"]}
    resident_prefs = {k["id"]: k["choices"] for k in data["children"]}
    applicants = {c["id"]: [] for c in data["centers"]}
    for k in data["children"]:
        for c in k["choices"]:
            applicants[c].append(k["id"])
    hospital_prefs = {c: sorted(ks, key=key.__getitem__) for c, ks in applicants.items()}
    capacities = {c["id"]: c["capacity"] for c in data["centers"]}
    start = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
    solution = game.solve(optimal="resident")
    took = time.perf_counter() - start
    placed = {k["id"]: None for k in data["children"]}
    for hospital, residents in solution.items():
        for r in residents:
            placed[r.name] = hospital.name
    return placed, took


def main():
    binary = sys.argv[1]
    max_matching = int(sys.argv[sys.argv.index("--max-matching") + 1]) if "--max-matching" in sys.argv else 20_000
    sys.setrecursionlimit(1_000_000)
    print(f"{'children':>9} {'centres':>8} {'dolbom allocate (s)':>20} {'matching (s)':>13} {'ratio':>7} same?")
    with tempfile.TemporaryDirectory() as workdir:
        for children, centres in SIZES:
            data = instance(children, centres, seed=children)
            ours, ours_s = run_dolbom(binary, data, workdir)
            if children <= max_matching:
                theirs, theirs_s = run_matching(data)
                same = ours == theirs
                print(f"{children:>9,} {centres:>8,} {ours_s:>20.3f} {theirs_s:>13.2f} {theirs_s / ours_s:>6.0f}× {same}")
                if not same:
                    diff = [k for k in ours if ours[k] != theirs[k]][:5]
                    sys.exit(f"assignments differ, e.g. {[(k, ours[k], theirs[k]) for k in diff]}")
            else:
                print(f"{children:>9,} {centres:>8,} {ours_s:>20.3f} {'—':>13} {'—':>7} (dolbom alone)")


if __name__ == "__main__":
    main()
