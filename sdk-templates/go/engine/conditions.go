package engine

// Condition operators (the table in core/evaluate/operators.ts). A condition is prepared once
// per snapshot (values parsed, regexes compiled, sets built) and then tested per evaluation.
// A missing or null attribute makes every operator false (notX included); negate inverts the
// final answer. Array attributes match when ANY element matches (contains: has the element).

import (
	"math"
	"regexp"
	"strings"
)

// Context is an evaluation context: attribute name → value; "targetingKey" is the user id.
type Context = map[string]any

type valueTest func(c *condition, value any) bool

type condition struct {
	attribute      string
	holds          valueTest
	holdsElement   valueTest
	invert         bool
	negate         bool
	exists         bool
	caseInsensitiv bool
	strings        []string
	stringSet      map[string]struct{}
	numbers        []float64
	numberSet      map[float64]struct{}
	writtenNumbers map[float64]struct{}
	semvers        []*semVer
	dates          []float64
	regexes        []*regexp.Regexp
}

type operatorTest struct {
	holds  valueTest
	invert bool
}

var operatorTests map[string]operatorTest

func init() {
	operatorTests = map[string]operatorTest{
		"equals":             {equalsAny, false},
		"in":                 {equalsAny, false},
		"notEquals":          {equalsAny, true},
		"notIn":              {equalsAny, true},
		"contains":           {containsAny, false},
		"notContains":        {containsAny, true},
		"startsWith":         {startsWithAny, false},
		"endsWith":           {endsWithAny, false},
		"regex":              {regexAny, false},
		"greaterThan":        {numeric(func(a, b float64) bool { return a > b }), false},
		"greaterThanOrEqual": {numeric(func(a, b float64) bool { return a >= b }), false},
		"lessThan":           {numeric(func(a, b float64) bool { return a < b }), false},
		"lessThanOrEqual":    {numeric(func(a, b float64) bool { return a <= b }), false},
		"semverEquals":       {semverTest(func(o int) bool { return o == 0 }), false},
		"semverGreaterThan":  {semverTest(func(o int) bool { return o > 0 }), false},
		"semverLessThan":     {semverTest(func(o int) bool { return o < 0 }), false},
		"before":             {dateTest(func(a, b float64) bool { return a < b }), false},
		"after":              {dateTest(func(a, b float64) bool { return a > b }), false},
		"exists":             {func(*condition, any) bool { return false }, false},
	}
}

func (c *condition) text(value string) string {
	if c.caseInsensitiv {
		return jsLower(value)
	}
	return value
}

func equalsAny(c *condition, value any) bool {
	switch v := value.(type) {
	case string:
		if _, ok := c.stringSet[c.text(v)]; ok {
			return true
		}
		if len(c.writtenNumbers) > 0 {
			_, ok := c.writtenNumbers[toNumber(v)]
			return ok
		}
		return false
	case bool:
		word := "false"
		if v {
			word = "true"
		}
		_, ok := c.stringSet[word]
		return ok
	}
	if n, ok := asNumber(value); ok {
		_, found := c.numberSet[n]
		return found
	}
	return false
}

func stringTest(match func(subject, s string) bool) valueTest {
	return func(c *condition, value any) bool {
		v, ok := value.(string)
		if !ok {
			return false
		}
		subject := c.text(v)
		for _, s := range c.strings {
			if match(subject, s) {
				return true
			}
		}
		return false
	}
}

var (
	containsAny   = stringTest(strings.Contains)
	startsWithAny = stringTest(strings.HasPrefix)
	endsWithAny   = stringTest(strings.HasSuffix)
)

func regexAny(c *condition, value any) bool {
	v, ok := value.(string)
	if !ok {
		return false
	}
	for _, re := range c.regexes {
		if re.MatchString(v) {
			return true
		}
	}
	return false
}

func numeric(compare func(a, b float64) bool) valueTest {
	return func(c *condition, value any) bool {
		n := toNumber(value)
		if math.IsNaN(n) {
			return false
		}
		for _, v := range c.numbers {
			if compare(n, v) {
				return true
			}
		}
		return false
	}
}

func semverTest(compare func(order int) bool) valueTest {
	return func(c *condition, value any) bool {
		version := toSemver(value)
		if version == nil {
			return false
		}
		for _, v := range c.semvers {
			if compare(version.compare(v)) {
				return true
			}
		}
		return false
	}
}

func dateTest(compare func(a, b float64) bool) valueTest {
	return func(c *condition, value any) bool {
		t := toEpochMillis(value)
		if math.IsNaN(t) {
			return false
		}
		for _, v := range c.dates {
			if compare(t, v) {
				return true
			}
		}
		return false
	}
}

// test tells whether the condition holds for a context.
func (c *condition) test(context Context) bool {
	value := context[c.attribute]
	if value == nil {
		return c.negate
	}
	if c.exists {
		return !c.negate
	}
	matched := false
	switch elements := value.(type) {
	case []any:
		for _, e := range elements {
			if e != nil && c.holdsElement(c, e) {
				matched = true
				break
			}
		}
	case []string:
		for _, e := range elements {
			if c.holdsElement(c, e) {
				matched = true
				break
			}
		}
	default:
		matched = c.holds(c, value)
	}
	return (matched != c.invert) != c.negate
}

func compileRegex(pattern string, caseInsensitive bool) *regexp.Regexp {
	if caseInsensitive {
		pattern = "(?i)(?:" + pattern + ")"
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil
	}
	return re
}

func prepareCondition(raw any, where string) *condition {
	o := expectObject(raw, where)
	attribute, ok := o["attribute"].(string)
	if !ok {
		fail("%s.attribute must be a string", where)
	}
	operator, _ := o["operator"].(string)
	test, known := operatorTests[operator]
	if !known {
		fail("unknown operator %q", operator)
	}
	var values []any
	if rawValues, present := o["values"]; present {
		values = expectArray(rawValues, where+".values")
		for _, v := range values {
			if _, isString := v.(string); !isString {
				if _, isNumber := asNumber(v); !isNumber {
					fail("%s.values must hold strings and numbers", where)
				}
			}
		}
	}
	c := &condition{attribute: attribute, holds: test.holds, holdsElement: test.holds, invert: test.invert,
		negate: o["negate"] == true, exists: operator == "exists", caseInsensitiv: o["caseInsensitive"] == true,
		stringSet: map[string]struct{}{}, numberSet: map[float64]struct{}{}, writtenNumbers: map[float64]struct{}{}}
	if operator == "contains" || operator == "notContains" {
		c.holdsElement = equalsAny
	}
	for _, v := range values {
		c.addValue(operator, v)
	}
	return c
}

func (c *condition) addValue(operator string, v any) {
	s := jsString(v)
	if c.caseInsensitiv {
		s = jsLower(s)
	}
	c.strings = append(c.strings, s)
	c.stringSet[s] = struct{}{}
	if n := toNumber(v); !math.IsNaN(n) {
		c.numbers = append(c.numbers, n)
		c.numberSet[n] = struct{}{}
	}
	if n, isNumber := asNumber(v); isNumber {
		c.writtenNumbers[n] = struct{}{}
	}
	switch {
	case strings.HasPrefix(operator, "semver"):
		if version := toSemver(jsString(v)); version != nil {
			c.semvers = append(c.semvers, version)
		}
	case operator == "before" || operator == "after":
		if t := toEpochMillis(v); !math.IsNaN(t) {
			c.dates = append(c.dates, t)
		}
	case operator == "regex":
		if re := compileRegex(jsString(v), c.caseInsensitiv); re != nil {
			c.regexes = append(c.regexes, re)
		}
	}
}
