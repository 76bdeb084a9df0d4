// kubectl and helm against the end-to-end test's cluster, and the pods' view the checks need.
import * as net from "node:net";
import type { Cluster } from "../k8s/cluster.ts";
import { run } from "./process.ts";

export interface PodView {
  name: string;
  ip: string;
  ready: boolean;
  deleting: boolean;
}

export class Kube {
  readonly cluster: Cluster;
  private readonly helmBinary: string;

  constructor(cluster: Cluster, helmBinary: string) {
    this.cluster = cluster;
    this.helmBinary = helmBinary;
  }

  kubectl(args: string[], input?: string): Promise<string> {
    return run(this.cluster.binaries.kubectl, ["--kubeconfig", this.cluster.kubeconfig, ...args], { input });
  }

  helm(args: string[]): Promise<string> {
    return run(this.helmBinary, ["--kubeconfig", this.cluster.kubeconfig, ...args]);
  }

  /** The pods matching a label selector, with their IP and whether they are Ready. */
  async pods(namespace: string, selector: string): Promise<PodView[]> {
    const list = JSON.parse(await this.kubectl(["get", "pods", "-n", namespace, "-l", selector, "-o", "json"])) as {
      items: Array<{
        metadata: { name: string; deletionTimestamp?: string };
        status: { podIP?: string; conditions?: Array<{ type: string; status: string }> };
      }>;
    };
    return list.items.map((pod) => ({
      name: pod.metadata.name,
      ip: pod.status.podIP ?? "",
      ready: pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      deleting: pod.metadata.deletionTimestamp !== undefined,
    }));
  }

  /** Addresses of the Service's ready endpoints, as kube-proxy would route to them. */
  async readyEndpoints(namespace: string, service: string): Promise<string[]> {
    const slices = JSON.parse(
      await this.kubectl([
        "get",
        "endpointslices",
        "-n",
        namespace,
        "-l",
        `kubernetes.io/service-name=${service}`,
        "-o",
        "json",
      ]),
    ) as { items: Array<{ endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean } }> }> };
    return slices.items.flatMap((slice) =>
      (slice.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses),
    );
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
