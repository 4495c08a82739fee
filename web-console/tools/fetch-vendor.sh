#!/usr/bin/env bash
# Re-fetches the dashboard's vendored front-end libraries from the npm registry (no CDN at run time).
# The files it copies are committed under src/main/resources/webroot/vendor/; run this only to
# update them, then commit the result. Needs npm; writes nothing outside a temp dir and vendor/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$here/src/main/resources/webroot/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
echo '{"name":"tmigr-vendor","version":"1.0.0","private":true}' > package.json
npm install --no-audit --no-fund --ignore-scripts \
  @vertx/eventbus-bridge-client.js@1.0.0 sockjs-client@1.6.1
mkdir -p "$dest"
cp node_modules/sockjs-client/dist/sockjs.min.js "$dest/sockjs.min.js"
cp node_modules/sockjs-client/LICENSE "$dest/sockjs-client.LICENSE"
# The bridge client ships unminified only (11 KB); it is a classic script that needs window.SockJS.
cp node_modules/@vertx/eventbus-bridge-client.js/vertx-eventbus.js "$dest/vertx-eventbus.js"
(cd "$dest" && sha256sum sockjs.min.js vertx-eventbus.js > SHA256SUMS)
echo "vendored into $dest:"
ls -l "$dest"
