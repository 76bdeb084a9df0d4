package engine

// Semantic versions read as node-semver reads them in strict mode (the TypeScript engine's
// library): an optional leading "v", no leading zeros, at most 256 characters (UTF-16 units),
// surrounding whitespace ignored; build metadata does not take part in comparisons.

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf16"
)

const semverMaxLength = 256

var (
	semverFull = regexp.MustCompile(`^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)` +
		`(?:-((?:[0-9]*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9][0-9]*)(?:\.(?:[0-9]*[a-zA-Z-][a-zA-Z0-9-]*|0|[1-9][0-9]*))*))?` +
		`(?:\+[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)?$`)
	allDigits = regexp.MustCompile(`^[0-9]+$`)
	// What String.prototype.trim removes: ECMAScript WhiteSpace and LineTerminator.
	jsWhitespace = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)

type semVer struct {
	main       [3]float64
	prerelease []string
}

func compareIdentifiers(a, b string) int {
	aNum, bNum := allDigits.MatchString(a), allDigits.MatchString(b)
	if aNum && bNum {
		x, _ := strconv.ParseFloat(a, 64)
		y, _ := strconv.ParseFloat(b, 64)
		switch {
		case x == y:
			return 0
		case x < y:
			return -1
		}
		return 1
	}
	switch {
	case a == b:
		return 0
	case aNum:
		return -1
	case bNum:
		return 1
	case a < b:
		return -1
	}
	return 1
}

func (v *semVer) compare(o *semVer) int {
	for i := 0; i < 3; i++ {
		if v.main[i] != o.main[i] {
			if v.main[i] < o.main[i] {
				return -1
			}
			return 1
		}
	}
	a, b := v.prerelease, o.prerelease
	switch {
	case len(a) > 0 && len(b) == 0:
		return -1
	case len(a) == 0 && len(b) > 0:
		return 1
	}
	for i := 0; ; i++ {
		switch {
		case i >= len(a) && i >= len(b):
			return 0
		case i >= len(b):
			return 1
		case i >= len(a):
			return -1
		case a[i] != b[i]:
			return compareIdentifiers(a[i], b[i])
		}
	}
}

func parseSemver(value string) *semVer {
	if len(utf16.Encode([]rune(value))) > semverMaxLength {
		return nil
	}
	m := semverFull.FindStringSubmatch(strings.Trim(value, jsWhitespace))
	if m == nil {
		return nil
	}
	v := &semVer{}
	for i := 0; i < 3; i++ {
		n, _ := strconv.ParseFloat(m[i+1], 64)
		if n > maxSafeInteger {
			return nil
		}
		v.main[i] = n
	}
	if m[4] != "" {
		v.prerelease = strings.Split(m[4], ".")
	}
	return v
}

// Attribute versions repeat (app versions), so parsed ones are cached; bounded, then reset.
var (
	semverCache     sync.Map
	semverCacheSize atomic.Int32
)

const semverCacheLimit = 1024

// toSemver parses a semantic version; nil when the value is not a string or not a version.
func toSemver(value any) *semVer {
	s, ok := value.(string)
	if !ok {
		return nil
	}
	if cached, found := semverCache.Load(s); found {
		return cached.(*semVer)
	}
	parsed := parseSemver(s)
	if semverCacheSize.Add(1) > semverCacheLimit {
		semverCache.Clear()
		semverCacheSize.Store(0)
	}
	semverCache.Store(s, parsed)
	return parsed
}
