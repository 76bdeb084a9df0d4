"""Drives a generated package's VexilProvider(mode="local") for the outage test: one command per
stdin line, one JSON answer per stdout line. ``evaluate KEY USER`` evaluates a boolean flag;
``wait EVENT SECONDS`` waits for a provider event (STALE, READY, ERROR, CONFIGURATION_CHANGED)
seen after the previous wait; ``close`` shuts down. Arguments: URL TOKEN."""

from __future__ import annotations

import json
import sys
import threading
import time

from openfeature import api
from openfeature.evaluation_context import EvaluationContext
from openfeature.event import EventDetails, ProviderEvent

from vexil_flags import VexilProvider

seen: list[tuple[str, str]] = []
arrived = threading.Condition()


def record(name: str) -> None:
    def handler(details: EventDetails) -> None:
        with arrived:
            seen.append((name, details.message or ""))
            arrived.notify_all()

    api.add_handler(getattr(ProviderEvent, f"PROVIDER_{name}"), handler)


def wait(name: str, seconds: float) -> dict[str, object]:
    started = time.monotonic()
    with arrived:
        found = arrived.wait_for(lambda: any(n == name for n, _ in seen), timeout=seconds)
        messages = [m for n, m in seen if n == name]
        seen.clear()
    return {"ok": found, "ms": round((time.monotonic() - started) * 1000), "message": messages[0] if messages else ""}


def main() -> None:
    api.set_provider_and_wait(VexilProvider(sys.argv[1], token=sys.argv[2], mode="local"))
    for name in ("STALE", "READY", "ERROR", "CONFIGURATION_CHANGED"):
        record(name)
    client = api.get_client()
    for line in sys.stdin:
        command, *args = line.split()
        answer: dict[str, object]
        if command == "evaluate":
            d = client.get_boolean_details(args[0], False, EvaluationContext(args[1]))
            code = d.error_code.value if d.error_code else None
            answer = {"value": d.value, "variant": d.variant, "reason": d.reason, "errorCode": code}
        elif command == "wait":
            answer = wait(args[0], float(args[1]))
        else:
            api.shutdown()
            answer = {"closed": True}
        print(json.dumps(answer), flush=True)
        if command == "close":
            return


if __name__ == "__main__":
    main()
