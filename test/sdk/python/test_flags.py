"""The generated Python SDK against a live evaluator (VEXIL_URL, VEXIL_TOKEN, VEXIL_FLAGS_DIR):
the same behaviour every language's SDK test checks."""

from __future__ import annotations

import os
import pathlib
import threading
import time

import pytest
from example import example
from openfeature import api
from openfeature.evaluation_context import EvaluationContext
from openfeature.event import EventDetails, ProviderEvent
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagEvaluationDetails, FlagValueType, Reason
from openfeature.track import TrackingEventDetails

from vexil_flags import FlagKeys, Flags, Variants, VexilProvider

URL = os.environ["VEXIL_URL"]
TOKEN = os.environ["VEXIL_TOKEN"]


def picked(d: FlagEvaluationDetails[FlagValueType]) -> tuple[object, str | None, str | None, ErrorCode | None]:
    return (d.value, d.variant, d.reason, d.error_code)


@pytest.fixture(autouse=True)
def clean() -> None:
    api.clear_providers()


def provider(**options: object) -> VexilProvider:
    return VexilProvider(URL, token=TOKEN, **options)  # type: ignore[arg-type]


def test_docs_example_runs() -> None:
    assert example(URL, TOKEN) == "checkout=True color=green"


def test_values_variants_reasons_and_errors() -> None:
    api.set_provider_and_wait(provider())
    client = api.get_client()
    flags = Flags(client)
    assert flags.new_checkout(EvaluationContext("user-1")) is True
    assert flags.new_checkout(EvaluationContext("user-2", {"country": "FR"})) is True
    assert flags.new_checkout(EvaluationContext("user-3")) is False
    assert picked(flags.new_checkout_details(EvaluationContext("user-1"))) == (True, "on", "TARGETING_MATCH", None)
    assert picked(flags.new_checkout_details(EvaluationContext("user-3"))) == (False, "off", "DEFAULT", None)
    assert flags.button_color(EvaluationContext("u", {"plan": "premium"})) == "green"
    assert flags.button_color(EvaluationContext("u")) == "blue"
    items = flags.max_items()
    assert items == 10.0 and isinstance(items, float)  # a whole number asked as a float
    assert flags.search_config() == {"algorithm": "bm25", "boost": 1.5}
    assert flags.flag_2fa_required() is False
    assert FlagKeys.NEW_CHECKOUT == "new-checkout" and Variants.MaxItems.MANY == "many"
    # a custom reason passes through as a reason, not an error
    assert picked(flags.express_pay_details()) == (False, "off", "PREREQUISITE_FAILED", None)
    missing = client.get_boolean_details("no-such-flag", True, EvaluationContext("u"))
    assert picked(missing) == (True, None, Reason.ERROR, ErrorCode.FLAG_NOT_FOUND)
    mismatch = client.get_boolean_details("button-color", False, EvaluationContext("u"))
    assert picked(mismatch) == (False, None, Reason.ERROR, ErrorCode.TYPE_MISMATCH)
    assert mismatch.error_message == 'flag "button-color" is a string, not a boolean'
    assert client.get_integer_value("max-items", 0) == 10  # a whole number asked as an integer too


def test_single_evaluation_with_api_key() -> None:
    api.set_provider_and_wait(VexilProvider(URL, api_key=TOKEN, cache_size=0))
    client = api.get_client()
    assert Flags(client).new_checkout(EvaluationContext("user-1")) is True
    assert client.get_boolean_details("no-such-flag", True).error_code == ErrorCode.FLAG_NOT_FOUND
    assert client.get_string_details("max-items", "x").error_code == ErrorCode.TYPE_MISMATCH
    assert client.get_float_value("max-items", 0.0) == 10.0


def test_tracked_events_are_sent() -> None:
    api.set_provider_and_wait(provider())
    client = api.get_client()
    user = EvaluationContext("py-buyer")
    client.track("purchase", user, TrackingEventDetails(value=42.5).add("flag", "new-checkout"))
    client.track("signup", user)
    client.track("anonymous")  # no targeting key: not sent
    api.shutdown()  # flushes the queue; the harness checks what the evaluator stored


def test_kill_switch_arrives_through_the_stream_within_a_second() -> None:
    api.set_provider_and_wait(provider())
    client = api.get_client()
    flags = Flags(client)
    assert flags.payments_v2(EvaluationContext("u")) is True
    time.sleep(0.3)  # the stream is connected and has the current hash
    changed = threading.Event()

    def on_change(_: EventDetails) -> None:
        changed.set()

    client.add_handler(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED, on_change)
    file = pathlib.Path(os.environ["VEXIL_FLAGS_DIR"]) / "payments.yaml"
    started = time.monotonic()
    file.write_text(file.read_text().replace("killSwitch: false", "killSwitch: true"))
    assert changed.wait(1.0), "no PROVIDER_CONFIGURATION_CHANGED within a second"
    print(f"python: kill switch seen after {round((time.monotonic() - started) * 1000)} ms")
    assert picked(flags.payments_v2_details(EvaluationContext("u"))) == (False, "off", "DISABLED", None)
