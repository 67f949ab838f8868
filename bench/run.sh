#!/usr/bin/env bash
# Benchmarks (not tests): release build, wall time and peak memory with /usr/bin/time.
#   bash bench/run.sh            corpus + scale + single file
# Needs ../shared/corpus for the corpus run (skipped otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=./target/release/ftrlint
measure() { # label, command...
  local label=$1; shift
  local err
  err=$(mktemp)
  /usr/bin/time -f "TIME %e s wall, %U s user, %M KB max RSS" "$@" > /dev/null 2> "$err" || true
  echo "$label: $(grep '^TIME' "$err" | cut -c6-)"
  grep '^stats' "$err" | sed 's/^/  /'
  rm -f "$err"
}

if [ -d ../shared/corpus ]; then
  measure "corpus (2 threads)" "$bin" scan ../shared/corpus --format json --stats
  measure "corpus (1 thread)" "$bin" scan ../shared/corpus --format json --stats --threads 1
fi

# Scale: for_each over 10,000 buckets (half without encryption) and an all-ports rule.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import sys
n = 10_000
with open(f"{sys.argv[1]}/main.tf", "w") as f:
    f.write("locals {\n  buckets = {\n")
    for i in range(n):
        f.write(f'    b{i} = {{ encrypted = {"true" if i % 2 else "false"} }}\n')
    f.write("  }\n}\n")
    f.write('''
resource "aws_s3_bucket" "b" {
  for_each = local.buckets
  bucket   = "bench-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  for_each = { for k, v in local.buckets : k => v if v.encrypted }
  bucket   = aws_s3_bucket.b[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_security_group_rule" "all" {
  type              = "ingress"
  from_port         = 0
  to_port           = 65535
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
  security_group_id = "sg-123"
}
''')
PY
measure "for_each 10,000 buckets" "$bin" scan "$work" --format json --stats

# One file end to end (the pre-commit case), 50 runs.
start=$(date +%s%N)
for _ in $(seq 50); do "$bin" scan fixtures/FTR-CT-002/terraform/fail_absent/main.tf > /dev/null || true; done
end=$(date +%s%N)
echo "one file end to end: $(( (end - start) / 50000 )) µs per run (mean of 50)"
