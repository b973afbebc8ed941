#!/usr/bin/env bash
# Regenerates the spec list in README.md (between the requirements markers) from
# `conform list --format markdown`. Usage: scripts/readme-requirements.sh BIN
set -euo pipefail
bin=${1:-bin/conform}
table=$(mktemp)
trap 'rm -f "$table"' EXIT
"$bin" list --format markdown > "$table"
awk -v table="$table" '
  /<!-- requirements:start/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- requirements:end/   { skip = 0 }
  !skip
' README.md > README.md.new
mv README.md.new README.md
