// Package vexil is the OpenFeature provider for the Vexil evaluator: OFREP evaluation (bulk per
// context with ETag revalidation, or single), change events from /v1/stream with polling as
// fallback, tracking sent to /v1/events in batches, and local evaluation on the evaluator's
// snapshot (ModeLocal). Evaluation never panics and never blocks longer than the timeout.
package vexil

import (
	"context"
	"sync"
	"time"

	"github.com/open-feature/go-sdk/openfeature"

	// rewritten to <module>/engine when the SDK is generated
	"vexil.dev/sdk/engine"
)

// Provider implements openfeature.FeatureProvider, StateHandler, EventHandler and Tracker.
type Provider struct {
	options   Options
	transport *transport // nil when offline
	watcher   *watcher   // remote mode
	tracking  *batcher   // nil when offline
	local     *engine.LocalEvaluator
	cache     *bulkCache
	events    chan openfeature.Event
	mu        sync.Mutex
	started   bool   // Init has run: later state changes are events
	problem   string // the local evaluator's last failure
	closing   sync.Once
	closed    error
}

// NewProvider checks the options (a clear error says what is wrong) and prepares the provider;
// openfeature.SetProviderAndWait starts it.
func NewProvider(options Options) (*Provider, error) {
	o, err := options.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Provider{options: o, events: make(chan openfeature.Event, 64)}
	if o.BaseURL != "" {
		if p.transport, err = newTransport(&o); err != nil {
			return nil, err
		}
		p.tracking = newBatcher(p.transport, &o)
	}
	if o.Mode == ModeLocal {
		p.startLocal()
	} else {
		p.cache = newBulkCache(o.CacheSize)
		p.watcher = newWatcher(p.transport, &o, func() {
			p.cache.invalidate()
			p.emit(openfeature.ProviderConfigChange, "the evaluator's flags changed")
		})
	}
	return p, nil
}

// Metadata names the provider.
func (p *Provider) Metadata() openfeature.Metadata { return openfeature.Metadata{Name: "vexil"} }

// Hooks: the provider has none.
func (p *Provider) Hooks() []openfeature.Hook { return nil }

// EventChannel carries configuration-changed, stale, error and ready (recovered) events.
func (p *Provider) EventChannel() <-chan openfeature.Event { return p.events }

func (p *Provider) emit(kind openfeature.EventType, message string) {
	event := openfeature.Event{ProviderName: "vexil", EventType: kind,
		ProviderEventDetails: openfeature.ProviderEventDetails{Message: message}}
	select {
	case p.events <- event:
	default: // nobody is reading: the client's state is all that matters then
	}
}

// Init checks that the evaluator answers (remote) or that a snapshot is loaded (local), then
// follows the evaluator's changes. An unreachable evaluator or refused credentials fail it.
func (p *Provider) Init(openfeature.EvaluationContext) error {
	if p.local != nil {
		return p.initLocal()
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.options.Timeout)
	defer cancel()
	a, err := p.transport.post(ctx, "/ofrep/v1/evaluate/flags", map[string]any{"context": map[string]any{}}, nil)
	if err != nil {
		return failureOfError(err).asError()
	}
	if a.status != 200 {
		return failureOf(a).asError()
	}
	p.watcher.start()
	p.mu.Lock()
	p.started = true
	p.mu.Unlock()
	return nil
}

// Shutdown stops following changes and sends the tracked events still queued.
func (p *Provider) Shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), p.options.Timeout)
	defer cancel()
	_ = p.ShutdownWithContext(ctx)
}

// ShutdownWithContext is Shutdown bounded by ctx; it returns the error of the last send, if any.
func (p *Provider) ShutdownWithContext(ctx context.Context) error {
	p.closing.Do(func() {
		if p.watcher != nil {
			p.watcher.close()
		}
		if p.local != nil {
			p.closed = p.local.Close()
		}
		if p.tracking != nil {
			if err := p.tracking.close(ctx); err != nil {
				p.closed = err
			}
		}
	})
	return p.closed
}

