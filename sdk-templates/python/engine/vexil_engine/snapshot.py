"""Loading snapshots (``vexil compile`` output, ``GET /v1/snapshot`` bodies) and swapping them
atomically. A snapshot is prepared once, when loaded: each flag becomes a Flag, or the message
saying why it is malformed (evaluating it gives PARSE_ERROR). A snapshot that is not a snapshot at
all is refused with SnapshotError, so a holder keeps serving the last good one."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from pathlib import Path

from .flags import Flag
from .shape import MalformedError

SCHEMA_VERSION = 1


class SnapshotError(ValueError):
    """The bytes or document given are not a usable Vexil snapshot."""


class Snapshot:
    """A loaded, prepared snapshot: immutable once built."""

    __slots__ = ("environment", "flags", "hash", "namespace")

    def __init__(self, document: object) -> None:
        if not isinstance(document, Mapping):
            raise SnapshotError("snapshot must be a JSON object")
        version = document.get("schemaVersion")
        if version != SCHEMA_VERSION or isinstance(version, bool):
            raise SnapshotError(f"snapshot schemaVersion must be {SCHEMA_VERSION}, got {version!r}")
        flags = document.get("flags")
        if not isinstance(flags, Mapping):
            raise SnapshotError("snapshot.flags must be an object")
        self.namespace = _text(document.get("namespace"))
        self.environment = _text(document.get("environment"))
        self.hash = _text(document.get("hash"))
        self.flags: dict[str, Flag | str] = {key: _prepare(key, raw) for key, raw in flags.items()}


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _prepare(key: str, raw: object) -> Flag | str:
    try:
        if not isinstance(raw, Mapping):
            raise MalformedError("flag must be an object")
        return Flag(key, raw)
    except (MalformedError, TypeError, ValueError) as error:
        return f'flag "{key}" is malformed: {error}'


def load_snapshot(data: bytes | str) -> Snapshot:
    """A snapshot from JSON bytes or text; SnapshotError when it is not one."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise SnapshotError(f"snapshot is not valid JSON: {error}") from error
    return Snapshot(document)


def load_snapshot_file(path: str | Path) -> Snapshot:
    """A snapshot from a file written by ``vexil compile``."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise SnapshotError(f"cannot read snapshot file {path}: {error.strerror}") from error
    return load_snapshot(data)


class SnapshotHolder:
    """The snapshot in force. Readers take ``current`` (one reference read, so an evaluation sees
    one whole snapshot); ``swap`` replaces it atomically and returns whether it changed."""

    def __init__(self, snapshot: Snapshot | None = None) -> None:
        self._lock = threading.Lock()
        self.current: Snapshot | None = snapshot

    def swap(self, snapshot: Snapshot) -> bool:
        with self._lock:
            changed = self.current is None or self.current.hash != snapshot.hash or not snapshot.hash
            self.current = snapshot
            return changed

    def load(self, data: bytes | str) -> bool:
        """Loads and swaps in a snapshot; on SnapshotError the previous one stays in force."""
        return self.swap(load_snapshot(data))
