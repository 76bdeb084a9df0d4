package engine

// Strict readers for typed comparisons, reading every value exactly as the TypeScript engine
// does (core/schema/values.ts): decimal numbers, ISO 8601 dates with JavaScript's Date.parse
// rules for that format, and JavaScript's String(number) and toLowerCase.

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const maxSafeInteger = 9007199254740991

var (
	numericPattern = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)
	isoDate        = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})$`)
	isoDateTime    = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:[0-9]{2})$`)
	nan            = math.NaN()
)

// asNumber reads any Go number (a JSON number decodes as float64; callers may pass ints).
func asNumber(value any) (float64, bool) {
	switch n := value.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case float32:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint64:
		return float64(n), true
	case uint32:
		return float64(n), true
	case int16:
		return float64(n), true
	case int8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint8:
		return float64(n), true
	}
	return 0, false
}

func finite(n float64) bool { return !math.IsNaN(n) && !math.IsInf(n, 0) }

// toNumber: a finite number, or a numeric string; NaN for anything else.
func toNumber(value any) float64 {
	if s, ok := value.(string); ok {
		if !numericPattern.MatchString(s) {
			return nan
		}
		n, err := strconv.ParseFloat(s, 64)
		if err != nil && !math.IsInf(n, 0) {
			return nan
		}
		return n
	}
	if n, ok := asNumber(value); ok && finite(n) {
		return n
	}
	return nan
}

// keyString: strings as they are, safe integers in decimal; ok false for anything else.
func keyString(value any) (string, bool) {
	if s, ok := value.(string); ok {
		return s, true
	}
	if n, ok := asNumber(value); ok && finite(n) && n == math.Floor(n) && math.Abs(n) <= maxSafeInteger {
		return strconv.FormatInt(int64(n), 10), true
	}
	return "", false
}

// jsString is String(value) in JavaScript for a string or a number.
func jsString(value any) string {
	if s, ok := value.(string); ok {
		return s
	}
	n, _ := asNumber(value)
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	case n == 0:
		return "0"
	case n < 0:
		return "-" + jsString(-n)
	}
	// shortest round-trip digits d.ddd and exponent, then JavaScript's layout
	text := strconv.FormatFloat(n, 'e', -1, 64)
	mantissa, exp, _ := strings.Cut(text, "e")
	digits := strings.Replace(mantissa, ".", "", 1)
	e, _ := strconv.Atoi(exp)
	k, point := len(digits), e+1
	switch {
	case k <= point && point <= 21:
		return digits + strings.Repeat("0", point-k)
	case 0 < point && point <= 21:
		return digits[:point] + "." + digits[point:]
	case -6 < point && point <= 0:
		return "0." + strings.Repeat("0", -point) + digits
	}
	sign := "+"
	if e < 0 {
		sign, e = "-", -e
	}
	if k == 1 {
		return digits + "e" + sign + strconv.Itoa(e)
	}
	return digits[:1] + "." + digits[1:] + "e" + sign + strconv.Itoa(e)
}

func daysFromCivil(year, month, day int) int {
	if month <= 2 {
		year--
	}
	era := year / 400
	if year < 0 {
		era = (year - 399) / 400
	}
	yoe := year - era*400
	m := month + 9
	if month > 2 {
		m = month - 3
	}
	doy := (153*m+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// isoMillis applies Date.parse's checks: month 1–12, day 1–31 (rolling over), hour 0–24 (24 only
// at 24:00:00 exactly), minute and second 0–59, offset hours 0–23; milliseconds truncated.
func isoMillis(p []string) float64 {
	mo, d, h, mi, s, frac, offset := atoi(p[1]), atoi(p[2]), atoi(p[3]), atoi(p[4]), atoi(p[5]), p[6], p[7]
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 59 {
		return nan
	}
	if h == 24 && (mi != 0 || s != 0 || strings.Trim(frac, "0") != "") {
		return nan
	}
	shift := 0
	if offset != "Z" {
		oh, om := atoi(offset[1:3]), atoi(offset[4:6])
		if oh > 23 || om > 59 {
			return nan
		}
		shift = (oh*60 + om) * 60000
		if offset[0] == '-' {
			shift = -shift
		}
	}
	ms := atoi((frac + "000")[:3])
	days := daysFromCivil(atoi(p[0]), mo, 1) + d - 1
	return float64(days*86400000 + h*3600000 + mi*60000 + s*1000 + ms - shift)
}

// toEpochMillis: epoch milliseconds of a time.Time, an epoch-millis number or an ISO date string.
func toEpochMillis(value any) float64 {
	switch v := value.(type) {
	case string:
		if m := isoDate.FindStringSubmatch(v); m != nil {
			return isoMillis([]string{m[1], m[2], m[3], "00", "00", "00", "", "Z"})
		}
		if m := isoDateTime.FindStringSubmatch(v); m != nil {
			return isoMillis(m[1:])
		}
		return nan
	case time.Time:
		return float64(v.UnixMilli())
	case *time.Time:
		if v == nil {
			return nan
		}
		return float64(v.UnixMilli())
	}
	if n, ok := asNumber(value); ok && finite(n) {
		return n
	}
	return nan
}

// jsLower is String.prototype.toLowerCase: Unicode lower-casing with its two context rules
// (İ becomes "i̇"; a final Σ becomes ς), which Go's per-rune strings.ToLower lacks.
func jsLower(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		switch r {
		case 'İ':
			b.WriteString("i\u0307")
		case 'Σ':
			if isFinalSigma(s, i) {
				b.WriteRune('ς')
			} else {
				b.WriteRune('σ')
			}
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func isCased(r rune) bool {
	return unicode.IsUpper(r) || unicode.IsLower(r) || unicode.IsTitle(r)
}

func isCaseIgnorable(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Lm, unicode.Sk) ||
		r == '\'' || r == '.' || r == ':' || r == '·' || r == '\u2019'
}

func isFinalSigma(s string, at int) bool {
	before := false
	for i := at; i > 0; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		if isCaseIgnorable(r) {
			continue
		}
		before = isCased(r)
		break
	}
	if !before {
		return false
	}
	for _, r := range s[at+len("Σ"):] {
		if isCaseIgnorable(r) {
			continue
		}
		return !isCased(r)
	}
	return true
}
