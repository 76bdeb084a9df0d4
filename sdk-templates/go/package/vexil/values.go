package vexil

// One flag's answer (an OFREP item, or a local engine result) turned into an OpenFeature
// resolution of the type the caller asked for. Reasons pass through as sent (custom ones such as
// PREREQUISITE_FAILED included), a whole number asked as a float or an integer is that number,
// and a value of another type answers the caller's default with TYPE_MISMATCH.

import (
	"fmt"
	"math"

	"github.com/open-feature/go-sdk/openfeature"
)

// item is one flag's answer: a value with its variant and reason, or a failure.
type item struct {
	value    any
	variant  string
	reason   string
	metadata map[string]any
	failed   *failure
}

func failedItem(f failure) item { return item{failed: &f} }

// itemOf reads one OFREP evaluation (a success or an evaluation failure).
func itemOf(raw any) item {
	o, ok := raw.(map[string]any)
	if !ok {
		return failedItem(failure{"PARSE_ERROR", "the evaluator's answer is not a JSON object"})
	}
	if code, ok := o["errorCode"].(string); ok && code != "" {
		if !errorCodes[code] {
			code = "GENERAL"
		}
		details, ok := o["errorDetails"].(string)
		if !ok {
			details = code
		}
		return failedItem(failure{code, details})
	}
	it := item{value: o["value"]}
	it.variant, _ = o["variant"].(string)
	it.reason, _ = o["reason"].(string)
	it.metadata, _ = o["metadata"].(map[string]any)
	return it
}

func resolutionError(f failure) openfeature.ResolutionError {
	switch f.code {
	case "PROVIDER_NOT_READY":
		return openfeature.NewProviderNotReadyResolutionError(f.message)
	case "FLAG_NOT_FOUND":
		return openfeature.NewFlagNotFoundResolutionError(f.message)
	case "PARSE_ERROR":
		return openfeature.NewParseErrorResolutionError(f.message)
	case "TYPE_MISMATCH":
		return openfeature.NewTypeMismatchResolutionError(f.message)
	case "TARGETING_KEY_MISSING":
		return openfeature.NewTargetingKeyMissingResolutionError(f.message)
	case "INVALID_CONTEXT":
		return openfeature.NewInvalidContextResolutionError(f.message)
	case "PROVIDER_FATAL":
		return openfeature.NewProviderFatalResolutionError(f.message)
	}
	return openfeature.NewGeneralResolutionError(f.message)
}

func kindOf(value any) string {
	switch value.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		return "number"
	case []any:
		return "array"
	}
	return "object"
}

// resolve turns an item into the caller's type; convert says whether the value is of that type.
func resolve[T any](key string, it item, defaultValue T, kind string, convert func(any) (T, bool)) openfeature.GenericResolutionDetail[T] {
	failed := func(f failure) openfeature.GenericResolutionDetail[T] {
		return openfeature.GenericResolutionDetail[T]{Value: defaultValue, ProviderResolutionDetail: openfeature.ProviderResolutionDetail{
			ResolutionError: resolutionError(f), Reason: openfeature.ErrorReason}}
	}
	if it.failed != nil {
		return failed(*it.failed)
	}
	value, ok := convert(it.value)
	if !ok {
		return failed(failure{"TYPE_MISMATCH", fmt.Sprintf("flag %q is a %s, not a %s", key, kindOf(it.value), kind)})
	}
	detail := openfeature.ProviderResolutionDetail{Reason: openfeature.Reason(it.reason), Variant: it.variant}
	if it.metadata != nil {
		detail.FlagMetadata = openfeature.FlagMetadata(it.metadata)
	}
	return openfeature.GenericResolutionDetail[T]{Value: value, ProviderResolutionDetail: detail}
}

func asBool(v any) (bool, bool)     { b, ok := v.(bool); return b, ok }
func asString(v any) (string, bool) { s, ok := v.(string); return s, ok }

func asFloat(v any) (float64, bool) {
	f, ok := v.(float64)
	return f, ok && !math.IsNaN(f) && !math.IsInf(f, 0)
}

// asInt takes a whole number within int64's range.
func asInt(v any) (int64, bool) {
	f, ok := asFloat(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<63-1 {
		return 0, false
	}
	return int64(f), true
}

// asObject takes a JSON object or array.
func asObject(v any) (any, bool) {
	switch v.(type) {
	case map[string]any, []any:
		return v, true
	}
	return nil, false
}
