package vexil

// The provider's options. Zero values mean the documented defaults, so Options{BaseURL: url}
// is a complete configuration.

import (
	"errors"
	"fmt"
	"time"
)

// Mode says where flags are evaluated.
type Mode string

const (
	// ModeRemote asks the evaluator over OFREP for every evaluation (answers cached per context).
	ModeRemote Mode = "remote"
	// ModeLocal evaluates in process on the evaluator's snapshot (GET /v1/snapshot, /v1/stream),
	// or on a snapshot file when there is no BaseURL.
	ModeLocal Mode = "local"
)

// Options configure a Provider.
type Options struct {
	// BaseURL is the evaluator, e.g. http://vexil.shop.svc:8080 (optional in local mode with a SnapshotFile).
	BaseURL string
	// Token is sent as "Authorization: Bearer <token>".
	Token string
	// APIKey is sent as "X-API-Key: <key>", OFREP's other scheme.
	APIKey string
	// Headers are sent on every request.
	Headers map[string]string
	// Timeout bounds each request and connecting the stream (default 5 s).
	Timeout time.Duration
	// CacheSize is how many contexts' bulk evaluations are kept (default 1000); negative: no
	// cache, one OFREP request per evaluation.
	CacheSize int
	// DisableStream turns off following /v1/stream: changes are then found by polling.
	DisableStream bool
	// PollInterval is how often to poll while the stream is down or disabled (default 30 s).
	PollInterval time.Duration
	// EventBatchSize is how many tracked events go in one POST /v1/events (default 100, at most 1000).
	EventBatchSize int
	// EventFlushInterval is how often queued events (and local exposures) are sent (default 1 s).
	EventFlushInterval time.Duration
	// MaxQueuedEvents is how many events are kept while the evaluator is unreachable (default
	// 10000); the oldest are dropped past it.
	MaxQueuedEvents int
	// Mode is ModeRemote (the default) or ModeLocal.
	Mode Mode
	// SnapshotFile (local mode) is a `vexil compile` output to start from: offline when BaseURL is
	// empty, or until the evaluator first answers.
	SnapshotFile string
}

// withDefaults fills in the defaults and says what is wrong with the options, if anything.
func (o Options) withDefaults() (Options, error) {
	if o.Mode == "" {
		o.Mode = ModeRemote
	}
	if o.Mode != ModeRemote && o.Mode != ModeLocal {
		return o, fmt.Errorf("vexil: Mode must be %q or %q, got %q", ModeRemote, ModeLocal, o.Mode)
	}
	if o.BaseURL == "" && (o.Mode == ModeRemote || o.SnapshotFile == "") {
		return o, errors.New("vexil: BaseURL is required (or, in local mode, a SnapshotFile)")
	}
	if o.SnapshotFile != "" && o.Mode != ModeLocal {
		return o, errors.New("vexil: SnapshotFile needs Mode: ModeLocal")
	}
	defaults := []struct {
		value    *time.Duration
		fallback time.Duration
	}{{&o.Timeout, 5 * time.Second}, {&o.PollInterval, 30 * time.Second}, {&o.EventFlushInterval, time.Second}}
	for _, d := range defaults {
		if *d.value <= 0 {
			*d.value = d.fallback
		}
	}
	if o.CacheSize == 0 {
		o.CacheSize = 1000
	}
	if o.EventBatchSize <= 0 {
		o.EventBatchSize = 100
	}
	if o.MaxQueuedEvents <= 0 {
		o.MaxQueuedEvents = 10000
	}
	return o, nil
}
