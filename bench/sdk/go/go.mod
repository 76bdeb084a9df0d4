module vexil.dev/bench/sdk

go 1.23

require (
	github.com/growthbook/growthbook-golang v0.7.0
	vexil.dev/sdk/engine v0.0.0
)

require github.com/tmaxmax/go-sse v0.10.0 // indirect

replace vexil.dev/sdk/engine => ../../../sdk-templates/go/engine
