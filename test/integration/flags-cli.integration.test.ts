// `vexil flags … --kubernetes` and the kubectl plugin `kubectl vexil …` against a real API
// server: the kill switch is a merge patch of spec.killSwitch that leaves every other field (and
// any other writer's change) alone; list shows what `kubectl get ff` shows.
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestNamespace, kubeconfigPath, type TestNamespace } from "../k8s/helpers.ts";
import { apply, applyCrds, flagYaml, getJson, repoRoot } from "./operator-helpers.ts";

function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      path.join(repoRoot, "node_modules/.bin/node"),
      [path.join(repoRoot, script), ...args],
      { env: { ...process.env, KUBECONFIG: kubeconfigPath() }, timeout: 60_000 },
      (error, stdout, stderr) =>
        done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
    );
  });
}

describe("vexil flags --kubernetes and kubectl vexil", () => {
  let ns: TestNamespace;
  const spec = () => getJson<{ spec: Record<string, unknown> }>(ns.name, "featureflag", "new-checkout");

  beforeAll(async () => {
    await applyCrds();
    ns = await createTestNamespace("flags-cli");
    await apply(ns.name, flagYaml("new-checkout", "type: boolean\ndescription: New checkout"));
  });
  afterAll(async () => {
    await ns?.cleanup();
  });

  it("kill and restore merge-patch spec.killSwitch only", async () => {
    const killed = await run("bin/vexil.js", ["flags", "kill", "new-checkout", "--kubernetes", "-n", ns.name]);
    expect(killed.code, killed.stderr).toBe(0);
    expect(killed.stdout).toContain(`new-checkout: kill switch ON`);
    expect((await spec()).spec).toMatchObject({ killSwitch: true, description: "New checkout", type: "boolean" });

    const restored = await run("bin/kubectl-vexil.js", ["restore", "new-checkout", "-n", ns.name, "-o", "json"]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toEqual({
      key: "new-checkout",
      killSwitch: false,
      changed: true,
      where: `namespace ${ns.name}`,
    });
    expect((await spec()).spec).toMatchObject({ killSwitch: false, description: "New checkout" });
  });

  it("kubectl vexil list shows the namespace's flags", async () => {
    const listed = await run("bin/kubectl-vexil.js", ["list", "-n", ns.name, "-o", "json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({
      flags: [
        {
          key: "new-checkout",
          type: "boolean",
          environment: "production",
          enabled: true,
          killSwitch: false,
          rollout: "-",
        },
      ],
      problems: [],
    });
  });

  it("an unknown flag exits 1 with the nearest key", async () => {
    const result = await run("bin/kubectl-vexil.js", ["kill", "new-chekout", "-n", ns.name]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `error: flag "new-chekout" not found in namespace ${ns.name} (did you mean "new-checkout"?)\n`,
    );
  });
});
