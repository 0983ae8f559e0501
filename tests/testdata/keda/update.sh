#!/usr/bin/env bash
# Refreshes the KEDA schemas the manifest tests check k8s/processor/components/keda
# against (offline, from the repository): the CRDs of ScaledObject and
# TriggerAuthentication, and the trigger metadata keys the aws-sqs-queue and
# aws-cloudwatch scalers read (their `keda:"name=..."` struct tags). Source:
# KEDA's Go module (Apache-2.0), fetched with `go mod download`.
#   tests/testdata/keda/update.sh [version]   (default: the one in VERSION)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="${1:-$(cat "$here/VERSION")}"
dir="$(go mod download -json "github.com/kedacore/keda/v2@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
cp "$dir/config/crd/bases/keda.sh_scaledobjects.yaml" "$dir/config/crd/bases/keda.sh_triggerauthentications.yaml" "$here/"
python3 - "$dir" "$here/trigger_metadata.json" <<'PY'
import json, re, sys
src, out = sys.argv[1], sys.argv[2]
scalers = {"aws-sqs-queue": "aws_sqs_queue_scaler.go", "aws-cloudwatch": "aws_cloudwatch_scaler.go"}
result = {}
for trigger, file in scalers.items():
    text = open(f"{src}/pkg/scalers/{file}").read()
    keys = {"required": [], "optional": []}
    for tag in re.findall(r'keda:"([^"]+)"', text):
        fields = [f.strip() for f in tag.split(",")]
        opts = dict(f.split("=", 1) if "=" in f else (f, True) for f in fields)
        if "triggerMetadata" not in str(opts.get("order", "")):
            continue
        required = "optional" not in opts and "default" not in opts
        keys["required" if required else "optional"].append(opts["name"])
    result[trigger] = {k: sorted(v) for k, v in keys.items()}
json.dump(result, open(out, "w"), indent=2)
open(out, "a").write("\n")
PY
echo "$version" >"$here/VERSION"
echo "KEDA $version schemas written to $here"
