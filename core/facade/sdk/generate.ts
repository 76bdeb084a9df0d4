// generateSdk: a package for one language, ready to publish in its ecosystem, with a typed
// accessor per flag on top of the language's OpenFeature SDK and the Vexil provider runtime.
import type { FeatureFlag } from "../../schema/index.ts";
import { VexilError } from "../errors.ts";
import type { LanguageTarget } from "./languages/target.ts";
import { goTarget } from "./languages/go.ts";
import { javaTarget } from "./languages/java.ts";
import { javascriptTarget, typescriptTarget } from "./languages/typescript.ts";
import { pythonTarget } from "./languages/python.ts";
import { sdkFlags } from "./model.ts";
import { renderPath, renderTemplates, sharedFiles, type GeneratedFile } from "./templates.ts";

export type { GeneratedFile } from "./templates.ts";

export const SDK_LANGUAGES = ["typescript", "javascript", "python", "java", "go"] as const;
export type SdkLanguage = (typeof SDK_LANGUAGES)[number];

const TARGETS: Record<SdkLanguage, LanguageTarget> = {
  typescript: typescriptTarget,
  javascript: javascriptTarget,
  python: pythonTarget,
  java: javaTarget,
  go: goTarget,
};

export interface SdkOptions {
  /** npm package name, Python distribution name, Java package or Go module path (each has a default) */
  packageName?: string;
  /** the package's version (default 0.1.0) */
  version?: string;
}

export interface GeneratedSdk {
  language: SdkLanguage;
  packageName: string;
  version: string;
  /** every file of the package, sorted by path */
  files: GeneratedFile[];
}

const VERSION = /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;

function targetOf(language: string): LanguageTarget {
  if (Object.hasOwn(TARGETS, language)) return TARGETS[language as SdkLanguage];
  throw new VexilError(
    "INVALID_ARGUMENT",
    `unknown SDK language "${language}"; choose one of: ${SDK_LANGUAGES.join(", ")}`,
  );
}

export function generateSdkFiles(
  language: string,
  flags: readonly FeatureFlag[],
  options: SdkOptions = {},
): GeneratedSdk {
  const target = targetOf(language);
  const packageName = options.packageName ?? target.defaultPackageName;
  const problem = target.checkPackageName(packageName);
  if (problem !== undefined) throw new VexilError("INVALID_ARGUMENT", `package name: ${problem}`);
  const version = options.version ?? "0.1.0";
  if (!VERSION.test(version)) {
    throw new VexilError("INVALID_ARGUMENT", `version "${version}" is not MAJOR.MINOR.PATCH[-PRERELEASE]`);
  }
  const pkg = { name: packageName, version };
  const view = target.view(sdkFlags(flags), pkg);
  const shared = (target.shared ?? []).flatMap(({ from, to, only }) =>
    sharedFiles(language, from, renderPath(to, view), only),
  );
  const rendered = [...renderTemplates(language, view), ...shared];
  const files = (target.finish?.(rendered, pkg) ?? rendered).sort((a, b) => (a.path < b.path ? -1 : 1));
  return { language: language as SdkLanguage, packageName, version, files };
}
