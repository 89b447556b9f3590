package importer

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"cascade/vntext"
)

// measureNouns are the nouns plans count in. A count followed by none of
// them is kept with its first word as unit and flagged for review.
var measureNouns = func() []string {
	ns := []string{
		"hộ kinh doanh", "hộ gia đình", "hộ nghèo", "hộ cận nghèo", "hộ",
		"hợp tác xã", "htx", "tổ hợp tác", "tht", "tổ liên kết", "tổ tiết kiệm", "doanh nghiệp",
		"lao động", "người", "lượt người", "lượt", "hội viên", "cán bộ", "phụ nữ", "thành viên",
		"chi hội", "tổ hội", "cơ sở hội", "cơ sở", "mô hình", "câu lạc bộ", "clb", "công trình", "phần việc",
		"dự án", "đề án", "sản phẩm", "gia đình", "trẻ em", "học sinh", "em", "trẻ", "căn nhà", "căn",
		"nhà", "mái ấm", "suất", "phần quà", "xe", "con", "cây", "ha", "héc ta", "tấn", "km",
		"tỷ đồng", "tỉ đồng", "triệu đồng", "nghìn đồng", "ngàn đồng", "đồng", "buổi", "lớp", "cuộc",
		"hội nghị", "hội thi", "đợt", "tin bài", "tin", "bài", "xã", "phường", "đơn vị", "điểm",
		"chuyên đề", "sáng kiến", "đảng viên", "quần chúng", "khu dân cư", "thôn", "tổ", "nhóm",
		"nữ", "chị", "phòng", "trường", "cửa hàng", "gian hàng",
	}
	sort.SliceStable(ns, func(i, j int) bool { return len(ns[i]) > len(ns[j]) })
	return ns
}()

// qualifierNouns follow numbers that describe, not count: "trẻ em dưới 5 tuổi".
var qualifierNouns = map[string]bool{"tuổi": true, "năm": true, "tháng": true, "ngày": true, "tuần": true,
	"giờ": true, "phút": true, "không": true, "sạch": true, "lần": false}

// ordinalWords come before numbers that name rather than count: "lần thứ 18", "khoản 2".
var ordinalWords = map[string]bool{"thứ": true, "số": true, "khóa": true, "khoá": true, "điều": true,
	"khoản": true, "mục": true, "chương": true, "phần": true, "bước": true}

// quantity is a number found in a clause of running text.
type quantity struct {
	start, end int // the number, with "%" or unit
	dirStart   int // where comparison words before it start
	value      float64
	percent    bool
	unit       string
	known      bool
	dir        vntext.Direction
	baseline   *float64
	upTo       *float64
	// bounded is true when words before the number bound it: "ít nhất",
	// "tối thiểu", "không quá".
	bounded bool
	// perUnit is true for "mỗi … có ít nhất 04 tin, bài".
	perUnit bool
	// qualifier is true for "từ 500 triệu đồng trở lên", which describes.
	qualifier bool
	text      string
}

// targetCues are words that make a count in a content section a target.
var targetCues = []string{"đến năm", "đến cuối", "hằng năm", "hàng năm", "mỗi năm", "hàng quý", "hằng quý", "mỗi quý",
	"trong năm", "giai đoạn", "cuối nhiệm kỳ", "chỉ tiêu"}

func hasAny(low string, phrases ...string) bool {
	for _, p := range phrases {
		if _, ok := hasWord(low, p); ok {
			return true
		}
	}
	return false
}

// notTargetClause reports whether a clause's figures are conditions,
// award quotas or scoring: "nơi có tỷ lệ … dưới 30% có thể điều chỉnh",
// "không quá 10% tập thể được khen thưởng", "Từ 88 - 90% cộng 02 điểm".
func notTargetClause(low string) bool {
	if hasAny(low, "nơi có", "có thể điều chỉnh", "trường hợp", "nếu") {
		return true
	}
	if hasAny(low, "khen thưởng", "bằng khen", "giấy khen", "tặng thưởng") && hasAny(low, "không quá", "tối đa") {
		return true
	}
	if reScore.MatchString(low) {
		return true
	}
	return false
}

