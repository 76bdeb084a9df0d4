package vexil

// HTTP to the Vexil evaluator: auth headers, per-request timeouts, and an OFREP error body read
// into an OpenFeature error code (the body's errorCode is respected whatever the status).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// errorCodes are OpenFeature's error codes: an evaluator's errorCode outside them is GENERAL.
var errorCodes = map[string]bool{
	"PROVIDER_NOT_READY": true, "FLAG_NOT_FOUND": true, "PARSE_ERROR": true, "TYPE_MISMATCH": true,
	"TARGETING_KEY_MISSING": true, "INVALID_CONTEXT": true, "PROVIDER_FATAL": true, "GENERAL": true,
}

// failure is an evaluation that failed, with the OpenFeature error code it maps to.
type failure struct {
	code    string
	message string
}

// answer is one HTTP answer: status, ETag and the decoded JSON body (nil when empty or not JSON).
type answer struct {
	status int
	etag   string
	body   any
	text   string
}

type transport struct {
	base    string
	headers map[string]string
	timeout time.Duration
	client  *http.Client
	stream  *http.Client
}

func newTransport(o *Options) (*transport, error) {
	if !strings.HasPrefix(o.BaseURL, "http://") && !strings.HasPrefix(o.BaseURL, "https://") {
		return nil, fmt.Errorf("vexil: BaseURL must be an http(s) URL, got %q", o.BaseURL)
	}
	t := &transport{base: strings.TrimRight(o.BaseURL, "/"), headers: map[string]string{}, timeout: o.Timeout,
		client: &http.Client{Timeout: o.Timeout}, stream: &http.Client{}}
	for k, v := range o.Headers {
		t.headers[k] = v
	}
	if o.Token != "" {
		t.headers["Authorization"] = "Bearer " + o.Token
	}
	if o.APIKey != "" {
		t.headers["X-API-Key"] = o.APIKey
	}
	return t, nil
}

// post sends a JSON body; every status is an answer (failing to connect or timing out is an error).
func (t *transport) post(ctx context.Context, path string, body any, extra map[string]string) (answer, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return answer{}, fmt.Errorf("the request could not be encoded: %w", err)
	}
	request, err := http.NewRequestWithContext(ctx, http.MethodPost, t.base+path, bytes.NewReader(data))
	if err != nil {
		return answer{}, err
	}
	for k, v := range t.headers {
		request.Header.Set(k, v)
	}
	request.Header.Set("Content-Type", "application/json")
	for k, v := range extra {
		request.Header.Set(k, v)
	}
	response, err := t.client.Do(request)
	if err != nil {
		return answer{}, err
	}
	defer response.Body.Close()
	raw, err := io.ReadAll(response.Body)
	if err != nil {
		return answer{}, err
	}
	a := answer{status: response.StatusCode, etag: response.Header.Get("ETag"), text: string(raw)}
	if len(raw) > 0 {
		decoder := json.NewDecoder(bytes.NewReader(raw))
		if decoder.Decode(&a.body) != nil {
			a.body = nil
		}
	}
	return a, nil
}

// openStream opens a server-sent-event GET. Only connecting is bounded by the timeout; the
// stream lasts until ctx ends or the returned stop is called (the caller calls it when done).
func (t *transport) openStream(ctx context.Context, path string) (*http.Response, context.CancelFunc, error) {
	streamCtx, stop := context.WithCancel(ctx)
	request, err := http.NewRequestWithContext(streamCtx, http.MethodGet, t.base+path, nil)
	if err != nil {
		stop()
		return nil, nil, err
	}
	for k, v := range t.headers {
		request.Header.Set(k, v)
	}
	request.Header.Set("Accept", "text/event-stream")
	timer := time.AfterFunc(t.timeout, stop)
	response, err := t.stream.Do(request)
	timer.Stop()
	if err != nil {
		stop()
		return nil, nil, err
	}
	return response, stop, nil
}

// failureOf says what a non-success answer means: the body's errorCode wins over the status.
func failureOf(a answer) failure {
	body, _ := a.body.(map[string]any)
	details, ok := body["errorDetails"].(string)
	if !ok {
		details = fmt.Sprintf("HTTP %d", a.status)
	}
	if code, ok := body["errorCode"].(string); ok && errorCodes[code] {
		return failure{code, details}
	}
	switch {
	case a.status == http.StatusNotFound:
		return failure{"FLAG_NOT_FOUND", details}
	case a.status == http.StatusUnauthorized || a.status == http.StatusForbidden:
		return failure{"GENERAL", fmt.Sprintf("the evaluator refused the credentials (HTTP %d)", a.status)}
	case a.status == http.StatusTooManyRequests:
		return failure{"GENERAL", "rate limited by the evaluator: " + details}
	}
	return failure{"GENERAL", details}
}

// failureOfError says why a request got no answer.
func failureOfError(err error) failure {
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return failure{"GENERAL", "the evaluator did not answer in time"}
	}
	return failure{"GENERAL", "the evaluator could not be reached: " + err.Error()}
}

func isTimeout(err error) bool {
	var timeout interface{ Timeout() bool }
	return errors.As(err, &timeout) && timeout.Timeout()
}

func (f failure) asError() error { return fmt.Errorf("%s: %s", f.code, f.message) }
