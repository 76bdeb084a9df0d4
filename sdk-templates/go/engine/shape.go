package engine

// Shape checks for snapshot content: a malformed flag becomes a PARSE_ERROR naming the bad
// field. A key that is absent differs from one that is null, as in the TypeScript engine.

import (
	"fmt"
	"math"
)

type object = map[string]any

// malformed is the error a shape check raises (by panic, recovered per flag at load time).
type malformed struct{ message string }

func fail(format string, args ...any) {
	panic(malformed{fmt.Sprintf(format, args...)})
}

func field(o object, key string) (any, bool) {
	v, ok := o[key]
	return v, ok
}

func expectObject(value any, where string) object {
	o, ok := value.(map[string]any)
	if !ok {
		fail("%s must be an object", where)
	}
	return o
}

func expectArray(value any, where string) []any {
	a, ok := value.([]any)
	if !ok {
		fail("%s must be an array", where)
	}
	return a
}

// optionalArray: an absent key reads as empty; null or another type is malformed.
func optionalArray(o object, key, where string) []any {
	v, ok := o[key]
	if !ok {
		return nil
	}
	return expectArray(v, where)
}

func expectString(value any, where string) string {
	s, ok := value.(string)
	if !ok {
		fail("%s must be a string", where)
	}
	return s
}

func expectNumber(value any, where string) float64 {
	n, ok := asNumber(value)
	if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
		fail("%s must be a finite number", where)
	}
	return n
}
