"""Drives vexil_engine.LocalEvaluator for test/sdk/engines/local.test.ts, one command per stdin
line, one JSON answer per stdout line:
  evaluate {"key", "context", "default", "type"}   -> the result
  wait KEY REASON SECONDS                          -> {"ok", "ms"}: polls until KEY gives REASON
  wait-state STATE SECONDS                         -> {"ok", "state", "events"}
  close                                            -> {"sent", "dropped"}
Usage: python local_driver.py URL TOKEN | python local_driver.py --file SNAPSHOT"""

from __future__ import annotations

import json
import sys
import time

from vexil_engine import LocalEvaluator

events: list[str] = []


def answer(value: object) -> None:
    print(json.dumps(value), flush=True)


def main() -> int:
    if sys.argv[1] == "--file":
        local = LocalEvaluator(snapshot_file=sys.argv[2])
    else:
        local = LocalEvaluator(sys.argv[1], token=sys.argv[2], retry=0.2, exposure_interval=0.2)
    local.on(lambda event, _message: events.append(event))
    local.start()
    for line in sys.stdin:
        command, _, rest = line.strip().partition(" ")
        if command == "evaluate":
            args = json.loads(rest)
            r = local.evaluate(args["key"], args.get("context"), args.get("default"), args.get("type"))
            answer({"value": r.value, "variant": r.variant, "reason": r.reason, "errorCode": r.error_code})
        elif command == "wait":
            key, reason, seconds = rest.split(" ")
            start = time.monotonic()
            while local.evaluate(key, {"targetingKey": "u"}).reason != reason:
                if time.monotonic() - start > float(seconds):
                    break
                time.sleep(0.005)
            ok = local.evaluate(key, {"targetingKey": "u"}).reason == reason
            answer({"ok": ok, "ms": round((time.monotonic() - start) * 1000)})
        elif command == "wait-state":
            state, seconds = rest.split(" ")
            deadline = time.monotonic() + float(seconds)
            while local.state != state and time.monotonic() < deadline:
                time.sleep(0.01)
            answer({"ok": local.state == state, "state": local.state, "events": events})
        elif command == "close":
            local.close()
            exposures = local.exposures
            answer({"sent": exposures.sent if exposures else 0, "dropped": exposures.dropped if exposures else 0})
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
