// The generated Go SDK against a live evaluator (VEXIL_URL, VEXIL_TOKEN, VEXIL_FLAGS_DIR,
// VEXIL_SNAPSHOT_FILE): the behaviour every language's SDK test checks, remote and local.
package flags_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-feature/go-sdk/openfeature"

	"example.com/shop/flags"
)

var (
	evaluatorURL = os.Getenv("VEXIL_URL")
	token        = os.Getenv("VEXIL_TOKEN")
	ctx          = context.Background()
)

type outcome struct {
	Value   any
	Variant string
	Reason  openfeature.Reason
	Code    openfeature.ErrorCode
}

func picked[T any](d openfeature.GenericEvaluationDetails[T], _ error) outcome {
	return outcome{d.Value, d.Variant, d.Reason, d.ErrorCode}
}

// client installs a provider under its own domain; the test's end shuts it down.
func client(t *testing.T, domain string, options flags.ProviderOptions) *openfeature.Client {
	t.Helper()
	provider, err := flags.NewProvider(options)
	if err != nil {
		t.Fatal(err)
	}
	if err := openfeature.SetNamedProviderAndWait(domain, provider); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(provider.Shutdown)
	return openfeature.NewClient(domain)
}

func user(key string, attributes map[string]any) openfeature.EvaluationContext {
	return openfeature.NewEvaluationContext(key, attributes)
}

func expect(t *testing.T, what string, got, want any) {
	t.Helper()
	if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("%s: got %#v, want %#v", what, got, want)
	}
}

func TestValuesVariantsReasonsAndErrors(t *testing.T) {
	c := client(t, "remote", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token})
	f := flags.New(c)
	expect(t, "user-1 targeted", f.NewCheckout(ctx, user("user-1", nil)), true)
	expect(t, "rule match", f.NewCheckout(ctx, user("user-2", map[string]any{"country": "FR"})), true)
	expect(t, "default", f.NewCheckout(ctx, user("user-3", nil)), false)
	expect(t, "details on", picked(f.NewCheckoutDetails(ctx, user("user-1", nil))), outcome{true, "on", "TARGETING_MATCH", ""})
	expect(t, "details off", picked(f.NewCheckoutDetails(ctx, user("user-3", nil))), outcome{false, "off", "DEFAULT", ""})
	expect(t, "premium colour", f.ButtonColor(ctx, user("u", map[string]any{"plan": "premium"})), flags.ButtonColorGreen)
	expect(t, "colour", f.ButtonColor(ctx, user("u", nil)), flags.ButtonColorBlue)
	expect(t, "a whole number asked as a float", f.MaxItems(ctx, user("u", nil)), 10.0)
	expect(t, "json", f.SearchConfig(ctx, user("u", nil)), map[string]any{"algorithm": "bm25", "boost": 1.5})
	expect(t, "digit-first key", f.Flag2faRequired(ctx, user("u", nil)), false)
	expect(t, "constants", flags.KeyNewCheckout+" "+flags.VariantMaxItemsMany, "new-checkout many")
	// a custom reason passes through as a reason, not an error
	expect(t, "custom reason", picked(f.ExpressPayDetails(ctx, user("u", nil))), outcome{false, "off", "PREREQUISITE_FAILED", ""})
	missing, err := c.BooleanValueDetails(ctx, "no-such-flag", true, user("u", nil))
	expect(t, "missing", picked(missing, err), outcome{true, "", openfeature.ErrorReason, openfeature.FlagNotFoundCode})
	mismatch, err := c.BooleanValueDetails(ctx, flags.KeyButtonColor, false, user("u", nil))
	expect(t, "mismatch", picked(mismatch, err), outcome{false, "", openfeature.ErrorReason, openfeature.TypeMismatchCode})
	expect(t, "mismatch message", mismatch.ErrorMessage, `flag "button-color" is a string, not a boolean`)
	expect(t, "a whole number asked as an integer", c.Int(ctx, flags.KeyMaxItems, 0, user("u", nil)), int64(10))
}

