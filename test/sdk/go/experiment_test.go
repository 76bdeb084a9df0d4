// Local mode and experiments: exposures of a locally evaluated experiment flag reach the
// evaluator; a weighted flag without a targeting key is TARGETING_KEY_MISSING in both modes (the
// evaluator's 400 body says so); without the stream, polling still sees a change.
package flags_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/open-feature/go-sdk/openfeature"

	"example.com/shop/flags"
)

const experiment = `apiVersion: flags.vexil.dev/v1alpha1
kind: FeatureFlag
metadata: {name: go-checkout-test}
spec:
  type: boolean
  variants:
    - {name: "on", value: true, weight: 50}
    - {name: "off", value: false, weight: 50}
  defaultVariant: "off"
---
apiVersion: flags.vexil.dev/v1alpha1
kind: Experiment
metadata: {name: go-checkout-experiment}
spec:
  flag: go-checkout-test
  variants: [{variant: "on", weight: 50}, {variant: "off", weight: 50}]
  control: "off"
  metrics: [{name: purchase, event: purchase}]
`

func TestLocalExposuresOfAnExperimentAreSent(t *testing.T) {
	remote := client(t, "experiment-remote", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token, CacheSize: -1})
	local := client(t, "experiment-local", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token, Mode: flags.ModeLocal})
	changed := changes(local)
	file := filepath.Join(os.Getenv("VEXIL_FLAGS_DIR"), "go-experiment.yaml")
	if err := os.WriteFile(file, []byte(experiment), 0o644); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("the experiment did not arrive")
	}
	for i := range 10 {
		d, err := local.BooleanValueDetails(ctx, "go-checkout-test", false, user(fmt.Sprintf("go-exp-%d", i), nil))
		expect(t, "split", picked(d, err).Reason, openfeature.SplitReason)
	}
	for name, c := range map[string]*openfeature.Client{"remote": remote, "local": local} {
		noKey, err := c.BooleanValueDetails(ctx, "go-checkout-test", false, openfeature.EvaluationContext{})
		expect(t, name+" without a targeting key", picked(noKey, err),
			outcome{false, "", openfeature.ErrorReason, openfeature.TargetingKeyMissingCode})
	}
	// the test's cleanup shuts the local provider down, which sends the exposures; the harness counts them
}

func TestWithoutTheStreamPollingSeesTheChange(t *testing.T) {
	c := client(t, "polling", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token, DisableStream: true,
		PollInterval: 100 * time.Millisecond})
	expect(t, "before", flags.New(c).PaymentsV2(ctx, user("u", nil)), true)
	time.Sleep(300 * time.Millisecond) // a first poll has the current ETag
	changed := changes(c)
	for _, on := range []bool{true, false} { // on, then off again for the tests after this one
		setKillSwitch(t, on)
		select {
		case <-changed:
		case <-time.After(3 * time.Second):
			t.Fatal("no PROVIDER_CONFIGURATION_CHANGED from polling within 3 s")
		}
		expect(t, "served", flags.New(c).PaymentsV2(ctx, user("u", nil)), !on)
	}
}
