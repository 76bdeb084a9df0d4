// The original TypeScript API (FeatureFlagsInteraction) on the Kubernetes backend, against a
// real API server: every call becomes a custom resource `kubectl get` shows, evaluation through
// the API answers from what the cluster holds, and bad changes are refused with a clear message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EvaluationContext,
  FlagType,
  Segment,
  TargetingOperator,
  TargetingRule,
  Variant,
  VexilError,
} from "../../core/index.ts";
import type { FeatureFlagsInteraction } from "../../core/index.ts";
import { createKubernetesFlags } from "../../api/kubernetes.ts";
import { createTestNamespace, kubectl, kubeconfigPath, type TestNamespace } from "../k8s/helpers.ts";
import { apply, applyCrds, flagYaml, getJson } from "./operator-helpers.ts";

interface Resource {
  metadata: {
    name: string;
    namespace: string;
    annotations?: Record<string, string>;
    managedFields?: { manager: string }[];
  };
  spec: Record<string, unknown>;
}

describe("FeatureFlagsInteraction on Kubernetes (vexil/kubernetes)", () => {
  let ns: TestNamespace;
  let flags: FeatureFlagsInteraction;
  const getFlagResource = (name: string) => getJson<Resource>(ns.name, "featureflag", name);
  const premium = new EvaluationContext({ userId: "user-1", attributes: { plan: "premium" } });

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("facade-k8s");
    flags = createKubernetesFlags({ kubeconfig: kubeconfigPath(), namespace: ns.name, actor: "facade-test" });
  });

  afterAll(async () => {
    await flags?.close();
    await ns?.cleanup();
  });

  it("createFlag writes a FeatureFlag with the spec a platform engineer would write", async () => {
    await flags.createFlag({
      key: "new-checkout",
      name: "New checkout",
      flagType: FlagType.BOOLEAN,
      enabled: true,
      description: "New checkout flow",
      rolloutPercentage: 25,
    });
    const resource = await getFlagResource("new-checkout");
    expect(resource.metadata.namespace).toBe(ns.name);
    expect(resource.metadata.annotations?.["flags.vexil.dev/display-name"]).toBe("New checkout");
    expect(resource.spec).toMatchObject({
      type: "boolean",
      enabled: true,
      killSwitch: false,
      description: "New checkout flow",
      rollout: { strategy: "percentage", percentage: 25 },
    });
    const managed = await getJson<Resource>(ns.name, "featureflag", "new-checkout", "--show-managed-fields");
    // the field manager names the API and its actor
    expect(managed.metadata.managedFields?.map((field) => field.manager)).toContain("vexil:facade-test");
  });

  it("addSegment writes the Segment and targets the flag to it; evaluation follows", async () => {
    await flags.addSegment(
      "new-checkout",
      new Segment({ name: "premium-users", rules: [new TargetingRule("plan", TargetingOperator.EQUALS, "premium")] }),
    );
    const segment = await getJson<Resource>(ns.name, "segment", "premium-users");
    expect(segment.spec).toMatchObject({
      match: "all",
      conditions: [{ attribute: "plan", operator: "equals", values: ["premium"] }],
    });
    const flag = await getFlagResource("new-checkout");
    expect(flag.spec).toMatchObject({
      rules: [{ name: "segment:premium-users", segments: ["premium-users"], serve: { variant: "on" } }],
      rollout: { strategy: "percentage", percentage: 25 }, // kept: members get it through the rule
    });

    expect(await flags.evaluateFlagDetailed("new-checkout", premium)).toMatchObject({
      value: true,
      variant: "on",
      reason: "TARGETING_MATCH",
    });
    expect(
      await flags.evaluateFlagDetailed("new-checkout", { userId: "user-1", attributes: { plan: "free" } }),
    ).toMatchObject({
      value: false,
      variant: "off",
      reason: "DEFAULT",
    });
  });

  it("refuses a string flag without variants with the CRD’s message: Kubernetes stores no drafts", async () => {
    const error = await flags
      .createFlag({ key: "button-color", flagType: FlagType.STRING })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VexilError);
    expect(error).toMatchObject({ code: "INVALID_FLAG" });
    expect((error as VexilError).message).toBe(
      'invalid flag "button-color" (refused by the API server): ' +
        "spec.variants: Required value: spec.variants is required for string, number and json flags (only boolean flags get on/off by default); " +
        "spec.defaultVariant: Required value: spec.defaultVariant is required for string, number and json flags: name the variant served when nothing else decides",
    );
    expect((await kubectl(["get", "featureflag", "button-color"], { namespace: ns.name })).code).not.toBe(0);
  });

  it("addVariant writes weighted variants that split traffic", async () => {
    await flags.createFlag({
      key: "button-color",
      name: "Button color",
      flagType: FlagType.STRING,
      variants: [new Variant({ name: "blue", value: "blue", weight: 50 })],
      defaultVariant: "blue",
    });
    await flags.addVariant("button-color", new Variant({ name: "green", value: "green", weight: 50 }));
    const resource = await getFlagResource("button-color");
    expect(resource.spec).toMatchObject({
      type: "string",
      defaultVariant: "blue",
      variants: [
        { name: "blue", value: "blue", weight: 50 },
        { name: "green", value: "green", weight: 50 },
      ],
    });
    const values = new Set<unknown>();
    for (let user = 0; user < 40; user++) {
      const detail = await flags.evaluateFlagDetailed("button-color", { userId: `user-${user}` });
      expect(detail.reason).toBe("SPLIT");
      values.add(detail.value);
    }
    expect([...values].sort()).toEqual(["blue", "green"]);
  });

  it("setKillSwitch and updateFlag change the resource in the cluster and what evaluation serves", async () => {
    await flags.setKillSwitch("new-checkout", true);
    expect((await getFlagResource("new-checkout")).spec.killSwitch).toBe(true);
    expect(await flags.evaluateFlagDetailed("new-checkout", premium)).toMatchObject({
      value: false,
      reason: "DISABLED",
    });

    await flags.setKillSwitch("new-checkout", false);
    await flags.updateFlag("new-checkout", { description: "Checkout v2", tags: ["checkout"] });
    const resource = await getFlagResource("new-checkout");
    expect(resource.spec).toMatchObject({ killSwitch: false, description: "Checkout v2", tags: ["checkout"] });
    expect(await flags.evaluateFlagDetailed("new-checkout", premium)).toMatchObject({
      value: true,
      reason: "TARGETING_MATCH",
    });
  });

  it("getFlag and listFlags read the cluster, including flags applied with kubectl", async () => {
    await apply(ns.name, flagYaml("from-kubectl", "type: boolean\nenabled: false"));
    // A fresh instance: the definitions cache of `flags` would hide an outside change for up to 60 s.
    const reader = createKubernetesFlags({ kubeconfig: kubeconfigPath(), namespace: ns.name });
    try {
      expect((await reader.listFlags()).map((flag) => flag.metadata.name)).toEqual([
        "button-color",
        "from-kubectl",
        "new-checkout",
      ]);
      expect((await reader.listFlags({ tag: "checkout" })).map((flag) => flag.metadata.name)).toEqual(["new-checkout"]);
      expect((await reader.getFlag("new-checkout"))?.spec.description).toBe("Checkout v2");
      expect(await reader.getFlag("missing")).toBeUndefined();
      expect(await reader.evaluateFlagDetailed("from-kubectl", { userId: "u" })).toMatchObject({
        value: false,
        reason: "DISABLED",
      });
    } finally {
      await reader.close();
    }
  });

  it("deleteFlag removes the FeatureFlag from the cluster", async () => {
    await flags.deleteFlag("button-color");
    const result = await kubectl(["get", "featureflag", "button-color", "-o", "json"], { namespace: ns.name });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('"button-color" not found');
    expect(await flags.getFlag("button-color")).toBeUndefined();
    expect(await flags.evaluateFlagDetailed("button-color", { userId: "u" }, "grey")).toMatchObject({
      value: "grey",
      errorCode: "FLAG_NOT_FOUND",
    });
  });

  it("refuses an invalid change with a message naming the field, leaving the cluster unchanged", async () => {
    const before = await getFlagResource("new-checkout");
    const error = await flags.setRolloutPercentage("new-checkout", 120).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VexilError);
    expect((error as VexilError).message).toMatch(/percentage.*120/);
    const after = await getFlagResource("new-checkout");
    expect(after.spec).toEqual(before.spec);
  });

  it("reports a change the API server refuses as STORAGE_ERROR with the API server’s reason", async () => {
    const elsewhere = createKubernetesFlags({ kubeconfig: kubeconfigPath(), namespace: "no-such-namespace" });
    try {
      const error = await elsewhere.createFlag({ key: "orphan" }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VexilError);
      expect(error).toMatchObject({ code: "STORAGE_ERROR" });
      expect((error as VexilError).message).toBe(
        'cannot write FeatureFlag "orphan" to namespace no-such-namespace: 404: namespaces "no-such-namespace" not found',
      );
    } finally {
      await elsewhere.close();
    }
  });
});