func TestSingleEvaluationWithAPIKey(t *testing.T) {
	c := client(t, "single", flags.ProviderOptions{BaseURL: evaluatorURL, APIKey: token, CacheSize: -1})
	expect(t, "targeted", flags.New(c).NewCheckout(ctx, user("user-1", nil)), true)
	missing, err := c.BooleanValueDetails(ctx, "no-such-flag", true, user("u", nil))
	expect(t, "missing", picked(missing, err).Code, openfeature.FlagNotFoundCode)
	mismatch, err := c.StringValueDetails(ctx, flags.KeyMaxItems, "x", user("u", nil))
	expect(t, "mismatch", picked(mismatch, err).Code, openfeature.TypeMismatchCode)
	expect(t, "float", c.Float(ctx, flags.KeyMaxItems, 0, user("u", nil)), 10.0)
	expect(t, "custom reason", picked(c.BooleanValueDetails(ctx, flags.KeyExpressPay, true, user("u", nil))).Reason,
		openfeature.Reason("PREREQUISITE_FAILED"))
}

func TestRefusedCredentialsFailInitialisation(t *testing.T) {
	provider, err := flags.NewProvider(flags.ProviderOptions{BaseURL: evaluatorURL, Token: "wrong"})
	if err != nil {
		t.Fatal(err)
	}
	err = openfeature.SetNamedProviderAndWait("refused", provider)
	if err == nil || !strings.Contains(err.Error(), "the evaluator refused the credentials (HTTP 403)") {
		t.Fatalf("got %v, want the evaluator's refusal", err)
	}
	_, err = flags.NewProvider(flags.ProviderOptions{BaseURL: "vexil:8080"})
	expect(t, "bad URL", fmt.Sprint(err), `vexil: BaseURL must be an http(s) URL, got "vexil:8080"`)
}

func TestTrackedEventsAreSent(t *testing.T) {
	c := client(t, "tracking", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token})
	buyer := user("go-buyer", nil)
	c.Track(ctx, "purchase", buyer, openfeature.NewTrackingEventDetails(42.5).Add("flag", flags.KeyNewCheckout))
	c.Track(ctx, "signup", buyer, openfeature.TrackingEventDetails{})
	c.Track(ctx, "anonymous", openfeature.EvaluationContext{}, openfeature.TrackingEventDetails{}) // not sent: nobody to attribute it to
	// the test's cleanup shuts the provider down, which sends the queue; the harness checks the evaluator's store
}

func TestLocalModeAgreesWithRemote(t *testing.T) {
	remote := client(t, "agree-remote", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token})
	local := client(t, "agree-local", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token, Mode: flags.ModeLocal})
	users := []openfeature.EvaluationContext{user("user-1", nil), user("user-2", map[string]any{"country": "FR"}),
		user("u", map[string]any{"plan": "premium"}), user("", nil)}
	keys := []string{flags.KeyNewCheckout, flags.KeyButtonColor, flags.KeyMaxItems, flags.KeySearchConfig,
		flags.KeyExpressPay, flags.KeyPaymentsV2, flags.KeyFlag2faRequired, "no-such-flag"}
	compared := 0
	for _, u := range users {
		for _, key := range keys {
			for kind, ask := range asks {
				want, got := ask(remote, key, u), ask(local, key, u)
				expect(t, fmt.Sprintf("%s as %s for %q", key, kind, u.TargetingKey()), got, want)
				compared++
			}
		}
	}
	t.Logf("local and remote agree on %d evaluations", compared)
	fmt.Printf("go: local and remote agree on %d evaluations\n", compared)
}

