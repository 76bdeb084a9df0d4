package engine

// Local evaluation against a Vexil evaluator: the snapshot comes from GET /v1/snapshot (ETag /
// If-None-Match), GET /v1/stream says when it changes, and every evaluation runs in process on
// the snapshot in force. When the evaluator is unreachable the last good snapshot keeps serving
// and the state turns STALE; without any snapshot it is ERROR. A snapshot file (`vexil compile`
// output) allows an offline start. Exposures of experiment flags are batched to POST /v1/events.
// Listeners get "ready", "changed", "stale" and "error": the OpenFeature provider maps them to
// PROVIDER_READY, PROVIDER_CONFIGURATION_CHANGED, PROVIDER_STALE and PROVIDER_ERROR.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// States of a LocalEvaluator.
const (
	StateNotReady = "NOT_READY"
	StateReady    = "READY"
	StateStale    = "STALE"
	StateError    = "ERROR"
)

// LocalOptions configure a LocalEvaluator; URL or SnapshotFile (or both) must be set.
type LocalOptions struct {
	URL, Token, APIKey, SnapshotFile string
	Timeout, Retry, ExposureInterval time.Duration
}

// LocalEvaluator keeps a snapshot in sync with an evaluator and evaluates on it.
type LocalEvaluator struct {
	Holder    Holder
	Exposures *ExposureBatcher
	options   LocalOptions
	headers   map[string]string
	client    *http.Client
	stream    *http.Client
	mu        sync.Mutex
	state     string
	etag      string
	listeners []func(event, message string)
	cancel    context.CancelFunc
	done      chan struct{}
}

// NewLocalEvaluator prepares a LocalEvaluator; Start begins loading and syncing.
func NewLocalEvaluator(options LocalOptions) *LocalEvaluator {
	if options.Timeout == 0 {
		options.Timeout = 5 * time.Second
	}
	if options.Retry == 0 {
		options.Retry = time.Second
	}
	if options.ExposureInterval == 0 {
		options.ExposureInterval = 5 * time.Second
	}
	options.URL = strings.TrimRight(options.URL, "/")
	l := &LocalEvaluator{options: options, state: StateNotReady, headers: map[string]string{},
		client: &http.Client{Timeout: options.Timeout}, stream: &http.Client{}}
	if options.Token != "" {
		l.headers["Authorization"] = "Bearer " + options.Token
	}
	if options.APIKey != "" {
		l.headers["X-API-Key"] = options.APIKey
	}
	if options.URL != "" {
		l.Exposures = NewExposureBatcher(options.URL, l.headers, options.ExposureInterval, l.client)
	}
	return l
}

// On adds a listener for "ready", "changed", "stale" and "error".
func (l *LocalEvaluator) On(listener func(event, message string)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.listeners = append(l.listeners, listener)
}

// State is NOT_READY, READY, STALE or ERROR.
func (l *LocalEvaluator) State() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state
}

func (l *LocalEvaluator) setState(state, message string) {
	l.mu.Lock()
	previous := l.state
	l.state = state
	listeners := append([]func(string, string){}, l.listeners...)
	l.mu.Unlock()
	if previous == state {
		return
	}
	event := map[string]string{StateReady: "ready", StateStale: "stale", StateError: "error"}[state]
	for _, listener := range listeners {
		listener(event, message)
	}
}

func (l *LocalEvaluator) emit(event, message string) {
	l.mu.Lock()
	listeners := append([]func(string, string){}, l.listeners...)
	l.mu.Unlock()
	for _, listener := range listeners {
		listener(event, message)
	}
}

// Start loads the snapshot file (if any), fetches the snapshot (if a URL is set) and follows the
// stream in a goroutine. Failures show in State and through the listeners.
func (l *LocalEvaluator) Start() {
	if l.options.SnapshotFile != "" {
		if s, err := LoadSnapshotFile(l.options.SnapshotFile); err != nil {
			l.setState(StateError, err.Error())
		} else {
			l.Holder.Swap(s)
			l.setState(StateReady, "loaded "+l.options.SnapshotFile)
		}
	}
	if l.options.URL == "" {
		return
	}
	l.Refresh()
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	l.done = make(chan struct{})
	go l.follow(ctx)
}

