#!/usr/bin/env bash
# Instructions the search server executes for one /api/search request, counted by callgrind over
# the whole process (HTTP, search, JSON): the server runs under callgrind twice, for 100 and for
# 600 requests of the benchmark's ten queries in turn over one kept-alive connection, and the
# difference is divided by 500, so that starting and stopping cancel out. Unlike wrk's figures,
# this count does not drift with the machine's speed: compare two builds with it.
# Under callgrind the server runs some fifty times slower, past its search budget: give a server
# that has one a budget to match, as extra arguments (--search-budget-ms 100000
# --queue-wait-ms 100000).
#   bench/search/instructions.sh CONG_BINARY INDEX_DIR [SERVER_ARGS...]   (apt-get install valgrind)
set -euo pipefail
cong=$1
index=$2
shift 2
server_args=("$@")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

count() {
  valgrind --tool=callgrind --callgrind-out-file="$work/out.$1" \
    "$cong" search-server --index "$index" --addr "127.0.0.1:$port" ${server_args[@]+"${server_args[@]}"} >/dev/null 2>&1 &
  local server=$!
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/api/search?q=a" >/dev/null 2>&1 && break
    sleep 0.2
  done
  python3 - "$port" "$1" <<'PY'
import http.client, sys, urllib.parse
queries = ["thủ tục hành chính", "thu tuc hanh chinh", "dang ky khai sinh", "đăng ký khải sinh",
           "cap giay phep xay dung", "chuyển đổi số", "1.000894", "nong thon moi",
           "giay phep xay dugn", "tiến giang"]
port, n = int(sys.argv[1]), int(sys.argv[2])
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
for i in range(n):
    connection.request("GET", "/api/search?q=" + urllib.parse.quote_plus(queries[i % 10]))
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 200, answer.status
PY
  kill -INT "$server"
  wait "$server" || true
  callgrind_annotate "$work/out.$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}

few=$(count 100)
many=$(count 600)
echo "$(( (many - few) / 500 )) instructions a request"
