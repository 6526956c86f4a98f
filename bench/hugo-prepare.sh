#!/usr/bin/env bash
# Lays the news articles of a content folder (a synthetic network from `cong synth`) out as the
# Hugo peer site used by bench/build.sh:
#
#   bench/hugo-prepare.sh CONTENT_DIR HUGO_SITE_DIR
#
# HUGO_SITE_DIR (must not exist yet) gets bench/hugo/'s configs and layouts and
#   content/<portal>/_index.md                  title: the portal's name
#   content/<portal>/<year>/<slug>.md           each portals/<portal>/news/<year>/<slug>.md
# The articles are hard links when both folders are on one file system, copies otherwise; Hugo
# reads our front matter (title, date, summary, tags, author) as it is. Pages, documents and
# procedures are not laid out: the Hugo side renders the news only.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 CONTENT_DIR HUGO_SITE_DIR" >&2
    exit 2
fi
content=$1
site=$2
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -f "$content/network.yaml" ] || [ ! -d "$content/portals" ]; then
    echo "$content is not a content folder (no network.yaml or portals/)" >&2
    exit 1
fi
if [ -e "$site" ]; then
    echo "$site already exists; give a new folder" >&2
    exit 1
fi

mkdir -p "$site/content"
cp -r "$here/hugo/hugo.toml" "$here/hugo/hugo.notags.toml" "$here/hugo/layouts" "$site/"

for portal_dir in "$content"/portals/*/; do
    portal=$(basename "$portal_dir")
    mkdir -p "$site/content/$portal"
    name=$(sed -n 's/^name: *//p' "$portal_dir/portal.yaml" | head -n 1 | sed 's/^"\(.*\)"$/\1/')
    printf -- '---\ntitle: "%s"\n---\n' "${name//\"/\\\"}" >"$site/content/$portal/_index.md"
    [ -d "$portal_dir/news" ] || continue
    for year_dir in "$portal_dir"news/*/; do
        [ -d "$year_dir" ] || continue
        # The year folder keeps its name: news/2019/x.md -> content/<portal>/2019/x.md.
        cp -rl "$year_dir" "$site/content/$portal/" 2>/dev/null ||
            cp -r "$year_dir" "$site/content/$portal/"
    done
done

echo "$site: $(find "$site/content" -name '*.md' ! -name '_index.md' | wc -l) articles" >&2
