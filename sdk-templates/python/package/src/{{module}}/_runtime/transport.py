"""HTTP to the Vexil evaluator: auth headers, timeouts, and OFREP error bodies read into
OpenFeature error codes (the body's errorCode is respected whatever the status)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPResponse
from typing import Any

ERROR_CODES = frozenset(
    {
        "PROVIDER_NOT_READY",
        "FLAG_NOT_FOUND",
        "PARSE_ERROR",
        "TYPE_MISMATCH",
        "TARGETING_KEY_MISSING",
        "INVALID_CONTEXT",
        "PROVIDER_FATAL",
        "GENERAL",
    }
)


@dataclass
class Answer:
    status: int
    etag: str | None
    body: Any


@dataclass
class Failure:
    error_code: str
    error_message: str


class Transport:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        api_key: str | None = None,
        headers: dict[str, str] | None = None,
        timeout_ms: int = 5000,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f'base_url must be an http(s) URL, got "{base_url}"')
        self.base = base_url.rstrip("/")
        self.timeout = timeout_ms / 1000
        self.headers = dict(headers or {})
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"
        if api_key is not None:
            self.headers["X-API-Key"] = api_key

    def post(self, path: str, body: Any, extra: dict[str, str] | None = None) -> Answer:
        """POST JSON; answers every HTTP status (connection failures and timeouts raise)."""
        headers = {**self.headers, "Content-Type": "application/json", **(extra or {})}
        request = urllib.request.Request(
            self.base + path, data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return _answer(response.status, response.headers.get("ETag"), response.read())
        except urllib.error.HTTPError as error:
            return _answer(error.code, error.headers.get("ETag"), error.read())

    def stream(self, path: str) -> HTTPResponse:
        """Open a server-sent event stream (raises when it cannot connect or is refused)."""
        headers = {**self.headers, "Accept": "text/event-stream"}
        request = urllib.request.Request(self.base + path, headers=headers)
        response: HTTPResponse = urllib.request.urlopen(request, timeout=self.timeout)
        return response


def _answer(status: int, etag: str | None, raw: bytes) -> Answer:
    body: Any = None
    if raw:
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
    return Answer(status, etag, body)


def failure_of(answer: Answer) -> Failure:
    body = answer.body if isinstance(answer.body, dict) else {}
    details = body.get("errorDetails")
    message = details if isinstance(details, str) else f"HTTP {answer.status}"
    code = body.get("errorCode")
    if isinstance(code, str) and code in ERROR_CODES:
        return Failure(code, message)
    if answer.status == 404:
        return Failure("FLAG_NOT_FOUND", message)
    if answer.status in (401, 403):
        return Failure("GENERAL", f"the evaluator refused the credentials (HTTP {answer.status})")
    if answer.status == 429:
        return Failure("GENERAL", f"rate limited by the evaluator: {message}")
    return Failure("GENERAL", message)


def failure_of_error(error: Exception) -> Failure:
    if isinstance(error, TimeoutError):
        return Failure("GENERAL", "the evaluator did not answer in time")
    return Failure("GENERAL", f"the evaluator could not be reached: {error}")
