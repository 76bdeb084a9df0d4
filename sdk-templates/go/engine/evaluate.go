package engine

// The evaluation order of core/evaluate/evaluate.ts, step for step: flag missing →
// FLAG_NOT_FOUND · type mismatch → TYPE_MISMATCH · bad context → INVALID_CONTEXT · killSwitch /
// disabled → offVariant DISABLED · prerequisite unmet → PREREQUISITE_FAILED · target →
// TARGETING_MATCH · first matching rule → TARGETING_MATCH or SPLIT · experiment → SPLIT ·
// rollout → SPLIT / DEFAULT (ring, targeted: TARGETING_MATCH) · weighted variants → SPLIT ·
// defaultVariant → STATIC or DEFAULT. It never panics: a malformed flag gives PARSE_ERROR and
// anything unexpected GENERAL.

import "fmt"

// MaxPrerequisiteDepth: prerequisite chains deeper than this count as unmet.
const MaxPrerequisiteDepth = 16

var expectedTypes = map[string]string{"boolean": "boolean", "string": "string", "number": "number", "json": "object"}

var emptyContext = Context{}

// Evaluate evaluates flag key of snapshot for context: nil (no context) or a Context
// (map[string]any); anything else is INVALID_CONTEXT. options may be nil.
func Evaluate(snapshot *Snapshot, key string, context any, options *Options) (result Result) {
	defer func() {
		if r := recover(); r != nil {
			result = failure(key, options, ErrorGeneral, fmt.Sprintf("evaluation failed: %v", r))
		}
	}()
	if snapshot == nil {
		return failure(key, options, ErrorProviderNotReady, "no snapshot is loaded")
	}
	entry, found := snapshot.flags[key]
	if !found {
		return failure(key, options, ErrorFlagNotFound, fmt.Sprintf("flag %q not found", key))
	}
	if entry.problem != "" {
		return failure(key, options, ErrorParse, entry.problem)
	}
	f := entry.flag
	if options != nil && options.ExpectedType != "" && expectedTypes[f.flagType] != options.ExpectedType {
		message := fmt.Sprintf("flag %q is of type %s, not %s", key, expectedTypes[f.flagType], options.ExpectedType)
		return failure(key, options, ErrorTypeMismatch, message)
	}
	ctx, problem := asContext(context)
	if problem != "" {
		return failure(key, options, ErrorInvalidContext, problem)
	}
	return answer(snapshot, f, ctx, options, 0)
}

func asContext(context any) (Context, string) {
	switch c := context.(type) {
	case nil:
		return emptyContext, ""
	case map[string]any:
		if c == nil {
			return emptyContext, ""
		}
		if key, present := c[targetingKey]; present {
			if _, ok := key.(string); !ok {
				return nil, fmt.Sprintf("targetingKey must be a string, got %s", describe(key))
			}
		}
		return c, ""
	}
	return nil, fmt.Sprintf("evaluation context must be an object, got %s", describe(context))
}

func describe(value any) string {
	switch value.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "string"
	case bool:
		return "boolean"
	}
	if _, ok := asNumber(value); ok {
		return "number"
	}
	return fmt.Sprintf("%T", value)
}

func served(f *flag, v *variant, reason string, metadata map[string]any) Result {
	return Result{Key: f.key, Value: v.value, Variant: v.name, Reason: reason, Metadata: metadata}
}

func answer(s *Snapshot, f *flag, ctx Context, options *Options, depth int) Result {
	if f.fixed != nil {
		return served(f, f.fixed.variant, f.fixed.reason, f.metadata)
	}
	if len(f.prerequisites) > 0 && !prerequisitesMet(s, f, ctx, depth) {
		return served(f, f.offVariant, ReasonPrerequisiteFailed, f.metadata)
	}
	if len(f.targets) > 0 {
		if user, ok := ctx[targetingKey].(string); ok {
			if target := f.targets[user]; target != nil {
				return served(f, target, ReasonTargetingMatch, f.metadata)
			}
		}
	}
	for _, r := range f.rules {
		if !r.matcher.matches(ctx) {
			continue
		}
		if r.split != nil {
			return serveSplit(f, r.split, ctx, options, r.metadata)
		}
		return served(f, r.variant, ReasonTargetingMatch, r.metadata)
	}
	if f.experiment != nil {
		if enrolled, ok := decideExperiment(f, f.experiment, ctx); ok {
			return enrolled
		}
	}
	if f.rollout != nil {
		return decideRollout(f, f.rollout, ctx, options)
	}
	if f.split != nil {
		return serveSplit(f, f.split, ctx, options, f.metadata)
	}
	if f.hasTargeting {
		return served(f, f.defaultVariant, ReasonDefault, f.metadata)
	}
	return served(f, f.defaultVariant, ReasonStatic, f.metadata)
}

