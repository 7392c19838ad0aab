#!/usr/bin/env python3
"""Linkage targets of issue #8, in one run: `dolbom link` against splink (DuckDB backend, u from random pairs, m by
EM, a careful set-up) on the same generated lists with known truth; pairwise F1 and time of each.

Usage: python3 bench/linkage.py DOLBOM_BIN GENERATE_BIN [--sizes 200000,1000000] [--max-splink N]
The lists: `cargo run --release -p linkage --example generate` (namesakes, spacing, jamo typos, romanised names,
six date formats and typos, phone formats, changed phones, moved households); about 1.78 records per person.
splink gets the same columns cleaned the usual way first (name without spaces, the date as yyyymmdd, the phone as
national digits), which is part of its timed run.
"""
import collections
import csv
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def pairwise_f1(predicted, truth):
    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())

    found = pairs(collections.Counter(predicted.values()))
    real = pairs(collections.Counter(truth.values()))
    right = pairs(collections.Counter((predicted[k], truth[k]) for k in truth))
    precision = right / found if found else 1.0
    recall = right / real if real else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall)


def read_truth(path):
    with open(path, newline="") as f:
        return {r["record_id"]: r["person_id"] for r in csv.DictReader(f)}


def run_dolbom(binary, records, workdir):
    out = Path(workdir) / "linked.csv"
    start = time.perf_counter()
    subprocess.run([binary, "link", "--input", records, "--output", str(out)], check=True, capture_output=True)
    took = time.perf_counter() - start
    with open(out, newline="") as f:
        return {r["record_id"]: r["cluster_id"] for r in csv.DictReader(f)}, took


def clean_date(text):
    digits = re.findall(r"\d+", text or "")
    if len(digits) == 1 and len(digits[0]) in (6, 8):
        d = digits[0]
        y, m, day = (d[:4], d[4:6], d[6:]) if len(d) == 8 else (("20" if int(d[:2]) < 30 else "19") + d[:2], d[2:4], d[4:])
    elif len(digits) == 3:
        y, m, day = digits
        if len(y) == 2:
            y = ("20" if int(y) < 30 else "19") + y
    else:
        return None
    return f"{int(y):04d}{int(m):02d}{int(day):02d}"


def clean_phone(text):
    d = re.sub(r"\D", "", text or "")
    if d.startswith("82") and (text.strip().startswith("+") or len(d) > 11):
        d = "0" + d[2:]
    return d if len(d) >= 9 else None


def run_splink(records):
    import logging

    logging.getLogger("splink").setLevel(logging.ERROR)
    import duckdb  # noqa: F401  (splink's DuckDB backend)
    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    df = pd.read_csv(records, dtype=str, keep_default_na=False)
    df["name_norm"] = df["name"].str.replace(r"[\s,\-]", "", regex=True).str.upper()
    df["dob"] = df["birth_date"].map(clean_date)
    df["birth_year"] = df["dob"].str[:4]
    df["phone_norm"] = df["phone"].map(clean_phone)
    df["address_norm"] = df["address"].str.replace("서울특별시", "서울", regex=False)
    df = df.replace({"": None})
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("name_norm", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("dob", [1, 2]),
            cl.LevenshteinAtThresholds("phone_norm", [1]),
            cl.JaroWinklerAtThresholds("address_norm", [0.9]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("name_norm", "birth_year"),
            block_on("phone_norm"),
            block_on("name_norm", "address_norm"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(df, settings, db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match([block_on("name_norm", "dob")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name_norm"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.5).as_pandas_dataframe()
    took = time.perf_counter() - start
    return dict(zip(clusters["record_id"].astype(str), clusters["cluster_id"].astype(str))), took


def main():
    binary, generate = sys.argv[1], sys.argv[2]
    arg = lambda name, default: sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default
    sizes = [int(s) for s in arg("--sizes", "200000,1000000").split(",")]
    max_splink = int(arg("--max-splink", "400000"))
    print(f"{'records':>9} {'dolbom link':>12} {'F1':>7} {'splink':>9} {'F1':>7}")
    with tempfile.TemporaryDirectory() as workdir:
        for size in sizes:
            records, truth_path = str(Path(workdir) / "records.csv"), str(Path(workdir) / "truth.csv")
            subprocess.run([generate, str(int(size / 1.785)), records, truth_path, str(size)], check=True, capture_output=True)
            truth = read_truth(truth_path)
            ours, ours_s = run_dolbom(binary, records, workdir)
            f1 = pairwise_f1(ours, truth)[2]
            if size <= max_splink:
                theirs, theirs_s = run_splink(records)
                g1 = pairwise_f1({k: theirs.get(k, k) for k in truth}, truth)[2]
                print(f"{len(truth):>9,} {ours_s:>11.1f}s {f1:>7.4f} {theirs_s:>8.1f}s {g1:>7.4f}")
            else:
                print(f"{len(truth):>9,} {ours_s:>11.1f}s {f1:>7.4f} {'—':>9} {'—':>7} (dolbom alone)")


if __name__ == "__main__":
    main()