var (
	reScore     = regexp.MustCompile(`(?:cộng|trừ|được|:)\s*\d{1,3}(?:[.,]\d+)?\s*điểm\b`)
	reWordCount = regexp.MustCompile(`(?i)(?:^|\s)(ít nhất|tối thiểu|thêm)\s+(một|hai|ba|bốn|tư|năm|sáu|bảy|tám|chín|mười)(?:\s+(mươi)(?:\s+(mốt|một|hai|ba|bốn|tư|lăm|năm|sáu|bảy|tám|chín))?)?\s`)
	numberWords = map[string]float64{"một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
)

// glued are the units written on their number: "500ha".
var glued = map[string]bool{"ha": true, "km": true, "m": true, "m2": true, "kg": true, "tấn": true, "tr": true}

// labelWords name what a number after them numbers: "Chỉ tiêu 1:", "Nhiệm
// vụ 3", "mức độ 4".
var labelWords = []string{"chỉ tiêu", "mục tiêu", "nhiệm vụ", "nội dung", "tiêu chí", "giải pháp", "phụ lục", "biểu", "mẫu",
	"trang", "mức độ", "cấp độ", "nhóm", "khu vực", "vùng", "loại", "hạng", "quý", "tuổi"}

func (r *reader) targets() {
	for _, s := range r.o.sections {
		// Targets sit under "Mục tiêu"/"Chỉ tiêu", and also in "Nội dung",
		// "Nhiệm vụ", "Nội dung thi đua": there only what reads as a
		// target is taken (strict).
		strict := false
		switch s.Kind {
		case KindObjective:
		case KindContent:
			strict = true
		default:
			continue
		}
		if notTargetsTitle(s.Title) {
			continue
		}
		for _, bi := range s.blocks {
			b := r.o.blocks[bi]
			switch b.kind {
			case blockPara, blockItem:
				r.targetsIn(b.body, b.end, strict)
			case blockTable:
				r.tableTargets(b)
			}
		}
		// An item's first line is a numbered line: "6.3. Trên 80% các chi
		// hội …", "2. Thành lập mới khoảng trên 500ha …".
		if s.head >= 0 && s.Parent != nil && kindOfTitle(s.Title) == "" && r.o.blocks[s.head].kind == blockHeading {
			h := r.o.blocks[s.head]
			r.targetsIn(h.body, h.end, strict)
		}
	}
	// Targets come in document order whatever part they were read from.
	sortTargets(r.d.Targets)
}

// notTargetsTitle reports whether a section holds figures that are no
// plan's targets: awards, funds, annexes, scoring tables.
func notTargetsTitle(title string) bool {
	k := vntext.SearchKey(title)
	for _, w := range []string{"khen thuong", "kinh phi", "phu luc", "cham diem", "thang diem", "tieu chi danh gia", "nguon von", "du toan"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// sortTargets orders targets by where they were read, keeping parents
// pointing at their parents.
func sortTargets(ts []Target) {
	if sort.SliceIsSorted(ts, func(i, j int) bool { return ts[i].Source.Start < ts[j].Source.Start }) {
		return
	}
	idx := make([]int, len(ts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ts[idx[a]].Source.Start < ts[idx[b]].Source.Start })
	pos := make([]int, len(ts))
	for newI, oldI := range idx {
		pos[oldI] = newI
	}
	out := make([]Target, len(ts))
	for newI, oldI := range idx {
		t := ts[oldI]
		if t.Parent != nil {
			p := pos[*t.Parent]
			t.Parent = &p
		}
		out[newI] = t
	}
	copy(ts, out)
}

// targetsIn reads the targets of one paragraph or item, text[start:end].
func (r *reader) targetsIn(start, end int, strict bool) {
	raw := r.text[start:end]
	for _, sent := range sentences(raw) {
		st := raw[sent[0]:sent[1]]
		stLow := lower(st)
		rec := ""
		for _, x := range recurrences(stLow) {
			if x == recAnnual || x == recTermEnd {
				rec = x
				break
			}
		}
		// "Phấn đấu …" makes a floor of every plain value of the sentence.
		striveAt, strive := firstWordOf(stLow, "phấn đấu", "phân đấu")
		strives := strive != ""
		cue := strives || rec != "" || hasAny(stLow, targetCues...)
		parent, lastTop, inSub := -1, -1, false
		for _, c := range clauses(st) {
			if c.sub {
				inSub, parent = true, lastTop
			}
			cl := st[c.start:c.end]
			if notTargetClause(lower(cl)) {
				continue
			}
			qs := quantities(cl)
			if strict {
				// In a content section a figure is a target when it says so:
				// a percentage, a bound ("ít nhất", "trên"), or a count of a
				// known thing with a time ("đến năm 2025", "hằng năm") or at
				// the head of its item ("Cứng hóa 15 km …").
				kept := qs[:0:0]
				for _, q := range qs {
					lead := len(strings.Fields(raw[:sent[0]+c.start+q.start])) <= 6
					if q.percent || q.dir != vntext.Exactly || (q.known && (cue || lead)) {
						kept = append(kept, q)
					}
				}
				qs = kept
			}
			var chosen, others []quantity
			for k, q := range qs {
				// A count beside a percentage is a target of its own when it
				// is bounded or per unit: "100% cơ sở … ít nhất 01 công
				// trình", "mỗi quý có ít nhất 04 tin, bài".
				if q.percent || q.bounded || (k > 0 && q.perUnit) {
					chosen = append(chosen, q)
				}
			}
			hasPercent := false
			for _, q := range qs {
				hasPercent = hasPercent || q.percent
			}
			if hasPercent {
				for _, q := range qs {
					if !q.percent && !q.bounded && !q.perUnit {
						others = append(others, q)
					}
				}
			} else {
				chosen = chosen[:0]
				for k, q := range qs {
					// "ít nhất hai mô hình … có thu nhập từ 500 triệu đồng/năm
					// trở lên": a later "từ … trở lên" qualifies, it is no target.
					if k > 0 && q.qualifier {
						others = append(others, q)
						continue
					}
					chosen = append(chosen, q)
				}
			}
			if strives {
				for k := range chosen {
					if chosen[k].dir == vntext.Exactly && c.start+chosen[k].start > striveAt {
						chosen[k].dir = vntext.AtLeast
					}
				}
			}
			bounds := segments(cl, chosen)
			for k, q := range chosen {
				segS, segE := trimSegment(cl, bounds[k][0], bounds[k][1])
				abs := start + sent[0] + c.start
				t := Target{
					Text:       strings.TrimRight(clean(cl[segS:segE]), ";,. "),
					Value:      q.value,
					Unit:       q.unit,
					Direction:  q.dir,
					Measure:    MeasureCount,
					Baseline:   q.baseline,
					UpTo:       q.upTo,
					Recurrence: rec,
					Source:     r.span(abs+segS, abs+segE),
				}
				if q.percent {
					t.Measure, t.Unit = MeasurePercent, "%"
				}
				if _, ok := hasWord(lower(tail(cl[segS:q.start], 160)), "mỗi"); ok {
					t.PerUnit = true
				}
				if t.Recurrence == "" && q.perUnit {
					if recs := recurrences(lower(cl)); len(recs) > 0 {
						t.Recurrence = recs[0]
					}
				}
				var notes []string
				if !q.percent && !q.known {
					notes = append(notes, fmt.Sprintf("unit not recognised, read as %q", q.unit))
				}
				if q.upTo != nil {
					notes = append(notes, fmt.Sprintf("a range up to %s; the lower end was taken", vntext.FormatNumber(*q.upTo)))
				}
				if q.percent && q.value > 100 {
					notes = append(notes, "a percentage above 100")
				}
				if k == 0 {
					for _, o := range others {
						notes = append(notes, fmt.Sprintf("the clause also gives %q; check whether it is a target of its own", clean(o.text)))
					}
				}
				if len(notes) > 0 {
					t.NeedsReview, t.ReviewNote = true, strings.Join(notes, "; ")
				}
				idx := len(r.d.Targets)
				if inSub && parent >= 0 {
					p := parent
					t.Parent = &p
				} else {
					lastTop = idx
				}
				r.d.Targets = append(r.d.Targets, t)
			}
		}
	}
}

// sentences cuts text at ". " (or "!", "?") before a capital letter, not
// after a short abbreviation such as "TP.".
func sentences(s string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '*' || s[j] == '_' || s[j] == '"') {
			j++
		}
		if j >= len(s) || (s[j] != ' ' && s[j] != '\n') {
			continue
		}
		k := j
		for k < len(s) && (s[k] == ' ' || s[k] == '\n' || s[k] == '*' || s[k] == '_' || s[k] == '"') {
			k++
		}
		r, _ := utf8.DecodeRuneInString(s[k:])
		if k < len(s) && !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			continue
		}
		if c == '.' && abbreviation(s[start:i]) {
			continue
		}
		out = append(out, [2]int{start, j})
		start = k
	}
	if start < len(s) {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

func abbreviation(before string) bool {
	f := strings.Fields(tail(before, 16))
	if len(f) == 0 {
		return false
	}
	w := f[len(f)-1]
	return utf8.RuneCountInString(w) <= 3 && isUpperLine(w) || strings.HasSuffix(w, "v.v")
}

type clause struct {
	start, end int
	sub        bool
}

// clauses cuts a sentence at ";" outside brackets and quotes, and before
// "trong đó", which opens the detail of what came before it.
func clauses(s string) []clause {
	var cuts []int
	depth, quote := 0, false
	for i, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case '“', '«':
			quote = true
		case '”', '»':
			quote = false
		case '"':
			quote = !quote
		case ';':
			if depth == 0 && !quote {
				cuts = append(cuts, i)
			}
		}
	}
	var out []clause
	prev := 0
	for _, c := range append(cuts, len(s)) {
		part := s[prev:c]
		low := lower(part)
		lead := len(part) - len(strings.TrimLeft(part, " ,*_\n"))
		if i, ok := hasWord(low, "trong đó"); ok && i > lead {
			out = append(out, clause{start: prev, end: prev + i})
			out = append(out, clause{start: prev + i, end: c, sub: true})
		} else {
			out = append(out, clause{start: prev, end: c, sub: ok && i == lead})
		}
		prev = c + 1
		if prev > len(s) {
			prev = len(s)
		}
	}
	return out
}

