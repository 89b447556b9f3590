package vntext

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotRoman is returned by ParseRoman for text that is not a canonical Roman numeral.
var ErrNotRoman = errors.New("not a Roman numeral")

var romanDigits = []struct {
	value  int
	symbol string
}{
	{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"},
	{100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"},
	{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"},
}

// ParseRoman reads a Roman numeral such as "IV" or "xviii" (either case, not
// mixed) in canonical subtractive form, 1 to 3999. Section numbers in plans
// run I..XX, but anything canonical is accepted; "IIII" and "IC" are not.
func ParseRoman(s string) (int, error) {
	if s == "" || len(s) > 15 {
		return 0, fmt.Errorf("parse roman %q: %w", s, ErrNotRoman)
	}
	up := strings.ToUpper(s)
	if up != s && strings.ToLower(s) != s {
		return 0, fmt.Errorf("parse roman %q: mixed case: %w", s, ErrNotRoman)
	}
	n, rest := 0, up
	for _, d := range romanDigits {
		for strings.HasPrefix(rest, d.symbol) {
			n += d.value
			rest = rest[len(d.symbol):]
		}
	}
	if rest != "" || n == 0 || FormatRoman(n) != up {
		return 0, fmt.Errorf("parse roman %q: %w", s, ErrNotRoman)
	}
	return n, nil
}

// FormatRoman writes n (1 to 3999) as an upper-case Roman numeral; it returns
// "" outside that range.
func FormatRoman(n int) string {
	if n <= 0 || n >= 4000 {
		return ""
	}
	var b strings.Builder
	for _, d := range romanDigits {
		for n >= d.value {
			b.WriteString(d.symbol)
			n -= d.value
		}
	}
	return b.String()
}
