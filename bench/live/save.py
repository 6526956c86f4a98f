#!/usr/bin/env python3
"""Save-to-served latency of `cong serve`: edits one article's title with a fresh word, then
polls its page and /api/search until both show it, and prints the time from the save.

  bench/live/save.py PORT CONTENT_DIR RUNS [--latest] [--body]

Articles are picked past the latest five of their portal (their edit touches only their own
page and lists), or with --latest among the newest of the main portal (every article page of
that portal lists them, so all of those pages are rendered again when their title changes).
The fresh word goes into the title, or with --body into a new last paragraph."""
import http.client
import pathlib
import random
import re
import statistics
import sys
import time

port, content, runs = int(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
latest = "--latest" in sys.argv
body = "--body" in sys.argv
random.seed(7)


def article_urls():
    """(file, URL, date) of every article, from the files, as the generator writes them."""
    main = (content / "network.yaml").read_text().split("main_portal:")[1].split()[0]
    out = []
    for md in (content / "portals").glob("*/news/**/*.md"):
        portal = md.relative_to(content / "portals").parts[0]
        prefix = "" if portal == main else f"/{portal}"
        text = md.read_text()
        date = re.search(r"^date: (.*)$", text, re.M).group(1)
        out.append((md, f"{prefix}/tin-tuc/{md.stem}/", date, portal == main))
    return out


articles = article_urls()
if latest:
    pool = sorted((a for a in articles if a[3]), key=lambda a: a[2], reverse=True)[:3]
else:
    by_portal = {}
    for a in articles:
        by_portal.setdefault(a[1].split("/tin-tuc/")[0], []).append(a)
    pool = [a for group in by_portal.values() for a in sorted(group, key=lambda a: a[2], reverse=True)[6:]]

connection = http.client.HTTPConnection("127.0.0.1", port)


def get(path):
    connection.request("GET", path)
    response = connection.getresponse()
    return response.read().decode()


times = []
for run in range(runs):
    path, url, _, _ = random.choice(pool)
    word = f"zq{time.time_ns()}"  # new in every run of the script, never already served
    text = path.read_text()
    if body:
        edited = f"{text.rstrip()}\n\nĐoạn bổ sung {word}.\n"
    else:
        edited = re.sub(r"^title: .*$", f"title: Bài viết đã sửa {word}", text, count=1, flags=re.M)
    started = time.perf_counter()
    path.write_text(edited)
    while word not in get(url):
        pass
    while url not in get(f"/api/search?q={word}"):
        pass
    times.append((time.perf_counter() - started) * 1000)
    time.sleep(0.2)

times.sort()
print(
    f"{runs} saves: p50 {statistics.median(times):.1f} ms, "
    f"min {times[0]:.1f} ms, max {times[-1]:.1f} ms"
)
