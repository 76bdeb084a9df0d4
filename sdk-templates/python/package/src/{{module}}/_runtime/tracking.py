"""OpenFeature tracking sent to POST /v1/events in batches: when a batch is full, on a timer, on
flush() and on shutdown. A failed send keeps the events (bounded) for the next try."""

from __future__ import annotations

import threading
from typing import Any

from .transport import Transport


class EventBatcher:
    def __init__(
        self,
        transport: Transport,
        batch_size: int = 100,
        flush_interval_ms: int = 1000,
        max_queued: int = 10_000,
    ) -> None:
        self._transport = transport
        self._batch_size = min(max(batch_size, 1), 1000)
        self._max_queued = max_queued
        self._interval_s = flush_interval_ms / 1000
        self._queue: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._stop = threading.Event()
        threading.Thread(target=self._timer, name="vexil-events", daemon=True).start()

    def add(self, event: dict[str, Any]) -> None:
        with self._lock:
            self._queue.append(event)
            del self._queue[: max(0, len(self._queue) - self._max_queued)]
            full = len(self._queue) >= self._batch_size
        if full:
            threading.Thread(target=self.flush, daemon=True).start()

    def flush(self) -> None:
        """Send everything queued; events that fail stay queued."""
        with self._send_lock:
            while True:
                with self._lock:
                    batch, self._queue = self._queue[: self._batch_size], self._queue[self._batch_size :]
                if not batch:
                    return
                try:
                    status = self._transport.post("/v1/events", batch).status
                except Exception:  # noqa: BLE001 - unreachable: keep the batch
                    status = 0
                if status == 0 or status == 429 or status >= 500:
                    with self._lock:
                        self._queue[:0] = batch
                    return

    def close(self) -> None:
        self._stop.set()
        self.flush()

    def _timer(self) -> None:
        while not self._stop.wait(self._interval_s):
            self.flush()
