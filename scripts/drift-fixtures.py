#!/usr/bin/python3
"""Reference numbers for Gyre's drift statistics, computed once with scipy/numpy (Debian's
python3-scipy 1.10, numpy 1.24) and committed with this script; the test suite never runs Python.

Conventions follow Evidently's stattests: chi-square over the union of categories with expected =
reference counts scaled to the current size; two-proportion z-test on the first sorted category;
Wasserstein normalised by the reference's population std (floor 0.001); PSI, KL and Jensen-Shannon
on Sturges bins over reference+current (numeric with >20 distinct reference values) or one bin per
value, with zero shares replaced as Evidently's get_binned_data does (PSI, KL) or kept (JS, Hellinger).

Usage: /usr/bin/python3 scripts/drift-fixtures.py > src/monitoring/drift/fixtures/scipy-reference.json
"""
import json
import numpy as np
from scipy import stats
from scipy.spatial import distance

rng = np.random.default_rng(20261123)


def binned(ref, cur, numeric, feel_zeroes):
    ref = np.asarray(ref); cur = np.asarray(cur)
    if numeric and len(np.unique(ref)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        rp = np.histogram(ref, edges)[0] / len(ref)
        cp = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()), key=lambda k: (str(type(k)), k))
        rp = np.array([np.sum(ref == k) / len(ref) for k in keys])
        cp = np.array([np.sum(cur == k) / len(cur) for k in keys])
        edges = None
    if feel_zeroes:
        for p in (rp, cp):
            m = p[p != 0].min()
            np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return rp, cp, edges


def chi2(ref, cur):
    keys = sorted(set(ref) | set(cur))
    obs = np.array([cur.count(k) for k in keys], dtype=float)
    exp = np.array([ref.count(k) for k in keys], dtype=float) * len(cur) / len(ref)
    with np.errstate(divide="ignore", invalid="ignore"):
        s, p = stats.chisquare(obs, exp)
    # JSON has no Infinity: written as the string "Infinity", as Gyre's JSON does.
    return (float(s) if np.isfinite(s) else "Infinity"), float(p)


def ztest(ref, cur):
    key = sorted(set(ref) | set(cur))[0]
    a = np.array([0 if x == key else 1 for x in ref]); b = np.array([0 if x == key else 1 for x in cur])
    n1, n2 = len(a), len(b); p1, p2 = a.mean(), b.mean()
    P = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1 / n1 + 1 / n2))
    return float(z), float(2 * (1 - stats.norm.cdf(abs(z))))


def numeric_case(name, ref, cur):
    ref = np.asarray(ref, dtype=float); cur = np.asarray(cur, dtype=float)
    rpz, cpz, edges = binned(ref, cur, True, True)
    rp, cp, _ = binned(ref, cur, True, False)
    return {
        "name": name, "kind": "numeric", "reference": ref.tolist(), "current": cur.tolist(),
        "sturges_edges": None if edges is None else edges.tolist(),
        "wasserstein": float(stats.wasserstein_distance(ref, cur)),
        "wasserstein_normed": float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)),
        "psi": float(np.sum((rpz - cpz) * np.log(rpz / cpz))),
        "kl": float(stats.entropy(rpz, cpz)),
        "jensenshannon": float(distance.jensenshannon(rp, cp)),
        "hellinger": float(np.sqrt(np.sum((np.sqrt(rp) - np.sqrt(cp)) ** 2)) / np.sqrt(2)),
        "ks_statistic": float(stats.ks_2samp(ref, cur).statistic),
    }


def categorical_case(name, ref, cur):
    rpz, cpz, _ = binned(ref, cur, False, True)
    rp, cp, _ = binned(ref, cur, False, False)
    s, p = chi2(list(ref), list(cur))
    z, zp = ztest(list(ref), list(cur))
    return {
        "name": name, "kind": "categorical", "reference": list(ref), "current": list(cur),
        "chi2_statistic": s, "chi2_p": p, "z_statistic": z, "z_p": zp,
        "psi": float(np.sum((rpz - cpz) * np.log(rpz / cpz))), "kl": float(stats.entropy(rpz, cpz)),
        "jensenshannon": float(distance.jensenshannon(rp, cp)),
        "hellinger": float(np.sqrt(np.sum((np.sqrt(rp) - np.sqrt(cp)) ** 2)) / np.sqrt(2)),
    }


cases = [
    numeric_case("normal shift, unequal sizes", rng.normal(0, 1, 700).round(4), rng.normal(0.3, 1.2, 450).round(4)),
    numeric_case("ties and unequal sizes", rng.integers(0, 40, 300).astype(float), rng.integers(5, 45, 200).astype(float)),
    numeric_case("values on bin edges", np.linspace(0, 10, 41), np.concatenate([np.linspace(0, 10, 11), [10.0, 0.0]])),
    numeric_case("few distinct values (one bin per value)", rng.integers(0, 6, 500).astype(float), rng.integers(0, 8, 300).astype(float)),
    numeric_case("empty bins in current", rng.uniform(0, 100, 400).round(3), rng.uniform(0, 30, 200).round(3)),
    categorical_case("categories only in current", ["a"] * 50 + ["b"] * 30 + ["c"] * 20, ["a"] * 40 + ["b"] * 30 + ["c"] * 20 + ["d"] * 10),
    categorical_case("binary", ["yes"] * 120 + ["no"] * 80, ["yes"] * 70 + ["no"] * 90),
    categorical_case("same distribution", ["x"] * 30 + ["y"] * 30 + ["z"] * 40, ["x"] * 15 + ["y"] * 15 + ["z"] * 20),
]
def ks_case(name, ref, cur):
    ref = np.asarray(ref, dtype=float); cur = np.asarray(cur, dtype=float)
    r = stats.ks_2samp(ref, cur)  # method 'auto': exact up to 10,000 values per side
    return {"name": name, "kind": "ks", "reference": ref.tolist(), "current": cur.tolist(),
            "ks_statistic": float(r.statistic), "ks_p": float(r.pvalue),
            "ks_mode": "exact" if max(len(ref), len(cur)) <= 10000 else "asymp"}


cases += [
    ks_case("KS exact, equal sizes", rng.normal(0, 1, 300).round(3), rng.normal(0.2, 1, 300).round(3)),
    ks_case("KS exact, unequal sizes with ties", rng.integers(0, 50, 120).astype(float), rng.integers(3, 52, 77).astype(float)),
    ks_case("KS exact, 900 vs 9,000 values", rng.normal(0, 1, 900).round(3), rng.normal(0.05, 1, 9000).round(3)),
    ks_case("KS asymptotic, 900 vs 12,000 values", rng.normal(0, 1, 900).round(3), rng.normal(0.05, 1, 12000).round(3)),
]
print(json.dumps(allow_nan=False, obj={"generator": "scripts/drift-fixtures.py", "scipy": __import__("scipy").__version__, "numpy": np.__version__, "cases": cases}))
