"""Local evaluation, VexilProvider(mode="local"), against live evaluators: the same answers as
remote mode on examples/ and on the shared vectors, exposures sent to /v1/events, the kill
switch through the stream, and an offline start from ``vexil compile`` output. Environment:
VEXIL_TOKEN, VEXIL_LOCAL_URL and VEXIL_LOCAL_FLAGS_DIR (an evaluator of test/sdk/flags this file
may flip), VEXIL_EXAMPLES_URL (examples/), VEXIL_VECTORS_URL (the vectors' snapshot),
VEXIL_VECTORS_FILE and VEXIL_SNAPSHOT_FILE (``vexil compile`` of test/sdk/flags)."""

from __future__ import annotations

import json
import os
import pathlib
import threading
import time
import urllib.request
from typing import Any

import pytest
from openfeature import api
from openfeature.client import OpenFeatureClient
from openfeature.evaluation_context import EvaluationContext
from openfeature.event import EventDetails, ProviderEvent
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagEvaluationDetails

from vexil_flags import Flags, VexilProvider

TOKEN = os.environ["VEXIL_TOKEN"]
Picked = tuple[object, str | None, str | None, ErrorCode | None]
FALLBACK: dict[str, Any] = {"boolean": False, "string": "", "number": 0.0, "object": {}}
KIND_OF_TYPE = {"boolean": "boolean", "string": "string", "number": "number", "json": "object"}


@pytest.fixture(autouse=True)
def clean() -> None:
    api.clear_providers()


def picked(d: FlagEvaluationDetails[Any]) -> Picked:
    return (d.value, d.variant, d.reason, d.error_code)


def client_for(name: str, provider: VexilProvider) -> OpenFeatureClient:
    api.set_provider_and_wait(provider, domain=name)
    return api.get_client(name)


def details(client: OpenFeatureClient, key: str, kind: str, context: EvaluationContext) -> Picked:
    fallback = FALLBACK[kind]
    if kind == "boolean":
        return picked(client.get_boolean_details(key, fallback, context))
    if kind == "string":
        return picked(client.get_string_details(key, fallback, context))
    if kind == "number":
        return picked(client.get_float_details(key, fallback, context))
    return picked(client.get_object_details(key, fallback, context))


def context_of(raw: dict[str, Any]) -> EvaluationContext:
    """targetingKey as OpenFeature's targeting key when it is a non-empty string; anything else stays an
    attribute (OpenFeature's context merge would drop an empty targeting key)."""
    key = raw.get("targetingKey")
    if isinstance(key, str) and key != "":
        return EvaluationContext(key, {k: v for k, v in raw.items() if k != "targetingKey"})
    return EvaluationContext(None, raw)


