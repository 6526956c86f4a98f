#!/usr/bin/env bash
# Indexing at scale: Pagefind's CLI against `cong build` (which writes its tantivy index) on a
# synthetic network of N news articles (+ 2,160 procedures).
#
#   bench/pagefind/scale.sh [N]          default N: 10000
#
# 1. `cong synth --articles N --out $SHM/pfN`
# 2. `cong build --content $SHM/pfN --out SITE --index INDEX` with the default theme, RUNS times,
#    each into never-used SITE and INDEX folders; the first run's site is kept for Pagefind.
#    Sizes: du -sb of the site and of the index.
# 3. The same build with `--themes bench/themes` (the minimal theme of bench/build.sh), RUNS times:
#    the difference is page rendering, which the lead uses to separate index time from rendering.
# 4. Pagefind's binary (the one its npm package ships, called directly, not through the Node
#    wrapper) `--site SITE --output-path OUT`, RUNS times, each into a never-used OUT; size: du -sb.
# Every command is timed with /usr/bin/time -v: wall clock, peak RSS, user + system CPU. Medians
# go to stdout as a Markdown table; progress to stderr. Everything under $SHM is removed at exit.
#
# Environment:
#   CONG   cong binary; default target/release/cong, built first with `cargo build --release`
#   RUNS   runs per measurement, default 3
#   SHM    scratch folder, default /dev/shm (tmpfs: disk speed does not enter)
#   RESULTS  also write the table to this file
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
n=${1:-10000}
RUNS=${RUNS:-3}
SHM=${SHM:-/dev/shm}

if [ -z "${CONG:-}" ]; then
    echo "building cong (release)" >&2
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
    CONG=$repo/target/release/cong
fi
PAGEFIND=$here/node_modules/@pagefind/linux-x64/bin/pagefind_extended
[ -x "$PAGEFIND" ] || PAGEFIND=$here/node_modules/@pagefind/linux-x64/bin/pagefind
if [ ! -x "$PAGEFIND" ]; then
    echo "no Pagefind binary: run \`npm ci --prefix bench/pagefind\` first" >&2
    exit 1
fi

work=$(mktemp -d "$SHM/pf-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Runs "$@" under /usr/bin/time -v; prints "wall_s max_rss_kib cpu_s".
timed() {
    if ! /usr/bin/time -v -o "$work/time" "$@" >"$work/log" 2>&1; then
        echo "failed: $*" >&2
        tail -n 20 "$work/log" >&2
        return 1
    fi
    awk -F': ' '
        /Elapsed \(wall clock\)/ { k = split($2, t, ":"); wall = (k == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /Maximum resident set size/ { rss = $2 }
        /User time \(seconds\)|System time \(seconds\)/ { cpu += $2 }
        END { print wall, rss, cpu }' "$work/time"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
size() { du -sb "$1" | cut -f1; }

rows=$work/rows
: >"$rows"
# row NAME "walls" "rsss" "cpus" OUTPUT_BYTES
row() {
    local wall rss cpu
    wall=$(tr ' ' '\n' <<<"$2" | median)
    rss=$(tr ' ' '\n' <<<"$3" | median)
    cpu=$(tr ' ' '\n' <<<"$4" | median)
    awk -v name="$1" -v wall="$wall" -v rss="$rss" -v cpu="$cpu" -v runs="$2" -v out="$5" \
        'BEGIN { printf "| %s | %.2f | %s | %.0f | %.2f | %s |\n", name, wall, runs, rss / 1024, cpu, out }' >>"$rows"
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
content=$work/pf$n
echo "N=$n: cong synth" >&2
"$CONG" synth --articles "$n" --out "$content" >&2

site=""
for theme in default minimal; do
    walls="" rsss="" cpus="" sizes=""
    for ((run = 1; run <= RUNS; run++)); do
        out=$work/site-$theme-$run index=$work/index-$theme-$run
        themes=$repo/themes
        [ "$theme" = minimal ] && themes=$repo/bench/themes
        result=$(timed "$CONG" build --content "$content" --themes "$themes" --out "$out" --index "$index")
        read -r wall rss cpu <<<"$result"
        sed -n '$p' "$work/log" >&2
        echo "cong build ($theme theme) run $run: ${wall}s, $((rss / 1024)) MiB, ${cpu}s CPU;" \
            "site $(size "$out") B, index $(size "$index") B" >&2
        walls+="$wall " rsss+="$rss " cpus+="$cpu "
        sizes="site $(size "$out") B, index $(size "$index") B"
        if [ "$theme" = default ] && [ -z "$site" ]; then
            site=$out
            pages=$(find "$site" -name '*.html' | wc -l)
        else
            rm -rf "$out"
        fi
        rm -rf "$index"
    done
    row "cong build, $theme theme (pages + index)" "${walls% }" "${rsss% }" "${cpus% }" "$sizes"
done

walls="" rsss="" cpus="" sizes=""
for ((run = 1; run <= RUNS; run++)); do
    out=$work/pagefind-$run
    result=$(timed "$PAGEFIND" --site "$site" --output-path "$out")
    read -r wall rss cpu <<<"$result"
    grep -E 'Indexed|Total:' "$work/log" | tr '\n' ' ' >&2 || true
    echo >&2
    echo "pagefind run $run: ${wall}s, $((rss / 1024)) MiB, ${cpu}s CPU; output $(size "$out") B" >&2
    walls+="$wall " rsss+="$rss " cpus+="$cpu "
    sizes="bundle $(size "$out") B ($(find "$out" -type f | wc -l) files)"
    rm -rf "$out"
done
row "pagefind --site (default-theme site, $pages pages)" "${walls% }" "${rsss% }" "${cpus% }" "$sizes"

{
    echo "N=$n articles (+ 2,160 procedures); medians of $RUNS runs; $(nproc) CPUs," \
        "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $("$PAGEFIND" --version)."
    echo "Load average before: $load_start; after: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| what | wall s (median) | wall s (runs) | peak RSS MiB | CPU s | output (du -sb) |"
    echo "|---|---:|---|---:|---:|---|"
    cat "$rows"
} | tee ${RESULTS:+"$RESULTS"}