var asks = map[string]func(c *openfeature.Client, key string, u openfeature.EvaluationContext) outcome{
	"boolean": func(c *openfeature.Client, key string, u openfeature.EvaluationContext) outcome {
		return picked(c.BooleanValueDetails(ctx, key, false, u))
	},
	"string": func(c *openfeature.Client, key string, u openfeature.EvaluationContext) outcome {
		return picked(c.StringValueDetails(ctx, key, "", u))
	},
	"float": func(c *openfeature.Client, key string, u openfeature.EvaluationContext) outcome {
		return picked(c.FloatValueDetails(ctx, key, -1, u))
	},
	"int": func(c *openfeature.Client, key string, u openfeature.EvaluationContext) outcome {
		return picked(c.IntValueDetails(ctx, key, -1, u))
	},
	"object": func(c *openfeature.Client, key string, u openfeature.EvaluationContext) outcome {
		return picked(c.ObjectValueDetails(ctx, key, nil, u))
	},
}

func TestOfflineFromSnapshotFile(t *testing.T) {
	c := client(t, "offline", flags.ProviderOptions{Mode: flags.ModeLocal, SnapshotFile: os.Getenv("VEXIL_SNAPSHOT_FILE")})
	f := flags.New(c)
	expect(t, "targeted", picked(f.NewCheckoutDetails(ctx, user("user-1", nil))), outcome{true, "on", "TARGETING_MATCH", ""})
	expect(t, "premium colour", f.ButtonColor(ctx, user("u", map[string]any{"plan": "premium"})), flags.ButtonColorGreen)
	expect(t, "custom reason", picked(f.ExpressPayDetails(ctx, user("u", nil))).Reason, openfeature.Reason("PREREQUISITE_FAILED"))
	_, err := flags.NewProvider(flags.ProviderOptions{Mode: flags.ModeLocal})
	expect(t, "nothing to load", fmt.Sprint(err), "vexil: BaseURL is required (or, in local mode, a SnapshotFile)")
}

// changes follows PROVIDER_CONFIGURATION_CHANGED on a client.
func changes(c *openfeature.Client) chan time.Time {
	seen := make(chan time.Time, 16)
	callback := func(openfeature.EventDetails) { seen <- time.Now() }
	c.AddHandler(openfeature.ProviderConfigChange, &callback)
	return seen
}

func setKillSwitch(t *testing.T, on bool) time.Time {
	t.Helper()
	file := filepath.Join(os.Getenv("VEXIL_FLAGS_DIR"), "payments.yaml")
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	from, to := "killSwitch: false", "killSwitch: true"
	if !on {
		from, to = to, from
	}
	started := time.Now()
	if err := os.WriteFile(file, []byte(strings.Replace(string(text), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return started
}

func TestKillSwitchArrivesThroughTheStreamWithinASecond(t *testing.T) {
	remote := client(t, "kill-remote", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token})
	local := client(t, "kill-local", flags.ProviderOptions{BaseURL: evaluatorURL, Token: token, Mode: flags.ModeLocal})
	for _, c := range []*openfeature.Client{remote, local} {
		expect(t, "before", flags.New(c).PaymentsV2(ctx, user("u", nil)), true)
	}
	time.Sleep(300 * time.Millisecond) // the streams are connected and have the current hash
	remoteChanged, localChanged := changes(remote), changes(local)
	started := setKillSwitch(t, true)
	defer func() { // off again, seen by the evaluator, for the tests after this one
		setKillSwitch(t, false)
		select {
		case <-remoteChanged:
		case <-time.After(3 * time.Second):
			t.Error("the kill switch was not seen off again")
		}
	}()
	for name, seen := range map[string]chan time.Time{"remote": remoteChanged, "local": localChanged} {
		select {
		case at := <-seen:
			fmt.Printf("go: kill switch seen (%s) after %d ms\n", name, at.Sub(started).Milliseconds())
		case <-time.After(time.Second - time.Since(started)):
			t.Fatalf("%s: no PROVIDER_CONFIGURATION_CHANGED within a second", name)
		}
	}
	for _, c := range []*openfeature.Client{remote, local} {
		expect(t, "killed", picked(flags.New(c).PaymentsV2Details(ctx, user("u", nil))), outcome{false, "off", "DISABLED", ""})
	}
}
