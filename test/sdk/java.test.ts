// The Java SDK: `mvn test` compiles the generated package and its JUnit tests with -Xlint:all
// -Werror and runs them against a live evaluator (remote and local mode); then the built jar is
// installed into a clean repository and a separate application builds and runs against it.
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  findBinary,
  generateInto,
  mavenRepository,
  ROOT,
  run,
  sdkTestEnv,
  startEvaluator,
  tempDir,
  trackedEvents,
  type LiveEvaluator,
} from "./harness.ts";
import { Driver } from "./engines/driver.ts";

const mvn = findBinary("mvn", "the Java SDK toolchain test");
const java = findBinary("java", "the Java SDK toolchain test");
const NODE = join(ROOT, "node_modules/.bin/node");

/** Maven, batch mode, on the repository cached outside the repo. */
const maven = (...args: string[]) => ["-q", "-B", `-Dmaven.repo.local=${mavenRepository()}`, ...args];

describe.skipIf(mvn === undefined || java === undefined)("generated Java SDK", () => {
  let evaluator: LiveEvaluator;
  let work: string;
  let pkg: string;
  let snapshotFile: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    evaluator = await startEvaluator();
    work = await tempDir("java");
    pkg = join(work, "vexil-flags");
    await generateInto("java", pkg);
    const tests = join(pkg, "src/test/java/shop");
    await mkdir(tests, { recursive: true });
    for (const file of ["FlagsTest.java", "Example.java", "OutageDriver.java"])
      await cp(join(ROOT, "test/sdk/java", file), join(tests, file));
    // the offline start reads what `vexil compile` writes
    const compiled = await run(NODE, [
      join(ROOT, "cli/main.ts"),
      "compile",
      "--flags",
      evaluator.flagsDir,
      "--env",
      "production",
    ]);
    snapshotFile = join(work, "snapshot.json");
    await writeFile(snapshotFile, compiled.stdout);
  });
  afterAll(async () => {
    await evaluator?.close();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
    process.stdout.write(`java SDK timings (ms): ${JSON.stringify(timings)}\n`);
  });

  it("compiles with -Xlint:all -Werror and passes its JUnit suite against the evaluator, remote and local", async () => {
    const env = { ...sdkTestEnv(evaluator), VEXIL_SNAPSHOT_FILE: snapshotFile };
    const goals = ["test", "dependency:build-classpath", `-Dmdep.outputFile=${join(pkg, "target/classpath.txt")}`];
    const result = await run(mvn!, maven(...goals), { cwd: pkg, env, timeoutMs: 600_000 });
    timings["mvn test"] = result.ms;
    process.stdout.write(
      `${result.stdout
        .split("\n")
        .filter((l) => l.includes("java: "))
        .join("\n")}\n`,
    );
    expect(result.stdout).toMatch(/java: local mode agreed with remote on \d+ evaluations/);
    expect(result.stdout).toMatch(/java: kill switch seen after \d+ ms/);
    expect(await trackedEvents(evaluator, "java-buyer", 2)).toEqual([
      { event: "purchase", value: 42.5 },
      { event: "signup", value: 1 },
    ]);
    // the users the suite evaluated locally (a bulk OFREP evaluation for another user also exposes that user)
    const exposures = evaluator.events.flatMap((r) =>
      r.kind === "exposure" && r.experiment === "checkout-experiment" && r.targetingKey.startsWith("exp-")
        ? [r.targetingKey]
        : [],
    );
    expect(exposures.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `exp-${i}`));
  }, 600_000);

  it("packages a jar that a separate application resolves from a clean repository and runs", async () => {
    timings["mvn package"] = (await run(mvn!, maven("package", "-DskipTests"), { cwd: pkg })).ms;
    const before = (await trackedEvents(evaluator, "user-1", 0)).length;
    const clean = join(work, "clean-repository");
    const install = [
      "install:install-file",
      `-Dfile=${join(pkg, "target/flags-0.1.0.jar")}`,
      `-DpomFile=${join(pkg, "pom.xml")}`,
      `-DlocalRepositoryPath=${clean}`,
    ];
    await run(mvn!, maven(...install), { cwd: pkg });
    const app = join(work, "app");
    await mkdir(join(app, "src/main/java/shop"), { recursive: true });
    await cp(join(ROOT, "test/sdk/java/app/pom.xml"), join(app, "pom.xml"));
    await cp(join(ROOT, "test/sdk/java/Example.java"), join(app, "src/main/java/shop/Example.java"));
    // the shared cache must not answer for the SDK: only the clean repository holds it
    const cached = join(mavenRepository(), "dev/vexil/flags");
    await rm(cached, { recursive: true, force: true });
    try {
      const classpathFile = join(app, "classpath.txt");
      const build = [`-Dsdk.repo=${pathToFileURL(clean).href}`, "compile", "dependency:build-classpath"];
      const built = await run(mvn!, maven(...build, `-Dmdep.outputFile=${classpathFile}`), { cwd: app });
      timings["app build"] = built.ms;
      const { readFile } = await import("node:fs/promises");
      const classpath = `${join(app, "target/classes")}:${await readFile(classpathFile, "utf8")}`;
      expect(classpath).toMatch(/dev\/vexil\/flags\/0\.1\.0\/flags-0\.1\.0\.jar/);
      const ran = await run(java!, ["-cp", classpath, "shop.Example", evaluator.url, evaluator.token], { cwd: app });
      expect(ran.stdout).toContain("checkout=true color=green");
    } finally {
      await rm(cached, { recursive: true, force: true });
    }
    // the application's purchase arrived too (sent as the JVM exited)
    expect((await trackedEvents(evaluator, "user-1", before + 1)).slice(before)).toEqual([
      { event: "purchase", value: 42.5 },
    ]);
  }, 600_000);

  it("generates a package for examples/ through the CLI that compiles with -Xlint:all -Werror", async () => {
    const out = join(work, "examples-sdk");
    const cli = [join(ROOT, "cli/main.ts"), "generate", "sdk", "--language", "java", "--flags", join(ROOT, "examples")];
    const generated = await run(NODE, [...cli, "--out", out, "--package-name", "com.acme.flags"]);
    expect(generated.stdout).toMatch(/^wrote (\d+) of \1 files to .* \(java package com\.acme\.flags 0\.1\.0\)/);
    timings["examples compile"] = (await run(mvn!, maven("compile"), { cwd: out })).ms;
  }, 600_000);

  it("keeps serving the last good snapshot in local mode when the evaluator goes away, and emits PROVIDER_STALE", async () => {
    const doomed = await startEvaluator();
    const { readFile } = await import("node:fs/promises");
    const classpath = [
      join(pkg, "target/test-classes"),
      join(pkg, "target/classes"),
      (await readFile(join(pkg, "target/classpath.txt"), "utf8")).trim(),
    ].join(":");
    const driver = new Driver(java!, ["-cp", classpath, "shop.OutageDriver"]);
    try {
      expect(await driver.send(`start ${doomed.url} ${doomed.token}`)).toEqual({ started: true });
      const served = { value: true, reason: "TARGETING_MATCH", errorCode: null };
      expect(await driver.send("eval")).toEqual(served);
      await doomed.close();
      expect(await driver.send("wait PROVIDER_STALE")).toMatchObject({ seen: true });
      expect(await driver.send("eval")).toEqual(served); // the last good snapshot
      // with no snapshot at all (the evaluator gone, no file), initialisation fails with a clear message
      const cold = await driver.send(`start ${doomed.url} ${doomed.token}`);
      expect(cold).toMatchObject({ started: false });
      expect(String(cold["error"])).toContain("no snapshot to evaluate");
    } finally {
      driver.kill();
    }
  }, 120_000);
});
