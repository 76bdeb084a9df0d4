"""VexilProvider: an OpenFeature provider for the Vexil evaluator. Remote mode (the default)
speaks OFREP: bulk evaluation with an ETag per context (cache_size contexts kept) or one request
per evaluation when cache_size is 0; /v1/stream drops the cache and emits
PROVIDER_CONFIGURATION_CHANGED. mode="local" evaluates in process on the evaluator's snapshot
(local.py), with PROVIDER_STALE/ERROR while the evaluator is unreachable. track() sends
conversions and values to /v1/events in batches. Evaluation never raises."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from openfeature.evaluation_context import EvaluationContext
from openfeature.event import ProviderEventDetails
from openfeature.exception import ErrorCode, GeneralError
from openfeature.flag_evaluation import FlagResolutionDetails, FlagValueType, Reason
from openfeature.provider import AbstractProvider, Metadata
from openfeature.track import TrackingEventDetails

from .changes import ChangeWatcher
from .local import LocalMode
from .tracking import EventBatcher
from .transport import ERROR_CODES, Failure, Transport, failure_of, failure_of_error

T = TypeVar("T")
Item = dict[str, Any]


class VexilProvider(AbstractProvider):
    def __init__(
        self,
        base_url: str | None,
        *,
        mode: Literal["remote", "local"] = "remote",
        snapshot_file: str | Path | None = None,
        token: str | None = None,
        api_key: str | None = None,
        headers: dict[str, str] | None = None,
        timeout_ms: int = 5000,
        cache_size: int = 1000,
        stream: bool = True,
        poll_interval_ms: int = 30_000,
        event_batch_size: int = 100,
        event_flush_interval_ms: int = 1000,
        max_queued_events: int = 10_000,
    ) -> None:
        super().__init__()
        if mode not in ("remote", "local"):
            raise ValueError(f'mode must be "remote" or "local", got {mode!r}')
        if base_url is None and not (mode == "local" and snapshot_file is not None):
            raise ValueError("base_url is required (in local mode, a snapshot_file can stand in for it)")
        self._local = (
            LocalMode(base_url, token, api_key, snapshot_file, timeout_ms, event_flush_interval_ms, self._local_event)
            if mode == "local"
            else None
        )
        # offline (local mode from a file only): the transport is never used, track() drops its events
        self._transport = Transport(base_url or "http://offline.invalid", token, api_key, headers, timeout_ms)
        self._has_evaluator = base_url is not None
        self._cache_size = cache_size
        self._cache: OrderedDict[str, tuple[str | None, int, dict[str, Item]]] = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0
        self._watcher = ChangeWatcher(self._transport, self._changed, stream, poll_interval_ms)
        self._events = EventBatcher(
            self._transport, event_batch_size, event_flush_interval_ms, max_queued_events
        )

    def get_metadata(self) -> Metadata:
        return Metadata(name="vexil")

    def initialize(self, evaluation_context: EvaluationContext) -> None:
        """Remote: checks that the evaluator answers, then follows its changes. Local: loads the first snapshot."""
        if self._local is not None:
            try:
                self._local.start()
            except RuntimeError as error:
                raise GeneralError(str(error)) from error
            return
        try:
            answer = self._transport.post("/ofrep/v1/evaluate/flags", {"context": {}})
        except Exception as error:
            raise GeneralError(failure_of_error(error).error_message) from error
        if answer.status != 200:
            raise GeneralError(f"the evaluator answered: {failure_of(answer).error_message}")
        self._watcher.start()

    def shutdown(self) -> None:
        self._watcher.stop()
        if self._local is not None:
            self._local.close()  # flushes the exposures
        self._events.close()

    def _local_event(self, event: str, message: str) -> None:
        details = ProviderEventDetails(message=message)
        if event == "ready":
            self.emit_provider_ready(details)
        elif event == "changed":
            self.emit_provider_configuration_changed(details)
        elif event == "stale":
            self.emit_provider_stale(details)
        elif event == "error":
            self.emit_provider_error(details)

    def flush(self) -> None:
        """Send the tracked events queued so far."""
        self._events.flush()

    def _changed(self) -> None:
        with self._lock:
            self._generation += 1
        self.emit_provider_configuration_changed(
            ProviderEventDetails(message="the evaluator's flags changed")
        )

    def resolve_boolean_details(
        self, flag_key: str, default_value: bool, evaluation_context: EvaluationContext | None = None
    ) -> FlagResolutionDetails[bool]:
        return self._resolve(flag_key, "boolean", default_value, evaluation_context)

    def resolve_string_details(
        self, flag_key: str, default_value: str, evaluation_context: EvaluationContext | None = None
    ) -> FlagResolutionDetails[str]:
        return self._resolve(flag_key, "string", default_value, evaluation_context)

    def resolve_integer_details(
        self, flag_key: str, default_value: int, evaluation_context: EvaluationContext | None = None
    ) -> FlagResolutionDetails[int]:
        return self._resolve(flag_key, "integer", default_value, evaluation_context)

    def resolve_float_details(
        self, flag_key: str, default_value: float, evaluation_context: EvaluationContext | None = None
    ) -> FlagResolutionDetails[float]:
        return self._resolve(flag_key, "float", default_value, evaluation_context)

    def resolve_object_details(
        self,
        flag_key: str,
        default_value: Sequence[FlagValueType] | Mapping[str, FlagValueType],
        evaluation_context: EvaluationContext | None = None,
    ) -> FlagResolutionDetails[Sequence[FlagValueType] | Mapping[str, FlagValueType]]:
        return self._resolve(flag_key, "object", default_value, evaluation_context)

    def track(
        self,
        tracking_event_name: str,
        evaluation_context: EvaluationContext | None = None,
        tracking_event_details: TrackingEventDetails | None = None,
    ) -> None:
        """Queue a conversion (a value when details.value is set); flag, variant and experiment attributes go along."""
        key = evaluation_context.targeting_key if evaluation_context else None
        if not key or not self._has_evaluator:
            return  # nobody to attribute it to, or offline from a snapshot file
        details = tracking_event_details or TrackingEventDetails()
        event: dict[str, Any] = {
            "type": "conversion" if details.value is None else "value",
            "event": tracking_event_name,
            "targetingKey": key,
            "timestamp": datetime.now(UTC).isoformat(),
        }
        if details.value is not None:
            event["value"] = details.value
        for name in ("flag", "variant", "experiment"):
            if isinstance(details.attributes.get(name), str):
                event[name] = details.attributes[name]
        self._events.add(event)

    def _resolve(
        self, key: str, kind: str, default: T, context: EvaluationContext | None
    ) -> FlagResolutionDetails[T]:
        body = _context_json(context)
        if self._local is not None:
            return _resolve_item(key, self._local.item(key, body), kind, default)
        try:
            item = self._from_bulk(key, body) if self._cache_size > 0 else self._single(key, body)
        except Exception as error:  # noqa: BLE001 - evaluation never raises
            return _failed(default, failure_of_error(error))
        return _resolve_item(key, item, kind, default)

    def _single(self, key: str, context: dict[str, Any]) -> Item:
        path = "/ofrep/v1/evaluate/flags/" + urllib.parse.quote(key, safe="")
        answer = self._transport.post(path, {"context": context})
        if answer.status == 200 and isinstance(answer.body, dict):
            return answer.body
        return _item(failure_of(answer))

    def _from_bulk(self, key: str, context: dict[str, Any]) -> Item:
        cache_key = json.dumps(context, sort_keys=True, default=str)
        with self._lock:
            generation = self._generation
            entry = self._cache.get(cache_key)
        if entry is None or entry[1] != generation:
            extra = {} if entry is None or entry[0] is None else {"If-None-Match": entry[0]}
            answer = self._transport.post("/ofrep/v1/evaluate/flags", {"context": context}, extra)
            if answer.status == 304 and entry is not None:
                entry = (entry[0], generation, entry[2])
            elif answer.status == 200:
                entry = (answer.etag, generation, _items(answer.body))
            else:
                return _item(failure_of(answer))
            with self._lock:
                self._cache[cache_key] = entry
                self._cache.move_to_end(cache_key)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        found = entry[2].get(key)
        return found if found is not None else _item(Failure("FLAG_NOT_FOUND", f'flag "{key}" not found'))


def _context_json(context: EvaluationContext | None) -> dict[str, Any]:
    if context is None:
        return {}
    body: dict[str, Any] = {k: _jsonable(v) for k, v in context.attributes.items()}
    if context.targeting_key is not None:
        body["targetingKey"] = context.targeting_key
    return body


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _items(body: Any) -> dict[str, Item]:
    flags = body.get("flags") if isinstance(body, dict) else None
    if not isinstance(flags, list):
        return {}
    return {i["key"]: i for i in flags if isinstance(i, dict) and isinstance(i.get("key"), str)}


def _item(failure: Failure) -> Item:
    return {"errorCode": failure.error_code, "errorDetails": failure.error_message}


def _failed(default: T, failure: Failure) -> FlagResolutionDetails[T]:
    return FlagResolutionDetails(
        value=default,
        reason=Reason.ERROR,
        error_code=ErrorCode(failure.error_code),
        error_message=failure.error_message,
    )


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _convert(value: Any, kind: str) -> tuple[bool, Any]:
    """The value as the asked kind: a whole number is a float, a whole float an integer."""
    actual = _kind_of(value)
    if kind == "float" and actual == "number":
        return True, float(value)
    if kind == "integer" and actual == "number" and float(value).is_integer():
        return True, int(value)
    if kind == "object":
        return actual in ("object", "array"), value
    return actual == kind, value


def _resolve_item(key: str, item: Item, kind: str, default: T) -> FlagResolutionDetails[T]:
    code = item.get("errorCode")
    if code is not None:
        known = code if isinstance(code, str) and code in ERROR_CODES else "GENERAL"
        return _failed(default, Failure(known, str(item.get("errorDetails") or code)))
    ok, value = _convert(item.get("value"), kind)
    if not ok:
        message = f'flag "{key}" is a {_kind_of(item.get("value"))}, not a {kind}'
        return _failed(default, Failure("TYPE_MISMATCH", message))
    metadata = item.get("metadata")
    return FlagResolutionDetails(
        value=value,
        variant=item.get("variant") if isinstance(item.get("variant"), str) else None,
        reason=str(item["reason"]) if isinstance(item.get("reason"), str) else None,
        flag_metadata=metadata if isinstance(metadata, dict) else {},
    )