// quantities finds the numbers of a clause that can be targets: not in
// brackets or quotes, not dates, years, codes or ordinals, not ages and
// durations.
func quantities(s string) []quantity {
	var out []quantity
	dates := vntext.FindDates(s)
	depth, quote := 0, false
	var prev rune
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			if depth > 0 {
				depth--
			}
		case '“', '«':
			quote = true
		case '”', '»':
			quote = false
		case '"':
			quote = !quote
		}
		if r < '0' || r > '9' || isWordRune(prev) || strings.ContainsRune("-/.,–", prev) {
			prev = r
			i += size
			continue
		}
		v, n, ok := vntext.ScanNumber(s[i:])
		if !ok {
			n = size // a number too large for a float64 is not a target
		}
		e := i + n
		prev = '0'
		for len(dates) > 0 && dates[0].End <= i {
			dates = dates[1:]
		}
		skip := depth > 0 || quote || (len(dates) > 0 && i >= dates[0].Start)
		next, nsize := utf8.DecodeRuneInString(s[e:])
		var upTo *float64
		rate := ""
		if d := s[i:e]; len(d) == 4 && !strings.ContainsAny(d, ".,") && v >= 1900 && v <= 2199 {
			skip = true // a year, or a period "2021 – 2025"
		}
		if !skip && ok {
			// A range: "1,0-1,5%", "5–7%", "từ 1,5% đến 2%".
			if hi, n := rangeEnd(s[e:]); n > 0 {
				upTo, e = &hi, e+n
				next, nsize = utf8.DecodeRuneInString(s[e:])
			} else if ps := vntext.PercentSign(s[e:]); ps > 0 {
				if hi, n := rangeEnd(s[e+ps:]); n > 0 {
					upTo, e = &hi, e+ps+n
					next, nsize = utf8.DecodeRuneInString(s[e:])
				}
			}
			// A rate: "4/100.000 trẻ sinh ra".
			if next == '/' {
				if _, dn, dok := vntext.ScanNumber(s[e+1:]); dok && dn > 0 {
					rate = s[e : e+1+dn]
					e += 1 + dn
					next, nsize = utf8.DecodeRuneInString(s[e:])
				}
			}
		}
		if upTo == nil && rate == "" && e < len(s) && (next == '-' || next == '/' || next == '–') {
			after, _ := utf8.DecodeRuneInString(s[e+nsize:])
			skip = skip || isWordRune(after)
		}
		if next == ':' {
			skip = true // "Chỉ tiêu 1:", "Mục tiêu 2:"
		}
		for _, lw := range labelWords {
			if strings.HasSuffix(lower(strings.TrimRight(tail(s[:i], 24), " ")), lw) {
				skip = true
			}
		}
		if e < len(s) && unicode.IsLetter(next) {
			// "500ha", "15km": a unit written on the number.
			unit, un, known := measureNoun(s[e:])
			after, _ := utf8.DecodeRuneInString(s[e+un:])
			if !known || !glued[lower(unit)] || isWordRune(after) {
				skip = true
			}
		}
		digits := s[i:e]
		if len(digits) == 4 && !strings.ContainsAny(digits, ".,") && v >= 1900 && v <= 2199 {
			skip = true
		}
		if f := strings.Fields(tail(s[:i], 24)); len(f) > 0 && ordinalWords[lower(strings.Trim(f[len(f)-1], "*_("))] {
			skip = true
		}
		if skip || !ok {
			i = e
			continue
		}
		q := quantity{start: i, value: v, upTo: upTo}
		if upTo != nil && strings.HasSuffix(strings.TrimSpace(s[i:e]), "%") {
			q.percent, q.end = true, e
		} else if ps := vntext.PercentSign(s[e:]); ps > 0 {
			q.percent, q.end = true, e+ps
		} else if rate != "" {
			unit, un, _ := measureNoun(s[e:])
			q.unit, q.known, q.end = rate, true, e
			if unit != "" && !qualifierNouns[lower(unit)] {
				q.end = e + un
			}
		} else {
			unit, un, known := measureNoun(s[e:])
			if qualifierNouns[lower(unit)] {
				i = e
				continue
			}
			q.unit, q.known, q.end = unit, known, e+un
		}
		lastEnd := 0
		if len(out) > 0 {
			lastEnd = out[len(out)-1].end
		}
		dir, nb := vntext.DirectionBefore(s[lastEnd:i])
		q.dir, q.dirStart = dir, i-nb
		before := lower(strings.TrimSpace(s[q.dirStart:i]))
		q.bounded = nb > 0 && (strings.HasPrefix(before, "ít nhất") || strings.HasPrefix(before, "tối thiểu") ||
			strings.HasPrefix(before, "không quá") || strings.HasPrefix(before, "tối đa"))
		if adir, _ := vntext.DirectionAfter(s[q.end:]); adir != vntext.Exactly {
			q.dir = adir
		}
		if nb == 0 && lastWord(lower(tail(s[:i], 16))) == "từ" {
			q.qualifier = true // "có thu nhập từ 500 triệu đồng/năm trở lên"
		}
		if q.upTo != nil && q.dir == vntext.Exactly {
			q.dir = vntext.AtLeast
		}
		if _, ok := hasWord(lower(s[lastEnd:i]), "mỗi"); ok && q.bounded {
			q.perUnit = true
		}
		q.text = s[q.dirStart:q.end]
		out = append(out, q)
		i = q.end
		prev, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	out = append(out, wordCounts(s, out)...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].start < out[b].start })
	return baselines(s, out)
}

