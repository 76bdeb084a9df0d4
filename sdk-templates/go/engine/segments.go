package engine

// Segments and matchers: "all of these segments and all of these conditions", shared by rules,
// ring/targeted rollouts and experiment audiences. Segment membership: the key attribute listed
// in excluded → not a member (exclusion wins); in included → member; otherwise its conditions
// decide (match all|any); a segment without conditions has only its included users.

import "fmt"

const targetingKey = "targetingKey"

type segment struct {
	key        string
	included   map[string]struct{}
	excluded   map[string]struct{}
	matchAny   bool
	conditions []*condition
}

type matcher struct {
	segments   []*segment
	conditions []*condition
}

func (s *segment) has(context Context) bool {
	if key, ok := keyString(context[s.key]); ok {
		if _, out := s.excluded[key]; out {
			return false
		}
		if _, in := s.included[key]; in {
			return true
		}
	}
	if len(s.conditions) == 0 {
		return false
	}
	for _, c := range s.conditions {
		if c.test(context) == s.matchAny {
			return s.matchAny
		}
	}
	return !s.matchAny
}

func (m *matcher) matches(context Context) bool {
	for _, s := range m.segments {
		if !s.has(context) {
			return false
		}
	}
	for _, c := range m.conditions {
		if !c.test(context) {
			return false
		}
	}
	return true
}

func stringSet(o object, key, where string) map[string]struct{} {
	set := map[string]struct{}{}
	for _, v := range optionalArray(o, key, where) {
		s, ok := v.(string)
		if !ok {
			fail("%s must hold strings", where)
		}
		set[s] = struct{}{}
	}
	return set
}

func prepareConditions(o object, where string) []*condition {
	raw := optionalArray(o, "conditions", where)
	out := make([]*condition, len(raw))
	for i, c := range raw {
		out[i] = prepareCondition(c, fmt.Sprintf("%s[%d]", where, i))
	}
	return out
}

func prepareSegment(raw any, where string) *segment {
	o := expectObject(raw, where)
	key := targetingKey
	if v, present := o["key"]; present {
		s, ok := v.(string)
		if !ok {
			fail("%s.key must be a string", where)
		}
		key = s
	}
	match, present := o["match"]
	if present && match != "all" && match != "any" {
		fail(`%s.match must be "all" or "any"`, where)
	}
	return &segment{
		key:        key,
		included:   stringSet(o, "included", where+".included"),
		excluded:   stringSet(o, "excluded", where+".excluded"),
		matchAny:   match == "any",
		conditions: prepareConditions(o, where+".conditions"),
	}
}

func prepareMatcher(raw any, present bool, where string) *matcher {
	o := object{}
	if present {
		o = expectObject(raw, where)
	}
	rawSegments := optionalArray(o, "segments", where+".segments")
	segments := make([]*segment, len(rawSegments))
	for i, s := range rawSegments {
		segments[i] = prepareSegment(s, fmt.Sprintf("%s.segments[%d]", where, i))
	}
	return &matcher{segments: segments, conditions: prepareConditions(o, where+".conditions")}
}
