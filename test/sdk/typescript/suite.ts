// The tests the TypeScript and JavaScript packages share, declared once: the docs example, remote
// evaluation (values, single calls, auth, tracking, the kill switch) and local evaluation, each
// against live evaluators on 127.0.0.1. Each test file adds what is particular to its package.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startEvaluator, tempDir, type LiveEvaluator } from "../harness.ts";
import * as checks from "./checks.ts";
import * as local from "./local-checks.ts";
import { setUpPackage, type NodePackage } from "./package.ts";

export function describeNodeSdk(language: "typescript" | "javascript", particular: (get: () => NodePackage) => void) {
  let evaluator: LiveEvaluator;
  let pkg: NodePackage;
  beforeAll(async () => {
    evaluator = await startEvaluator();
    pkg = await setUpPackage(language);
  });
  afterAll(async () => {
    await evaluator?.close();
  });

  describe(`generated ${language === "typescript" ? "TypeScript" : "JavaScript"} SDK`, () => {
    particular(() => pkg);

    it("runs the docs example against the evaluator", async () => {
      const { example } = (await import(join(pkg.app, "example.ts"))) as {
        example(url: string, token: string): Promise<string>;
      };
      expect(await example(evaluator.url, evaluator.token)).toBe("checkout=true color=green");
    });

    it("serves values, variants and reasons; FLAG_NOT_FOUND, TYPE_MISMATCH and custom reasons", async () => {
      await checks.checkValuesVariantsReasons(pkg.sdk, evaluator);
    });

    it("evaluates one flag per request when the cache is off, with X-API-Key auth", async () => {
      await checks.checkSingleEvaluation(pkg.sdk, evaluator);
    });

    it("refuses to start with a wrong token, saying so", async () => {
      await checks.checkAuthRefused(pkg.sdk, evaluator);
    });

    it("sends tracked events to the evaluator in a batch", async () => {
      await checks.checkTracking(pkg.sdk, evaluator);
    });

    it("sees the kill switch through the stream within a second", async () => {
      const ms = await checks.checkKillSwitch(pkg.sdk, evaluator);
      process.stdout.write(`${language}: kill switch seen after ${Math.round(ms)} ms\n`);
    });
  });

  describe(`generated ${language} SDK, local evaluation`, () => {
    let flags: LiveEvaluator;
    let examples: LiveEvaluator;
    beforeAll(async () => {
      flags = await startEvaluator();
      examples = await startEvaluator({ flags: join(ROOT, "examples") });
    });
    afterAll(async () => {
      await flags?.close();
      await examples?.close();
    });

    it("serves values, variants and reasons; FLAG_NOT_FOUND, TYPE_MISMATCH and custom reasons, in process", async () => {
      await checks.checkValuesVariantsReasons(pkg.sdk, flags, "local");
    });

    it("answers every examples/ flag as the evaluator does", async () => {
      const compared = await local.checkLocalAgreesOnExamples(pkg.sdk, examples);
      process.stdout.write(`${language} local: ${compared} examples/ evaluations equal the evaluator's\n`);
    });

    it("answers a sample of the shared vectors as the evaluator does, and as the vectors say", async () => {
      const compared = await local.checkLocalAgreesOnVectors(pkg.sdk, language === "typescript" ? 1 : 4);
      process.stdout.write(`${language} local: ${compared} vector cases agree\n`);
    });

    it("sends the exposures of experiment flags it evaluates to /v1/events", async () => {
      await local.checkLocalExposures(pkg.sdk, examples, `${language}-exposed-`);
    });

    it("keeps serving the last good snapshot while the evaluator is down, says STALE, then READY", async () => {
      const figures = await local.checkLocalOutage(pkg.sdk);
      process.stdout.write(
        `${language} local: stale after ${Math.round(figures.staleMs)} ms, ready again after ${Math.round(figures.readyMs)} ms\n`,
      );
    });

    it("starts offline from a vexil compile snapshot file", async () => {
      await local.checkLocalOffline(pkg.sdk, await tempDir(`${language}-offline`));
    });

    it("sees the kill switch through the stream within a second", async () => {
      const ms = await checks.checkKillSwitch(pkg.sdk, flags, "local");
      process.stdout.write(`${language} local: kill switch seen after ${Math.round(ms)} ms\n`);
    });
  });
}
