#!/usr/bin/env bash
# Hostile clients against the search endpoint over an index already built (bench/search/run.sh
# shows how to build the 50,000-article network):
#  1. 8 connections sending the costliest query the caps allow (costly.lua) while 8 (then 64)
#     others send the benchmark's ten queries (queries.lua): the others' latency, by wrk;
#  2. 2,000 idle connections, then 2,000 sending one byte a second: how long a normal search
#     takes meanwhile (idle.py).
#   bench/search/hostile.sh CONG_BINARY INDEX_DIR [SECONDS]      (apt-get install wrk)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cong=$1
index=$2
seconds=${3:-20}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$cong" search-server --index "$index" --addr "127.0.0.1:$port" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/search?q=a" >/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"
wrk -t1 -c8 -d5s -s "$here/queries.lua" "$url" >/dev/null   # warm-up
for others in 8 64; do
  echo "== the ten queries on $others connections, alone"
  wrk -t1 -c"$others" -d"${seconds}s" --latency -s "$here/queries.lua" "$url" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
  echo "== the same, beside 8 connections sending the costliest query"
  wrk -t1 -c8 -d"$((seconds + 2))s" --latency -s "$here/costly.lua" "$url" > /tmp/costly.$$ &
  costly=$!
  sleep 1
  wrk -t1 -c"$others" -d"${seconds}s" --latency -s "$here/queries.lua" "$url" | grep -E "Latency|50%|90%|99%|Requests/sec|Non-2xx"
  wait $costly
  echo "   the costly client:"; grep -E "Latency|99%|Requests/sec|Non-2xx" /tmp/costly.$$; rm -f /tmp/costly.$$
done
for mode in idle trickle; do
  echo "== 2,000 $mode connections"
  python3 "$here/idle.py" "$port" 2000 "$mode" "$seconds"
done
