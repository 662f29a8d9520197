#!/usr/bin/env bash
# cfn-lint over every template of the example app (cdk.out) and of the committed integ snapshots.
# Zero errors required. Ignored warnings, each with its reason:
#   W3005  CDK adds an explicit DependsOn on the role next to a GetAtt of it (aws-cdk's own choice, so
#          the role's policy exists before the function); cdk-lint calls it redundant. Harmless.
#   W3037  integ-tests-alpha's assertion stacks (*DeployAssert*, never user-facing) grant the
#          SDK-v3 style action `lambda:Invoke`; only ignored in those templates.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
app=(cdk.out/*.template.json integ/*.snapshot/*.template.json)
product=() ; asserts=()
for t in "${app[@]}"; do
  case "$t" in *DeployAssert*) asserts+=("$t") ;; *) product+=("$t") ;; esac
done
echo "cfn-lint: ${#product[@]} library templates, ${#asserts[@]} integ assertion templates"
cfn-lint --format parseable --ignore-checks W3005 -- "${product[@]}"
if [ ${#asserts[@]} -gt 0 ]; then
  cfn-lint --format parseable --ignore-checks W3005 W3037 -- "${asserts[@]}"
fi
echo "cfn-lint: no findings"
