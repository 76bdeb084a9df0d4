"""Exposures of experiment flags evaluated locally, sent in batches to ``POST /v1/events`` (the
evaluator counts them for the experiment's statistics). A background thread flushes every
``interval`` seconds or as soon as a batch is full; a failed post keeps the events for the next
try, up to ``capacity`` (the oldest are dropped beyond it, and counted)."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections import deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from .result import EvaluationResult

MAX_BATCH = 500  # the evaluator takes at most 1000 events per request


class ExposureBatcher:
    def __init__(
        self,
        url: str,
        headers: Mapping[str, str],
        interval: float = 5.0,
        capacity: int = 10_000,
        timeout: float = 5.0,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self._url = url.rstrip("/") + "/v1/events"
        self._headers = {**headers, "Content-Type": "application/json"}
        self._interval = interval
        self._timeout = timeout
        self._on_error = on_error
        self._queue: deque[dict[str, str]] = deque()
        self._capacity = capacity
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = threading.Event()
        self.sent = 0
        self.dropped = 0
        self._thread = threading.Thread(target=self._run, name="vexil-exposures", daemon=True)
        self._thread.start()

    def record(self, result: EvaluationResult, targeting_key: object) -> None:
        """Queues an exposure when the result was served by a running experiment."""
        metadata = result.metadata
        if metadata is None or "experiment" not in metadata or result.variant is None:
            return
        if not isinstance(targeting_key, str) or targeting_key == "":
            return
        event = {
            "type": "exposure",
            "flag": result.key,
            "experiment": str(metadata["experiment"]),
            "variant": result.variant,
            "targetingKey": targeting_key,
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        with self._lock:
            self._queue.append(event)
            while len(self._queue) > self._capacity:
                self._queue.popleft()
                self.dropped += 1
            full = len(self._queue) >= MAX_BATCH
        if full:
            self._wake.set()

    def flush(self) -> bool:
        """Sends what is queued now; False when a post failed (the events stay queued)."""
        while True:
            with self._lock:
                batch = [self._queue[i] for i in range(min(MAX_BATCH, len(self._queue)))]
            if not batch:
                return True
            try:
                body = json.dumps(batch).encode()
                request = urllib.request.Request(self._url, data=body, headers=self._headers, method="POST")
                with urllib.request.urlopen(request, timeout=self._timeout) as response:
                    response.read()
            except Exception as error:  # noqa: BLE001 - any failure keeps the events for the next try
                if self._on_error is not None:
                    self._on_error(error)
                return False
            with self._lock:
                for _ in batch:
                    if self._queue:
                        self._queue.popleft()
                self.sent += len(batch)

    def _run(self) -> None:
        while not self._closed.is_set():
            self._wake.wait(self._interval)
            self._wake.clear()
            self.flush()

    def close(self) -> None:
        """Stops the thread after a last flush."""
        self._closed.set()
        self._wake.set()
        self._thread.join(timeout=self._timeout + 1)
        self.flush()
