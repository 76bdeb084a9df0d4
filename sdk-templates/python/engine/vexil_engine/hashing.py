"""Vexil bucketing (core/hashing/bucket.ts and test/vectors/bucketing.json define it).

hash   = MurmurHash3 x86 32-bit, seed 0, over the UTF-8 bytes of ``salt + ":" + value``
bucket = hash mod 100000
A user is inside a p% rollout iff bucket < p * 1000. A weighted split walks cumulative
thresholds floor(cum_i * 100000 / total) with the last pinned at 100000.
"""

from __future__ import annotations

import codecs
import math
from collections.abc import Sequence

import mmh3

BUCKET_SPACE = 100_000


def _lone_surrogate_to_fffd(error: UnicodeError) -> tuple[str, int]:
    # JavaScript's TextEncoder writes U+FFFD for each lone surrogate; Python would refuse them.
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "\ufffd" * (error.end - error.start), error.end


codecs.register_error("vexil-fffd", _lone_surrogate_to_fffd)


def utf8(text: str) -> bytes:
    """UTF-8 bytes as every Vexil SDK hashes them (a lone surrogate becomes U+FFFD)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "vexil-fffd")


def murmur3(data: bytes) -> int:
    """MurmurHash3 x86 32-bit, seed 0, unsigned."""
    return int(mmh3.hash(data, 0, signed=False))


class Salt:
    """A salt with its ``salt + ":"`` prefix encoded once."""

    __slots__ = ("prefix", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.prefix = utf8(text + ":")

    def bucket(self, value: str) -> int:
        if value.isascii():
            return int(mmh3.hash(self.prefix + value.encode("ascii"), 0, signed=False)) % BUCKET_SPACE
        return int(mmh3.hash(self.prefix + utf8(value), 0, signed=False)) % BUCKET_SPACE


def bucket(salt: str, value: str) -> int:
    """The bucket in [0, 100000) of ``value`` under ``salt``."""
    return murmur3(utf8(salt + ":" + value)) % BUCKET_SPACE


def is_inside_rollout(bucket_number: int, percentage: float) -> bool:
    return bucket_number < percentage * 1000


def split_thresholds(weights: Sequence[float]) -> list[int] | None:
    """Upper bucket bound per variant; None when the weights cannot form a split."""
    total = 0.0
    for weight in weights:
        if not math.isfinite(weight) or weight < 0:
            return None
        total += weight
    if not total > 0 or not math.isfinite(total):
        return None
    thresholds: list[int] = []
    cumulative = 0.0
    for weight in weights:
        cumulative += weight
        thresholds.append(math.floor((cumulative * BUCKET_SPACE) / total))
    thresholds[-1] = BUCKET_SPACE
    return thresholds


def pick_split(thresholds: Sequence[int], bucket_number: int) -> int:
    last = len(thresholds) - 1
    for i in range(last):
        if bucket_number < thresholds[i]:
            return i
    return last