// rangeEnd reads the top of a range at the start of s: "-1,5", " – 7",
// " đến 2"; it returns the value and the bytes read, 0 when there is none.
func rangeEnd(s string) (float64, int) {
	t := strings.TrimLeft(s, " ")
	skip := len(s) - len(t)
	switch {
	case strings.HasPrefix(t, "-"), strings.HasPrefix(t, "–"), strings.HasPrefix(t, "—"):
		_, n := utf8.DecodeRuneInString(t)
		skip += n
	case strings.HasPrefix(lower(t), "đến "), strings.HasPrefix(lower(t), "tới "):
		skip += len(strings.Fields(t)[0])
	default:
		return 0, 0
	}
	u := strings.TrimLeft(s[skip:], " ")
	skip = len(s) - len(u)
	if u == "" || u[0] < '0' || u[0] > '9' {
		return 0, 0
	}
	v, n, ok := vntext.ScanNumber(u)
	if !ok {
		return 0, 0
	}
	if len(u) > n {
		if r, _ := utf8.DecodeRuneInString(u[n:]); unicode.IsLetter(r) || r == '/' || r == '-' {
			return 0, 0 // a code or a date, not a range
		}
	}
	end := skip + n
	if ps := vntext.PercentSign(s[end:]); ps > 0 {
		end += ps
	}
	return v, end
}

