#!/usr/bin/env bash
# ftrlint against its peers, and ftrlint's own scaling. One command from a clean clone:
#
#   bash bench/compare.sh            peers: Checkov, cfn-lint, cfn-guard and ftrlint, alternately
#   bash bench/compare.sh --scale    ftrlint on 1×, 4×, 16× the corpus (16× ≈ 100,000 files)
#   bash bench/compare.sh --all      both
#
# Environment: FTRLINT_CORPUS (default ../shared/corpus), RUNS (default 3), SKIP_GUARD=1 (no
# `cargo install cfn-guard`, which compiles for a few minutes), SKIP_PEERS=1 (ftrlint only),
# CFN_EVERY (the CloudFormation subset takes every Nth template of the corpus manifest; default
# 20) and TF_REPOS (corpus directories of the Terraform subset; default terraform-aws-kms).
# BENCHMARKS.md's table was taken with CFN_EVERY=10 TF_REPOS="terraform-aws-modules__terraform-aws-s3-bucket
# terraform-aws-modules__terraform-aws-kms", which takes ~10 minutes more.
# Needs Rust, Python 3 with venv, GNU time (/usr/bin/time) and, for the peers, network access to
# PyPI and crates.io. Everything installed goes to a temporary directory, removed at the end.
# Medians of RUNS runs, wall time and peak RSS; ftrlint and the floor (cat) get one untimed
# warm-up round first. Expect ~13 minutes with the peers on 2 quiet cores (about half of it
# building ftrlint and cfn-guard), ~3 minutes with SKIP_PEERS=1.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=peers
case "${1:-}" in
--scale) mode=scale ;;
--all) mode=all ;;
"" | --peers) ;;
*)
    echo "usage: bash bench/compare.sh [--peers|--scale|--all]" >&2
    exit 2
    ;;
esac
corpus=${FTRLINT_CORPUS:-../shared/corpus}
runs=${RUNS:-3}
if [ ! -d "$corpus" ]; then
    echo "no corpus at $corpus (set FTRLINT_CORPUS)" >&2
    exit 2
