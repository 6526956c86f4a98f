#!/usr/bin/env python3
"""Sends the same search requests to two running `cong search-server`s and reports every
answer that differs (`took_ms` aside): the check that a speed-up changed no result.

    bench/search/compare.py CONTENT_DIR http://127.0.0.1:PORT_A http://127.0.0.1:PORT_B [N]

The requests: the benchmark's ten queries (pages 1 and 2), then N (default 400) built from
the content's news titles with a fixed seed: two to five consecutive words, with or without
marks, some with one letter deleted, replaced, inserted or swapped, some with a portal, kind
or level filter, some on page 2 or 3, some with another page size.
"""
import json
import pathlib
import random
import sys
import unicodedata
import urllib.parse
import urllib.request

BENCHMARK = [
    "thủ tục hành chính", "thu tuc hanh chinh", "dang ky khai sinh", "đăng ký khải sinh",
    "cap giay phep xay dung", "chuyển đổi số", "1.000894", "nong thon moi",
    "giay phep xay dugn", "tiến giang",
]


def unmarked(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def typo(word, rng):
    if len(word) < 4:
        return word
    i = rng.randrange(len(word) - 1)
    letter = rng.choice("abcdeghiklmnopqrstuvxy")
    return rng.choice([
        word[:i] + word[i + 1:],
        word[:i] + letter + word[i + 1:],
        word[:i] + letter + word[i:],
        word[:i] + word[i + 1] + word[i] + word[i + 2:],
    ])


def titles(content):
    for path in sorted(pathlib.Path(content).glob("portals/*/news/**/*.md"))[:5000]:
        for line in path.read_text(encoding="utf-8").splitlines()[1:10]:
            if line.startswith("title:"):
                yield path.relative_to(content).parts[1], line[6:].strip().strip("\"'")
                break


def requests(content, n):
    for q in BENCHMARK:
        yield {"q": q}
        yield {"q": q, "page": 2}
    rng = random.Random(20261202)
    known = list(titles(content))
    for _ in range(n):
        portal, title = rng.choice(known)
        words = title.split()
        size = rng.randint(2, min(5, len(words))) if len(words) > 1 else 1
        start = rng.randrange(len(words) - size + 1)
        words = words[start:start + size]
        if rng.random() < 0.5:
            words = [unmarked(w) for w in words]
        if rng.random() < 0.3:
            j = rng.randrange(len(words))
            words[j] = typo(words[j], rng)
        request = {"q": " ".join(words)}
        roll = rng.random()
        if roll < 0.15:
            request["portal"] = portal
        elif roll < 0.25:
            request["kind"] = rng.choice(["news", "page", "procedure", "document"])
        elif roll < 0.30:
            request["level"] = rng.choice([2, 3, 4])
        if rng.random() < 0.2:
            request["page"] = rng.randint(2, 3)
        if rng.random() < 0.1:
            request["per_page"] = rng.choice([1, 5, 20, 50])
        yield request


def answer(base, request):
    url = base + "/api/search?" + urllib.parse.urlencode(request)
    with urllib.request.urlopen(url) as response:
        body = json.load(response)
    body.pop("took_ms", None)
    return body


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    content, a, b = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 400
    sent = differ = 0
    for request in requests(content, n):
        sent += 1
        left, right = answer(a, request), answer(b, request)
        if left != right:
            differ += 1
            print("differs:", json.dumps(request, ensure_ascii=False))
    print(f"{sent} requests, {differ} answers differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
