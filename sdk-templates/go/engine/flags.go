package engine

// Builds a prepared flag from one compiled flag (core/evaluate/prepare-flag.ts), checking its
// shape on the way: a malformed flag is reported by evaluation as PARSE_ERROR.

import (
	"fmt"
	"math"
)

type variant struct {
	name  string
	value any
}

type split struct {
	variants   []*variant
	thresholds []int
	salt       Salt
}

type rule struct {
	matcher  *matcher
	variant  *variant
	split    *split
	metadata map[string]any
}

// rollout: percentage, gradual and canary have matchers == nil; ring and targeted have matchers.
type rollout struct {
	percentage float64
	salt       Salt
	matchers   []*matcher
	variant    *variant
	split      *split
}

type experiment struct {
	traffic        float64
	audience       *matcher
	split          *split
	enrollmentSalt Salt
	metadata       map[string]any
}

type prerequisite struct {
	flag     string
	variants map[string]struct{}
}

type fixedAnswer struct {
	variant *variant
	reason  string
}

type flag struct {
	key            string
	flagType       string
	defaultVariant *variant
	offVariant     *variant
	enabled        bool
	killSwitch     bool
	prerequisites  []prerequisite
	targets        map[string]*variant
	rules          []*rule
	rollout        *rollout
	experiment     *experiment
	split          *split
	bucketBy       string
	hasTargeting   bool
	metadata       map[string]any
	fixed          *fixedAnswer
}

type flagParts struct {
	variants  map[string]*variant
	splitSalt string
	metadata  map[string]any
}

func (p *flagParts) ref(name any, where string) *variant {
	s, _ := name.(string)
	v, ok := p.variants[s]
	if _, isString := name.(string); !ok || !isString {
		fail("%s names variant %v, which the flag does not declare", where, name)
	}
	return v
}

func (p *flagParts) optionalRef(o object, key, where string) *variant {
	name, present := o[key]
	if !present {
		return nil
	}
	return p.ref(name, where)
}

func (p *flagParts) prepareSplit(raw any, present bool, salt, where string) *split {
	var entries []any
	if present {
		entries = expectArray(raw, where)
	}
	s := &split{salt: NewSalt(salt)}
	weights := make([]float64, len(entries))
	for i, e := range entries {
		entry := expectObject(e, fmt.Sprintf("%s[%d]", where, i))
		s.variants = append(s.variants, p.ref(entry["variant"], fmt.Sprintf("%s[%d]", where, i)))
		weights[i] = expectNumber(entry["weight"], fmt.Sprintf("%s[%d].weight", where, i))
	}
	thresholds, ok := SplitThresholds(weights)
	if !ok {
		fail("%s needs non-negative weights with a positive total", where)
	}
	s.thresholds = thresholds
	return s
}

func (p *flagParts) optionalSplit(o object, key, where string) *split {
	raw, present := o[key]
	if !present {
		return nil
	}
	return p.prepareSplit(raw, true, p.splitSalt, where)
}

func withEntry(metadata map[string]any, key, value string) map[string]any {
	out := make(map[string]any, len(metadata)+1)
	for k, v := range metadata {
		out[k] = v
	}
	out[key] = value
	return out
}

func (p *flagParts) prepareRule(raw any, i int) *rule {
	where := fmt.Sprintf("rules[%d]", i)
	o := expectObject(raw, where)
	name := ""
	if v, present := o["name"]; present {
		name = expectString(v, where+".name")
	}
	r := &rule{
		split:    p.optionalSplit(o, "split", where+".split"),
		variant:  p.optionalRef(o, "variant", where+".variant"),
		metadata: p.metadata,
	}
	if (r.split == nil) == (r.variant == nil) {
		fail("%s must serve exactly one of variant or split", where)
	}
	if name != "" {
		r.metadata = withEntry(p.metadata, "rule", name)
	}
	r.matcher = prepareMatcher(o, true, where)
	return r
}

func (p *flagParts) prepareExperiment(o object) *experiment {
	raw, present := o["experiment"]
	if !present {
		return nil
	}
	e := expectObject(raw, "experiment")
	name := expectString(e["name"], "experiment.name")
	salt := expectString(e["salt"], "experiment.salt")
	traffic := expectNumber(e["traffic"], "experiment.traffic")
	audience, hasAudience := e["audience"]
	rawSplit, hasSplit := e["split"]
	return &experiment{
		traffic:        traffic,
		audience:       prepareMatcher(audience, hasAudience, "experiment.audience"),
		split:          p.prepareSplit(rawSplit, hasSplit, salt, "experiment.split"),
		enrollmentSalt: NewSalt(salt + "/traffic"),
		metadata:       withEntry(p.metadata, "experiment", name),
	}
}

// prepareRollout returns the rollout and its bucketBy (targetingKey when it names none).
func (p *flagParts) prepareRollout(o object) (*rollout, string) {
	raw, present := o["rollout"]
	if !present {
		return nil, targetingKey
	}
	r := expectObject(raw, "rollout")
	bucketBy := targetingKey
	if v, has := r["bucketBy"]; has {
		bucketBy = expectString(v, "rollout.bucketBy")
	}
	out := &rollout{variant: p.optionalRef(r, "variant", "rollout.variant"), split: p.optionalSplit(r, "split", "rollout.split")}
	switch r["kind"] {
	case "percentage":
		out.percentage = expectNumber(r["percentage"], "rollout.percentage")
		out.salt = NewSalt(expectString(r["salt"], "rollout.salt"))
	case "audience":
		for i, m := range expectArray(r["matchers"], "rollout.matchers") {
			out.matchers = append(out.matchers, prepareMatcher(m, true, fmt.Sprintf("rollout.matchers[%d]", i)))
		}
		if out.matchers == nil {
			out.matchers = []*matcher{}
		}
	default:
		fail(`rollout.kind must be "percentage" or "audience"`)
	}
	return out, bucketBy
}

func valueFits(flagType string, value any) bool {
	switch flagType {
	case "boolean":
		_, ok := value.(bool)
		return ok
	case "string":
		_, ok := value.(string)
		return ok
	case "number":
		n, ok := asNumber(value)
		return ok && !math.IsNaN(n) && !math.IsInf(n, 0)
	}
	return true
}
