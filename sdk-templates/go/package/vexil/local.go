package vexil

// Local evaluation (ModeLocal): the engine evaluates in process on the snapshot in force, loaded
// from GET /v1/snapshot (ETag), kept current by /v1/stream and swapped atomically, or read from
// a snapshot file. While the evaluator is unreachable the last good snapshot keeps serving and
// the provider says so with PROVIDER_STALE (PROVIDER_ERROR without any snapshot); exposures of
// experiment flags go to POST /v1/events in batches.

import (
	"errors"

	"github.com/open-feature/go-sdk/openfeature"

	// rewritten to <module>/engine when the SDK is generated
	"vexil.dev/sdk/engine"
)

var engineTypes = map[string]string{"boolean": "boolean", "string": "string", "number": "number", "object": "object"}

func (p *Provider) startLocal() {
	o := p.options
	p.local = engine.NewLocalEvaluator(engine.LocalOptions{URL: o.BaseURL, Token: o.Token, APIKey: o.APIKey,
		SnapshotFile: o.SnapshotFile, Timeout: o.Timeout, ExposureInterval: o.EventFlushInterval})
	p.local.On(func(event, message string) {
		p.mu.Lock()
		started := p.started
		if event == "error" || event == "stale" {
			p.problem = message
		}
		p.mu.Unlock()
		if !started {
			return // before Init returns, the SDK reports readiness itself
		}
		switch event {
		case "changed":
			p.emit(openfeature.ProviderConfigChange, "the evaluator's flags changed")
		case "stale":
			p.emit(openfeature.ProviderStale, message)
		case "error":
			p.emit(openfeature.ProviderError, message)
		case "ready":
			p.emit(openfeature.ProviderReady, "the evaluator is reachable again")
		}
	})
}

// initLocal loads the snapshot file and/or the evaluator's snapshot; it fails only when there is
// no snapshot at all (a file alone keeps an offline start working while the evaluator is away).
func (p *Provider) initLocal() error {
	p.local.Start()
	p.mu.Lock()
	defer p.mu.Unlock()
	// from now on a recovery (PROVIDER_READY) or a failure is an event, even after a failed Init
	p.started = true
	if p.local.Holder.Current() != nil {
		return nil
	}
	return errors.New("vexil: no snapshot: " + p.problem)
}

func (p *Provider) localItem(flag, kind string, flat openfeature.FlattenedContext, defaultValue any) item {
	r := p.local.Evaluate(flag, map[string]any(flat), &engine.Options{DefaultValue: defaultValue, ExpectedType: engineTypes[kind]})
	if r.ErrorCode != "" {
		return failedItem(failure{r.ErrorCode, r.ErrorMessage})
	}
	return item{value: r.Value, variant: r.Variant, reason: r.Reason, metadata: r.Metadata}
}
