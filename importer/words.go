package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"cascade/vntext"
)

// lower lower-cases s keeping byte offsets (see vntext.LowerSameLen).
func lower(s string) string { return vntext.LowerSameLen(s) }

var mdEscape = regexp.MustCompile(`\\([\\.\-+*_#()\[\]|!>` + "`" + `])`)

// clean turns raw document text into display text: Markdown emphasis marks
// and backslash escapes removed, white space folded.
func clean(s string) string {
	if strings.IndexByte(s, '\\') >= 0 {
		s = mdEscape.ReplaceAllString(s, "$1")
	}
	if strings.IndexByte(s, '*') >= 0 {
		s = strings.ReplaceAll(s, "*", "")
	}
	if strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "")
	}
	return vntext.FoldSpace(s)
}

// hasWord reports whether phrase occurs in low (already lower-cased) as
// whole words, and where.
func hasWord(low, phrase string) (int, bool) {
	from := 0
	for {
		i := strings.Index(low[from:], phrase)
		if i < 0 {
			return -1, false
		}
		i += from
		j := i + len(phrase)
		before, _ := utf8.DecodeLastRuneInString(low[:i])
		after, _ := utf8.DecodeRuneInString(low[j:])
		if (i == 0 || !isWordRune(before)) && (j == len(low) || !isWordRune(after)) {
			return i, true
		}
		from = i + 1
		for from < len(low) && !utf8.RuneStart(low[from]) {
			from++
		}
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// tail is at most the last n bytes of s, cut at a rune boundary: enough to
// read the words before a position without rescanning all that precedes it.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return s[i:]
}

// firstWordOf returns the first phrase of phrases found in low as whole
// words, with its position; -1 when none is.
func firstWordOf(low string, phrases ...string) (int, string) {
	best, which := -1, ""
	for _, p := range phrases {
		if i, ok := hasWord(low, p); ok && (best < 0 || i < best) {
			best, which = i, p
		}
	}
	return best, which
}

// Recurrences, from the genre's report-frequency words.
const (
	recAnnual     = "annual"
	recSemiannual = "semiannual"
	recQuarterly  = "quarterly"
	recMonthly    = "monthly"
	recMidterm    = "midterm"
	recTermEnd    = "term_end"
	recPeriodic   = "periodic"
	recOngoing    = "ongoing"
)

var recurrenceWords = []struct {
	phrase string
	rec    string
}{
	{"hàng năm", recAnnual}, {"hằng năm", recAnnual}, {"mỗi năm", recAnnual}, {"năm một lần", recAnnual},
	{"báo cáo năm", recAnnual},
	{"6 tháng một lần", recSemiannual}, {"sáu tháng một lần", recSemiannual}, {"6 tháng", recSemiannual},
	{"sáu tháng", recSemiannual}, {"nửa năm", recSemiannual}, {"bán niên", recSemiannual},
	{"hàng quý", recQuarterly}, {"hằng quý", recQuarterly}, {"mỗi quý", recQuarterly},
	{"hàng quí", recQuarterly}, {"hằng quí", recQuarterly},
	{"hàng tháng", recMonthly}, {"hằng tháng", recMonthly}, {"mỗi tháng", recMonthly},
	{"giữa nhiệm kỳ", recMidterm}, {"giữa nhiệm kì", recMidterm},
	{"cuối nhiệm kỳ", recTermEnd}, {"hết nhiệm kỳ", recTermEnd}, {"cuối nhiệm kì", recTermEnd},
	{"định kỳ", recPeriodic}, {"định kì", recPeriodic}, {"thường xuyên", recOngoing},
}

// recurrences returns the recurrences named in low (lower-cased), in the
// order they appear, each once; "periodic" is dropped when a more precise
// one is named, and "6 tháng đầu năm 2022" (a half year, not a frequency)
// does not count.
func recurrences(low string) []string {
	type hit struct {
		at  int
		rec string
	}
	var hits []hit
	for _, w := range recurrenceWords {
		from := 0
		for {
			i, ok := hasWord(low[from:], w.phrase)
			if !ok {
				break
			}
			i += from
			end := i + len(w.phrase)
			from = end
			if w.rec == recSemiannual {
				rest := strings.TrimLeft(low[end:], " ")
				if strings.HasPrefix(rest, "đầu năm") || strings.HasPrefix(rest, "cuối năm") {
					continue
				}
				// "báo cáo 6 tháng và năm": the half-year and the year reports.
				if strings.HasPrefix(rest, "và năm") || strings.HasPrefix(rest, ", năm") {
					hits = append(hits, hit{end, recAnnual})
				}
			}
			if w.phrase == "báo cáo năm" && strings.HasPrefix(strings.TrimLeft(low[end:], " "), "20") {
				continue
			}
			hits = append(hits, hit{i, w.rec})
		}
	}
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].at < hits[j-1].at; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var out []string
	precise := false
	for _, h := range hits {
		if h.rec != recPeriodic && h.rec != recOngoing {
			precise = true
		}
	}
	seen := map[string]bool{}
	for _, h := range hits {
		if seen[h.rec] || (precise && (h.rec == recPeriodic || h.rec == recOngoing)) {
			continue
		}
		seen[h.rec] = true
		out = append(out, h.rec)
	}
	return out
}
