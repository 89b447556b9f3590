package vntext

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrNotPercent is returned when text does not hold a Vietnamese percentage.
var ErrNotPercent = errors.New("not a percentage")

// Direction says which way a target bounds its value.
type Direction string

// The directions a target can take. Vietnamese plans rarely distinguish
// strict from non-strict bounds ("trên 85%" is read as at least 85%), so
// neither does Direction.
const (
	// AtLeast is "ít nhất", "tối thiểu", "trên", "trở lên", "≥", and what
	// a plan strives for: "đạt", "phấn đấu", "có từ", "chiếm", "tăng lên".
	AtLeast Direction = "at_least"
	// AtMost is "dưới", "tối đa", "không quá", "trở xuống", "≤", and what a
	// plan brings down: "giảm … còn", "xuống".
	AtMost Direction = "at_most"
	// Exactly is a plain value, or one introduced by "là", "bằng".
	Exactly Direction = "exactly"
)

// Longer phrases first, so "không vượt quá" wins over "vượt" and "thấp hơn"
// over "hơn".
var directionBefore = []struct {
	phrase string
	dir    Direction
}{
	{"không vượt quá", AtMost}, {"không quá", AtMost}, {"không dưới", AtLeast},
	{"không ít hơn", AtLeast}, {"không thấp hơn", AtLeast}, {"không cao hơn", AtMost},
	{"không nhiều hơn", AtMost}, {"xuống dưới", AtMost}, {"xuống còn", AtMost},
	{"giảm còn", AtMost}, {"còn dưới", AtMost}, {"ít nhất là", AtLeast}, {"ít nhất", AtLeast},
	{"tối thiểu là", AtLeast}, {"tối thiểu", AtLeast}, {"tối đa là", AtMost}, {"tối đa", AtMost},
	{"nhiều nhất", AtMost}, {"thấp hơn", AtMost}, {"ít hơn", AtMost}, {"cao hơn", AtLeast},
	{"nhiều hơn", AtLeast}, {"hơn", AtLeast}, {"vượt", AtLeast}, {"trên", AtLeast},
	{"dưới", AtMost}, {"đạt từ", AtLeast}, {"đạt", AtLeast}, {"có từ", AtLeast}, {"chiếm từ", AtLeast},
	{"chiếm", AtLeast}, {"phấn đấu đạt", AtLeast}, {"phấn đấu", AtLeast}, {"tăng lên", AtLeast}, {"nâng lên", AtLeast},
	{"giảm xuống", AtMost}, {"xuống", AtMost}, {"còn", AtMost}, {"bằng", Exactly}, {"là", Exactly},
	{"≥", AtLeast}, {">=", AtLeast}, {">", AtLeast}, {"≤", AtMost}, {"<=", AtMost}, {"<", AtMost},
}

var directionAfter = []struct {
	phrase string
	dir    Direction
}{
	{"trở lên", AtLeast}, {"trở xuống", AtMost}, {"trở lại", AtMost},
}

// DirectionBefore reads comparison words at the end of text, the words just
// before a number ("trên " in "trên 85%"). It returns the direction and how
// many bytes at the end of text the words take, spaces included; (Exactly, 0)
// when there are none.
func DirectionBefore(text string) (Direction, int) {
	t := strings.TrimRightFunc(text, unicode.IsSpace)
	// Only the last words matter; looking no further keeps scans of long
	// text linear.
	from := 0
	if len(t) > 48 {
		from = len(t) - 48
		for from < len(t) && !utf8.RuneStart(t[from]) {
			from++
		}
	}
	low := LowerSameLen(t[from:])
	for _, p := range directionBefore {
		if !strings.HasSuffix(low, p.phrase) {
			continue
		}
		start := from + len(low) - len(p.phrase)
		if r, _ := utf8.DecodeLastRuneInString(t[:start]); start > 0 && isWordRune(r) && isWordRune(firstRune(p.phrase)) {
			continue
		}
		return p.dir, len(text) - start
	}
	return Exactly, 0
}

// DirectionAfter reads comparison words at the start of text, the words just
// after a number or its unit ("trở lên" in "80% trở lên"). It returns the
// direction and the bytes the words take, leading spaces included; (Exactly, 0)
// when there are none.
func DirectionAfter(text string) (Direction, int) {
	t := strings.TrimLeftFunc(text, unicode.IsSpace)
	low := LowerSameLen(prefix(t, 32))
	for _, p := range directionAfter {
		if !strings.HasPrefix(low, p.phrase) {
			continue
		}
		end := len(p.phrase)
		if r, _ := utf8.DecodeRuneInString(low[end:]); end < len(low) && isWordRune(r) {
			continue
		}
		return p.dir, len(text) - len(t) + end
	}
	return Exactly, 0
}

// prefix is at most n bytes of s, cut at a rune boundary.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Percent is a percentage read from text with the direction its words give it.
type Percent struct {
	// Value is in percent: 8.5 for "8,5%".
	Value float64
	// Direction is AtLeast for "trên 85%", AtMost for "dưới 8,5%", Exactly for "100%".
	Direction Direction
}

// PercentSign returns the length in bytes of a percent sign at the start of s,
// "%" or "phần trăm" with optional spaces before it, or 0 when there is none.
func PercentSign(s string) int {
	t := strings.TrimLeft(s, " \u00a0")
	skip := len(s) - len(t)
	switch {
	case strings.HasPrefix(t, "%"):
		return skip + 1
	case strings.HasPrefix(LowerSameLen(prefix(t, 16)), "phần trăm"):
		return skip + len("phần trăm")
	}
	return 0
}

// ParsePercent reads a percentage with optional comparison words and nothing
// else: "8,5%", "100%", "80% trở lên", "trên 85%", "dưới 8,5%", "ít nhất 5%",
// "từ 80% trở lên", "≥ 95%", "10 phần trăm".
func ParsePercent(s string) (Percent, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return Percent{}, fmt.Errorf("parse percent %q: no number: %w", s, ErrNotPercent)
	}
	v, n, _ := ScanNumber(t[i:])
	sign := PercentSign(t[i+n:])
	if sign == 0 {
		return Percent{}, fmt.Errorf("parse percent %q: no %% sign: %w", s, ErrNotPercent)
	}
	before, after := t[:i], t[i+n+sign:]
	if strings.HasSuffix(strings.TrimSpace(before), "-") || strings.HasSuffix(strings.TrimSpace(before), "−") {
		v = -v
		before = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(before), "-"), "−")
	}
	dir, nb := DirectionBefore(before)
	rest := strings.TrimSpace(before[:len(before)-nb])
	if low := strings.ToLower(rest); low == "từ" || strings.HasSuffix(low, " từ") {
		rest = strings.TrimSpace(rest[:len(rest)-len("từ")])
	}
	if rest != "" {
		return Percent{}, fmt.Errorf("parse percent %q: unexpected %q before the number: %w", s, rest, ErrNotPercent)
	}
	adir, na := DirectionAfter(after)
	if tail := strings.TrimSpace(after[na:]); tail != "" {
		return Percent{}, fmt.Errorf("parse percent %q: unexpected %q after the number: %w", s, tail, ErrNotPercent)
	}
	if adir != Exactly {
		dir = adir
	}
	return Percent{Value: v, Direction: dir}, nil
}