// wordCounts reads counts written in words after a bound: "ít nhất một cơ
// sở", "ít nhất hai mươi bài giảng".
func wordCounts(s string, have []quantity) []quantity {
	var out []quantity
	for _, m := range reWordCount.FindAllStringSubmatchIndex(s, -1) {
		v := numberWords[lower(s[m[4]:m[5]])]
		if m[6] >= 0 {
			v *= 10
			if m[8] >= 0 {
				v += numberWords[lower(s[m[8]:m[9]])]
			}
		}
		e := m[1] - 1
		if m[8] >= 0 {
			e = m[9]
		} else if m[6] >= 0 {
			e = m[7]
		} else {
			e = m[5]
		}
		unit, un, known := measureNoun(s[e:])
		if !known {
			continue
		}
		dup := false
		for _, h := range have {
			if h.start >= m[0] && h.start < e+un {
				dup = true
			}
		}
		if dup {
			continue
		}
		q := quantity{start: m[4], end: e + un, dirStart: m[2], value: v, unit: unit, known: true, dir: vntext.AtLeast, bounded: true}
		if _, ok := hasWord(lower(s[:m[0]]), "mỗi"); ok {
			q.perUnit = true
		}
		q.text = s[q.dirStart:q.end]
		out = append(out, q)
	}
	return out
}

