package engine

// Reasons and error codes: OpenFeature's vocabulary plus PREREQUISITE_FAILED.
const (
	ReasonStatic             = "STATIC"
	ReasonDefault            = "DEFAULT"
	ReasonTargetingMatch     = "TARGETING_MATCH"
	ReasonSplit              = "SPLIT"
	ReasonDisabled           = "DISABLED"
	ReasonPrerequisiteFailed = "PREREQUISITE_FAILED"
	ReasonCached             = "CACHED"
	ReasonUnknown            = "UNKNOWN"
	ReasonStale              = "STALE"
	ReasonError              = "ERROR"

	ErrorProviderNotReady    = "PROVIDER_NOT_READY"
	ErrorFlagNotFound        = "FLAG_NOT_FOUND"
	ErrorParse               = "PARSE_ERROR"
	ErrorTypeMismatch        = "TYPE_MISMATCH"
	ErrorTargetingKeyMissing = "TARGETING_KEY_MISSING"
	ErrorInvalidContext      = "INVALID_CONTEXT"
	ErrorProviderFatal       = "PROVIDER_FATAL"
	ErrorGeneral             = "GENERAL"
)

// Result is one evaluation's outcome. On error Reason is ERROR, ErrorCode says why, Variant is
// empty and Value is the caller's default.
type Result struct {
	Key          string
	Value        any
	Variant      string
	Reason       string
	ErrorCode    string
	ErrorMessage string
	// Metadata is shared between results: read it, never write to it.
	Metadata map[string]any
}

// Options are the caller's side of an evaluation.
type Options struct {
	// DefaultValue is returned as Value on error.
	DefaultValue any
	// ExpectedType is "boolean", "string", "number" or "object" (json flags); empty: any type.
	ExpectedType string
}

func failure(key string, options *Options, code, message string) Result {
	var value any
	if options != nil {
		value = options.DefaultValue
	}
	return Result{Key: key, Value: value, Reason: ReasonError, ErrorCode: code, ErrorMessage: message}
}
