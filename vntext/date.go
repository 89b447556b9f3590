package vntext

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cascade/calendar"
)

// ErrNotDate is returned when text does not hold a Vietnamese date expression.
var ErrNotDate = errors.New("not a date")

// Date is a civil date: a day in the calendar with no time and no zone. It
// is the calendar package's, so dates read from documents go straight into
// the working-day calendar. It marshals as ISO 8601, "2021-06-08"; the zero
// Date as "".
type Date = calendar.Date

// NewDate returns the Date for year, month and day, normalising overflow the
// way time.Date does (31 April is 1 May).
func NewDate(year int, month time.Month, day int) Date {
	return calendar.NewDate(year, month, day)
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date { return calendar.DateOf(t) }

// FormatDate writes the day of t the Vietnamese numeric way, "08/06/2021".
func FormatDate(t time.Time) string { return t.Format("02/01/2006") }

// FormatDateLong writes the day of t the way administrative documents date
// themselves, "ngày 08 tháng 6 năm 2021": days below 10 and the months
// January and February take a leading zero (Nghị định 30/2020/NĐ-CP).
func FormatDateLong(t time.Time) string {
	m := strconv.Itoa(int(t.Month()))
	if t.Month() <= 2 {
		m = "0" + m
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), m, t.Year())
}

// Granularity is how much of the calendar a date expression names.
type Granularity string

// The granularities FindDates recognises.
const (
	Day      Granularity = "day"
	Month    Granularity = "month"
	Quarter  Granularity = "quarter"
	HalfYear Granularity = "half_year"
	Year     Granularity = "year"
)

// Relation is the deadline word in front of a date expression.
type Relation string

// The relations FindDates recognises; the empty Relation means a plain date.
const (
	// Before is "trước" (before): "trước ngày 30/4/2022".
	Before Relation = "before"
	// By is "chậm nhất", "hạn chót", "đến", "không quá" (no later than).
	By Relation = "by"
	// After is "sau" (after).
	After Relation = "after"
	// From is "từ", "kể từ" (starting on).
	From Relation = "from"
)

// Period is a date expression read from text: a day, month, quarter, half
// year or year, as its first and last day, with the deadline word before it.
type Period struct {
	// Start and End are the first and last day of the period, equal for a day.
	Start, End Date
	// Granularity says whether a day, month, quarter, half year or year was named.
	Granularity Granularity
	// Relation is the deadline word in front, "" when there is none.
	Relation Relation
}

// Due returns the day a deadline written as p falls on: the named day for
// "trước ngày 30/4/2022" (the day itself is kept; whether "before" excludes it
// is a policy for the caller), the first day of the period for "trước quý IV",
// and the last day of the period otherwise ("quý IV năm 2023" → 31/12/2023).
func (p Period) Due() Date {
	if p.Relation == Before || p.Relation == After || p.Relation == From {
		return p.Start
	}
	return p.End
}

// DateMatch is a date expression found in running text.
type DateMatch struct {
	Period
	// Start and End are byte offsets of the expression, relation words included.
	Start, End int
	// Text is the expression as written.
	Text string
}

// The patterns run on lower-cased text (see lowerSameLen), which is faster
// than case-insensitive matching and keeps byte offsets.
var (
	reDayWords = regexp.MustCompile(`ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:năm\s+|[/\-.,]\s*)(\d{4})`)
	reDayNum   = regexp.MustCompile(`(?:ngày\s+)?(\d{1,2})\s?([/\-.])\s?(\d{1,2})\s?([/\-.])\s?(\d{4})`)
	reMonth    = regexp.MustCompile(`tháng\s+(\d{1,2})(?:\s+năm\s+|\s*[/\-.]\s*)(\d{4})`)
	reQuarter  = regexp.MustCompile(`(?:quý|quí)\s+(iv|i{1,3}|[1-4])(?:\s+năm\s+|\s*[/\-.]\s*)(\d{4})`)
	reHalf     = regexp.MustCompile(`(?:6|sáu)\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})`)
	reYear     = regexp.MustCompile(`năm\s+(\d{4})`)
)