// InitWithContext is Init (the SDK bounds it by ctx).
func (p *Provider) InitWithContext(_ context.Context, evalCtx openfeature.EvaluationContext) error {
	return p.Init(evalCtx)
}

// Flush sends the tracked events queued so far.
func (p *Provider) Flush(ctx context.Context) error {
	if p.tracking == nil {
		return nil
	}
	return p.tracking.flush(ctx)
}

// BooleanEvaluation resolves a boolean flag.
func (p *Provider) BooleanEvaluation(ctx context.Context, flag string, defaultValue bool, flat openfeature.FlattenedContext) openfeature.BoolResolutionDetail {
	return resolve(flag, p.item(ctx, flag, "boolean", flat, defaultValue), defaultValue, "boolean", asBool)
}

// StringEvaluation resolves a string flag.
func (p *Provider) StringEvaluation(ctx context.Context, flag string, defaultValue string, flat openfeature.FlattenedContext) openfeature.StringResolutionDetail {
	return resolve(flag, p.item(ctx, flag, "string", flat, defaultValue), defaultValue, "string", asString)
}

// FloatEvaluation resolves a number flag (a whole number is that number).
func (p *Provider) FloatEvaluation(ctx context.Context, flag string, defaultValue float64, flat openfeature.FlattenedContext) openfeature.FloatResolutionDetail {
	return resolve(flag, p.item(ctx, flag, "number", flat, defaultValue), defaultValue, "number", asFloat)
}

// IntEvaluation resolves a number flag whose value is a whole number.
func (p *Provider) IntEvaluation(ctx context.Context, flag string, defaultValue int64, flat openfeature.FlattenedContext) openfeature.IntResolutionDetail {
	return resolve(flag, p.item(ctx, flag, "number", flat, defaultValue), defaultValue, "whole number", asInt)
}

// ObjectEvaluation resolves a json flag (an object or an array).
func (p *Provider) ObjectEvaluation(ctx context.Context, flag string, defaultValue any, flat openfeature.FlattenedContext) openfeature.InterfaceResolutionDetail {
	return resolve(flag, p.item(ctx, flag, "object", flat, defaultValue), defaultValue, "object", asObject)
}

// Track queues a conversion, or a value when details has a non-zero Value; the attributes
// "flag", "variant" and "experiment" are sent along when they are strings. An event without a
// targeting key is dropped (nobody to attribute it to).
func (p *Provider) Track(_ context.Context, name string, evalCtx openfeature.EvaluationContext, details openfeature.TrackingEventDetails) {
	if p.tracking == nil || evalCtx.TargetingKey() == "" {
		return
	}
	event := trackedEvent{Type: "conversion", Event: name, TargetingKey: evalCtx.TargetingKey(),
		Timestamp: time.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	event.Flag, _ = details.Attribute("flag").(string)
	event.Variant, _ = details.Attribute("variant").(string)
	event.Experiment, _ = details.Attribute("experiment").(string)
	if value := details.Value(); value != 0 {
		event.Type, event.Value = "value", &value
	}
	p.tracking.add(event)
}

// item is one flag's answer for the context, from the snapshot (local) or the evaluator.
func (p *Provider) item(ctx context.Context, flag, kind string, flat openfeature.FlattenedContext, defaultValue any) (it item) {
	defer func() {
		if r := recover(); r != nil {
			it = failedItem(failure{"GENERAL", "evaluation failed"})
		}
	}()
	if p.local != nil {
		return p.localItem(flag, kind, flat, defaultValue)
	}
	if p.options.CacheSize < 0 {
		return p.single(ctx, flag, flat)
	}
	return p.fromBulk(ctx, flag, flat)
}

func (p *Provider) single(ctx context.Context, flag string, flat openfeature.FlattenedContext) item {
	a, err := p.transport.post(ctx, "/ofrep/v1/evaluate/flags/"+pathEscape(flag), map[string]any{"context": map[string]any(flat)}, nil)
	if err != nil {
		return failedItem(failureOfError(err))
	}
	if a.status != 200 {
		return failedItem(failureOf(a))
	}
	return itemOf(a.body)
}
