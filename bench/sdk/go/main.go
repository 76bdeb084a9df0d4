// In-process evaluation benchmark, Go: Vexil's engine port (sdk-templates/go/engine) against
// GrowthBook's Go SDK (the module proxy serves neither flagd's nor Unleash's Go modules), on the
// four standard cases of bench/cases.ts over 1000 rotating users, in one process.
//
//	go run . CONFIG_DIR [--quick]   (CONFIG_DIR: written by bench/sdk.ts)
//
// Prints one line "RESULT {json}" per system and case. Time is the process's CPU time
// (getrusage), so other processes on a busy machine do not count against a system.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"syscall"
	"time"

	gb "github.com/growthbook/growthbook-golang"
	"vexil.dev/sdk/engine"
)

type user struct {
	ID      string `json:"id"`
	Country string `json:"country"`
	Plan    string `json:"plan"`
}

type benchCase struct {
	run    func(i int) any
	answer func(result any) any
}

type system struct {
	id, name, version string
	// cases get the index of a user (and build nothing while timed)
	cases map[string]benchCase
	// others answer for the non-matching users (rule sanity check)
	others func(caseID string, i int) any
}

var caseIDs = []string{"static", "rule", "rollout", "split"}

func cpuNanos() int64 {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		panic(err)
	}
	return usage.Utime.Nano() + usage.Stime.Nano()
}

var sink [8]any

func loop(run func(i int) any, users, iterations int) int64 {
	start := cpuNanos()
	for i := 0; i < iterations; i++ {
		sink[i&7] = run(i % users)
	}
	return cpuNanos() - start
}

func measure(run func(i int) any, users int, warmup, round time.Duration, rounds int) (float64, []float64) {
	iterations := 1000
	for {
		if elapsed := loop(run, users, iterations); elapsed >= int64(round)/4 {
			iterations = int(math.Max(1000, float64(iterations)*float64(round)/float64(elapsed)))
			break
		}
		iterations *= 2
	}
	for end := cpuNanos() + int64(warmup); cpuNanos() < end; {
		loop(run, users, iterations)
	}
	timings := make([]float64, rounds)
	for r := range timings {
		runtime.GC()
		timings[r] = float64(loop(run, users, iterations)) / float64(iterations)
	}
	sorted := append([]float64(nil), timings...)
	sort.Float64s(sorted)
	return sorted[len(sorted)/2], timings
}

func readJSON(dir, name string, into any) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err == nil {
		err = json.Unmarshal(data, into)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "reading %s: %v\n", name, err)
		os.Exit(2)
	}
}

func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == path {
				return dep.Version
			}
		}
	}
	return "unknown"
}

func vexilSystem(dir string, keys map[string]string, users, others []user) system {
	snapshot, err := engine.LoadSnapshotFile(filepath.Join(dir, "snapshot.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	contexts := func(us []user) []engine.Context {
		out := make([]engine.Context, len(us))
		for i, u := range us {
			out[i] = engine.Context{"targetingKey": u.ID, "country": u.Country, "plan": u.Plan}
		}
		return out
	}
	all, other := contexts(users), contexts(others)
	s := system{id: "vexil", name: "vexil (engine port)", version: "this repository", cases: map[string]benchCase{}}
	for _, c := range caseIDs {
		key := keys[c]
		s.cases[c] = benchCase{
			// the served value (already an interface: no boxing), as an application would use it
			run:    func(i int) any { return engine.Evaluate(snapshot, key, all[i], nil).Value },
			answer: func(r any) any { return r },
		}
	}
	s.others = func(c string, i int) any { r := engine.Evaluate(snapshot, keys[c], other[i], nil); return r.Value }
	return s
}

func growthbookSystem(dir string, keys map[string]string, users, others []user) system {
	features, err := os.ReadFile(filepath.Join(dir, "growthbook.json"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx := context.Background()
	client, err := gb.NewClient(ctx, gb.WithJsonFeatures(string(features)))
	if err != nil {
		fmt.Fprintln(os.Stderr, "growthbook:", err)
		os.Exit(2)
	}
	// one child client per user, built before timing: the cheapest way to evaluate for many users
	children := func(us []user) []*gb.Client {
		out := make([]*gb.Client, len(us))
		for i, u := range us {
			out[i], err = client.WithAttributes(gb.Attributes{"id": u.ID, "country": u.Country, "plan": u.Plan})
			if err != nil {
				fmt.Fprintln(os.Stderr, "growthbook:", err)
				os.Exit(2)
			}
		}
		return out
	}
	all, other := children(users), children(others)
	s := system{id: "growthbook", name: "growthbook-golang", version: moduleVersion("github.com/growthbook/growthbook-golang"),
		cases: map[string]benchCase{}}
	for _, c := range caseIDs {
		key := keys[c]
		s.cases[c] = benchCase{
			run:    func(i int) any { return all[i].EvalFeature(ctx, key) },
			answer: func(r any) any { return r.(*gb.FeatureResult).Value },
		}
	}
	s.others = func(c string, i int) any { return other[i].EvalFeature(ctx, keys[c]).Value }
	return s
}

func sanity(caseID string, answers, others []any) string {
	count := func(want any) float64 {
		n := 0
		for _, a := range answers {
			if a == want {
				n++
			}
		}
		return float64(n) / float64(len(answers))
	}
	switch caseID {
	case "static":
		if count(true) != 1 {
			return "static flag not always on"
		}
	case "rule":
		if count(true) != 1 {
			return "matching users not all on"
		}
		for _, o := range others {
			if o != false {
				return "non-matching users on"
			}
		}
	case "rollout":
		if share := count(true); share < 0.21 || share > 0.29 {
			return fmt.Sprintf("rollout share %.3f", share)
		}
	case "split":
		a, b, c := count("a"), count("b"), count("c")
		if math.Abs(a-0.5) > 0.05 || math.Abs(b-0.3) > 0.05 || math.Abs(c-0.2) > 0.05 {
			return fmt.Sprintf("split shares %.3f/%.3f/%.3f", a, b, c)
		}
	}
	return "ok"
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . CONFIG_DIR [--quick]")
		os.Exit(2)
	}
	dir := os.Args[1]
	warmup, round, rounds := 500*time.Millisecond, 200*time.Millisecond, 7
	if len(os.Args) > 2 && os.Args[2] == "--quick" {
		warmup, round, rounds = 100*time.Millisecond, 50*time.Millisecond, 3
	}
	var keys map[string]string
	var users, others []user
	readJSON(dir, "keys.json", &keys)
	readJSON(dir, "users.json", &users)
	readJSON(dir, "non-matching.json", &others)
	for _, s := range []system{vexilSystem(dir, keys, users, others), growthbookSystem(dir, keys, users, others)} {
		for _, c := range caseIDs {
			bc := s.cases[c]
			answers := make([]any, len(users))
			for i := range users {
				answers[i] = bc.answer(bc.run(i))
			}
			otherAnswers := make([]any, len(others))
			for i := range others {
				otherAnswers[i] = s.others(c, i)
			}
			ns, timings := measure(bc.run, len(users), warmup, round, rounds)
			line, _ := json.Marshal(map[string]any{"language": "go", "system": s.id, "name": s.name, "version": s.version,
				"case": c, "nsPerEval": ns, "rounds": timings, "sanity": sanity(c, answers, otherAnswers)})
			fmt.Printf("RESULT %s\n", line)
		}
	}
}
