import { describe, expect, it } from "vitest";
import { parseEndpoints } from "../../../operator/webhooks/config.ts";
import { deliveryId, snapshotUpdatedBody } from "../../../operator/webhooks/payload.ts";

describe("parseEndpoints", () => {
  it("reads a list of endpoints with optional filters", () => {
    expect(
      parseEndpoints(
        "- url: https://hooks.example.com/vexil\n  environments: [production]\n- url: http://127.0.0.1:9000/\n",
      ),
    ).toEqual([
      { url: "https://hooks.example.com/vexil", environments: ["production"] },
      { url: "http://127.0.0.1:9000/" },
    ]);
    expect(parseEndpoints("")).toEqual([]);
  });

  it("names the entry and field at fault", () => {
    expect(() => parseEndpoints("- url: ftp://example.com\n")).toThrow(
      "ConfigMap data endpoints.yaml[0].url: must be an http or https URL",
    );
    expect(() => parseEndpoints("- url: https://x.example\n  events: [flag.deleted]\n")).toThrow(
      /endpoints\.yaml\[0\]\.events\[0\]/,
    );
    expect(() => parseEndpoints("- url: https://x.example\n  retries: 3\n")).toThrow(/retries/);
    expect(() => parseEndpoints("url: [")).toThrow(/is not valid YAML/);
  });
});

describe("webhook payload", () => {
  const change = { namespace: "shop", environment: "production", hash: "b".repeat(64), previousHash: "a".repeat(64) };

  it("gives the same change the same delivery id, and a different change another", () => {
    expect(deliveryId(change)).toBe(deliveryId({ ...change }));
    expect(deliveryId(change)).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(deliveryId({ ...change, hash: "c".repeat(64) })).not.toBe(deliveryId(change));
  });

  it("wraps the change in the Standard Webhooks envelope, naming who made it", () => {
    const changedBy = [
      { kind: "FeatureFlag", name: "checkout", reason: "Updated", user: "alice", fieldManager: "kubectl" },
    ];
    const body = JSON.parse(
      snapshotUpdatedBody({
        ...change,
        changes: { added: [], changed: ["checkout"], removed: [] },
        changedBy,
        time: new Date("2026-11-24T10:00:00Z"),
      }),
    ) as Record<string, unknown>;
    expect(body).toEqual({
      type: "snapshot.updated",
      timestamp: "2026-11-24T10:00:00.000Z",
      data: {
        namespace: "shop",
        environment: "production",
        hash: change.hash,
        previousHash: change.previousHash,
        configMap: "vexil-snapshot-production",
        flags: { added: [], changed: ["checkout"], removed: [] },
        changedBy,
      },
    });
  });
});
