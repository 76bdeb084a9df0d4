package vexil

// OpenFeature tracking sent to the evaluator's POST /v1/events in batches: a batch leaves when it
// is full, on a timer, on Flush and on Shutdown. A failed send keeps the events for the next try,
// bounded so an unreachable evaluator cannot grow memory without limit.

import (
	"context"
	"sync"
	"time"
)

// trackedEvent is the body of one event, as the evaluator's /v1/events accepts it.
type trackedEvent struct {
	Type         string   `json:"type"`
	Event        string   `json:"event"`
	TargetingKey string   `json:"targetingKey"`
	Timestamp    string   `json:"timestamp"`
	Flag         string   `json:"flag,omitempty"`
	Variant      string   `json:"variant,omitempty"`
	Experiment   string   `json:"experiment,omitempty"`
	Value        *float64 `json:"value,omitempty"`
}

type batcher struct {
	transport *transport
	batchSize int
	maxQueued int
	mu        sync.Mutex
	queue     []trackedEvent
	sending   sync.Mutex // one send at a time, so batches leave in order
	wake      chan struct{}
	stop      chan struct{}
	done      sync.WaitGroup
}

func newBatcher(t *transport, o *Options) *batcher {
	b := &batcher{transport: t, batchSize: min(o.EventBatchSize, 1000), maxQueued: o.MaxQueuedEvents,
		wake: make(chan struct{}, 1), stop: make(chan struct{})}
	b.done.Add(1)
	go func() {
		defer b.done.Done()
		ticker := time.NewTicker(o.EventFlushInterval)
		defer ticker.Stop()
		for {
			select {
			case <-b.stop:
				return
			case <-ticker.C:
			case <-b.wake:
			}
			b.flush(context.Background())
		}
	}()
	return b
}

func (b *batcher) add(e trackedEvent) {
	b.mu.Lock()
	b.queue = append(b.queue, e)
	if over := len(b.queue) - b.maxQueued; over > 0 {
		b.queue = b.queue[over:] // the oldest go first
	}
	full := len(b.queue) >= b.batchSize
	b.mu.Unlock()
	if full {
		select {
		case b.wake <- struct{}{}:
		default:
		}
	}
}

// flush sends everything queued; events that failed stay queued for the next try.
func (b *batcher) flush(ctx context.Context) error {
	b.sending.Lock()
	defer b.sending.Unlock()
	for {
		b.mu.Lock()
		n := min(len(b.queue), b.batchSize)
		batch := append([]trackedEvent(nil), b.queue[:n]...)
		b.mu.Unlock()
		if n == 0 {
			return nil
		}
		a, err := b.transport.post(ctx, "/v1/events", batch, nil)
		if err == nil && (a.status == 429 || a.status >= 500) {
			err = failureOf(a).asError()
		}
		if err != nil {
			return err
		}
		// sent, or refused for good (a 4xx other than 429 will not get better on retry)
		b.mu.Lock()
		b.queue = b.queue[min(n, len(b.queue)):]
		b.mu.Unlock()
	}
}

// close stops the timer and sends what is left.
func (b *batcher) close(ctx context.Context) error {
	close(b.stop)
	b.done.Wait()
	return b.flush(ctx)
}
