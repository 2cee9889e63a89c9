#!/usr/bin/env bash
# Copy the web UI's front-end libraries from the pinned npm packages (package.json +
# package-lock.json, installed by `npm ci`) into the git-ignored assets/web folder that
# `threatscape serve` serves under /static/vendor. Nothing is fetched at run time.
#   htmx.org 2.0.x, leaflet 1.9.4 (with its marker images), leaflet.markercluster 1.5.3,
#   cytoscape 3.34, topojson-client 3.1.0, world-atlas 2.0.2 (country outlines),
#   vega 6.4 + vega-lite 6.5 + vega-embed 7.3 with vega-interpreter, bundled by esbuild into one
#   file (scripts/web/vega-entry.js) so charts run under a strict Content-Security-Policy
# Usage: scripts/build-web-assets.sh [OUT_DIR]   (default assets/web)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-assets/web}
NM=node_modules
for f in htmx.org/dist/htmx.min.js leaflet/dist/leaflet.js leaflet.markercluster/dist/leaflet.markercluster.js \
  cytoscape/dist/cytoscape.min.js topojson-client/dist/topojson-client.min.js world-atlas/countries-110m.json \
  .bin/esbuild; do
  [[ -f "$NM/$f" ]] || { echo "missing $NM/$f: run npm ci" >&2; exit 1; }
done
rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp/htmx" "$OUT.tmp/leaflet/images" "$OUT.tmp/leaflet.markercluster"
cp "$NM/htmx.org/dist/htmx.min.js" "$OUT.tmp/htmx/"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$OUT.tmp/leaflet/"
cp "$NM"/leaflet/dist/images/*.png "$OUT.tmp/leaflet/images/"
cp "$NM"/leaflet.markercluster/dist/leaflet.markercluster.js "$NM"/leaflet.markercluster/dist/MarkerCluster*.css \
  "$OUT.tmp/leaflet.markercluster/"
mkdir -p "$OUT.tmp/cytoscape" "$OUT.tmp/topojson" "$OUT.tmp/world-atlas" "$OUT.tmp/vega"
cp "$NM/cytoscape/dist/cytoscape.min.js" "$OUT.tmp/cytoscape/"
cp "$NM/topojson-client/dist/topojson-client.min.js" "$OUT.tmp/topojson/"
cp "$NM/world-atlas/countries-110m.json" "$NM/world-atlas/countries-50m.json" "$OUT.tmp/world-atlas/"
"$NM/.bin/esbuild" scripts/web/vega-entry.js --bundle --minify --format=iife --log-level=warning \
  --outfile="$OUT.tmp/vega/vega-bundle.js"
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
