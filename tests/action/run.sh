#!/usr/bin/env bash
# The GitHub Action (action.yml), as far as it runs without GitHub: validates action.yml and the
# example workflow against the GitHub schemas (check-jsonschema's vendored SchemaStore schemas,
# no network at run time), then runs the composite action's own `run:` steps with bash the way
# the runner does (inputs substituted, GITHUB_OUTPUT, RUNNER_TEMP), on a failing and a passing
# project. The install step is checked, not run (it is `cargo install --path` of this
# repository: the built binary stands in for it); the upload step is a `uses:` of GitHub's own
# action, checked for its inputs.
#
# Usage: tests/action/run.sh [path/to/ftrlint]   (default: target/debug/ftrlint)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$repo/target/debug/ftrlint}"
[ -x "$bin" ] || { echo "FAIL: no ftrlint binary at $bin (build it first)" >&2; exit 1; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"  # the runner's symlink needs it absolute
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet check-jsonschema pyyaml
"$work/venv/bin/check-jsonschema" --builtin-schema vendor.github-actions "$repo/action.yml"
"$work/venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$repo/examples/github/ftrlint.yml"

mkdir -p "$work/runner/ftrlint/bin" "$work/project/infra"
ln -s "$bin" "$work/runner/ftrlint/bin/ftrlint"
cat > "$work/project/infra/main.tf" <<'TF'
resource "aws_cloudtrail" "main" {
  name                  = "org"
  s3_bucket_name        = "central-log-archive"
  is_multi_region_trail = true
  kms_key_id            = "alias/cloudtrail"
}
TF

# Runs the action's steps; prints the annotations; returns the job's exit code.
run_action() {
  ACTION="$repo/action.yml" WORK="$work" "$work/venv/bin/python" - "$@" <<'PY'
import os, re, subprocess, sys, yaml
action = yaml.safe_load(open(os.environ["ACTION"]))
work = os.environ["WORK"]
inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
for kv in sys.argv[1:]:
    k, v = kv.split("=", 1)
    inputs[k] = v
outputs = {}
steps = action["runs"]["steps"]
assert action["runs"]["using"] == "composite"
names = [s.get("name") for s in steps]
assert names == ["Install ftrlint", "Scan", "Upload SARIF", "Gate"], names
assert "cargo install --locked --path \"$GITHUB_ACTION_PATH\"" in steps[0]["run"], steps[0]["run"]
upload = steps[2]
assert upload["uses"].startswith("github/codeql-action/upload-sarif@"), upload
assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}", upload

def expand(text):
    def one(m):
        expr = m.group(1).strip()
        if expr.startswith("inputs."):
            return inputs[expr[len("inputs."):]]
        if expr.startswith("steps."):
            _, sid, _, key = expr.split(".", 3)
            return outputs.get(sid, {}).get(key, "")
        raise SystemExit(f"unsupported expression {expr!r}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, text)

code = 0
for step in steps:
    if "run" not in step or step["name"] == "Install ftrlint":
        continue
    out_file = os.path.join(work, "github_output")
    open(out_file, "w").close()
    env = dict(os.environ, GITHUB_OUTPUT=out_file, RUNNER_TEMP=os.path.join(work, "runner"),
               GITHUB_ACTION_PATH=os.path.dirname(os.environ["ACTION"]))
    env.update({k: expand(str(v)) for k, v in step.get("env", {}).items()})
    r = subprocess.run(["bash", "-e", "-c", expand(step["run"])], env=env,
                       cwd=os.path.join(work, "project"))
    outputs[step.get("id", "")] = dict(
        line.split("=", 1) for line in open(out_file).read().splitlines() if "=" in line)
    code = r.returncode
    if code != 0:
        break
sys.exit(code)
PY
}

set +e
run_action paths=infra/ > "$work/out1.txt" 2>&1
code=$?
set -e
cat "$work/out1.txt"
[ "$code" -ne 0 ] || { echo "FAIL: the action passed on a trail without log file validation" >&2; exit 1; }
grep -q '^::error file=infra/main.tf,line=1' "$work/out1.txt" || { echo "FAIL: no annotation for infra/main.tf" >&2; exit 1; }
python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert j['runs'][0]['results'], 'no results'" "$work/project/ftrlint.sarif"
# Gated at critical: a high finding still annotates but does not fail the job.
run_action paths=infra/ fail-on=critical > "$work/out2.txt" 2>&1 || { cat "$work/out2.txt"; echo "FAIL: fail-on=critical failed on a high finding" >&2; exit 1; }
sed -i 's/  is_multi_region_trail = true/  is_multi_region_trail = true\n  enable_log_file_validation = true/' "$work/project/infra/main.tf"
run_action paths=infra/ > "$work/out3.txt" 2>&1 || { cat "$work/out3.txt"; echo "FAIL: the action failed on a compliant trail" >&2; exit 1; }
echo "action: ok"
