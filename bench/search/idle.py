"""Holds COUNT connections open against the search endpoint on 127.0.0.1:PORT, either idle
(connected, nothing sent) or trickling a request head one byte a second each, reopening any the
server closes, and meanwhile times a normal search on a connection of its own twice a second.
Prints each search's status and time, then the median and the worst.
    python3 bench/search/idle.py PORT COUNT idle|trickle SECONDS"""
import http.client
import resource
import socket
import sys
import time

port, count, mode, seconds = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
head = b"GET /api/search?q=khai+sinh HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 10_000


def opened():
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    return [s, 0]


held = [opened() for _ in range(count)]
times, statuses, reopened = [], {}, 0
start = time.monotonic()
next_byte = next_search = start + 1
while time.monotonic() - start < seconds:
    now = time.monotonic()
    if now >= next_byte:
        next_byte += 1
        for i, (s, sent) in enumerate(held):
            try:
                if s.recv(1) == b"":
                    raise ConnectionError
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                held[i] = opened()
                reopened += 1
                continue
            if mode == "trickle":
                try:
                    s.send(head[sent:sent + 1])
                    held[i][1] += 1
                except OSError:
                    pass
    if now >= next_search:
        next_search += 0.5
        began = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/api/search?q=dang+ky+khai+sinh")
            status = c.getresponse().status
            c.close()
        except OSError as e:
            status = type(e).__name__
        took = (time.monotonic() - began) * 1000
        times.append(took)
        statuses[status] = statuses.get(status, 0) + 1
    time.sleep(0.01)
times.sort()
print(f"   {len(times)} searches beside {count} {mode} connections ({reopened} reopened after the server closed them):"
      f" statuses {statuses}, median {times[len(times) // 2]:.1f} ms, worst {times[-1]:.1f} ms")
for s, _ in held:
    s.close()
