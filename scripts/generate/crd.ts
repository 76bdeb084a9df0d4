// One CustomResourceDefinition per kind, built from its zod schema.
import {
  API_GROUP,
  API_VERSION,
  MAX_ENVIRONMENTS,
  resourceSchemas,
  type ResourceKind,
} from "../../core/schema/index.ts";
import { celRulesFor } from "./cel-rules.ts";
import { fallbackDescription } from "./descriptions.ts";
import { zodToJsonSchema, type JsonSchema } from "./json-schema.ts";
import { printerColumns, resourceNames } from "./printer-columns.ts";
import { toStructural } from "./structural.ts";

/**
 * Bounds the CRD adds to maps zod leaves open. Every CEL rule under spec.environments is costed
 * per environment, so without a bound the API server refuses the rules as too expensive.
 */
export const MAP_LIMITS: Record<string, number> = { "spec.environments": MAX_ENVIRONMENTS };

/** The structural openAPIV3Schema of a kind, as the CRD serves it. */
export function openApiSchema(kind: ResourceKind): JsonSchema {
  const json = zodToJsonSchema(resourceSchemas[kind]);
  const structural = toStructural(json, "", {
    defs: (json.$defs ?? {}) as Record<string, JsonSchema>,
    describe: fallbackDescription,
    rules: (path) => celRulesFor(kind, path),
    listMapKeys: { "status.conditions": "type" },
    mapLimits: MAP_LIMITS,
  });
  const properties = structural.properties as Record<string, JsonSchema>;
  // The API server owns metadata's schema; a CRD may only say it is an object.
  properties.metadata = { type: "object" };
  properties.apiVersion = {
    description: `APIVersion: ${API_GROUP}/${API_VERSION}.`,
    type: "string",
  };
  properties.kind = { description: `Kind: ${kind}.`, type: "string" };
  const { required: _required, ...rest } = structural;
  // apiVersion, kind and metadata are checked by the API server itself; spec is ours.
  return { ...rest, required: ["spec"] };
}

export function buildCrd(kind: ResourceKind): JsonSchema {
  const names = resourceNames[kind];
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: `${names.plural}.${API_GROUP}`,
      labels: { "app.kubernetes.io/name": "vexil", "app.kubernetes.io/part-of": "vexil" },
    },
    spec: {
      group: API_GROUP,
      scope: "Namespaced",
      names: { kind, listKind: `${kind}List`, ...names, categories: ["vexil"] },
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: openApiSchema(kind) },
          subresources: { status: {} },
          additionalPrinterColumns: printerColumns[kind],
        },
      ],
    },
  };
}
