package engine

// Loading snapshots (`vexil compile` output, GET /v1/snapshot bodies) and swapping them
// atomically. A snapshot is prepared once, when loaded: each flag becomes its runtime form, or
// the message saying why it is malformed (evaluating it gives PARSE_ERROR). A document that is
// not a snapshot at all is refused, so a Holder keeps serving the last good one.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
)

// SchemaVersion is the snapshot format this engine evaluates.
const SchemaVersion = 1

type flagEntry struct {
	flag    *flag
	problem string
}

// Snapshot is a loaded, prepared snapshot; immutable once built and safe for concurrent use.
type Snapshot struct {
	Namespace   string
	Environment string
	// Hash is the content hash the evaluator also sends as the ETag.
	Hash  string
	flags map[string]flagEntry
}

// ErrNotSnapshot wraps every reason a document is refused as a snapshot.
var ErrNotSnapshot = errors.New("not a Vexil snapshot")

// NewSnapshot prepares a decoded JSON document (map[string]any) as a snapshot.
func NewSnapshot(document any) (*Snapshot, error) {
	doc, ok := document.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: snapshot must be a JSON object", ErrNotSnapshot)
	}
	if version, _ := asNumber(doc["schemaVersion"]); version != SchemaVersion {
		return nil, fmt.Errorf("%w: schemaVersion must be %d, got %v", ErrNotSnapshot, SchemaVersion, doc["schemaVersion"])
	}
	flags, ok := doc["flags"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: snapshot.flags must be an object", ErrNotSnapshot)
	}
	s := &Snapshot{flags: make(map[string]flagEntry, len(flags))}
	s.Namespace, _ = doc["namespace"].(string)
	s.Environment, _ = doc["environment"].(string)
	s.Hash, _ = doc["hash"].(string)
	for key, raw := range flags {
		s.flags[key] = prepareEntry(key, raw)
	}
	return s, nil
}

func prepareEntry(key string, raw any) (entry flagEntry) {
	defer func() {
		if r := recover(); r != nil {
			if m, ok := r.(malformed); ok {
				entry = flagEntry{problem: fmt.Sprintf("flag %q is malformed: %s", key, m.message)}
				return
			}
			entry = flagEntry{problem: fmt.Sprintf("flag %q is malformed: %v", key, r)}
		}
	}()
	return flagEntry{flag: prepareFlag(key, raw)}
}

// LoadSnapshot reads a snapshot from JSON bytes.
func LoadSnapshot(data []byte) (*Snapshot, error) {
	var document any
	if err := json.Unmarshal(data, &document); err != nil {
		return nil, fmt.Errorf("%w: invalid JSON: %v", ErrNotSnapshot, err)
	}
	return NewSnapshot(document)
}

// LoadSnapshotFile reads a snapshot file written by `vexil compile`.
func LoadSnapshotFile(path string) (*Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read snapshot file: %w", err)
	}
	return LoadSnapshot(data)
}

// Keys lists the snapshot's flag keys.
func (s *Snapshot) Keys() []string {
	keys := make([]string, 0, len(s.flags))
	for key := range s.flags {
		keys = append(keys, key)
	}
	return keys
}

// Holder holds the snapshot in force; Current and Swap are atomic, so an evaluation always sees
// one whole snapshot.
type Holder struct {
	current atomic.Pointer[Snapshot]
}

// Current is the snapshot in force, or nil before the first load.
func (h *Holder) Current() *Snapshot { return h.current.Load() }

// Swap puts s in force and tells whether its hash differs from the previous snapshot's.
func (h *Holder) Swap(s *Snapshot) bool {
	previous := h.current.Swap(s)
	return previous == nil || previous.Hash != s.Hash || s.Hash == ""
}

// Load parses data and swaps it in; on error the previous snapshot stays in force.
func (h *Holder) Load(data []byte) (bool, error) {
	s, err := LoadSnapshot(data)
	if err != nil {
		return false, err
	}
	return h.Swap(s), nil
}
