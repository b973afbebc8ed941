#!/usr/bin/env bash
# Regenerates the spec list in README.md (between the requirements markers) from
# `conform list --format markdown`, the ledger tables after it from `conform list --ledger
# --format markdown`, and docs/ledger.md from `conform list --ledger --statements --format
# markdown`. Usage: scripts/readme-requirements.sh BIN
set -euo pipefail
bin=${1:-bin/conform}
table=$(mktemp)
trap 'rm -f "$table"' EXIT
ledger=$(mktemp)
trap 'rm -f "$table" "$ledger"' EXIT
"$bin" list --format markdown > "$table"
"$bin" list --ledger --format markdown > "$ledger"
"$bin" list --ledger --statements --format markdown > docs/ledger.md
awk -v table="$table" -v ledger="$ledger" '
  /<!-- requirements:start/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- requirements:end/   { skip = 0 }
  /<!-- ledger:start/ { print; while ((getline line < ledger) > 0) print line; skip = 1; next }
  /<!-- ledger:end/   { skip = 0 }
  !skip
' README.md > README.md.new
mv README.md.new README.md
