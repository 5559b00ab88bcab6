#!/usr/bin/env bash
# Side by side: the peer "thermal-day" workload in numpy and numba (benches/peers/thermal_day.py)
# and in drsim's engine (cargo run -p benches --bin thermal-day), on the same number of houses, in
# one go. Checks that the total kW per step agree to 1e-6 relative and prints the speed ratios.
#
#   benches/peer_ratio.sh [HOUSES] [REPEATS]      # defaults: 1000000 houses, 3 repeats (median)
#
# Installs what it needs itself: a Python venv with numpy and numba in target/peer-venv (from
# PyPI; numba is optional: if it does not install or import, its rows are skipped). Targets at
# 1,000,000 houses on a 2-core machine: drsim >= 5x numpy and >= 1.5x numba (house-steps per
# second, compared within one run of this script; absolute figures are noisy).
set -euo pipefail

HOUSES="${1:-1000000}"
REPEATS="${2:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEER="$ROOT/benches/peers/thermal_day.py"
SHARED="$ROOT/../shared/peers/thermal_day.py"
VENV="${PEER_VENV:-$ROOT/target/peer-venv}"
WORK="$ROOT/target/peer-ratio"
mkdir -p "$WORK"

# The repository's copy is the one we run; tell when the team's shared original has moved on.
if [[ -f "$SHARED" ]] && ! diff -q <(grep -v '^# \[drsim copy\]' "$PEER") "$SHARED" >/dev/null; then
    echo "warning: $SHARED differs from benches/peers/thermal_day.py; refresh the copy" >&2
fi

# Python: a venv with numpy (required) and numba (optional).
PYTHON="${PYTHON:-python3}"
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "creating $VENV" >&2
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip >&2 || true
fi
"$VENV/bin/python" -c 'import numpy' 2>/dev/null || "$VENV/bin/pip" install --quiet numpy >&2
HAVE_NUMBA=1
if ! "$VENV/bin/python" -c 'import numba' 2>/dev/null; then
    "$VENV/bin/pip" install --quiet numba >&2 || true
    "$VENV/bin/python" -c 'import numba' 2>/dev/null || HAVE_NUMBA=0
fi
[[ $HAVE_NUMBA == 1 ]] || echo "note: numba does not import here; skipping the numba peers" >&2

# drsim's side.
(cd "$ROOT" && cargo build --quiet --release -p benches --bin thermal-day)
DRSIM="${CARGO_TARGET_DIR:-$ROOT/target}/release/thermal-day"

IMPLS=(numpy)
[[ $HAVE_NUMBA == 1 ]] && IMPLS+=(numba numba-fused)
IMPLS+=(drsim)

# Each implementation REPEATS times, interleaved, so drift in machine load hits all alike.
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on some machines for old OpenBLAS builds) slow a
# current numpy: unset both, for the peer's commands only.
: >"$WORK/results.jsonl"
for ((r = 1; r <= REPEATS; r++)); do
    for impl in "${IMPLS[@]}"; do
        csv="$WORK/$impl.csv"
        if [[ $impl == drsim ]]; then
            line="$("$DRSIM" --houses "$HOUSES" --out "$csv")"
        else
            line="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
                "$VENV/bin/python" "$PEER" --houses "$HOUSES" --impl "$impl" --out "$csv")"
        fi
        echo "$line" | tee -a "$WORK/results.jsonl" >&2
    done
done

# Agreement per step, medians and ratios.
"$VENV/bin/python" - "$WORK" "$HOUSES" "${IMPLS[@]}" <<'EOF'
import csv, json, statistics, sys
work, houses, impls = sys.argv[1], int(sys.argv[2]), sys.argv[3:]

def totals(impl):
    with open(f"{work}/{impl}.csv") as f:
        return [float(r["total_kw"]) for r in csv.DictReader(f)]

ref = totals("numpy")
ok = True
for impl in impls[1:]:
    other = totals(impl)
    if len(other) != len(ref):
        print(f"FAIL: {impl} has {len(other)} steps, numpy {len(ref)}")
        ok = False
        continue
    worst = max(abs(a - b) / max(abs(b), 1e-9) for a, b in zip(other, ref))
    verdict = "ok" if worst <= 1e-6 else "FAIL"
    ok &= worst <= 1e-6
    print(f"{impl:>12} vs numpy: worst relative difference per step {worst:.2e} ({verdict})")

rates = {}
with open(f"{work}/results.jsonl") as f:
    for line in f:
        d = json.loads(line)
        rates.setdefault(d["impl"], []).append(d["house_steps_per_s"])
med = {k: statistics.median(v) for k, v in rates.items()}
print(f"\nthermal-day, {houses:,} houses x 288 steps, median of {len(rates['drsim'])} (house-steps/s):")
for impl in impls:
    print(f"  {impl:>12}  {med[impl]:.3e}")
print()
targets = {"numpy": 5.0, "numba": 1.5}
for impl in impls[:-1]:
    ratio = med["drsim"] / med[impl]
    t = targets.get(impl)
    note = f"  (target >= {t}x: {'met' if ratio >= t else 'NOT met'})" if t else ""
    print(f"  drsim / {impl:<12} = {ratio:.2f}x{note}")
sys.exit(0 if ok else 1)
EOF