func (l *LocalEvaluator) failed(message string) {
	if l.Holder.Current() != nil {
		l.setState(StateStale, message)
	} else {
		l.setState(StateError, message)
	}
}

// Refresh fetches the snapshot unless the ETag says it is unchanged; false when that failed.
func (l *LocalEvaluator) Refresh() bool {
	request, _ := http.NewRequest(http.MethodGet, l.options.URL+"/v1/snapshot", nil)
	for k, v := range l.headers {
		request.Header.Set(k, v)
	}
	l.mu.Lock()
	if l.etag != "" && l.Holder.Current() != nil {
		request.Header.Set("If-None-Match", l.etag)
	}
	l.mu.Unlock()
	response, err := l.client.Do(request)
	if err != nil {
		l.failed("GET /v1/snapshot failed: " + err.Error())
		return false
	}
	defer response.Body.Close()
	if response.StatusCode == http.StatusNotModified {
		l.setState(StateReady, "")
		return true
	}
	if response.StatusCode != http.StatusOK {
		l.failed(fmt.Sprintf("GET /v1/snapshot answered %d", response.StatusCode))
		return false
	}
	data, err := io.ReadAll(response.Body)
	if err != nil {
		l.failed("GET /v1/snapshot failed: " + err.Error())
		return false
	}
	wasReady := l.State() == StateReady
	changed, err := l.Holder.Load(data)
	if err != nil {
		l.failed(err.Error())
		return false
	}
	l.mu.Lock()
	l.etag = response.Header.Get("ETag")
	l.mu.Unlock()
	l.setState(StateReady, "")
	if changed && wasReady {
		l.emit("changed", l.Holder.Current().Hash)
	}
	return true
}

// follow reads /v1/stream; each snapshot event whose id differs from ours triggers a refresh. A
// dropped stream is reopened after Retry (and the snapshot refetched).
func (l *LocalEvaluator) follow(ctx context.Context) {
	defer close(l.done)
	for ctx.Err() == nil {
		if err := l.readStream(ctx); ctx.Err() == nil {
			l.failed("/v1/stream: " + err.Error())
		}
		select {
		case <-ctx.Done():
		case <-time.After(l.options.Retry):
		}
	}
}

func (l *LocalEvaluator) readStream(ctx context.Context) error {
	request, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.options.URL+"/v1/stream", nil)
	for k, v := range l.headers {
		request.Header.Set(k, v)
	}
	request.Header.Set("Accept", "text/event-stream")
	response, err := l.stream.Do(request)
	if err != nil {
		return err
	}
	defer response.Body.Close()
	if response.StatusCode != http.StatusOK {
		return fmt.Errorf("answered %d", response.StatusCode)
	}
	l.Refresh()
	scanner := bufio.NewScanner(response.Body)
	event := ""
	for scanner.Scan() {
		line := strings.TrimRight(scanner.Text(), "\r")
		switch {
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(line[len("event:"):])
		case strings.HasPrefix(line, "id:") && event == "snapshot":
			if current := l.Holder.Current(); current == nil || current.Hash != strings.TrimSpace(line[len("id:"):]) {
				l.Refresh()
			}
		case line == "":
			event = ""
		}
	}
	if err := scanner.Err(); err != nil {
		return err
	}
	return fmt.Errorf("the evaluator closed the stream")
}

// Evaluate evaluates on the snapshot in force (PROVIDER_NOT_READY before the first one) and
// records an exposure when a running experiment served the result.
func (l *LocalEvaluator) Evaluate(key string, context any, options *Options) Result {
	result := Evaluate(l.Holder.Current(), key, context, options)
	if l.Exposures != nil && result.Metadata != nil {
		if c, ok := context.(map[string]any); ok {
			l.Exposures.Record(result, c[targetingKey])
		}
	}
	return result
}

// Close stops following the stream and flushes the exposures.
func (l *LocalEvaluator) Close() error {
	if l.cancel != nil {
		l.cancel()
		<-l.done
	}
	if l.Exposures != nil {
		return l.Exposures.Close()
	}
	return nil
}