def snapshot_of(url: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{url}/v1/snapshot", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        document: dict[str, Any] = json.loads(response.read())
    return document


def sample_users(count: int) -> list[dict[str, Any]]:
    plans, countries = ["premium", "free", "enterprise"], ["FR", "US", "DE", "JP"]
    return [
        {
            "targetingKey": f"sample-{i}",
            "plan": plans[i % 3],
            "country": countries[i % 4],
            "email": f"dev{i}@acme.example" if i % 5 == 0 else f"user{i}@mail.example",
            "appVersion": f"2.{i % 4}.0",
            "beta": i % 2 == 0,
        }
        for i in range(count)
    ]


def test_local_values_variants_reasons_and_errors() -> None:
    client = client_for("values", VexilProvider(os.environ["VEXIL_LOCAL_URL"], token=TOKEN, mode="local"))
    flags = Flags(client)
    assert flags.new_checkout(EvaluationContext("user-2", {"country": "FR"})) is True
    assert picked(flags.new_checkout_details(EvaluationContext("user-1"))) == (True, "on", "TARGETING_MATCH", None)
    assert picked(flags.new_checkout_details(EvaluationContext("user-3"))) == (False, "off", "DEFAULT", None)
    assert flags.button_color(EvaluationContext("u", {"plan": "premium"})) == "green"
    items = flags.max_items()
    assert items == 10.0 and isinstance(items, float)
    assert flags.search_config() == {"algorithm": "bm25", "boost": 1.5}
    assert picked(flags.express_pay_details()) == (False, "off", "PREREQUISITE_FAILED", None)
    missing = client.get_boolean_details("no-such-flag", True, EvaluationContext("u"))
    assert picked(missing) == (True, None, "ERROR", ErrorCode.FLAG_NOT_FOUND)
    mismatch = client.get_boolean_details("button-color", False, EvaluationContext("u"))
    assert picked(mismatch) == (False, None, "ERROR", ErrorCode.TYPE_MISMATCH)
    assert mismatch.error_message == 'flag "button-color" is a string, not a boolean'


def test_local_answers_every_examples_flag_as_the_evaluator_does() -> None:
    url = os.environ["VEXIL_EXAMPLES_URL"]
    remote = client_for("remote", VexilProvider(url, token=TOKEN, cache_size=0))
    local = client_for("local", VexilProvider(url, token=TOKEN, mode="local"))
    compared = 0
    for key, flag in snapshot_of(url)["flags"].items():
        kind = KIND_OF_TYPE[flag["type"]]
        for user in [{}, *sample_users(60)]:
            want = details(remote, key, kind, context_of(user))
            assert (key, user, details(local, key, kind, context_of(user))) == (key, user, want)
            compared += 1
    print(f"python local: {compared} examples/ evaluations equal the evaluator's")


def test_local_answers_the_shared_vectors_as_the_evaluator_does() -> None:
    url = os.environ["VEXIL_VECTORS_URL"]
    vectors = json.loads(pathlib.Path(os.environ["VEXIL_VECTORS_FILE"]).read_text())
    remote = client_for("remote", VexilProvider(url, token=TOKEN, cache_size=0))
    local = client_for("local", VexilProvider(url, token=TOKEN, mode="local"))
    # OpenFeature contexts are objects: a vector whose context is not one cannot be asked
    cases = [c for c in vectors["cases"] if isinstance(c["context"], dict)][::2]
    for case in cases:
        flag = vectors["snapshot"]["flags"].get(case["flag"])
        kind = case.get("options", {}).get("expectedType") or (KIND_OF_TYPE[flag["type"]] if flag else "object")
        got = details(local, case["flag"], kind, context_of(case["context"]))
        assert (case["description"], got) == (
            case["description"],
            details(remote, case["flag"], kind, context_of(case["context"])),
        )
        expected = case["expected"]
        code = expected.get("errorCode")
        value = FALLBACK[kind] if code is not None else expected["value"]
        want = (value, expected.get("variant"), expected["reason"], ErrorCode(code) if code else None)
        assert (case["description"], got) == (case["description"], want)
    print(f"python local: {len(cases)} vector cases agree")


def test_local_sends_exposures_of_experiment_flags() -> None:
    client = client_for("exposures", VexilProvider(os.environ["VEXIL_EXAMPLES_URL"], token=TOKEN, mode="local"))
    for i in range(20):
        d = client.get_string_details("checkout-button-color", "", EvaluationContext(f"py-exposed-{i}"))
        assert d.reason == "SPLIT"
        print(f"python local: exposed py-exposed-{i} {d.variant}")
    client.get_string_details("checkout-button-color", "")  # no user: nobody to expose
    api.shutdown()  # flushes the exposures; the harness checks what the evaluator stored


def test_local_starts_offline_from_a_compiled_snapshot_file() -> None:
    client = client_for("offline", VexilProvider(None, mode="local", snapshot_file=os.environ["VEXIL_SNAPSHOT_FILE"]))
    flags = Flags(client)
    assert flags.new_checkout(EvaluationContext("user-1")) is True
    assert flags.button_color(EvaluationContext("u", {"plan": "premium"})) == "green"
    assert client.get_boolean_details("express-pay", True).reason == "PREREQUISITE_FAILED"


def test_local_refuses_to_start_from_a_file_that_is_not_a_snapshot(tmp_path: pathlib.Path) -> None:
    file = tmp_path / "broken.json"
    file.write_text("{not json")
    with pytest.raises(Exception, match="no snapshot to evaluate: snapshot is not valid JSON"):
        api.set_provider_and_wait(VexilProvider(None, mode="local", snapshot_file=file), domain="broken")


def test_local_kill_switch_arrives_through_the_stream_within_a_second() -> None:
    client = client_for("kill", VexilProvider(os.environ["VEXIL_LOCAL_URL"], token=TOKEN, mode="local"))
    flags = Flags(client)
    assert flags.payments_v2(EvaluationContext("u")) is True
    time.sleep(0.3)  # the stream is connected
    changed = threading.Event()

    def on_change(_: EventDetails) -> None:
        changed.set()

    client.add_handler(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED, on_change)
    file = pathlib.Path(os.environ["VEXIL_LOCAL_FLAGS_DIR"]) / "payments.yaml"
    started = time.monotonic()
    file.write_text(file.read_text().replace("killSwitch: false", "killSwitch: true"))
    assert changed.wait(1.0), "no PROVIDER_CONFIGURATION_CHANGED within a second"
    print(f"python local: kill switch seen after {round((time.monotonic() - started) * 1000)} ms")
    assert picked(flags.payments_v2_details(EvaluationContext("u"))) == (False, "off", "DISABLED", None)
