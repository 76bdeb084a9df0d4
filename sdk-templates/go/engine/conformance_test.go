package engine

// Conformance: every case of test/vectors/evaluation.json and every vector of
// test/vectors/bucketing.json, printing the pass counts. VEXIL_VECTORS_DIR overrides the
// directory (default: the repository's test/vectors).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func vectorsDir() string {
	if dir := os.Getenv("VEXIL_VECTORS_DIR"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "..", "test", "vectors")
}

func readJSON(t *testing.T, name string, into any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir(), name))
	if err != nil {
		t.Fatalf("reading vectors: %v", err)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("parsing %s: %v", name, err)
	}
}

type evaluationVectors struct {
	Snapshot any `json:"snapshot"`
	Cases    []struct {
		Description string         `json:"description"`
		Flag        string         `json:"flag"`
		Context     any            `json:"context"`
		Options     map[string]any `json:"options"`
		Expected    map[string]any `json:"expected"`
	} `json:"cases"`
}

func TestEvaluationVectors(t *testing.T) {
	var file evaluationVectors
	readJSON(t, "evaluation.json", &file)
	snapshot, err := NewSnapshot(file.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	passed := 0
	for _, c := range file.Cases {
		options := &Options{}
		if c.Options != nil {
			options.DefaultValue = c.Options["defaultValue"]
			options.ExpectedType, _ = c.Options["expectedType"].(string)
		}
		r := Evaluate(snapshot, c.Flag, c.Context, options)
		got := map[string]any{"value": r.Value, "reason": r.Reason}
		if r.Variant != "" || r.Reason != ReasonError {
			got["variant"] = r.Variant
		}
		if r.ErrorCode != "" {
			got["errorCode"] = r.ErrorCode
		}
		want := map[string]any{}
		for _, k := range []string{"value", "variant", "reason", "errorCode"} {
			if v, ok := c.Expected[k]; ok {
				want[k] = v
			}
		}
		ok := reflect.DeepEqual(got, want)
		if m, has := c.Expected["metadata"]; ok && has {
			ok = reflect.DeepEqual(map[string]any(r.Metadata), m)
		}
		if !ok {
			t.Errorf("%s: expected %v, got %v (metadata %v)", c.Description, want, got, r.Metadata)
			continue
		}
		passed++
	}
	fmt.Printf("go engine: evaluation %d/%d passed\n", passed, len(file.Cases))
}

type bucketingVectors struct {
	Vectors []struct {
		Salt, Value string
		Hash        uint32
		Bucket      int
	}
	Splits []struct {
		Salt, Value string
		Bucket      int
		Split       []struct {
			Variant string
			Weight  float64
		}
		Variant string
	}
	Rollouts []struct {
		Salt, Value string
		Percentage  float64
		Bucket      int
		Inside      bool
	}
}

func TestBucketingVectors(t *testing.T) {
	var file bucketingVectors
	readJSON(t, "bucketing.json", &file)
	failed := 0
	for _, v := range file.Vectors {
		if Murmur3(v.Salt+":"+v.Value) != v.Hash || Bucket(v.Salt, v.Value) != v.Bucket {
			t.Errorf("hash of %q:%.40q", v.Salt, v.Value)
			failed++
		}
	}
	for _, s := range file.Splits {
		weights := make([]float64, len(s.Split))
		for i, w := range s.Split {
			weights[i] = w.Weight
		}
		thresholds, ok := SplitThresholds(weights)
		b := Bucket(s.Salt, s.Value)
		if !ok || b != s.Bucket || s.Split[PickSplit(thresholds, b)].Variant != s.Variant {
			t.Errorf("split %q %.40q", s.Salt, s.Value)
			failed++
		}
	}
	for _, r := range file.Rollouts {
		b := Bucket(r.Salt, r.Value)
		if b != r.Bucket || IsInsideRollout(b, r.Percentage) != r.Inside {
			t.Errorf("rollout %q %.40q at %v", r.Salt, r.Value, r.Percentage)
			failed++
		}
	}
	total := len(file.Vectors) + len(file.Splits) + len(file.Rollouts)
	fmt.Printf("go engine: bucketing %d/%d passed\n", total-failed, total)
}
