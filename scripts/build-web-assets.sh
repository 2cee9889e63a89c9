#!/usr/bin/env bash
# Copy the web UI's front-end libraries from the pinned npm packages (package.json +
# package-lock.json, installed by `npm ci`) into the git-ignored assets/web folder that
# `threatscape serve` serves under /static/vendor. Nothing is fetched at run time.
#   htmx.org 2.0.x, leaflet 1.9.4 (with its marker images), leaflet.markercluster 1.5.3
# Usage: scripts/build-web-assets.sh [OUT_DIR]   (default assets/web)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-assets/web}
NM=node_modules
for f in htmx.org/dist/htmx.min.js leaflet/dist/leaflet.js leaflet.markercluster/dist/leaflet.markercluster.js; do
  [[ -f "$NM/$f" ]] || { echo "missing $NM/$f: run npm ci" >&2; exit 1; }
done
rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp/htmx" "$OUT.tmp/leaflet/images" "$OUT.tmp/leaflet.markercluster"
cp "$NM/htmx.org/dist/htmx.min.js" "$OUT.tmp/htmx/"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$OUT.tmp/leaflet/"
cp "$NM"/leaflet/dist/images/*.png "$OUT.tmp/leaflet/images/"
cp "$NM"/leaflet.markercluster/dist/leaflet.markercluster.js "$NM"/leaflet.markercluster/dist/MarkerCluster*.css \
  "$OUT.tmp/leaflet.markercluster/"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