func prerequisitesMet(s *Snapshot, f *flag, ctx Context, depth int) bool {
	if depth >= MaxPrerequisiteDepth {
		return false
	}
	for _, p := range f.prerequisites {
		entry, found := s.flags[p.flag]
		if !found || entry.problem != "" {
			return false
		}
		result := answer(s, entry.flag, ctx, nil, depth+1)
		if result.ErrorCode != "" || result.Reason == ReasonError {
			return false
		}
		if _, ok := p.variants[result.Variant]; !ok {
			return false
		}
	}
	return true
}

// bucketValue is the flag's bucketing attribute (string or safe integer), else the targetingKey.
func bucketValue(ctx Context, bucketBy string) (string, bool) {
	if bucketBy != targetingKey {
		if value, ok := keyString(ctx[bucketBy]); ok {
			return value, true
		}
	}
	key, ok := ctx[targetingKey].(string)
	return key, ok
}

func keyMissing(f *flag, options *Options) Result {
	by := "targetingKey"
	if f.bucketBy != targetingKey {
		by = fmt.Sprintf("%q or targetingKey", f.bucketBy)
	}
	message := fmt.Sprintf("flag %q buckets users by %s, and the context has none", f.key, by)
	return failure(f.key, options, ErrorTargetingKeyMissing, message)
}

func serveSplit(f *flag, sp *split, ctx Context, options *Options, metadata map[string]any) Result {
	value, ok := bucketValue(ctx, f.bucketBy)
	if !ok {
		return keyMissing(f, options)
	}
	return served(f, sp.variants[PickSplit(sp.thresholds, sp.salt.Bucket(value))], ReasonSplit, metadata)
}

func decideExperiment(f *flag, e *experiment, ctx Context) (Result, bool) {
	if !e.audience.matches(ctx) {
		return Result{}, false
	}
	value, ok := bucketValue(ctx, f.bucketBy)
	if !ok || !IsInsideRollout(e.enrollmentSalt.Bucket(value), e.traffic) {
		return Result{}, false
	}
	v := e.split.variants[PickSplit(e.split.thresholds, e.split.salt.Bucket(value))]
	return served(f, v, ReasonSplit, e.metadata), true
}

func inside(f *flag, r *rollout, ctx Context, options *Options, reason string) Result {
	if r.variant != nil {
		return served(f, r.variant, reason, f.metadata)
	}
	sp := r.split
	if sp == nil {
		sp = f.split
	}
	if sp != nil {
		return serveSplit(f, sp, ctx, options, f.metadata)
	}
	return served(f, f.defaultVariant, reason, f.metadata)
}

func decideRollout(f *flag, r *rollout, ctx Context, options *Options) Result {
	if r.matchers != nil {
		for _, m := range r.matchers {
			if m.matches(ctx) {
				return inside(f, r, ctx, options, ReasonTargetingMatch)
			}
		}
		return served(f, f.offVariant, ReasonDefault, f.metadata)
	}
	in := false
	if r.percentage >= 100 {
		in = true
	} else if r.percentage > 0 {
		value, ok := bucketValue(ctx, f.bucketBy)
		if !ok {
			return keyMissing(f, options)
		}
		in = IsInsideRollout(r.salt.Bucket(value), r.percentage)
	}
	if !in {
		return served(f, f.offVariant, ReasonDefault, f.metadata)
	}
	return inside(f, r, ctx, options, ReasonSplit)
}
