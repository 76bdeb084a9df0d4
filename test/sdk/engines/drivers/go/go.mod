module vexil.dev/test/local-driver

go 1.23

require vexil.dev/sdk/engine v0.0.0

replace vexil.dev/sdk/engine => ../../../../../sdk-templates/go/engine
