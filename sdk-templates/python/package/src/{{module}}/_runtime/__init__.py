"""The Vexil provider for the OpenFeature Python SDK (copied into every generated package)."""

from .provider import VexilProvider

__all__ = ["VexilProvider"]
