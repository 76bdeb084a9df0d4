// The operator's audit records name the person (the admission policy's stamp) beside the tool,
// record deletions with the values that were lost, and go to stdout marked as audit and to files.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import { PendingAttributions } from "../../../operator/audit/attribution.ts";
import { describeDeletion } from "../../../operator/audit/change.ts";
import { observeSpecChange } from "../../../operator/audit/observer.ts";
import { AuditRecorder, attribution, type AuditRecord } from "../../../operator/audit/recorder.ts";
import { silentOperatorLogger } from "../../../operator/logger.ts";
import { createOperatorMetrics } from "../../../operator/metrics.ts";
import type { LiveResource } from "../../../operator/resources.ts";
import { eventActor, fieldManagerFor } from "../../../api/kubernetes-storage.ts";

const flag = (generation: number, spec: unknown, modified?: LiveResource["modified"]): LiveResource => ({
  apiVersion: "flags.vexil.dev/v1alpha1",
  kind: "FeatureFlag",
  metadata: { name: "checkout", namespace: "shop", generation },
  spec,
  fieldManager: "kubectl-patch",
  ...(modified ? { modified } : {}),
});

function observe(type: "upsert" | "delete", live: LiveResource, previous?: LiveResource): AuditRecord[] {
  const records: AuditRecord[] = [];
  const recorder = { record: (r: AuditRecord) => records.push(r) } as unknown as AuditRecorder;
  observeSpecChange({ recorder, metrics: createOperatorMetrics() }, type, live, previous, new Date(0));
  return records;
}

describe("operator audit records", () => {
  it("name the stamped person and the tool of a spec change", () => {
    const [record] = observe(
      "upsert",
      flag(2, { killSwitch: true }, { by: "alice", at: "2026-11-29T10:00:00Z", generation: 2 }),
      flag(1, { killSwitch: false }),
    );
    expect(record).toMatchObject({
      user: "alice",
      modifiedAt: "2026-11-29T10:00:00Z",
      fieldManager: "kubectl-patch",
      reason: "KillSwitchOn",
      changes: [{ path: "spec.killSwitch", from: false, to: true }],
    });
    expect(attribution(record as AuditRecord)).toBe(" (by alice via kubectl-patch)");
  });

  it("record nothing when only metadata changed (same generation: an unchanged re-apply)", () => {
    expect(observe("upsert", flag(2, { killSwitch: true }), flag(2, { killSwitch: true }))).toEqual([]);
  });

  it("record a deletion with every field's last value and no person (admission cannot stamp a DELETE)", () => {
    const [record] = observe(
      "delete",
      flag(3, { enabled: true, rollout: { percentage: 25 } }, { by: "bob", generation: 3 }),
    );
    expect(record).toMatchObject({
      reason: "Deleted",
      changes: [
        { path: "spec.enabled", from: true },
        { path: "spec.rollout.percentage", from: 25 },
      ],
    });
    expect(record).not.toHaveProperty("user");
    expect(record?.summary).toBe(
      "deleted (last changed by bob): spec.enabled: true → (unset), spec.rollout.percentage: 25 → (unset)",
    );
  });

  it("describe a deletion of a resource without a spec as an empty one", () => {
    expect(describeDeletion(undefined, undefined)).toMatchObject({
      changes: [],
      summary: "deleted: no spec fields changed",
    });
  });
});

describe("AuditRecorder sinks", () => {
  // maxPending 0: no Event is ever posted, so the API server address is never dialled
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: "none", server: "http://127.0.0.1:9", skipTLSVerify: true }],
    users: [{ name: "u" }],
    contexts: [{ name: "c", cluster: "none", user: "u" }],
    currentContext: "c",
  });
  const core = config.makeApiClient(CoreV1Api);

  it("writes each record as one JSON line marked audit, to stdout and to a file at once", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vexil-audit-")), "audit.jsonl");
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const recorder = new AuditRecorder({
      core,
      auditLog: ["-", file],
      instance: "t",
      logger: silentOperatorLogger(),
      maxPending: 0,
    });
    try {
      recorder.record({
        time: "t",
        kind: "Segment",
        namespace: "shop",
        name: "beta",
        user: "alice",
        reason: "Created",
        summary: "created",
        type: "Normal",
      });
    } finally {
      spy.mockRestore();
    }
    await recorder.close();
    const line = {
      audit: true,
      time: "t",
      kind: "Segment",
      namespace: "shop",
      name: "beta",
      user: "alice",
      reason: "Created",
      summary: "created",
      type: "Normal",
    };
    expect(written.map((w) => JSON.parse(w) as unknown)).toEqual([line]);
    expect(
      fs
        .readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([line]);
  });
});

describe("who a snapshot.updated webhook names", () => {
  it("keeps each environment's changes until its reconcile takes them", () => {
    const pending = new PendingAttributions();
    const record = {
      time: "t",
      kind: "FeatureFlag",
      namespace: "shop",
      name: "f",
      user: "bob",
      fieldManager: "kubectl",
      reason: "Updated",
      summary: "s",
      type: "Normal",
    } as const;
    pending.add(record, ["production", "staging"]);
    expect(pending.take("shop", "production")).toEqual([
      { kind: "FeatureFlag", name: "f", reason: "Updated", user: "bob", fieldManager: "kubectl" },
    ]);
    expect(pending.take("shop", "production")).toEqual([]);
    expect(pending.take("shop", "staging")).toHaveLength(1);
  });
});

describe("eventActor (the TypeScript API reading the operator's Events)", () => {
  it("prefers the person, falls back to the tool, and is not fooled by parentheses in values", () => {
    expect(eventActor("created (by alice via kubectl-client-side-apply)")).toBe("alice");
    expect(eventActor("created (by system:serviceaccount:argocd:argocd-application-controller)")).toBe(
      "system:serviceaccount:argocd:argocd-application-controller",
    );
    expect(eventActor("spec.killSwitch: false → true (via vexil)")).toBe("vexil");
    expect(eventActor('spec.description: "a" → (unset)')).toBe("unknown");
    expect(eventActor('spec.description: "x (by eve" → "y" (by bob via vexil:bob)')).toBe("bob");
  });
});

describe("fieldManagerFor (the TypeScript API on Kubernetes)", () => {
  it("names the API and its actor within Kubernetes' 128 printable characters", () => {
    expect(fieldManagerFor("carol")).toBe("vexil:carol");
    expect(fieldManagerFor(undefined)).toBe("vexil");
    expect(fieldManagerFor("a\tb")).toBe("vexil:a?b");
    expect(fieldManagerFor("x".repeat(200))).toHaveLength(128);
  });
});
