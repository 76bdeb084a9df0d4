"""Change notification: follow /v1/stream (server-sent events naming the snapshot hash) on a
daemon thread and call on_change when the hash moves; while the stream is down, poll bulk
evaluation with If-None-Match and reconnect after the server's retry hint."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from .transport import Transport


class ChangeWatcher:
    def __init__(
        self,
        transport: Transport,
        on_change: Callable[[], None],
        stream: bool = True,
        poll_interval_ms: int = 30_000,
    ) -> None:
        self._transport = transport
        self._on_change = on_change
        self._use_stream = stream
        self._poll_s = poll_interval_ms / 1000
        self._stop = threading.Event()
        self._hash: str | None = None
        self._poll_etag: str | None = None
        self._retry_s = 1.0
        self.last_error: Exception | None = None
        """why the stream last dropped (polling covers until it is back)"""

    def start(self) -> None:
        target = self._follow if self._use_stream else self._poll_forever
        threading.Thread(target=target, name="vexil-changes", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _seen(self, version: str) -> None:
        previous, self._hash = self._hash, version
        if previous is not None and previous != version:
            self._on_change()

    def _follow(self) -> None:
        while not self._stop.is_set():
            try:
                with self._transport.stream("/v1/stream") as response:
                    self._retry_s = 1.0
                    self._read(response)
            except Exception as error:  # noqa: BLE001 - unreachable, refused or cut: poll until it is back
                self.last_error = error
            deadline = self._retry_s
            self._retry_s = min(self._retry_s * 2, 30.0)
            while deadline > 0 and not self._stop.is_set():
                self._poll()
                step = min(deadline, self._poll_s)
                self._stop.wait(step)
                deadline -= step

    def _read(self, response: object) -> None:
        event, data = "message", list[str]()
        for raw in response:  # type: ignore[attr-defined]
            if self._stop.is_set():
                return
            line = raw.decode("utf-8").rstrip("\r\n")
            if line == "":
                self._event(event, data)
                event, data = "message", list[str]()
            elif line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip())
            elif line.startswith("retry:") and line[6:].strip().isdigit():
                self._retry_s = int(line[6:].strip()) / 1000

    def _event(self, event: str, data: list[str]) -> None:
        if event != "snapshot" or not data:
            return
        try:
            version = json.loads("\n".join(data)).get("hash")
        except ValueError:
            return
        if isinstance(version, str):
            self._seen(version)

    def _poll_forever(self) -> None:
        while not self._stop.wait(self._poll_s):
            self._poll()

    def _poll(self) -> None:
        extra = {} if self._poll_etag is None else {"If-None-Match": self._poll_etag}
        try:
            answer = self._transport.post("/ofrep/v1/evaluate/flags", {"context": {}}, extra)
        except Exception:  # noqa: BLE001 - still unreachable: try again next time
            return
        if answer.status != 200 or answer.etag is None:
            return
        previous, self._poll_etag = self._poll_etag, answer.etag
        if previous is not None and previous != answer.etag:
            self._on_change()
