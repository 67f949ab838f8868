#!/usr/bin/env bash
# Hostile and huge inputs (issue 10): for each input class, what ftrlint does, its exit code,
# wall time and peak RSS, as a Markdown table. Every input is generated in a temporary
# directory; nothing outside it is read or written.
#
#   bash bench/hostile.sh            (builds the release binary first)
#
# Needs GNU time (/usr/bin/time), python3 (to generate inputs and summarise the JSON report)
# and mkfifo.
set -u
cd "$(dirname "$0")/.."
cargo build --release --quiet || exit 1
bin=$PWD/target/release/ftrlint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

row() { # name, directory to run in, then the ftrlint arguments
    local name=$1 dir=$2
    shift 2
    local t0 t1 code rss out
    out=$work/out.json
    t0=$(date +%s.%N)
    (cd "$dir" && /usr/bin/time -f "%M" -o "$work/rss" "$bin" "$@" >"$out" 2>"$work/err")
    code=$?
    t1=$(date +%s.%N)
    rss=$(($(tail -1 "$work/rss") / 1024))
    local what
    what=$(python3 - "$out" "$work/err" <<'EOF'
import json, sys
try:
    j = json.load(open(sys.argv[1]))
except Exception:
    err = open(sys.argv[2]).read().strip().splitlines()
    print(("stderr: " + err[-1]) if err else "no output")
    sys.exit()
s = j.get("summary", {})
parts = [f"{s.get('files_scanned', 0)} files, {s.get('resources', 0)} resources, {s.get('findings', 0)} findings"]
for key in ("errors", "notes"):
    items = j.get(key, [])
    if items:
        m = items[0]["message"].replace("|", "/")
        if len(m) > 90:
            m = m[:87] + "..."
        line = f":{items[0]['line']}" if items[0].get("line") else ""
        parts.append(f"{len(items)} {key} (first: {items[0]['file'].split('/')[-1]}{line} {m})")
print("; ".join(parts))
EOF
)
    printf '| %s | %s | %s | %.2f s | %s MB |\n' "$name" "$what" "$code" "$(awk "BEGIN{print $t1 - $t0}")" "$rss"
}

echo "| input | behaviour | exit | time | peak RSS |"
echo "|---|---|---|---|---|"

d=$work/format && mkdir -p "$d" && cat >"$d/main.tf" <<'EOF'
resource "aws_s3_bucket" "a" {
  bucket = format("%099999999999d", 1)
}
resource "aws_s3_bucket" "b" {
  bucket = format("%.65536f", 1)
}
EOF
row 'format("%099999999999d") / "%.65536f"' "$d" scan . --format json

d=$work/outside/a/b && mkdir -p "$d" && cat >"$d/main.tf" <<'EOF'
module "etc" {
  source = "../../../../../../../../etc"
}
locals {
  zero = file("/dev/zero")
}
EOF
row 'module source `../../../../etc`, `file("/dev/zero")`' "$d" scan . --format json

mkdir -p "$work/fifo" && mkfifo "$work/fifo/main.tf"
row 'a FIFO named as the scan path' "$work/fifo" scan main.tf --format json

d=$work/varfile && mkdir -p "$d" && echo 'variable "x" {}' >"$d/main.tf"
row '`--var-file /dev/zero`' "$d" scan . --var-file /dev/zero --format json

d=$work/budget && mkdir -p "$d" && python3 - "$d" <<'EOF'
import sys
tf = ['locals {', '  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]',
      '  m0 = { a = "xxxxxxxxxxxxxxxx", b = "yyyyyyyyyyyyyyyy" }']
tf += [f'  m{i} = {{ l = local.m{i-1}, r = local.m{i-1} }}' for i in range(1, 61)]
tf += ['  big = jsonencode(local.m60)', '}',
       'resource "aws_s3_bucket" "a" {', '  bucket = local.big', '  tags = { n = length(local.cube) }', '}']
