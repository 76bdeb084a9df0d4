// The engine's own module while it lives in sdk-templates/ (conformance tests, benchmarks).
// A generated SDK carries these files as its `engine` package, without this go.mod.
module vexil.dev/sdk/engine

go 1.23
