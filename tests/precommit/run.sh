#!/usr/bin/env bash
# The pre-commit hook, for real: installs the `pre-commit` package (PyPI) in a throwaway
# virtualenv, creates a throwaway git repository with a failing CloudFormation template, runs
# `pre-commit try-repo <this repository> ftrlint --all-files` (which builds ftrlint with
# `language: rust`) and asserts it fails; then fixes the template and asserts it passes.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PRE_COMMIT_HOME="$work/cache"
mkdir "$work/project"
cd "$work/project"
git init --quiet
git config user.email ci@ftrlint.invalid
git config user.name ci
cat > template.yaml <<'YAML'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: central-log-archive
      KMSKeyId: alias/cloudtrail
YAML
git add template.yaml
git commit --quiet -m "a trail without log file validation"
if "$work/venv/bin/pre-commit" try-repo "$repo" ftrlint --all-files > "$work/out1.txt" 2>&1; then
  cat "$work/out1.txt"
  echo "FAIL: the hook passed on a template without log file validation" >&2
  exit 1
fi
grep -q "FTR-CT-002" "$work/out1.txt" || { cat "$work/out1.txt"; echo "FAIL: FTR-CT-002 not reported" >&2; exit 1; }
sed -i 's/      IsLogging: true/      IsLogging: true\n      EnableLogFileValidation: true/' template.yaml
git commit --quiet -am "log file validation on"
if ! "$work/venv/bin/pre-commit" try-repo "$repo" ftrlint --all-files > "$work/out2.txt" 2>&1; then
  cat "$work/out2.txt"
  echo "FAIL: the hook failed on the fixed template" >&2
  exit 1
fi
echo "pre-commit hook: fails on the bad template, passes on the fixed one"