chain = ['locals {', '  c0 = "x"'] + [f'  c{i} = "${{local.c{i-1}}}x"' for i in range(1, 100000)]
chain += ['}', 'resource "aws_s3_bucket" "c" {', '  bucket = local.c99999', '}']
open(sys.argv[1] + '/main.tf', 'w').write('\n'.join(tf) + '\n')
import os
os.makedirs(sys.argv[1] + '/chain')
open(sys.argv[1] + '/chain/main.tf', 'w').write('\n'.join(chain) + '\n')
EOF
row '1000³ `for`, a map doubled 60× then `jsonencode`, a 100k-local chain' "$d" scan . --format json --threads 1

d=$work/foreach && mkdir -p "$d" && cat >"$d/main.tf" <<'EOF'
resource "aws_s3_bucket" "a" {
  for_each = toset([for i in range(15000) : tostring(i)])
  bucket   = each.key
}
EOF
row '`for_each` over 15,000 keys' "$d" scan . --format json

d=$work/minified && mkdir -p "$d" && python3 - "$d" <<'EOF'
import sys
items = ",".join(f'"B{i}":{{"Type":"AWS::S3::Bucket","Properties":{{"BucketName":"b-{i}"}}}}' for i in range(70000))
open(sys.argv[1] + '/template.json', 'w').write('{"AWSTemplateFormatVersion":"2010-09-09","Resources":{' + items + '}}')
EOF
row 'minified JSON template, 70,000 buckets on one line (6 MB)' "$d" scan . --format json

d=$work/bigyaml && mkdir -p "$d" && python3 - "$d" <<'EOF'
import sys
with open(sys.argv[1] + '/template.yaml', 'w') as f:
    f.write("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n")
    for i in range(150000):
        f.write(f"  Thing{i}:\n    Type: Custom::Thing\n    Properties:\n      ServiceToken: !Sub 'arn:aws:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:f{i}'\n      Tags:\n        - Key: team\n          Value: platform-{i}\n")
EOF
row 'YAML template of 150,000 resources (31 MB)' "$d" scan . --format json

d=$work/control && mkdir -p "$d" && printf '{"Resources":{"B":{"Type":"AWS::S3::Bucket","Properties":{"BucketName":"a\tb"}}}}' >"$d/t.json"
row 'raw control character inside a JSON string' "$d" scan . --format json

d=$work/names && mkdir -p "$d" && printf 'resource "aws_s3_bucket" "a" {\n  bucket = "x"\n}\n' >"$d/$(printf 'caf\xe9').tf"
row 'file name that is not UTF-8' "$d" scan . --format json

d=$work/deep && mkdir -p "$d" && python3 -c "print('['*100000 + ']'*100000)" >"$d/t.json" \
    && python3 -c "print('locals {\n  x = ' + '['*50000 + ']'*50000 + '\n}')" >"$d/main.tf"
row '100,000-deep JSON array, 50,000-deep HCL list' "$d" scan . --format json

d=$work/binary && mkdir -p "$d" && head -c 100000 /dev/urandom >"$d/main.tf" && printf 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  B: {Type: AWS::S3::Bucket\n' >"$d/t.yaml"
row 'binary `.tf`, truncated YAML' "$d" scan . --format json

d=$work/ok && mkdir -p "$d" && printf 'resource "aws_s3_bucket" "a" {\n  bucket = "x"\n}\n' >"$d/main.tf"
row '`--threads 100000`' "$d" scan . --threads 100000 --format json
t0=$(date +%s.%N)
(cd "$d" && /usr/bin/time -f "%M" -o "$work/rss" "$bin" scan . --format json >/dev/full 2>"$work/err")
code=$?
t1=$(date +%s.%N)
printf '| standard output is `/dev/full` | stderr: %s | %s | %.2f s | %s MB |\n' \
    "$(grep -v '^[0-9]*$' "$work/err" | tail -1)" "$code" "$(awk "BEGIN{print $t1 - $t0}")" \
    "$(($(tail -1 "$work/rss") / 1024))"
