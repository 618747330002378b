#!/usr/bin/env bash
# Builds sharecard and loadbench, then runs loadbench with the given flags
# (see `go run ./scripts/loadbench -h`; -mode rss and -mode redis-bytes
# measure memory, -mode peers compares cold renders with ../shared/peers).
# Loopback only; it stops by itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null; then
  echo "run.sh: wrk is NOT installed: flat-out figures will come from the built-in Go generator (apt-get install wrk)" >&2
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/sharecard" ./cmd/sharecard
go build -o "$bin/loadbench" ./scripts/loadbench
"$bin/loadbench" -sharecard "$bin/sharecard" "$@"
