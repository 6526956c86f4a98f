#!/usr/bin/env bash
# Screenshots of the built default site for the README, taken with Debian's headless Chromium.
#   cargo run --release -- build && tools/screenshots.sh
# Writes docs/screenshots/*.png. Serves site/ on a free loopback port while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory site >/dev/null 2>&1 &
server=$!
profile=$(mktemp -d)
trap 'kill $server; rm -rf "$profile"' EXIT
sleep 1
shot() { # url-path width height file
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --hide-scrollbars --window-size="$2,$3" \
        --screenshot="docs/screenshots/$4" "http://127.0.0.1:$port/$1" >/dev/null 2>&1
}
shot "" 1280 1500 main-portal.png
shot "so-y-te/" 1280 1100 department-portal.png
shot "huyen-cai-be/" 390 1500 district-portal-phone.png
shot "thu-tuc/1.001193/" 1280 1500 procedure.png
echo "wrote docs/screenshots/"
