// Least-privilege RBAC for the operator and the evaluator, written once here and rendered
// twice: plain manifests in deploy/rbac/ and the Helm chart's templates (names and namespaces
// become template expressions). `npm run generate:check` keeps both in step.
import { API_GROUP } from "../../core/schema/index.ts";
import type { JsonSchema } from "./json-schema.ts";

export interface RbacNames {
  /** Namespace the operator runs in (its Lease and webhook Secret live there). */
  operatorNamespace: string;
  /** Namespace the evaluator runs in: the namespace whose flags it serves. */
  evaluatorNamespace: string;
  operator: string;
  evaluator: string;
  /** Secret holding the Standard Webhooks signing key. */
  webhookSecret: string;
  labels: Record<string, string>;
}

const VEXIL_RESOURCES = ["featureflags", "segments", "experiments"];

/** Cluster-wide: the operator reconciles flags in every namespace and writes snapshots next to them. */
export const operatorClusterRules = [
  { apiGroups: [API_GROUP], resources: VEXIL_RESOURCES, verbs: ["get", "list", "watch"] },
  { apiGroups: [API_GROUP], resources: VEXIL_RESOURCES.map((r) => `${r}/status`), verbs: ["get", "update", "patch"] },
  // list/watch: the operator compares its cache with what a snapshot should be before writing.
  {
    apiGroups: [""],
    resources: ["configmaps"],
    verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
  },
  { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
  { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["create", "patch"] },
];

/** Operator's own namespace only: leader election and the webhook signing key. */
function operatorNamespaceRules(names: RbacNames) {
  return [
    { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] },
    { apiGroups: [""], resources: ["secrets"], resourceNames: [names.webhookSecret], verbs: ["get", "watch", "list"] },
  ];
}

/** The evaluator only reads the snapshot ConfigMaps of its own namespace. */
export const evaluatorRules = [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }];

function meta(name: string, labels: Record<string, string>, namespace?: string): JsonSchema {
  return { name, ...(namespace === undefined ? {} : { namespace }), labels };
}

function binding(
  kind: "ClusterRoleBinding" | "RoleBinding",
  role: string,
  account: string,
  namespace: string,
  labels: Record<string, string>,
) {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: meta(role, labels, kind === "RoleBinding" ? namespace : undefined),
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: kind === "RoleBinding" ? "Role" : "ClusterRole",
      name: role,
    },
    subjects: [{ kind: "ServiceAccount", name: account, namespace }],
  };
}

export function operatorRbac(names: RbacNames): JsonSchema[] {
  const { operator: name, operatorNamespace: namespace, labels } = names;
  const rbac = "rbac.authorization.k8s.io/v1";
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(name, labels, namespace) },
    { apiVersion: rbac, kind: "ClusterRole", metadata: meta(name, labels), rules: operatorClusterRules },
    binding("ClusterRoleBinding", name, name, namespace, labels),
    { apiVersion: rbac, kind: "Role", metadata: meta(name, labels, namespace), rules: operatorNamespaceRules(names) },
    binding("RoleBinding", name, name, namespace, labels),
  ];
}

export function evaluatorRbac(names: RbacNames): JsonSchema[] {
  const { evaluator: name, evaluatorNamespace: namespace, labels } = names;
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(name, labels, namespace) },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: meta(name, labels, namespace),
      rules: evaluatorRules,
    },
    binding("RoleBinding", name, name, namespace, labels),
  ];
}

/** Names for deploy/: operator in vexil-system, evaluator next to the flags in `default`. */
export const plainNames: RbacNames = {
  operatorNamespace: "vexil-system",
  evaluatorNamespace: "default",
  operator: "vexil-operator",
  evaluator: "vexil-evaluator",
  webhookSecret: "vexil-webhook",
  labels: { "app.kubernetes.io/name": "vexil", "app.kubernetes.io/part-of": "vexil" },
};

/** Names for the Helm chart: template expressions resolved by helm (see charts/vexil/templates/_helpers.tpl). */
export const helmNames: RbacNames = {
  operatorNamespace: "{{ .Release.Namespace }}",
  evaluatorNamespace: "{{ .Values.evaluator.namespace | default .Release.Namespace }}",
  operator: '{{ include "vexil.fullname" . }}-operator',
  evaluator: '{{ include "vexil.fullname" . }}-evaluator',
  webhookSecret: "{{ .Values.operator.webhookSecretName }}",
  labels: {
    "app.kubernetes.io/name": "vexil",
    "app.kubernetes.io/instance": "{{ .Release.Name }}",
    "app.kubernetes.io/part-of": "vexil",
  },
};
