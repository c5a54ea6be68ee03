#!/usr/bin/env bash
# make vendor: fetch the front-end libraries from the npm registry and write them, with their licences, to
# shouye/static/vendor/ (served from our own static files: bureaus run on closed intranets).
#
# The minified files end with a `sourceMappingURL` comment naming a .map file we do not ship (the maps
# only help debugging the libraries themselves). Django's manifest storage, which collectstatic uses in
# production, rewrites every file a static file references and refuses a reference to a missing file, so
# those comments are removed here; tests/core/test_static.py runs collectstatic with that storage.
set -euo pipefail
cd "$(dirname "$0")/.."

BOOTSTRAP=5.3.9
HTMX=2.0.11
ECHARTS=5.6.0
LEAFLET=1.9.4
MARKERCLUSTER=1.5.3

VENDOR=shouye/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "bootstrap@$BOOTSTRAP" "htmx.org@$HTMX" "echarts@$ECHARTS" "leaflet@$LEAFLET" \
    "leaflet.markercluster@$MARKERCLUSTER" >/dev/null)
for archive in "$work"/*.tgz; do
    name=$(basename "$archive" .tgz)
    mkdir -p "$work/$name"
    tar -xzf "$archive" -C "$work/$name" --strip-components=1
done

# copy PACKAGE SOURCE DESTINATION: one file of an unpacked package into the vendor folder.
copy() {
    install -D -m 0644 "$work/$1/$2" "$VENDOR/$3"
}
copy "bootstrap-$BOOTSTRAP" dist/js/bootstrap.bundle.min.js bootstrap/bootstrap.bundle.min.js
copy "bootstrap-$BOOTSTRAP" dist/css/bootstrap.min.css bootstrap/bootstrap.min.css
copy "bootstrap-$BOOTSTRAP" LICENSE bootstrap/LICENSE
copy "htmx.org-$HTMX" dist/htmx.min.js htmx/htmx.min.js
copy "htmx.org-$HTMX" LICENSE htmx/LICENSE
copy "echarts-$ECHARTS" dist/echarts.min.js echarts/echarts.min.js
copy "echarts-$ECHARTS" LICENSE echarts/LICENSE
copy "echarts-$ECHARTS" NOTICE echarts/NOTICE
copy "leaflet-$LEAFLET" dist/leaflet.js leaflet/leaflet.js
copy "leaflet-$LEAFLET" dist/leaflet.css leaflet/leaflet.css
copy "leaflet-$LEAFLET" LICENSE leaflet/LICENSE
for image in "$work/leaflet-$LEAFLET"/dist/images/*.png; do
    copy "leaflet-$LEAFLET" "dist/images/$(basename "$image")" "leaflet/images/$(basename "$image")"
done
# Clustering for the one map (一张图), which shows thousands of enterprises at once.
copy "leaflet.markercluster-$MARKERCLUSTER" dist/leaflet.markercluster.js leaflet.markercluster/leaflet.markercluster.js
copy "leaflet.markercluster-$MARKERCLUSTER" dist/MarkerCluster.css leaflet.markercluster/MarkerCluster.css
copy "leaflet.markercluster-$MARKERCLUSTER" dist/MarkerCluster.Default.css leaflet.markercluster/MarkerCluster.Default.css
copy "leaflet.markercluster-$MARKERCLUSTER" MIT-LICENCE.txt leaflet.markercluster/LICENSE

# Remove the whole-line source-map comments (`//# sourceMappingURL=…` in JavaScript, `/*# … */` in CSS).
find "$VENDOR" -type f \( -name '*.js' -o -name '*.css' \) -exec sed -i -E \
    '/^[[:space:]]*(\/\/# sourceMappingURL=[^[:space:]]*|\/\*# sourceMappingURL=[^[:space:]]* \*\/)[[:space:]]*$/d' {} +

cat > "$VENDOR/README.md" <<EOF
# Vendored front-end libraries

Served from our own static files because bureaus run on closed intranets (no CDN at run time).
Each folder keeps the library's licence (and ECharts its NOTICE, as Apache-2.0 asks). Re-vendor with
\`make vendor\` (\`scripts/vendor.sh\`, npm), which fetches the versions below and writes this page.

The files are the packages' own, except that the last-line \`sourceMappingURL\` comments are removed: the
source maps are not shipped, and \`collectstatic\` with the production (manifest) storage refuses a
reference to a file that is not there.

| library | version | licence |
|---|---|---|
| Bootstrap | $BOOTSTRAP | MIT |
| htmx | $HTMX | 0BSD |
| Apache ECharts | $ECHARTS | Apache-2.0 |
| Leaflet | $LEAFLET | BSD-2-Clause |
| Leaflet.markercluster | $MARKERCLUSTER | MIT |
EOF
echo "Vendored Bootstrap $BOOTSTRAP, htmx $HTMX, ECharts $ECHARTS, Leaflet $LEAFLET, Leaflet.markercluster $MARKERCLUSTER into $VENDOR/."