// baselines folds "từ 60% lên 80%" into one quantity, 80 with baseline 60.
func baselines(s string, qs []quantity) []quantity {
	out := qs[:0]
	for k := 0; k < len(qs); k++ {
		q := qs[k]
		if k+1 < len(qs) && lastWord(lower(tail(s[:q.dirStart], 16))) == "từ" {
			between := lower(s[q.end:qs[k+1].dirStart])
			if _, up := hasWord(between, "lên"); up || strings.Contains(between, "xuống") {
				next := qs[k+1]
				v := q.value
				next.baseline = &v
				next.dirStart = q.dirStart
				if _, ok := hasWord(between, "xuống"); ok && next.dir == vntext.Exactly {
					next.dir = vntext.AtMost
				}
				if up && next.dir == vntext.Exactly {
					next.dir = vntext.AtLeast
				}
				out = append(out, next)
				k++
				continue
			}
		}
		out = append(out, q)
	}
	return out
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[len(f)-1], "*_,;:(")
}

// measureNoun reads the unit after a count: a known measure noun, else the
// first word.
func measureNoun(s string) (unit string, n int, known bool) {
	t := strings.TrimLeft(s, " *_\n")
	off := len(s) - len(t)
	t = prefixBytes(t, 48)
	low := lower(t)
	for _, m := range measureNouns {
		if !strings.HasPrefix(low, m) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(low[len(m):]); len(m) < len(low) && isWordRune(r) {
			continue
		}
		return t[:len(m)], off + len(m), true
	}
	end := strings.IndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) })
	if end < 0 {
		end = len(t)
	}
	return t[:end], off + end, false
}

