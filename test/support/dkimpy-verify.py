#!/usr/bin/env python3
"""dkimpy (Debian's python3-dkim) as a reference DKIM implementation for test/dkim/differential.test.ts.

Reads one JSON document on stdin and writes one JSON line per item on stdout, in input order:

  {"op": "verify", "items": [{"id": str, "message": base64, "now": seconds, "dns": {name: txt}}]}
    -> {"id": str, "signatures": [{"d", "s", "pass": bool, "bodyHash": bool | null, "detail": str}]}
       Every DKIM-Signature is verified, top first (dkim.DKIM(message).verify(idx=i)). The key
       records come from "dns" only (no network): a name that is absent is NXDOMAIN. bodyHash is
       null when dkimpy stopped before comparing the body hash (key or tag errors).

  {"op": "sign", "items": [{"id", "message": base64, "domain", "selector", "key", "algorithm",
                            "canonicalization": "header/body", "headers": [names] | null,
                            "length": bool, "now": seconds}]}
    -> {"id": str, "header": base64 of the DKIM-Signature field, CRLF-terminated}
       "key" is a PKCS#1 PEM for RSA, the base64 32-byte seed for Ed25519.

"now" pins dkimpy's clock (t= and x= checks, and t= when signing), so results do not depend on
the day the test runs. Exit status 3 when the dkim module cannot be imported.
"""
import base64
import json
import logging
import sys

try:
    import dkim
except ImportError as e:  # pragma: no cover - reported to the caller
    print(json.dumps({"error": "cannot import dkim: %s" % e}))
    sys.exit(3)


class _Clock(object):
    """Stands in for the time module inside dkim/__init__.py (it only calls time.time())."""

    def __init__(self):
        self.now = 0

    def time(self):
        return float(self.now)


CLOCK = _Clock()
dkim.time = CLOCK


class _Errors(logging.Handler):
    """Collects what dkimpy logs at ERROR level: key lookup and key format failures."""

    def __init__(self):
        logging.Handler.__init__(self, logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


ERRORS = _Errors()
LOGGER = logging.getLogger("dkimpy-differential")
LOGGER.propagate = False
LOGGER.setLevel(logging.INFO)
LOGGER.addHandler(ERRORS)


def _text(v):
    return v.decode("latin-1") if isinstance(v, bytes) else v


def verify_item(item):
    CLOCK.now = int(item["now"])
    dns = item.get("dns") or {}
    message = base64.b64decode(item["message"])

    def dnsfunc(name, timeout=5):
        key = _text(name).rstrip(".").lower()
        txt = dns.get(key)
        return None if txt is None else txt.encode("ascii")

    try:
        d = dkim.DKIM(message, logger=LOGGER)
    except dkim.DKIMException as e:
        return {"id": item["id"], "error": "%s: %s" % (type(e).__name__, e), "signatures": []}
    count = len([1 for name, _ in d.headers if name.lower() == b"dkim-signature"])
    signatures = []
    for idx in range(count):
        del ERRORS.messages[:]
        d.signature_fields = {}
        ok = False
        body_hash = None
        detail = ""
        try:
            ok = bool(d.verify(idx=idx, dnsfunc=dnsfunc))
            if ok:
                body_hash = True
                detail = "pass"
            elif ERRORS.messages:
                # The key could not be loaded: dkimpy returns False before hashing the body.
                detail = "key: " + "; ".join(ERRORS.messages)
            else:
                # verify_sig_process raises on a body hash mismatch, so a False after it means
                # the body hash matched and the header signature did not.
                body_hash = True
                detail = "header signature did not verify"
        except dkim.ValidationError as e:
            detail = "ValidationError: %s" % e
            if str(e).startswith("body hash mismatch"):
                body_hash = False
        except dkim.DKIMException as e:
            detail = "%s: %s" % (type(e).__name__, e)
        fields = d.signature_fields or {}
        signatures.append({
            "d": _text(fields.get(b"d")) if b"d" in fields else None,
            "s": _text(fields.get(b"s")) if b"s" in fields else None,
            "pass": ok,
            "bodyHash": body_hash,
            "detail": detail,
        })
    return {"id": item["id"], "signatures": signatures}


def sign_item(item):
    CLOCK.now = int(item["now"])
    message = base64.b64decode(item["message"])
    header_canon, body_canon = item["canonicalization"].split("/")
    headers = item.get("headers")
    header = dkim.sign(
        message,
        item["selector"].encode("ascii"),
        item["domain"].encode("ascii"),
        item["key"].encode("ascii"),
        canonicalize=(header_canon.encode("ascii"), body_canon.encode("ascii")),
        signature_algorithm=item["algorithm"].encode("ascii"),
        include_headers=[h.encode("ascii") for h in headers] if headers else None,
        length=bool(item.get("length")),
        logger=LOGGER,
    )
    return {"id": item["id"], "header": base64.b64encode(header).decode("ascii")}


def main():
    request = json.load(sys.stdin)
    handler = {"verify": verify_item, "sign": sign_item}[request["op"]]
    out = sys.stdout
    for item in request["items"]:
        out.write(json.dumps(handler(item)) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
