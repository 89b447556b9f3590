package vntext

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrNotNumber is returned when text does not hold a Vietnamese number.
var ErrNotNumber = errors.New("not a number")

// Quantity is a number read from Vietnamese text together with the words that
// follow it, e.g. "12,5 tỷ đồng" is {Value: 12.5, Unit: "tỷ đồng", Scale: 1e9}.
type Quantity struct {
	// Value is the number as written, without Scale applied.
	Value float64
	// Unit is the trimmed text after the number ("hộ", "tỷ đồng", "%"); "" if none.
	Unit string
	// Scale is the multiplier of a scale word opening Unit: tỷ 1e9, triệu 1e6,
	// nghìn/ngàn 1e3; 1 when there is none.
	Scale float64
}

// Amount returns Value multiplied by Scale: 12,5 tỷ đồng is 12 500 000 000.
func (q Quantity) Amount() float64 { return q.Value * q.Scale }

var scaleWords = map[string]float64{
	"tỷ": 1e9, "tỉ": 1e9, "triệu": 1e6, "nghìn": 1e3, "ngàn": 1e3,
}

// ScanNumber reads the number at the start of s and returns its value and its
// length in bytes; ok is false when s does not start with a digit.
//
// The rules, in order, for text written the Vietnamese way:
//   - a "." followed by exactly three digits (and then no further digit) is a
//     thousands separator, and further ".ddd" groups continue the number:
//     "2.700" is 2700, "1.234.567" is 1234567;
//   - a "," followed by a digit is the decimal comma: "8,5" is 8.5, and
//     "1,234" is 1.234, never one thousand two hundred and thirty-four;
//   - a single "." followed by one, two or four or more digits, with no
//     thousands group before it, is read as a decimal point ("1.5", "4.0"),
//     because nobody groups thousands that way; it is rare in plans;
//   - leading zeros are allowed: "04" is 4;
//   - a decimal comma is never followed by a thousands dot: "1,5.000" stops
//     after "1,5".
//
// ScanNumber reads no sign; ParseNumber does.
func ScanNumber(s string) (value float64, n int, ok bool) {
	i := digitRun(s, 0)
	if i == 0 {
		return 0, 0, false
	}
	var b strings.Builder
	b.WriteString(s[:i])
	grouped := false
	for i < len(s) && s[i] == '.' {
		j := digitRun(s, i+1)
		if j-(i+1) != 3 {
			break
		}
		b.WriteString(s[i+1 : j])
		i = j
		grouped = true
	}
	switch {
	case i+1 < len(s) && s[i] == ',' && isDigit(s[i+1]):
		j := digitRun(s, i+1)
		b.WriteByte('.')
		b.WriteString(s[i+1 : j])
		i = j
	case !grouped && i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]):
		j := digitRun(s, i+1)
		b.WriteByte('.')
		b.WriteString(s[i+1 : j])
		i = j
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, 0, false
	}
	return v, i, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digitRun(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// ParseNumber reads a whole string holding one Vietnamese number and an
// optional unit: "2.700" → 2700, "8,5" → 8.5, "04" → 4, "-3" → -3,
// "12,5 tỷ đồng" → {12.5, "tỷ đồng", 1e9}, "80%" → {80, "%", 1}. See ScanNumber
// for how "." and "," are read. The unit must be separated by a space or start
// with a letter or "%": "1,5.000" and "2/3" are errors.
func ParseNumber(s string) (Quantity, error) {
	t := strings.TrimSpace(s)
	neg := false
	if r, size := utf8.DecodeRuneInString(t); r == '-' || r == '−' || r == '+' {
		neg = r != '+'
		t = t[size:]
	}
	v, n, ok := ScanNumber(t)
	if !ok {
		return Quantity{}, fmt.Errorf("parse number %q: %w", s, ErrNotNumber)
	}
	rest := t[n:]
	unit := strings.TrimSpace(rest)
	if unit != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if !unicode.IsSpace(r) && !unicode.IsLetter(r) && r != '%' {
			return Quantity{}, fmt.Errorf("parse number %q: unexpected %q after the number: %w", s, r, ErrNotNumber)
		}
	}
	if neg {
		v = -v
	}
	q := Quantity{Value: v, Unit: FoldSpace(unit), Scale: 1}
	first, _, _ := strings.Cut(q.Unit, " ")
	if m, ok := scaleWords[strings.ToLower(first)]; ok {
		q.Scale = m
	}
	return q, nil
}

// FormatNumber writes v the Vietnamese way: a "." between thousands and a
// decimal comma, at most six decimals, no trailing zeros: 2700 → "2.700",
// 8.5 → "8,5", 1234567.25 → "1.234.567,25".
func FormatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(v, 'f', 6, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	var b strings.Builder
	if neg && (strings.Trim(whole, "0") != "" || frac != "") {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// FormatPercent writes v as a Vietnamese percentage: 8.5 → "8,5%".
func FormatPercent(v float64) string { return FormatNumber(v) + "%" }
