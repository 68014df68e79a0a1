"""dkimpy's verifier on a share of the benchmark's messages: one process of bench/verify.ts.

usage: python3 dkimpy_runner.py FILE_LIST ZONE_JSON WARMUP

FILE_LIST holds one absolute path per line, ZONE_JSON maps DNS names (lower case, no trailing dot) to
TXT text. For each message, every DKIM-Signature is checked with
dkim.DKIM(message).verify(idx=i, dnsfunc=...), the key coming from ZONE_JSON (no network).

Same protocol as the worker threads (bench/verify-peers/harness.ts), over stdio: the first WARMUP
files are verified untimed, then one JSON line {"type": "ready", ...} is printed; each line "go" on
stdin starts a timed pass over every file, after which one JSON line {"type": "done", "ms", "cpuMs",
"codes"} is printed (one letter per file: n unsigned, p a signature verifies, f none does); any
other line, or the end of stdin, ends the process.
"""
import json
import logging
import sys
import time

import dkim


def main():
    files_path, zone_path, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3])
    t = time.perf_counter()
    with open(files_path, encoding="utf-8") as f:
        files = [line for line in f.read().split("\n") if line]
    with open(zone_path, encoding="utf-8") as f:
        zone = {k.encode("ascii"): v.encode("latin-1") for k, v in json.load(f).items()}

    def dnsfunc(name, timeout=5):
        if isinstance(name, str):
            name = name.encode("ascii")
        return zone.get(name.rstrip(b".").lower())

    logger = logging.getLogger("bench-verify-dkimpy")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    logger.setLevel(logging.CRITICAL + 1)

    def verify(path):
        with open(path, "rb") as f:
            message = f.read()
        d = dkim.DKIM(message, logger=logger, minkey=1024)
        count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
        if count == 0:
            return "n"
        passed = False
        for i in range(count):
            try:
                if d.verify(idx=i, dnsfunc=dnsfunc):
                    passed = True
            except Exception:  # a DKIMException or a malformed message: this signature fails
                pass
        return "p" if passed else "f"

    setup_ms = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    for path in files[:warmup]:
        verify(path)
    warmup_ms = (time.perf_counter() - t) * 1000
    print(json.dumps({"type": "ready", "setupMs": setup_ms, "warmupMs": warmup_ms}), flush=True)

    while sys.stdin.readline().strip() == "go":
        t = time.perf_counter()
        c = time.process_time()
        codes = "".join(verify(path) for path in files)
        ms = (time.perf_counter() - t) * 1000
        cpu_ms = (time.process_time() - c) * 1000
        print(json.dumps({"type": "done", "ms": ms, "cpuMs": cpu_ms, "codes": codes}), flush=True)

if __name__ == "__main__":
    main()
