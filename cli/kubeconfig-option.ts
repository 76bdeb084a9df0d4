// The one --kubeconfig option of every command that talks to a cluster (`vexil operator`,
// `vexil serve --kubernetes`). Defined here, not in kube/, so that declaring it does not load
// the Kubernetes client: commands import kube/ only when they run.
import type { Command } from "commander";

export function addKubeconfigOption(command: Command): Command {
  return command.option(
    "--kubeconfig <path>",
    "kubeconfig file (default: $KUBECONFIG, the in-cluster service account, then ~/.kube/config)",
  );
}
