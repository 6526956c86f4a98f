#!/usr/bin/env bash
# Search endpoint benchmark: builds a synthetic network of N articles (default 50,000) with its
# index, serves it with `cong search-server` on loopback, and loads /api/search with wrk at 64
# connections for a bounded time. The load generator shares the machine's cores with the server.
# Then, as a yardstick of the machine's speed at that moment, the ten queries in process on one
# thread (benches/queries.rs), each repeated and then the ten in turn: this machine's speed drifts
# from day to day by up to 2x, so compare wrk figures only beside these.
#   bench/search/run.sh [N] [SECONDS]        (apt-get install wrk)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-50000}
seconds=${2:-15}
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
cong=$repo/target/release/cong
work=$(mktemp -d /dev/shm/cong-search-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
"$cong" synth --articles "$n" --out "$work/content" >&2
/usr/bin/time -f "build: %e s wall, %M KiB peak" "$cong" build --content "$work/content" --out "$work/site" --index "$work/index"
echo "index size: $(du -sh "$work/index" | cut -f1)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$cong" search-server --index "$work/index" --addr "127.0.0.1:$port" 2>/dev/null &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/search?q=a" >/dev/null && break; sleep 0.1; done
wrk -t2 -c64 -d5s -s "$repo/bench/search/queries.lua" "http://127.0.0.1:$port" >/dev/null   # warm-up
wrk -t2 -c64 -d"${seconds}s" --latency -s "$repo/bench/search/queries.lua" "http://127.0.0.1:$port"
kill $server
wait $server 2>/dev/null || true
cargo bench --quiet --manifest-path "$repo/Cargo.toml" --bench queries -- "$work/index" |
  awk '{ print } NR > 1 && !/in turn/ { sum += $(NF - 1) } END { print "the ten queries in process, each repeated, summed: " sum " µs" }'
