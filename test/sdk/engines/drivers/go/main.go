// Drives engine.LocalEvaluator for test/sdk/engines/local.test.ts, one command per stdin line,
// one JSON answer per stdout line (the protocol of drivers/local_driver.py).
//
//	go run . URL TOKEN | go run . --file SNAPSHOT
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"vexil.dev/sdk/engine"
)

func answer(value any) {
	line, _ := json.Marshal(value)
	fmt.Println(string(line))
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func main() {
	options := engine.LocalOptions{URL: os.Args[1], Token: os.Args[2], Retry: 200 * time.Millisecond,
		ExposureInterval: 200 * time.Millisecond}
	if os.Args[1] == "--file" {
		options = engine.LocalOptions{SnapshotFile: os.Args[2]}
	}
	local := engine.NewLocalEvaluator(options)
	var mu sync.Mutex
	events := []string{}
	local.On(func(event, _ string) {
		mu.Lock()
		events = append(events, event)
		mu.Unlock()
	})
	local.Start()
	input := bufio.NewScanner(os.Stdin)
	for input.Scan() {
		command, rest, _ := strings.Cut(strings.TrimSpace(input.Text()), " ")
		switch command {
		case "evaluate":
			var args struct {
				Key     string `json:"key"`
				Context any    `json:"context"`
				Default any    `json:"default"`
				Type    string `json:"type"`
			}
			_ = json.Unmarshal([]byte(rest), &args)
			r := local.Evaluate(args.Key, args.Context, &engine.Options{DefaultValue: args.Default, ExpectedType: args.Type})
			answer(map[string]any{"value": r.Value, "variant": orNil(r.Variant), "reason": r.Reason, "errorCode": orNil(r.ErrorCode)})
		case "wait":
			parts := strings.Split(rest, " ")
			seconds, _ := strconv.ParseFloat(parts[2], 64)
			start := time.Now()
			ctx := map[string]any{"targetingKey": "u"}
			for local.Evaluate(parts[0], ctx, nil).Reason != parts[1] && time.Since(start).Seconds() < seconds {
				time.Sleep(5 * time.Millisecond)
			}
			answer(map[string]any{"ok": local.Evaluate(parts[0], ctx, nil).Reason == parts[1], "ms": time.Since(start).Milliseconds()})
		case "wait-state":
			parts := strings.Split(rest, " ")
			seconds, _ := strconv.ParseFloat(parts[1], 64)
			deadline := time.Now().Add(time.Duration(seconds * float64(time.Second)))
			for local.State() != parts[0] && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			mu.Lock()
			answer(map[string]any{"ok": local.State() == parts[0], "state": local.State(), "events": events})
			mu.Unlock()
		case "close":
			_ = local.Close()
			sent, dropped := 0, 0
			if local.Exposures != nil {
				sent, dropped = local.Exposures.Sent, local.Exposures.Dropped
			}
			answer(map[string]any{"sent": sent, "dropped": dropped})
			return
		}
	}
}
