// The docs' Go example (docs/sdks.md quotes this file; the SDK test builds it as its own module
// that requires the generated one).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/open-feature/go-sdk/openfeature"

	"example.com/shop/flags"
)

func run(url, token string) error {
	provider, err := flags.NewProvider(flags.ProviderOptions{BaseURL: url, Token: token})
	if err != nil {
		return err
	}
	if err := openfeature.SetProviderAndWait(provider); err != nil {
		return err
	}
	defer openfeature.Shutdown() // sends the tracked events still queued
	ctx := context.Background()
	client := openfeature.NewDefaultClient()
	f := flags.New(client)
	user := openfeature.NewEvaluationContext("user-1", map[string]any{"plan": "premium"})
	checkout := f.NewCheckout(ctx, user)         // bool
	color := f.ButtonColor(ctx, user)            // flags.ButtonColor: ButtonColorBlue or ButtonColorGreen
	limit := f.MaxItems(ctx, user)               // float64
	details, _ := f.ExpressPayDetails(ctx, user) // value, variant, reason, error code
	purchase := openfeature.NewTrackingEventDetails(42.5).Add("flag", flags.KeyNewCheckout)
	client.Track(ctx, "purchase", user, purchase) // a value event for the experiments that measure it
	fmt.Printf("checkout=%v color=%s limit=%v express-pay=%v (%s)\n", checkout, color, limit, details.Value, details.Reason)
	return nil
}

func main() {
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
