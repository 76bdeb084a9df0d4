#!/usr/bin/env bash
# Runs the integration tests against a kind cluster instead of the built-in etcd + kube-apiserver
# (see docs/testing.md). Needs Docker (or Podman via KIND_EXPERIMENTAL_PROVIDER), kind and kubectl.
# Not run in CI.
#
#   scripts/kind.sh              create (or reuse) cluster "vexil", apply crds/, run tests
#   scripts/kind.sh --delete     delete the cluster afterwards
#   scripts/kind.sh [--delete] -- <vitest args>   e.g. -t "ConfigMap"
#   KIND_CLUSTER=name KIND_NODE_IMAGE=kindest/node:v1.35.0 scripts/kind.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
cluster="${KIND_CLUSTER:-vexil}"
kubeconfig="$PWD/.vexil/kind-${cluster}.kubeconfig"
delete_after=false
if [[ "${1:-}" == "--delete" ]]; then delete_after=true; shift; fi
if [[ "${1:-}" == "--" ]]; then shift; fi

for tool in docker kind kubectl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    if [[ "$tool" == docker && -n "${KIND_EXPERIMENTAL_PROVIDER:-}" ]]; then continue; fi
    echo "scripts/kind.sh: '$tool' not found on PATH" >&2
    exit 1
  fi
done

mkdir -p .vexil
if kind get clusters 2>/dev/null | grep -qx "$cluster"; then
  echo "reusing kind cluster '$cluster'" >&2
else
  image_args=()
  [[ -n "${KIND_NODE_IMAGE:-}" ]] && image_args=(--image "$KIND_NODE_IMAGE")
  kind create cluster --name "$cluster" --wait 120s ${image_args[@]+"${image_args[@]}"}
fi
kind get kubeconfig --name "$cluster" >"$kubeconfig"
chmod 600 "$kubeconfig"

if [[ -d crds ]] && compgen -G 'crds/*.yaml' >/dev/null; then
  kubectl --kubeconfig "$kubeconfig" apply --server-side -f crds/
  kubectl --kubeconfig "$kubeconfig" wait --for condition=established --timeout=60s -f crds/
else
  echo "no crds/*.yaml found; skipping CRD install" >&2
fi

status=0
VEXIL_KUBECONFIG="$kubeconfig" VEXIL_KUBECTL="$(command -v kubectl)" \
  npx vitest run --project integration "$@" || status=$?

if $delete_after; then
  kind delete cluster --name "$cluster"
fi
exit "$status"