// LowerSameLen lower-cases s rune by rune, keeping any rune whose lower case
// has a different UTF-8 length, so offsets into the result are offsets into s.
// Invalid UTF-8 is copied as it is.
func LowerSameLen(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); r != utf8.RuneError && l != r && utf8.RuneLen(l) == size {
			b = utf8.AppendRune(b, l)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// hasYearDigits reports whether s has a run of at least four digits, which
// every date expression ends with.
func hasYearDigits(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			run++
			if run >= 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

var relationWords = []struct {
	phrase string
	rel    Relation
}{
	{"chậm nhất là", By}, {"chậm nhất vào", By}, {"chậm nhất", By}, {"hạn chót", By},
	{"hạn cuối", By}, {"không muộn hơn", By}, {"không quá", By}, {"đến hết", By},
	{"trước", Before}, {"kể từ", From}, {"bắt đầu từ", From}, {"từ", From},
	{"sau", After}, {"đến", By}, {"hạn", By},
}

const (
	minYear = 1900
	maxYear = 2199
)

// FindDates returns every date expression in s, in order and not
// overlapping: "ngày 08 tháng 6 năm 2021", "08/6/2021", "8-6-2021",
// "tháng 6 năm 2021", "tháng 6/2021", "quý IV năm 2023", "quý 4/2023",
// "6 tháng đầu năm 2022", "năm 2021", each with a relation word before it when
// there is one ("trước ngày 30/4/2022"). Years must be written with four
// digits between 1900 and 2199; impossible days (30/2) are skipped.
func FindDates(s string) []DateMatch {
	if !hasYearDigits(s) {
		return nil
	}
	orig := s
	s = LowerSameLen(s)
	var found []DateMatch
	add := func(start, end int, p Period) {
		if start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(s[:start]); isWordRune(r) || r == '/' || r == '.' || r == '-' {
				return
			}
		}
		if end < len(s) {
			if r, _ := utf8.DecodeRuneInString(s[end:]); isWordRune(r) {
				return
			}
		}
		found = append(found, DateMatch{Period: p, Start: start, End: end})
	}
	hasMonth := strings.Contains(s, "tháng")
	for _, m := range matches(reDayWords, s, hasMonth && strings.Contains(s, "ngày")) {
		if d, ok := civil(atoi(s, m, 3), atoi(s, m, 2), atoi(s, m, 1)); ok {
			add(m[0], m[1], Period{Start: d, End: d, Granularity: Day})
		}
	}
	for _, m := range matches(reDayNum, s, true) {
		if s[m[4]:m[5]] != s[m[8]:m[9]] {
			continue
		}
		if d, ok := civil(atoi(s, m, 5), atoi(s, m, 3), atoi(s, m, 1)); ok {
			add(m[0], m[1], Period{Start: d, End: d, Granularity: Day})
		}
	}
	for _, m := range matches(reMonth, s, hasMonth) {
		y, mo := atoi(s, m, 2), atoi(s, m, 1)
		if first, ok := civil(y, mo, 1); ok {
			add(m[0], m[1], Period{Start: first, End: NewDate(y, time.Month(mo)+1, 0), Granularity: Month})
		}
	}
	for _, m := range matches(reQuarter, s, strings.Contains(s, "qu")) {
		q, err := strconv.Atoi(s[m[2]:m[3]])
		if err != nil {
			q, _ = ParseRoman(s[m[2]:m[3]])
		}
		y := atoi(s, m, 2)
		if first, ok := civil(y, (q-1)*3+1, 1); ok && q >= 1 && q <= 4 {
			add(m[0], m[1], Period{Start: first, End: NewDate(y, time.Month(q*3)+1, 0), Granularity: Quarter})
		}
	}
	for _, m := range matches(reHalf, s, hasMonth) {
		y := atoi(s, m, 2)
		mo := 1
		if s[m[2]:m[3]] == "cuối" {
			mo = 7
		}
		if first, ok := civil(y, mo, 1); ok {
			add(m[0], m[1], Period{Start: first, End: NewDate(y, time.Month(mo+6), 0), Granularity: HalfYear})
		}
	}
	for _, m := range matches(reYear, s, strings.Contains(s, "năm")) {
		y := atoi(s, m, 1)
		if first, ok := civil(y, 1, 1); ok {
			add(m[0], m[1], Period{Start: first, End: Date{Year: y, Month: time.December, Day: 31}, Granularity: Year})
		}
	}
	if len(found) == 0 {
		return nil
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].Start != found[j].Start {
			return found[i].Start < found[j].Start
		}
		return found[i].End > found[j].End
	})
	out := found[:0]
	last := -1
	for _, f := range found {
		if f.Start < last {
			continue
		}
		last = f.End
		out = append(out, f)
	}
	for i := range out {
		out[i].Relation, out[i].Start = relationBefore(s, out[i].Start)
		out[i].Text = orig[out[i].Start:out[i].End]
	}
	return out
}

// matches runs re over s when the cheap test want says it can match.
func matches(re *regexp.Regexp, s string, want bool) [][]int {
	if !want {
		return nil
	}
	return re.FindAllStringSubmatchIndex(s, -1)
}

// relationBefore finds a relation phrase ending just before start and
// returns it with the start of the phrase.
func relationBefore(s string, start int) (Relation, int) {
	low := strings.TrimRight(s[:start], " \t\u00a0")
	for _, w := range relationWords {
		if !strings.HasSuffix(low, w.phrase) {
			continue
		}
		at := len(low) - len(w.phrase)
		if r, _ := utf8.DecodeLastRuneInString(low[:at]); at > 0 && isWordRune(r) {
			continue
		}
		return w.rel, at
	}
	return "", start
}

func atoi(s string, m []int, group int) int {
	n, err := strconv.Atoi(s[m[2*group]:m[2*group+1]])
	if err != nil {
		return -1
	}
	return n
}

func civil(year, month, day int) (Date, bool) {
	if year < minYear || year > maxYear || month < 1 || month > 12 || day < 1 || day > 31 {
		return Date{}, false
	}
	d := NewDate(year, time.Month(month), day)
	return d, d.Day == day
}

// ParsePeriod reads a string that is one date expression and nothing else
// (trailing punctuation aside), as FindDates finds them: "quý IV năm 2023"
// gives 1/10/2023–31/12/2023, "trước ngày 30/4/2022" gives the day with
// Relation Before, "năm 2021" the whole year.
func ParsePeriod(s string) (Period, error) {
	t := strings.TrimRight(strings.TrimSpace(s), ".,;:")
	ms := FindDates(t)
	if len(ms) != 1 || ms[0].Start != 0 || ms[0].End != len(t) {
		return Period{}, fmt.Errorf("parse period %q: %w", s, ErrNotDate)
	}
	return ms[0].Period, nil
}

// ParseDate reads a string that names one day: "ngày 08 tháng 6 năm 2021",
// "08/6/2021", "8/6/2021", "trước ngày 30/4/2022" (the relation word is
// dropped; use ParsePeriod to keep it).
func ParseDate(s string) (Date, error) {
	p, err := ParsePeriod(s)
	if err != nil {
		return Date{}, err
	}
	if p.Granularity != Day {
		return Date{}, fmt.Errorf("parse date %q: names a %s, not a day: %w", s, p.Granularity, ErrNotDate)
	}
	return p.Start, nil
}
