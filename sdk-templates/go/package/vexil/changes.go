package vexil

// Change notification: follow the evaluator's /v1/stream (server-sent events naming the snapshot
// hash) and call onChange when the hash moves, also across reconnects. While the stream is down
// (or turned off) poll bulk evaluation with If-None-Match instead, and reconnect the stream after
// the server's retry hint, backing off to 30 s.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
)

type watcher struct {
	transport *transport
	onChange  func()
	useStream bool
	poll      time.Duration
	mu        sync.Mutex
	hash      string
	pollEtag  string
	polling   context.CancelFunc
	retry     time.Duration
	stop      context.CancelFunc
	done      sync.WaitGroup
}

func newWatcher(t *transport, o *Options, onChange func()) *watcher {
	return &watcher{transport: t, onChange: onChange, useStream: !o.DisableStream, poll: o.PollInterval,
		retry: time.Second}
}

func (w *watcher) start() {
	ctx, stop := context.WithCancel(context.Background())
	w.stop = stop
	if !w.useStream {
		w.startPolling(ctx)
		return
	}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		w.follow(ctx)
	}()
}

// close stops the stream and the polling and waits for them.
func (w *watcher) close() {
	if w.stop != nil {
		w.stop()
	}
	w.done.Wait()
}

// seen records a snapshot hash; a new one after the first is a change.
func (w *watcher) seen(hash string) {
	w.mu.Lock()
	previous := w.hash
	w.hash = hash
	w.mu.Unlock()
	if previous != "" && previous != hash {
		w.onChange()
	}
}

func (w *watcher) follow(ctx context.Context) {
	for ctx.Err() == nil {
		if err := w.readStream(ctx); err != nil && ctx.Err() == nil {
			w.startPolling(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(w.retry):
		}
		w.retry = min(w.retry*2, 30*time.Second)
	}
}

func (w *watcher) readStream(ctx context.Context) error {
	response, stop, err := w.transport.openStream(ctx, "/v1/stream")
	if err != nil {
		return err
	}
	defer stop()
	defer response.Body.Close()
	if response.StatusCode != 200 {
		return errors.New(response.Status)
	}
	w.stopPolling()
	w.retry = time.Second
	scanner := bufio.NewScanner(response.Body)
	scanner.Buffer(make([]byte, 64*1024), 1024*1024)
	event, data := "message", []string{}
	for scanner.Scan() {
		line := strings.TrimRight(scanner.Text(), "\r")
		switch {
		case line == "":
			w.event(event, data)
			event, data = "message", data[:0]
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(line[len("event:"):])
		case strings.HasPrefix(line, "data:"):
			data = append(data, strings.TrimPrefix(line[len("data:"):], " "))
		case strings.HasPrefix(line, "retry:"):
			if ms, err := strconv.Atoi(strings.TrimSpace(line[len("retry:"):])); err == nil && ms > 0 {
				w.retry = time.Duration(ms) * time.Millisecond
			}
		}
	}
	if err := scanner.Err(); err != nil {
		return err
	}
	return errors.New("the evaluator closed the stream")
}

func (w *watcher) event(event string, data []string) {
	if event != "snapshot" || len(data) == 0 {
		return
	}
	var body struct {
		Hash string `json:"hash"`
	}
	// a malformed event is ignored: the next one carries the hash again
	if json.Unmarshal([]byte(strings.Join(data, "\n")), &body) == nil && body.Hash != "" {
		w.seen(body.Hash)
	}
}

func (w *watcher) startPolling(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.polling != nil || ctx.Err() != nil {
		return
	}
	pollCtx, cancel := context.WithCancel(ctx)
	w.polling = cancel
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		ticker := time.NewTicker(w.poll)
		defer ticker.Stop()
		for {
			select {
			case <-pollCtx.Done():
				return
			case <-ticker.C:
				w.pollOnce(pollCtx)
			}
		}
	}()
}

func (w *watcher) stopPolling() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.polling != nil {
		w.polling()
		w.polling = nil
	}
}

// pollOnce asks bulk evaluation with the last ETag; a different ETag is a change.
func (w *watcher) pollOnce(ctx context.Context) {
	w.mu.Lock()
	etag := w.pollEtag
	w.mu.Unlock()
	headers := map[string]string{}
	if etag != "" {
		headers["If-None-Match"] = etag
	}
	a, err := w.transport.post(ctx, "/ofrep/v1/evaluate/flags", map[string]any{"context": map[string]any{}}, headers)
	if err != nil || a.status != 200 || a.etag == "" {
		return // still unreachable, or unchanged: try again next interval
	}
	w.mu.Lock()
	w.pollEtag = a.etag
	w.mu.Unlock()
	if etag != "" && etag != a.etag {
		w.onChange()
	}
}