// segments splits a clause holding several targets between them, at the
// last ", " or " và " before each target's comparison words.
func segments(s string, qs []quantity) [][2]int {
	out := make([][2]int, len(qs))
	start := 0
	for k := range qs {
		end := len(s)
		if k+1 < len(qs) {
			from, to := qs[k].end, qs[k+1].dirStart
			end = to
			if from < to {
				gap := s[from:to]
				cut := -1
				for _, sep := range []string{",", " và ", " hoặc "} {
					if i := strings.LastIndex(gap, sep); i > cut {
						cut = i
					}
				}
				if cut >= 0 {
					end = from + cut
				}
			}
		}
		out[k] = [2]int{start, end}
		start = end
	}
	return out
}

// trimSegment trims spaces, separators and a leading "và" from s[a:b].
func trimSegment(s string, a, b int) (int, int) {
	for {
		t := s[a:b]
		u := strings.TrimLeft(t, " ,;\n")
		if strings.HasPrefix(u, "và ") {
			u = u[len("và "):]
		}
		if strings.HasPrefix(u, "hoặc ") {
			u = u[len("hoặc "):]
		}
		a += len(t) - len(u)
		if len(u) == len(t) {
			break
		}
	}
	t := s[a:b]
	b = a + len(strings.TrimRight(t, " ,;.\n"))
	return a, b
}

// tableTargets reads a table of targets with columns such as STT, Chỉ tiêu,
// Đơn vị tính and the value (Kế hoạch, Mục tiêu, a year); a second number
// column (Thực hiện, Năm 2020) is the baseline.
func (r *reader) tableTargets(b block) {
	if len(b.rows) < 2 {
		return
	}
	cols := mapColumns(b.rows[0].cells)
	if cols.text < 0 {
		return
	}
	lastTop := -1
	for _, row := range b.rows[1:] {
		cell := func(i int) string {
			if i < 0 || i >= len(row.cells) {
				return ""
			}
			return clean(row.cells[i])
		}
		text := cell(cols.text)
		stt := cell(cols.stt)
		q, ok := cellNumber(cell(cols.value))
		if !ok || text == "" {
			if stt != "" && !isSubRow(stt, text) {
				lastTop = -1 // a group row ("I. Chỉ tiêu về kinh tế") closes the previous group
			}
			continue
		}
		t := Target{Text: text, Value: q.value, Direction: q.dir, Measure: MeasureCount, Source: r.span(row.start, row.end)}
		unit := cell(cols.unit)
		switch {
		case unit == "%" || q.percent || (unit == "" && strings.HasPrefix(vntext.SearchKey(text), "ty le")):
			t.Measure, t.Unit = MeasurePercent, "%"
		case unit != "":
			t.Unit = unit
		default:
			if u, _, known := measureNoun(text); known {
				t.Unit = u
			}
		}
		if base, ok := cellNumber(cell(cols.baseline)); ok {
			v := base.value
			t.Baseline = &v
		}
		for _, x := range recurrences(lower(text)) {
			if x == recAnnual || x == recTermEnd {
				t.Recurrence = x
				break
			}
		}
		var notes []string
		if t.Unit == "" {
			notes = append(notes, "no unit column or unit")
		}
		if cols.guessed {
			notes = append(notes, "value column guessed")
		}
		if len(notes) > 0 {
			t.NeedsReview, t.ReviewNote = true, strings.Join(notes, "; ")
		}
		idx := len(r.d.Targets)
		if isSubRow(stt, text) && lastTop >= 0 {
			p := lastTop
			t.Parent = &p
		} else {
			lastTop = idx
		}
		r.d.Targets = append(r.d.Targets, t)
	}
}

// isSubRow reports whether a table row details the row above: numbered
// "1.1", "a", "-", "+", or unnumbered, or "Trong đó…".
func isSubRow(stt, text string) bool {
	if strings.HasPrefix(vntext.SearchKey(text), "trong do") || strings.HasPrefix(text, "-") || strings.HasPrefix(text, "+") {
		return true
	}
	switch {
	case stt == "", stt == "-", stt == "+", stt == "*", stt == "•":
		return true
	case strings.Contains(strings.TrimRight(stt, "."), "."):
		return true
	}
	r, _ := utf8.DecodeRuneInString(stt)
	return unicode.IsLower(r)
}

