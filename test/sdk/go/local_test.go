// Local mode while the evaluator goes away: the last good snapshot keeps serving and the
// provider says so (PROVIDER_STALE). The evaluator is reached through a proxy the test closes.
package flags_test

import (
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"testing"
	"time"

	"github.com/open-feature/go-sdk/openfeature"

	"example.com/shop/flags"
)

func TestLocalKeepsTheLastGoodSnapshotWhileTheEvaluatorIsAway(t *testing.T) {
	target, err := neturl.Parse(evaluatorURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	c := client(t, "stale", flags.ProviderOptions{BaseURL: proxy.URL, Token: token, Mode: flags.ModeLocal,
		Timeout: 500 * time.Millisecond})
	stale := make(chan string, 4)
	callback := func(details openfeature.EventDetails) { stale <- details.Message }
	c.AddHandler(openfeature.ProviderStale, &callback)
	f := flags.New(c)
	expect(t, "before", f.NewCheckout(ctx, user("user-1", nil)), true)
	proxy.Listener.Close()         // no new connections (the stream reconnecting)...
	proxy.CloseClientConnections() // ...and the open ones cut, so Close does not wait for the stream
	proxy.Close()
	select {
	case message := <-stale:
		t.Logf("stale: %s", message)
	case <-time.After(5 * time.Second):
		t.Fatal("no PROVIDER_STALE within 5 s of the evaluator going away")
	}
	expect(t, "state", c.State(), openfeature.StaleState)
	expect(t, "still served", picked(f.NewCheckoutDetails(ctx, user("user-1", nil))), outcome{true, "on", "TARGETING_MATCH", ""})
}
