// Webhook endpoints and signing secret, from the operator's namespace:
//   ConfigMap vexil-webhooks, data endpoints.yaml: a list of {url, events?, namespaces?, environments?}
//   Secret vexil-webhook-secret, key `secret`: a Standard Webhooks secret (whsec_<base64>)
import type { CoreV1Api } from "@kubernetes/client-node";
import { load } from "js-yaml";
import { z } from "zod";
import { isNotFound } from "../../kube/errors.ts";

export const WEBHOOK_EVENT_TYPES = ["snapshot.updated", "experiment.updated", "rollout.rolledBack"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const endpointSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: "must be an http or https URL" }),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).optional(),
    namespaces: z.array(z.string().min(1)).optional(),
    environments: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type WebhookEndpoint = z.infer<typeof endpointSchema>;

export interface WebhookConfig {
  endpoints: WebhookEndpoint[];
  secret?: string;
}

export const ENDPOINTS_KEY = "endpoints.yaml";
export const SECRET_KEY = "secret";

/** Parses endpoints.yaml; throws with the file and field at fault. */
export function parseEndpoints(text: string, where = `ConfigMap data ${ENDPOINTS_KEY}`): WebhookEndpoint[] {
  if (text.trim() === "") return [];
  let raw: unknown;
  try {
    raw = load(text);
  } catch (error) {
    throw new Error(`${where} is not valid YAML: ${(error as Error).message.split("\n")[0]}`, { cause: error });
  }
  if (raw === undefined || raw === null) return [];
  const parsed = z.array(endpointSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path =
      issue?.path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("") ?? "";
    throw new Error(
      `${where}${path}: ${issue?.message ?? "invalid"} (expected a list of {url, events?, namespaces?, environments?})`,
    );
  }
  return parsed.data;
}

export async function readWebhookConfig(
  core: CoreV1Api,
  namespace: string,
  names: { configMap: string; secret: string },
): Promise<WebhookConfig> {
  let endpoints: WebhookEndpoint[] = [];
  try {
    const cm = await core.readNamespacedConfigMap({ name: names.configMap, namespace });
    endpoints = parseEndpoints(
      cm.data?.[ENDPOINTS_KEY] ?? "",
      `ConfigMap ${namespace}/${names.configMap} ${ENDPOINTS_KEY}`,
    );
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (endpoints.length === 0) return { endpoints };
  try {
    const secret = await core.readNamespacedSecret({ name: names.secret, namespace });
    const value = secret.data?.[SECRET_KEY];
    if (value) return { endpoints, secret: Buffer.from(value, "base64").toString("utf8").trim() };
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return { endpoints };
}
