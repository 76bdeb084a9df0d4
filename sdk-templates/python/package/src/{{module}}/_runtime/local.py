"""Local evaluation for VexilProvider(mode="local"): the package's engine (``_engine``, the same
engine the shared vectors test) evaluates every flag in process on the evaluator's snapshot,
fetched from ``GET /v1/snapshot`` (ETag), refreshed on ``/v1/stream`` and kept while the
evaluator is unreachable; a ``vexil compile`` file allows an offline start. Results read exactly
as OFREP answers do, so local and remote modes answer alike; exposures of experiment flags are
batched to ``POST /v1/events`` by the engine."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._engine import LocalEvaluator
from .._engine.result import EvaluationResult

Item = dict[str, Any]
# engine event → what the provider emits (PROVIDER_READY, _CONFIGURATION_CHANGED, _STALE, _ERROR)
Emitter = Callable[[str, str], None]


class LocalMode:
    def __init__(
        self,
        base_url: str | None,
        token: str | None,
        api_key: str | None,
        snapshot_file: str | Path | None,
        timeout_ms: int,
        exposure_interval_ms: int,
        emit: Emitter,
    ) -> None:
        if base_url is None and snapshot_file is None:
            raise ValueError("local evaluation needs a base_url, a snapshot_file, or both")
        self._evaluator = LocalEvaluator(
            base_url,
            token=token,
            api_key=api_key,
            snapshot_file=snapshot_file,
            timeout=timeout_ms / 1000,
            exposure_interval=exposure_interval_ms / 1000,
        )
        self._emit = emit
        self._starting = True
        self._start_message = ""
        self._evaluator.on(self._on_event)

    def _on_event(self, event: str, message: str) -> None:
        if self._starting:
            self._start_message = message  # start() reports the outcome itself
            return
        self._emit(event, message)

    def start(self) -> None:
        """Loads the first snapshot; raises when there is none (file and evaluator both failed)."""
        self._evaluator.start()
        self._starting = False
        if self._evaluator.holder.current is None:
            raise RuntimeError(f"no snapshot to evaluate: {self._start_message}")
        if self._evaluator.state == "STALE":
            # started from the file while the evaluator is unreachable: say so once OpenFeature marked us ready
            message = self._start_message
            threading.Timer(0.1, lambda: self._emit("stale", message)).start()

    def item(self, key: str, context: dict[str, Any]) -> Item:
        """The evaluation as an OFREP item (errors as errorCode/errorDetails); never raises."""
        return _item_of(self._evaluator.evaluate(key, context))

    def close(self) -> None:
        self._evaluator.close()


def _item_of(result: EvaluationResult) -> Item:
    if result.error_code is not None:
        return {"errorCode": result.error_code, "errorDetails": result.error_message or result.error_code}
    item: Item = {"key": result.key, "value": result.value, "reason": result.reason}
    if result.variant is not None:
        item["variant"] = result.variant
    if result.metadata is not None:
        item["metadata"] = dict(result.metadata)
    return item
