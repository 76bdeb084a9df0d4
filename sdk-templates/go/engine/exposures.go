package engine

// Exposures of experiment flags evaluated locally, sent in batches to POST /v1/events (the
// evaluator counts them for the experiment's statistics). A goroutine flushes every interval or
// as soon as a batch is full; a failed post keeps the events for the next try, up to a capacity
// (the oldest are dropped beyond it, and counted).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxExposureBatch: the evaluator takes at most 1000 events per request.
const maxExposureBatch = 500

type exposure struct {
	Type         string `json:"type"`
	Flag         string `json:"flag"`
	Experiment   string `json:"experiment"`
	Variant      string `json:"variant"`
	TargetingKey string `json:"targetingKey"`
	Timestamp    string `json:"timestamp"`
}

// ExposureBatcher queues exposures and posts them in batches.
type ExposureBatcher struct {
	url      string
	headers  map[string]string
	client   *http.Client
	capacity int
	mu       sync.Mutex
	queue    []exposure
	wake     chan struct{}
	done     chan struct{}
	stopped  sync.WaitGroup
	// Sent and Dropped count events posted and events dropped for lack of room.
	Sent, Dropped int
}

// NewExposureBatcher starts the flushing goroutine; Close stops it after a last flush.
func NewExposureBatcher(baseURL string, headers map[string]string, interval time.Duration, client *http.Client) *ExposureBatcher {
	b := &ExposureBatcher{url: strings.TrimRight(baseURL, "/") + "/v1/events", headers: headers, client: client,
		capacity: 10000, wake: make(chan struct{}, 1), done: make(chan struct{})}
	b.stopped.Add(1)
	go func() {
		defer b.stopped.Done()
		ticker := time.NewTicker(interval)
		defer ticker.Stop()
		for {
			select {
			case <-b.done:
				return
			case <-ticker.C:
			case <-b.wake:
			}
			b.Flush()
		}
	}()
	return b
}

// Record queues an exposure when the result was served by a running experiment.
func (b *ExposureBatcher) Record(r Result, targetingKey any) {
	experiment, ok := r.Metadata["experiment"].(string)
	key, isString := targetingKey.(string)
	if !ok || !isString || key == "" || r.Variant == "" {
		return
	}
	e := exposure{Type: "exposure", Flag: r.Key, Experiment: experiment, Variant: r.Variant, TargetingKey: key,
		Timestamp: time.Now().UTC().Format("2006-01-02T15:04:05.000Z")}
	b.mu.Lock()
	b.queue = append(b.queue, e)
	if over := len(b.queue) - b.capacity; over > 0 {
		b.queue = b.queue[over:]
		b.Dropped += over
	}
	full := len(b.queue) >= maxExposureBatch
	b.mu.Unlock()
	if full {
		select {
		case b.wake <- struct{}{}:
		default:
		}
	}
}

// Flush posts what is queued now; an error leaves the events queued for the next try.
func (b *ExposureBatcher) Flush() error {
	for {
		b.mu.Lock()
		n := min(len(b.queue), maxExposureBatch)
		batch := append([]exposure(nil), b.queue[:n]...)
		b.mu.Unlock()
		if n == 0 {
			return nil
		}
		body, _ := json.Marshal(batch)
		request, err := http.NewRequest(http.MethodPost, b.url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		for k, v := range b.headers {
			request.Header.Set(k, v)
		}
		request.Header.Set("Content-Type", "application/json")
		response, err := b.client.Do(request)
		if err != nil {
			return err
		}
		response.Body.Close()
		if response.StatusCode >= 300 {
			return fmt.Errorf("POST /v1/events answered %d", response.StatusCode)
		}
		b.mu.Lock()
		b.queue = b.queue[min(n, len(b.queue)):]
		b.Sent += n
		b.mu.Unlock()
	}
}

// Close stops the goroutine and flushes what is left.
func (b *ExposureBatcher) Close() error {
	close(b.done)
	b.stopped.Wait()
	return b.Flush()
}
