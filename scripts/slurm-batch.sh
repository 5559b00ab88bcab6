#!/usr/bin/env bash
# A drsim Monte Carlo batch on a Slurm cluster: one job array of M shards, then one merge job
# that starts when every shard has succeeded. The merged folder is byte for byte what a single
# `drsim batch` without --shard would have written (invocation.json aside).
#
#   scripts/slurm-batch.sh SHARDS OUT [drsim batch arguments without --shard/--out...]
#
# e.g.
#   scripts/slurm-batch.sh 50 results/summer-1000 scenarios/synthetic-summer.toml \
#       --runs 1000 --seed 7 --sweep grid.supply.firm_mw=44000,46000 --threads 2
#
# Each array task i (0..SHARDS-1) runs
#   drsim batch ARGS --quiet --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT --out OUT/shards/<i+1>
# and the merge job runs
#   drsim merge OUT/shards/* --out OUT
#
# Environment: DRSIM (the drsim binary; default: drsim on PATH, else target/release/drsim),
# SBATCH_ARRAY_OPTS and SBATCH_MERGE_OPTS (extra sbatch options, e.g. "--time=02:00:00
# --cpus-per-task=2 --mem=4G --partition=short"). Give --threads equal to --cpus-per-task.
# Shards hold contiguous blocks of run indices, so any SHARDS <= RUNS balances within one run.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
SHARDS="$1"
OUT="$2"
shift 2
if ! [[ $SHARDS =~ ^[1-9][0-9]*$ ]]; then
    echo "error: SHARDS must be a whole number >= 1, got '$SHARDS'" >&2
    exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DRSIM="${DRSIM:-$(command -v drsim || echo "$ROOT/target/release/drsim")}"
mkdir -p "$OUT/shards" "$OUT/logs"
OUT="$(cd "$OUT" && pwd)"
ARGS="$(printf ' %q' "$@")"

# The array job: shard K = SLURM_ARRAY_TASK_ID + 1 of M = SLURM_ARRAY_TASK_COUNT.
array_id="$(sbatch --parsable ${SBATCH_ARRAY_OPTS:-} \
    --job-name=drsim-batch --array="0-$((SHARDS - 1))" \
    --output="$OUT/logs/shard-%a.log" <<EOF
#!/usr/bin/env bash
set -euo pipefail
K=\$((SLURM_ARRAY_TASK_ID + 1))
exec $(printf '%q' "$DRSIM") batch$ARGS --quiet \\
    --shard "\$K/\$SLURM_ARRAY_TASK_COUNT" --out $(printf '%q' "$OUT")/shards/"\$K"
EOF
)"
array_id="${array_id%%;*}"

# The merge job, once every shard has succeeded.
merge_id="$(sbatch --parsable ${SBATCH_MERGE_OPTS:-} \
    --job-name=drsim-merge --dependency="afterok:$array_id" \
    --output="$OUT/logs/merge.log" <<EOF
#!/usr/bin/env bash
set -euo pipefail
exec $(printf '%q' "$DRSIM") merge $(printf '%q' "$OUT")/shards/* --out $(printf '%q' "$OUT")
EOF
)"
echo "submitted shards as job array $array_id (${SHARDS} tasks) and the merge as job ${merge_id%%;*}"
echo "results: $OUT (runs.csv, summary.csv, batch.json); logs: $OUT/logs"
