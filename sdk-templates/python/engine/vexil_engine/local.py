"""Local evaluation against a Vexil evaluator: the snapshot comes from ``GET /v1/snapshot``
(ETag / If-None-Match), ``GET /v1/stream`` says when it changes, and every evaluation runs in
process on the snapshot in force. When the evaluator is unreachable the last good snapshot keeps
serving and the state turns STALE; without any snapshot it is ERROR. A snapshot file (``vexil
compile`` output) allows an offline start. Exposures of experiment flags are batched to
``POST /v1/events``. Listeners get "ready", "changed", "stale" and "error" (with a message): the
OpenFeature provider maps them to PROVIDER_READY, PROVIDER_CONFIGURATION_CHANGED, PROVIDER_STALE
and PROVIDER_ERROR."""

from __future__ import annotations

import contextlib
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from .evaluate import evaluate
from .exposures import ExposureBatcher
from .result import ErrorCode, EvaluationResult, failure
from .snapshot import SnapshotError, SnapshotHolder, load_snapshot_file

Listener = Callable[[str, str], None]


class Closeable(Protocol):
    def close(self) -> None: ...


class LocalEvaluator:
    def __init__(
        self,
        url: str | None = None,
        *,
        token: str | None = None,
        api_key: str | None = None,
        snapshot_file: str | Path | None = None,
        timeout: float = 5.0,
        retry: float = 1.0,
        exposure_interval: float = 5.0,
    ) -> None:
        self._url = url.rstrip("/") if url else None
        self._headers: dict[str, str] = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        if api_key:
            self._headers["X-API-Key"] = api_key
        self._snapshot_file = snapshot_file
        self._timeout = timeout
        self._retry = retry
        self.holder = SnapshotHolder()
        self.state = "NOT_READY"
        self._etag: str | None = None
        self._listeners: list[Listener] = []
        self._closed = threading.Event()
        self._stream: Closeable | None = None
        self._thread: threading.Thread | None = None
        self.exposures = (
            ExposureBatcher(self._url, self._headers, exposure_interval, timeout=timeout) if self._url else None
        )

    def on(self, listener: Listener) -> None:
        """Calls ``listener(event, message)`` for "ready", "changed", "stale" and "error"."""
        self._listeners.append(listener)

    def _emit(self, event: str, message: str = "") -> None:
        for listener in self._listeners:
            listener(event, message)

    def _set_state(self, state: str, message: str = "") -> None:
        previous, self.state = self.state, state
        if state == "READY" and previous != "READY":
            self._emit("ready", message)
        elif state == "STALE" and previous != "STALE":
            self._emit("stale", message)
        elif state == "ERROR" and previous != "ERROR":
            self._emit("error", message)

    def start(self) -> None:
        """Loads the snapshot file (if any), fetches the snapshot (if a URL is set) and follows
        the stream in a background thread. Never raises: failures show in ``state``."""
        if self._snapshot_file is not None:
            try:
                self.holder.swap(load_snapshot_file(self._snapshot_file))
                self._set_state("READY", f"loaded {self._snapshot_file}")
            except SnapshotError as error:
                self._set_state("ERROR", str(error))
        if self._url is None:
            return
        self.refresh()
        self._thread = threading.Thread(target=self._follow, name="vexil-stream", daemon=True)
        self._thread.start()

    def refresh(self) -> bool:
        """Fetches the snapshot unless the ETag says it is unchanged; False when that failed."""
        headers = dict(self._headers)
        if self._etag and self.holder.current is not None:
            headers["If-None-Match"] = self._etag
        request = urllib.request.Request(f"{self._url}/v1/snapshot", headers=headers)
        had_snapshot = self.holder.current is not None
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                data = response.read()
                etag = response.headers.get("ETag")
            changed = self.holder.load(data)
            self._etag = etag
        except urllib.error.HTTPError as error:
            if error.code == 304:
                self._set_state("READY")
                return True
            return self._failed(f"GET /v1/snapshot answered {error.code}")
        except (OSError, SnapshotError) as error:
            return self._failed(f"GET /v1/snapshot failed: {error}")
        self._set_state("READY")
        if changed and had_snapshot:  # also after an outage: the snapshot moved on meanwhile
            self._emit("changed", self.holder.current.hash if self.holder.current else "")
        return True

    def _failed(self, message: str) -> bool:
        self._set_state("STALE" if self.holder.current is not None else "ERROR", message)
        return False

    def _follow(self) -> None:
        """Reads /v1/stream; each ``snapshot`` event whose id differs from ours triggers a refresh.
        A dropped stream is reopened after ``retry`` seconds (and the snapshot refetched)."""
        while not self._closed.is_set():
            request = urllib.request.Request(
                f"{self._url}/v1/stream", headers={**self._headers, "Accept": "text/event-stream"}
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as stream:
                    self._stream = stream
                    self.refresh()
                    event = ""
                    for raw in stream:
                        line = raw.decode("utf-8").rstrip("\r\n")
                        if line.startswith("event:"):
                            event = line[6:].strip()
                        elif line.startswith("id:") and event == "snapshot":
                            current = self.holder.current
                            if current is None or current.hash != line[3:].strip():
                                self.refresh()
                        elif line == "":
                            event = ""
                if not self._closed.is_set():
                    self._failed("the evaluator closed /v1/stream")
            # AttributeError: http.client's reader when close() shuts the response under this thread
            except (OSError, ValueError, AttributeError) as error:
                if not self._closed.is_set():
                    self._failed(f"/v1/stream failed: {error}")
            self._stream = None
            self._closed.wait(self._retry)

    def evaluate(
        self, key: str, context: object = None, default_value: object = None, expected_type: str | None = None
    ) -> EvaluationResult:
        """Evaluates on the snapshot in force (PROVIDER_NOT_READY before the first one)."""
        snapshot = self.holder.current
        if snapshot is None:
            return failure(key, default_value, ErrorCode.PROVIDER_NOT_READY, "no snapshot is loaded yet")
        result = evaluate(snapshot, key, context, default_value, expected_type)
        if self.exposures is not None and result.metadata is not None and isinstance(context, dict):
            self.exposures.record(result, context.get("targetingKey"))
        return result

    def close(self) -> None:
        """Stops following the stream and flushes the exposures."""
        self._closed.set()
        stream = self._stream
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
        if self._thread is not None:
            self._thread.join(timeout=self._timeout)
        if self.exposures is not None:
            self.exposures.close()
