// The sandbox ("pause") process of the real-node end-to-end test's pods: holds the pod's
// namespaces and reaps orphans until it is told to stop. Built static by test/e2e/image.ts.
module vexil.dev/test/e2e/pause

go 1.26.0
