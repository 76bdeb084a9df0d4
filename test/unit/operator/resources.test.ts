import { describe, expect, it } from "vitest";
import { compactLive, parseLive, type LiveResource } from "../../../operator/resources.ts";

const received = {
  apiVersion: "flags.vexil.dev/v1alpha1",
  kind: "FeatureFlag",
  metadata: {
    name: "checkout",
    namespace: "shop",
    uid: "844c",
    generation: 3,
    resourceVersion: "1234",
    creationTimestamp: new Date("2026-11-24T10:00:00Z"),
    labels: { team: "payments" },
    annotations: { "kubectl.kubernetes.io/last-applied-configuration": '{"spec":{"killSwitch":true}}' },
    managedFields: [
      {
        manager: "kubectl-client-side-apply",
        operation: "Update",
        time: new Date("2026-11-24T10:00:00Z"),
        fieldsV1: { "f:spec": {} },
      },
      {
        manager: "argocd-controller",
        operation: "Update",
        time: new Date("2026-11-24T11:00:00Z"),
        fieldsV1: { "f:spec": { "f:killSwitch": {} } },
      },
      {
        manager: "vexil-operator",
        operation: "Update",
        subresource: "status",
        time: new Date("2026-11-24T12:00:00Z"),
        fieldsV1: { "f:status": {} },
      },
    ],
  },
  spec: { killSwitch: true },
  status: { observedGeneration: 2 },
} as LiveResource;

describe("compactLive", () => {
  it("keeps identity, generation, creation time, spec, status and the latest spec field manager, and nothing else", () => {
    expect(compactLive(received, "FeatureFlag")).toEqual({
      apiVersion: "flags.vexil.dev/v1alpha1",
      kind: "FeatureFlag",
      metadata: {
        name: "checkout",
        namespace: "shop",
        uid: "844c",
        generation: 3,
        resourceVersion: "1234",
        labels: { team: "payments" },
        creationTimestamp: new Date("2026-11-24T10:00:00Z"),
      },
      spec: { killSwitch: true },
      status: { observedGeneration: 2 },
      fieldManager: "argocd-controller",
    });
  });

  it("sets the kind it was listed as and parses to the same resource as the full object", () => {
    const compact = compactLive({ ...received, kind: undefined } as unknown as LiveResource, "FeatureFlag");
    expect(compact.kind).toBe("FeatureFlag");
    expect(parseLive(compact)).toEqual(parseLive(received));
  });

  it("is idempotent: compacting a compact object keeps its field manager", () => {
    const once = compactLive(received, "FeatureFlag");
    expect(compactLive(once, "FeatureFlag")).toEqual(once);
  });

  it("keeps who (and with which tool) the admission policy stamped for this generation, and drops a stamp of an older one", () => {
    const stamped = (generation: string) =>
      ({
        ...received,
        metadata: {
          ...received.metadata,
          annotations: {
            "flags.vexil.dev/last-modified-by": "alice",
            "flags.vexil.dev/last-modified-at": "2026-11-24T11:00:00Z",
            "flags.vexil.dev/last-modified-via": "kubectl",
            "flags.vexil.dev/last-modified-generation": generation,
          },
        },
      }) as LiveResource;
    const current = compactLive(stamped("3"), "FeatureFlag");
    expect(current.modified).toEqual({ by: "alice", at: "2026-11-24T11:00:00Z", via: "kubectl", generation: 3 });
    // the stamped field manager is this write's own, not the newest managedFields entry's
    expect(current.fieldManager).toBe("kubectl");
    expect(current.metadata).not.toHaveProperty("annotations");
    expect(compactLive(current, "FeatureFlag")).toEqual(current);
    expect(compactLive(stamped("2"), "FeatureFlag").modified).toBeUndefined();
  });
});