fi
corpus=$(cd "$corpus" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say() { printf '\n== %s\n' "$*"; }

say "machine"
echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ */cpu: /' || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

say "building ftrlint (release)"
cargo build --release --locked --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
ftrlint="$target_dir/release/ftrlint"
"$ftrlint" --version

# measure LABEL TARGET CMD...: one timed run, appended to $work/times as
# "label<TAB>target<TAB>seconds<TAB>peak KB". Exit codes are ignored (findings exit non-zero).
measure() {
    local label=$1 target=$2
    shift 2
    local t0 t1 secs kb
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/one" "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    # Wall time to the millisecond (GNU time's %e has 10 ms steps: too coarse for one file).
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    # GNU time writes "Command exited with non-zero status N" first on failure.
    kb=$(tail -n1 "$work/one")
    printf '%s\t%s\t%s\t%s\n' "$label" "$target" "$secs" "$kb" >>"$work/times"
}

# report: medians per (tool, target) and the ratio to ftrlint on the same target.
report() {
    python3 - "$work/times" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
runs = {}
for label, target, secs, kb in rows:
    runs.setdefault((label, target), []).append((float(secs), int(kb)))
med = {k: (statistics.median(s for s, _ in v), max(m for _, m in v) / 1024, len(v)) for k, v in runs.items()}
print(f"{'tool':<22} {'target':<34} {'runs':>4} {'median s':>9} {'peak MB':>8} {'× ftrlint':>10}")
for (label, target), (s, mb, n) in med.items():
    base = med.get(("ftrlint", target))
    ratio = ""
    if base and label.startswith("floor") and s > 0:
        ratio = f"(1/{base[0] / s:.1f})"  # ftrlint takes this many times the floor
    elif base and label != "ftrlint" and base[0] > 0:
        ratio = f"{s / base[0]:.0f}×"
    print(f"{label:<22} {target:<34} {n:>4} {s:>9.3f} {mb:>8.0f} {ratio:>10}")
PY
}

peers() {
    # Subsets: the peers need minutes to hours on the whole corpus (Checkov: 24 min for the
    # Terraform part alone), so they run on fixed, documented subsets; ftrlint runs on the
    # same subsets and on the whole corpus.
    local cfn="$work/cfn-subset" tf="$work/tf-subset"
    mkdir -p "$cfn" "$tf"
    if [ -f "$corpus/MANIFEST-cfn.txt" ]; then
        # Every Nth CloudFormation template of the corpus manifest (N = 20: 68 templates).
        awk -v n="${CFN_EVERY:-20}" 'NR % n == 1' "$corpus/MANIFEST-cfn.txt" | while read -r f; do
            mkdir -p "$cfn/$(dirname "$f")"
            cp "$corpus/$f" "$cfn/$f"
        done
    fi
    local repos=${TF_REPOS:-terraform-aws-modules__terraform-aws-kms}
    for repo in $repos; do
        if [ -d "$corpus/$repo" ]; then cp -r "$corpus/$repo" "$tf/"; fi
    done
    echo "CloudFormation subset: $(find "$cfn" -type f | wc -l) templates; Terraform subset: $(find "$tf" -type f | wc -l) files ($repos)"

    local have_peers=0 have_guard=0
    if [ "${SKIP_PEERS:-0}" != 1 ]; then
        say "installing Checkov and cfn-lint (PyPI, throwaway virtualenv)"
        python3 -m venv "$work/venv"
        "$work/venv/bin/pip" install --quiet --disable-pip-version-check checkov cfn-lint
        "$work/venv/bin/checkov" --version | sed 's/^/checkov /'
        "$work/venv/bin/cfn-lint" --version
        have_peers=1
        if [ "${SKIP_GUARD:-0}" != 1 ]; then
            say "installing cfn-guard (cargo install --locked, temporary root)"
            cargo install cfn-guard --locked --quiet --root "$work/guard"
            "$work/guard/bin/cfn-guard" --version
            have_guard=1
        fi
    fi

    local guard_rules=bench/guard/ftr-sample.guard
    say "timing ($runs runs each, alternating; one untimed warm-up run each)"
    cat "$(find "$corpus" -type f | head -n1)" >/dev/null
    for run in $(seq 0 "$runs"); do
        local t=measure
        # Round 0 warms the page cache; it is not recorded.
        [ "$run" = 0 ] && t=warm
        $t ftrlint corpus "$ftrlint" scan "$corpus" --format json
        $t "floor (cat)" corpus sh -c "find '$corpus' -type f -print0 | xargs -0 cat > /dev/null"
        $t ftrlint cfn-subset "$ftrlint" scan "$cfn" --format json
        $t ftrlint tf-subset "$ftrlint" scan "$tf" --format json
        # The peers start cold anyway (no page cache to warm: the subsets were just written).
        [ "$run" = 0 ] && continue
        if [ $have_peers = 1 ]; then
            $t checkov cfn-subset "$work/venv/bin/checkov" -d "$cfn" --framework cloudformation --quiet --compact -o json
            $t checkov tf-subset "$work/venv/bin/checkov" -d "$tf" --framework terraform --quiet --compact -o json
            $t cfn-lint cfn-subset sh -c "find '$cfn' -type f -print0 | xargs -0 '$work/venv/bin/cfn-lint' --format json --"
        fi
        if [ $have_guard = 1 ]; then
            $t "cfn-guard (5 rules)" cfn-subset "$work/guard/bin/cfn-guard" validate -r "$guard_rules" -d "$cfn" --show-summary none
        fi
        echo "round $run done"
    done
    say "results (median wall time, highest peak RSS)"
    report
    echo
    echo "What each checked: ftrlint every FTR rule (all rules of the partner-hosted profile);"
    echo "Checkov its whole built-in policy set for the framework; cfn-lint its default rules"
    echo "(template validity against the resource specification); cfn-guard the 5 rules of"
    echo "$guard_rules."
}

warm() {
    local label=$1 target=$2
    shift 2
    "$@" >/dev/null 2>&1 || true
}

scale() {
    # Hard links: the copies cost no disk space and read as regular files.
    say "scaling: 1×, 4×, 16× the corpus"
    local dir
    for n in 1 4 16; do
        dir="$work/x$n"
        mkdir -p "$dir"
        for i in $(seq 1 "$n"); do
            cp -al "$corpus" "$dir/copy$i"
        done
        echo "${n}×: $(find "$dir" -type f | wc -l) files, $(du -sm --apparent-size "$dir" | cut -f1) MB"
        warm ftrlint "x$n" "$ftrlint" scan "$dir" --format json
        for _ in $(seq 1 "$runs"); do
            measure ftrlint "corpus ${n}× ($(find "$dir" -type f | wc -l) files)" "$ftrlint" scan "$dir" --format json
        done
        rm -rf "$dir"
    done
    say "one small file, end to end (pre-commit case)"
    local one=fixtures/FTR-CT-002/terraform/fail_absent/main.tf
    for _ in $(seq 1 20); do
        measure ftrlint "one file ($one)" "$ftrlint" scan "$one"
    done
    say "results (median wall time, highest peak RSS)"
    report
}

case $mode in
peers) peers ;;
scale) scale ;;
all)
    peers
    : >"$work/times"
    scale
    ;;
esac
