#!/usr/bin/env bash
# The editor's loop, measured: `cong serve` start on the default content (launch to the first
# page served), then on synthetic networks of N articles the time from saving one article to
# its updated page and search entry being served (bench/live/save.py), next to a full build
# of the same network.
#   bench/live/run.sh [N ...]        (default: 10000 50000)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
cong=$repo/target/release/cong
work=$(mktemp -d /dev/shm/cong-live-bench.XXXXXX)
server=
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts `cong serve` on $1 (content) and port $2, and says how long until the home page answers.
serve() {
  local what=$3 started
  started=$(date +%s.%N)
  "$cong" serve --content "$1" --themes "$repo/themes" --out "$work/preview/site" \
    --index "$work/preview/index" --port "$2" >/dev/null 2>"$work/serve.log" &
  server=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$2/"; do sleep 0.01; done
  echo "serve start, $what: $(python3 -c "print(round($(date +%s.%N) - $started, 2))") s"
}

port=$(free_port)
cp -r "$repo/content" "$work/default"
serve "$work/default" "$port" "default content"
kill $server; wait $server 2>/dev/null || true

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 50000)
for n in "${sizes[@]}"; do
  rm -rf "$work/preview" "$work/content"
  "$cong" synth --articles "$n" --out "$work/content" >/dev/null
  /usr/bin/time -f "full build, $n articles: %e s wall, %M KiB peak" \
    "$cong" build --content "$work/content" --out "$work/site" --index "$work/index" >/dev/null
  port=$(free_port)
  serve "$work/content" "$port" "$n articles"
  echo "$n articles, title of an article past its portal's latest five:"
  python3 "$repo/bench/live/save.py" "$port" "$work/content" 30
  echo "$n articles, new paragraph in an article past its portal's latest five:"
  python3 "$repo/bench/live/save.py" "$port" "$work/content" 30 --body
  echo "$n articles, title of one of the main portal's latest articles:"
  python3 "$repo/bench/live/save.py" "$port" "$work/content" 10 --latest
  echo "$n articles, new paragraph in one of the main portal's latest articles:"
  python3 "$repo/bench/live/save.py" "$port" "$work/content" 10 --latest --body
  kill $server; wait $server 2>/dev/null || true
done
