#!/usr/bin/env bash
# Runs the flagship scenario on the embedded local service in a fresh store (no AWS configuration) and compares
# its output with flagship.output; execution ids and start times vary per run and are masked.
# Usage: check_flagship.sh FLAGSHIP_BINARY EXPECTED_OUTPUT
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SFN_HOME=$work AWS_CONFIG_FILE=$work/no-config AWS_SHARED_CREDENTIALS_FILE=$work/no-credentials
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
      AWS_ENDPOINT_URL AWS_ENDPOINT_URL_SFN AWS_REGION AWS_DEFAULT_REGION || true
"$1" > "$work/out.txt"
sed -E -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' \
       -e 's/startDate=[0-9]+/startDate=<ms>/g' "$work/out.txt" > "$work/masked.txt"
diff -u "$2" "$work/masked.txt"
