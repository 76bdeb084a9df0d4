// The package's entry point: the typed flags and the provider that evaluates them.
export * from "./flags.js";
export { VexilProvider, type VexilProviderOptions } from "./runtime/provider.js";
