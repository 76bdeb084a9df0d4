// Prints one plain closing line, "N passed, N failed, N skipped", after vitest's own summary,
// so CI systems that read a test runner's last line count tests without knowing vitest.
// A file whose hook failed (its tests then report "skipped") and an unhandled error each count as
// one failure: the line must never say "0 failed" when vitest's own summary says FAIL.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown> = []): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      let failedInModule = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed += 1;
        else if (state === "failed") failedInModule += 1;
        else skipped += 1;
      }
      // a file that failed to load or whose beforeAll/afterAll failed is a failure all the same
      if (module.state() === "failed" && failedInModule === 0) failedInModule = 1;
      failed += failedInModule;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
