package engine

import "fmt"

var flagTypes = map[string]bool{"boolean": true, "string": true, "number": true, "json": true}

func prepareMetadata(o object) map[string]any {
	raw, present := o["metadata"]
	if !present {
		return nil
	}
	m := expectObject(raw, "metadata")
	for _, v := range m {
		switch v.(type) {
		case string, bool:
		default:
			if _, ok := asNumber(v); !ok {
				fail("metadata values must be strings, numbers or booleans")
			}
		}
	}
	return m
}

func prepareVariants(o object, flagType string) map[string]*variant {
	declared := map[string]*variant{}
	for name, value := range expectObject(o["variants"], "variants") {
		if !valueFits(flagType, value) {
			fail("variant %q has a value that is not of type %s", name, flagType)
		}
		declared[name] = &variant{name: name, value: value}
	}
	return declared
}

func (p *flagParts) preparePrerequisites(o object) []prerequisite {
	raw := optionalArray(o, "prerequisites", "prerequisites")
	out := make([]prerequisite, len(raw))
	for i, r := range raw {
		where := fmt.Sprintf("prerequisites[%d]", i)
		entry := expectObject(r, where)
		variants := map[string]struct{}{}
		for _, v := range optionalArray(entry, "variants", where+".variants") {
			if s, ok := v.(string); ok {
				variants[s] = struct{}{}
			}
		}
		out[i] = prerequisite{flag: expectString(entry["flag"], where+".flag"), variants: variants}
	}
	return out
}

func (p *flagParts) prepareTargets(o object) map[string]*variant {
	targets := map[string]*variant{}
	raw, present := o["targets"]
	if !present {
		return targets
	}
	for key, name := range expectObject(raw, "targets") {
		targets[key] = p.ref(name, fmt.Sprintf("targets[%q]", key))
	}
	return targets
}

// prepareFlag builds the runtime form of a compiled flag; a panic(malformed) names a bad field.
func prepareFlag(key string, raw any) *flag {
	o := expectObject(raw, "flag")
	flagType, _ := o["type"].(string)
	if !flagTypes[flagType] {
		fail("type must be one of boolean, string, number, json")
	}
	p := &flagParts{variants: prepareVariants(o, flagType)}
	p.splitSalt = expectString(o["splitSalt"], "splitSalt")
	p.metadata = prepareMetadata(o)
	f := &flag{key: key, flagType: flagType, metadata: p.metadata}
	f.rollout, f.bucketBy = p.prepareRollout(o)
	f.defaultVariant = p.ref(o["defaultVariant"], "defaultVariant")
	f.offVariant = p.ref(o["offVariant"], "offVariant")
	f.enabled = o["enabled"] != false
	f.killSwitch = o["killSwitch"] == true
	f.prerequisites = p.preparePrerequisites(o)
	f.targets = p.prepareTargets(o)
	rawRules := optionalArray(o, "rules", "rules")
	for i, r := range rawRules {
		f.rules = append(f.rules, p.prepareRule(r, i))
	}
	f.experiment = p.prepareExperiment(o)
	f.split = p.optionalSplit(o, "split", "split")
	f.hasTargeting = o["hasTargeting"] == true
	f.fixed = f.fixedAnswer()
	return f
}

func (f *flag) fixedAnswer() *fixedAnswer {
	if f.killSwitch || !f.enabled {
		return &fixedAnswer{f.offVariant, ReasonDisabled}
	}
	if len(f.prerequisites) > 0 || len(f.targets) > 0 || len(f.rules) > 0 || f.experiment != nil ||
		f.rollout != nil || f.split != nil {
		return nil
	}
	if f.hasTargeting {
		return &fixedAnswer{f.defaultVariant, ReasonDefault}
	}
	return &fixedAnswer{f.defaultVariant, ReasonStatic}
}
