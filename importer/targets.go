package importer

import (
	"fmt"
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
	text       string
}

func (r *reader) targets() {
	for _, s := range r.o.sections {
		if s.Kind != KindObjective {
			continue
		}
		for _, bi := range s.blocks {
			b := r.o.blocks[bi]
			switch b.kind {
			case blockPara, blockItem:
				r.targetsIn(b.body, b.end)
			case blockTable:
				r.tableTargets(b)
			}
		}
		// A numbered line standing alone may itself be a target.
		if s.head >= 0 && len(s.blocks) == 0 && len(s.kids) == 0 && s.Parent != nil {
			h := r.o.blocks[s.head]
			r.targetsIn(h.body, h.end)
		}
	}
}

// targetsIn reads the targets of one paragraph or item, text[start:end].
func (r *reader) targetsIn(start, end int) {
	raw := r.text[start:end]
	for _, sent := range sentences(raw) {
		st := raw[sent[0]:sent[1]]
		rec := ""
		for _, x := range recurrences(lower(st)) {
			if x == recAnnual || x == recTermEnd {
				rec = x
				break
			}
		}
		parent, lastTop, inSub := -1, -1, false
		for _, c := range clauses(st) {
			if c.sub {
				inSub, parent = true, lastTop
			}
			cl := st[c.start:c.end]
			qs := quantities(cl)
			var chosen, others []quantity
			for _, q := range qs {
				if q.percent {
					chosen = append(chosen, q)
				}
			}
			if len(chosen) > 0 {
				for _, q := range qs {
					if !q.percent {
						others = append(others, q)
					}
				}
			} else {
				chosen = qs
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
					Recurrence: rec,
					Source:     r.span(abs+segS, abs+segE),
				}
				if q.percent {
					t.Measure, t.Unit = MeasurePercent, "%"
				}
				if _, ok := hasWord(lower(tail(cl[segS:q.start], 160)), "mỗi"); ok {
					t.PerUnit = true
				}
				var notes []string
				if !q.percent && !q.known {
					notes = append(notes, fmt.Sprintf("unit not recognised, read as %q", q.unit))
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
		if e < len(s) && (next == '-' || next == '/' || next == '–') {
			after, _ := utf8.DecodeRuneInString(s[e+nsize:])
			skip = skip || isWordRune(after)
		}
		if e < len(s) && unicode.IsLetter(next) {
			skip = true
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
		q := quantity{start: i, value: v}
		if ps := vntext.PercentSign(s[e:]); ps > 0 {
			q.percent, q.end = true, e+ps
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
		if adir, _ := vntext.DirectionAfter(s[q.end:]); adir != vntext.Exactly {
			q.dir = adir
		}
		q.text = s[q.dirStart:q.end]
		out = append(out, q)
		i = q.end
		prev, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	return baselines(s, out)
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