type columns struct {
	stt, text, unit, value, baseline, due, lead int
	guessed                                     bool
}

// mapColumns finds the role of each column of a table from its header.
func mapColumns(header []string) columns {
	c := columns{stt: -1, text: -1, unit: -1, value: -1, baseline: -1, due: -1, lead: -1}
	type yearCol struct{ col, year int }
	var years []yearCol
	var rest []int
	for i, h := range header {
		k := vntext.SearchKey(clean(h))
		switch {
		case c.stt < 0 && (k == "stt" || k == "tt" || strings.HasPrefix(k, "so tt") || k == "so thu tu"):
			c.stt = i
		case c.text < 0 && (strings.Contains(k, "chi tieu") || strings.Contains(k, "noi dung") || strings.Contains(k, "tieu chi") ||
			strings.Contains(k, "nhiem vu") || strings.Contains(k, "hoat dong") || strings.Contains(k, "cong viec") || strings.HasPrefix(k, "ten ")):
			c.text = i
		case c.unit < 0 && (strings.Contains(k, "don vi tinh") || k == "dvt" || k == "don vi"):
			c.unit = i
		case c.due < 0 && (strings.Contains(k, "thoi gian") || strings.Contains(k, "thoi han") || strings.Contains(k, "tien do")):
			c.due = i
		case c.lead < 0 && (strings.Contains(k, "chu tri") || strings.Contains(k, "phu trach") || strings.Contains(k, "don vi thuc hien")):
			c.lead = i
		case strings.Contains(k, "ghi chu"):
		case c.value < 0 && (strings.Contains(k, "ke hoach") || strings.Contains(k, "muc tieu") || strings.Contains(k, "phan dau") ||
			strings.Contains(k, "gia tri") || strings.HasPrefix(k, "den ") || strings.Contains(k, "chi tieu")):
			c.value = i
		case c.baseline < 0 && (strings.Contains(k, "thuc hien") || strings.Contains(k, "hien trang") || strings.Contains(k, "xuat phat") ||
			strings.Contains(k, "dau ky") || strings.Contains(k, "dau nhiem ky") || strings.HasPrefix(k, "uoc") || strings.Contains(k, "co so")):
			c.baseline = i
		default:
			if y := yearIn(k); y > 0 {
				years = append(years, yearCol{i, y})
			} else {
				rest = append(rest, i)
			}
		}
	}
	if len(years) > 0 {
		sort.Slice(years, func(i, j int) bool { return years[i].year < years[j].year })
		if c.value < 0 {
			c.value = years[len(years)-1].col
			years = years[:len(years)-1]
		}
		if c.baseline < 0 && len(years) > 0 {
			c.baseline = years[0].col
		}
	}
	if c.value < 0 && len(rest) > 0 {
		c.value, c.guessed = rest[len(rest)-1], true
	}
	return c
}

func yearIn(key string) int {
	for _, f := range strings.FieldsFunc(key, func(r rune) bool { return r < '0' || r > '9' }) {
		if len(f) == 4 && f >= "1900" && f <= "2199" {
			var y int
			fmt.Sscan(f, &y)
			return y
		}
	}
	return 0
}

// cellNumber reads the value of a table cell: "2.700", "≥ 80%", "Trên 85", "dưới 8,5".
func cellNumber(s string) (quantity, bool) {
	i := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return quantity{}, false
	}
	v, n, _ := vntext.ScanNumber(s[i:])
	q := quantity{value: v}
	e := i + n
	if ps := vntext.PercentSign(s[e:]); ps > 0 {
		q.percent = true
		e += ps
	}
	q.dir, _ = vntext.DirectionBefore(s[:i])
	if d, _ := vntext.DirectionAfter(s[e:]); d != vntext.Exactly {
		q.dir = d
	}
	return q, true
}
