# The docs' Python example (docs/sdks.md quotes this file; the SDK test runs it).
from openfeature import api
from openfeature.evaluation_context import EvaluationContext
from openfeature.track import TrackingEventDetails

from vexil_flags import FlagKeys, Flags, VexilProvider


def example(url: str, token: str) -> str:
    api.set_provider_and_wait(VexilProvider(url, token=token))
    flags = Flags(api.get_client())
    user = EvaluationContext(targeting_key="user-1", attributes={"plan": "premium"})
    checkout: bool = flags.new_checkout(user)
    color = flags.button_color(user)  # Literal["blue", "green"]
    api.get_client().track("purchase", user, TrackingEventDetails(value=42.5).add("flag", FlagKeys.NEW_CHECKOUT))
    api.shutdown()  # sends the tracked events still queued
    return f"checkout={checkout} color={color}"
