// What the end-to-end test proves on the real node, in order: the chart installs with the local
// image and its pods become Ready; the examples are served over OFREP on the pod network; a kill
// switch reaches both evaluators within a second; the operator's replacement converges a change
// made while no operator ran; one evaluator keeps serving while the other is deleted; `helm upgrade`
// rolls the evaluators without failing a request; `helm uninstall` leaves none of its objects.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../k8s/cluster.ts";
import type { Kube, PodView } from "./kube.ts";
import { log, sleep, step, waitFor } from "./process.ts";
import { pollDuring } from "./poller.ts";

const namespace = "vexil";
const release = "vexil";
const evaluators = `app.kubernetes.io/instance=${release},app.kubernetes.io/component=evaluator`;
const operators = `app.kubernetes.io/instance=${release},app.kubernetes.io/component=operator`;
const flag = "search-backend";

export interface Answer {
  value: unknown;
  reason: string;
}

/** One OFREP evaluation of the kill-switch example, straight to a pod's address. */
export async function evaluate(ip: string, timeoutMs = 2000): Promise<Answer> {
  const response = await fetch(`http://${ip}:8080/ofrep/v1/evaluate/flags/${flag}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ context: { targetingKey: "e2e-user" } }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as Answer;
  if (response.status !== 200) throw new Error(`OFREP ${ip}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function readyPods(kube: Kube, selector: string, count: number, what: string): Promise<PodView[]> {
  return waitFor(`${count} ${what} pod(s) Ready`, 240_000, async () => {
    const pods = (await kube.pods(namespace, selector)).filter((pod) => !pod.deleting);
    return pods.length === count && pods.every((pod) => pod.ready) ? pods : undefined;
  });
}

/** Waits until every pod answers with the kill switch `on` (reason DISABLED) or off; returns ms. */
async function untilServed(pods: PodView[], killed: boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await Promise.all(
    pods.map((pod) =>
      waitFor(`${pod.name} to serve killSwitch=${killed}`, timeoutMs, async () => {
        const answer = await evaluate(pod.ip);
        return (answer.reason === "DISABLED") === killed ? true : undefined;
      }),
    ),
  );
  return Date.now() - started;
}

async function patchKillSwitch(kube: Kube, on: boolean): Promise<void> {
  await kube.kubectl([
    "patch",
    "featureflag",
    flag,
    "-n",
    namespace,
    "--type",
    "merge",
    "-p",
    JSON.stringify({ spec: { killSwitch: on } }),
  ]);
}

async function install(kube: Kube, image: string): Promise<void> {
  const [repository, tag] = image.split(":") as [string, string];
  await kube.helm([
    "install",
    release,
    path.join(repoRoot, "charts", "vexil"),
    "--namespace",
    namespace,
    "--create-namespace",
    "--set",
    `image.repository=${repository}`,
    "--set",
    `image.tag=${tag}`,
    "--set",
    "image.pullPolicy=Never", // the image exists only in the node's containerd
    "--set",
    "operator.replicas=1",
    "--set",
    "evaluator.replicas=2",
  ]);
}

async function leaseHolder(kube: Kube): Promise<string> {
  const leases = JSON.parse(await kube.kubectl(["get", "leases", "-n", namespace, "-o", "json"])) as {
    items: Array<{ spec: { holderIdentity?: string } }>;
  };
  return leases.items.map((lease) => lease.spec.holderIdentity ?? "").find(Boolean) ?? "";
}

export async function runChecks(kube: Kube, image: string): Promise<void> {
  await step("helm install charts/vexil (local image, 1 operator, 2 evaluators)", () => install(kube, image));
  // An evaluator is Ready once it has loaded a snapshot, and the operator writes one only for a
  // namespace that has flags: so the operator first, then the examples, then the evaluators.
  await step("operator Ready (leader)", () => readyPods(kube, operators, 1, "operator"));
  let pods = await step("kubectl apply -f examples/; both evaluators Ready, OFREP answers", async () => {
    await kube.kubectl(["apply", "-n", namespace, "-f", path.join(repoRoot, "examples")]);
    const pods = await readyPods(kube, evaluators, 2, "evaluator");
    await untilServed(pods, true, 60_000);
    const answer = await evaluate(pods[0]!.ip);
    log(`  ${pods[0]!.ip} ${flag}: ${JSON.stringify(answer)}`);
    return pods;
  });

  await step("kill switch reset reaches both evaluators within a second", async () => {
    const before = Date.now();
    await patchKillSwitch(kube, false);
    const patched = Date.now();
    const ms = await untilServed(pods, false, 10_000);
    log(`  served by both pods ${ms} ms after the patch was accepted (kubectl took ${patched - before} ms)`);
    if (ms > 1000) throw new Error(`the kill switch took ${ms} ms to reach both evaluators (limit 1000 ms)`);
  });

  await step("operator pod deleted: the replacement takes the lease and converges", async () => {
    const [old] = await readyPods(kube, operators, 1, "operator");
    const holder = await leaseHolder(kube);
    await kube.kubectl(["delete", "pod", "-n", namespace, old!.name, "--wait=true"]);
    await patchKillSwitch(kube, true); // a change made while no operator runs
    const [replacement] = await readyPods(kube, operators, 1, "operator");
    const newHolder = await waitFor("the replacement to hold the lease", 120_000, async () => {
      const now = await leaseHolder(kube);
      return now && now !== holder ? now : undefined;
    });
    const ms = await untilServed(pods, true, 120_000);
    log(
      `  lease ${holder} -> ${newHolder} (pod ${replacement!.name}); the change made meanwhile served ${ms} ms later`,
    );
  });

  await step("evaluator pod deleted: the other keeps serving", async () => {
    const [victim, survivor] = pods as [PodView, PodView];
    const result = await pollDuring(
      async () => [survivor.ip],
      () => kube.kubectl(["delete", "pod", "-n", namespace, victim.name, "--wait=true"]),
    );
    log(`  ${survivor.name}: ${result.ok} requests answered, ${result.failed} failed while ${victim.name} went away`);
    if (result.failed > 0 || result.ok === 0) throw new Error(`requests failed: ${result.errors.join("; ")}`);
    pods = await readyPods(kube, evaluators, 2, "evaluator");
  });

  await step("helm upgrade with changed values rolls without failing a request", async () => {
    const before = new Set(pods.map((pod) => pod.name));
    const result = await pollDuring(
      () => kube.readyEndpoints(namespace, `${release}-evaluator`),
      () =>
        kube.helm([
          "upgrade",
          release,
          path.join(repoRoot, "charts", "vexil"),
          "--namespace",
          namespace,
          "--reuse-values",
          "--set",
          "evaluator.resources.requests.cpu=120m",
          "--wait",
          "--timeout",
          "5m",
        ]),
    );
    pods = await readyPods(kube, evaluators, 2, "evaluator");
    const rolled = pods.every((pod) => !before.has(pod.name));
    log(`  ${result.ok} requests answered, ${result.failed} failed, by ${result.servers.size} pods; rolled: ${rolled}`);
    if (!rolled) throw new Error("helm upgrade did not replace the evaluator pods");
    if (result.failed > 0) throw new Error(`requests failed during the upgrade: ${result.errors.join("; ")}`);
  });

  await step("helm uninstall leaves none of the release's objects (CRDs kept)", async () => {
    const manifest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vexil-e2e-")), "manifest.yaml");
    fs.writeFileSync(manifest, await kube.helm(["get", "manifest", release, "-n", namespace]));
    await kube.helm(["uninstall", release, "-n", namespace, "--wait", "--timeout", "3m"]);
    await waitFor("the release's pods to go", 120_000, async () =>
      (await kube.pods(namespace, `app.kubernetes.io/instance=${release}`)).length === 0 ? true : undefined,
    );
    const remaining = (await kube.kubectl(["get", "-f", manifest, "--ignore-not-found", "-o", "name"])).trim();
    fs.rmSync(path.dirname(manifest), { recursive: true, force: true });
    if (remaining) throw new Error(`left behind after helm uninstall:\n${remaining}`);
    const crds = (await kube.kubectl(["get", "crds", "-o", "name"])).split("\n").filter((n) => n.includes("vexil.dev"));
    log(`  nothing of the release remains; CRDs kept: ${crds.length}`);
    if (crds.length === 0) throw new Error("the CRDs are gone: helm must keep them");
  });
  await sleep(0);
}
