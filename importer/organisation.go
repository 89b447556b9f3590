package importer

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"cascade/vntext"
)

// Unit kinds, from the organisation tree of a mass organisation.
const (
	unitProvince  = "province"
	unitBoard     = "board"
	unitDistrict  = "district"
	unitAffiliate = "affiliate"
	unitCommune   = "commune"
	unitBranch    = "branch"
)

// unitWords name a kind of unit; the first kind found wins for a phrase, so
// more specific words come first ("Ban Thường vụ Hội LHPN huyện" is a district).
var unitWords = []struct {
	kind  string
	words []string
}{
	{unitBoard, []string{"ban chuyen mon", "cac ban", "ban tuyen giao", "ban kinh te", "ban to chuc", "ban gia dinh",
		"ban chinh sach", "ban kiem tra", "ban xa hoi", "ban phong trao", "van phong hoi", "van phong"}},
	{unitAffiliate, []string{"don vi truc thuoc", "dvtt", "truc thuoc"}},
	{unitDistrict, []string{"huyen", "thi xa", "thanh pho", "quan", "cap huyen", "thi, thanh pho"}},
	{unitCommune, []string{"co so hoi", "cap co so", "cap xa", "cac xa", "xa, phuong", "phuong, xa", "xa, thi tran", "hoi lhpn xa", "hoi phu nu xa"}},
	{unitBranch, []string{"chi hoi", "to hoi"}},
	{unitProvince, []string{"tinh", "thuong truc", "ban thuong vu", "ban chap hanh"}},
}

// unitKind classifies a phrase naming a unit; "" when it names none.
func unitKind(phrase string) string {
	key := " " + strings.NewReplacer(",", " , ", ";", " ").Replace(vntext.SearchKey(phrase)) + " "
	key = " " + vntext.FoldSpace(key) + " "
	for _, u := range unitWords {
		for _, w := range u.words {
			w = " " + strings.ReplaceAll(w, ",", " ,") + " "
			if strings.Contains(key, w) {
				return u.kind
			}
		}
	}
	return ""
}

// unitParts splits a heading that names several units, "Hội LHPN các
// huyện, thị, thành phố, Hội PN các đơn vị trực thuộc", at the commas before
// a capitalised word, and classifies each part; parts of one kind merge.
func unitParts(s string) (units, kinds []string) {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != ',' && s[i] != ';' && !strings.HasPrefix(s[i:], " và ") {
			continue
		}
		j := i + 1
		if s[i] == ' ' {
			j = i + len(" và ")
		}
		rest := strings.TrimLeft(s[j:], " ")
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsUpper(r) {
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = len(s) - len(rest)
		}
	}
	parts = append(parts, strings.TrimSpace(s[start:]))
	for _, p := range parts {
		k := unitKind(p)
		if k == "" {
			continue
		}
		merged := false
		for i := range kinds {
			if kinds[i] == k {
				units[i] += ", " + p
				merged = true
			}
		}
		if !merged {
			units, kinds = append(units, p), append(kinds, k)
		}
	}
	return units, kinds
}

// Actions a unit is given.
const (
	actionBuildPlan   = "build_plan"
	actionReport      = "report"
	actionReview      = "review"
	actionMonitor     = "monitor"
	actionDisseminate = "disseminate"
	actionImplement   = "implement"
	actionOther       = "other"
)

var mainActions = []struct {
	action string
	words  []string
}{
	{actionBuildPlan, []string{"xây dựng kế hoạch", "ban hành kế hoạch", "lập kế hoạch", "xây dựng chương trình", "xây dựng và triển khai kế hoạch", "xây dựng, ban hành kế hoạch"}},
	{actionReport, []string{"báo cáo"}},
	{actionReview, []string{"sơ kết", "tổng kết"}},
}

var minorActions = []struct {
	action string
	words  []string
}{
	{actionMonitor, []string{"theo dõi", "kiểm tra", "giám sát", "đôn đốc"}},
	{actionDisseminate, []string{"quán triệt", "tuyên truyền", "phổ biến", "học tập"}},
	{actionImplement, []string{"triển khai", "thực hiện", "tổ chức"}},
}

var assignVerbs = []string{"giao", "phân công", "đề nghị", "chỉ đạo", "yêu cầu", "giao cho"}

// responsibilities reads the organisation sections: each subsection names
// the units (its heading), each item a duty; an item opening with "Giao…"
// or "X: …" names its own unit.
func (r *reader) responsibilities() {
	for si, s := range r.o.sections {
		if s.Kind != KindOrganisation {
			continue
		}
		var units, kinds []string
		if s.Parent != nil && r.o.sections[*s.Parent].Kind == KindOrganisation {
			units, kinds = unitParts(s.Title)
		}
		items := false
		for _, bi := range s.blocks {
			if r.o.blocks[bi].kind == blockItem {
				items = true
			}
		}
		for _, bi := range s.blocks {
			b := r.o.blocks[bi]
			if b.kind != blockItem && (items || b.kind != blockPara) {
				continue
			}
			r.duties(b.body, b.end, units, kinds)
		}
		// A numbered line with nothing under it is a duty of the parent's units.
		if len(s.blocks) == 0 && len(s.kids) == 0 && s.head >= 0 && s.Parent != nil && len(kinds) == 0 {
			h := r.o.blocks[s.head]
			p := r.o.sections[*s.Parent]
			var pu, pk []string
			if p.Parent != nil && r.o.sections[*p.Parent].Kind == KindOrganisation {
				pu, pk = unitParts(p.Title)
			}
			r.duties(h.body, h.end, pu, pk)
		}
		_ = si
	}
}

type actionHit struct {
	at     int
	action string
}

// duties reads the duties of one item text[start:end].
func (r *reader) duties(start, end int, units, kinds []string) {
	raw := r.text[start:end]
	low := lower(raw)
	text := clean(raw)
	// The item may name its own unit.
	trimmed := strings.TrimLeft(low, " *_")
	for _, v := range assignVerbs {
		if !strings.HasPrefix(trimmed, v+" ") {
			continue
		}
		off := len(low) - len(trimmed) + len(v) + 1
		stop := len(raw)
		if at := firstActionAt(low[off:]); at >= 0 {
			stop = off + at
		}
		if u, k := unitParts(strings.TrimSpace(raw[off:stop])); len(k) > 0 {
			units, kinds = u, k
		}
		break
	}
	if head, _, ok := strings.Cut(raw, ":"); ok && len(strings.Fields(head)) <= 12 {
		if u, k := unitParts(clean(head)); len(k) > 0 {
			units, kinds = u, k
		}
	}
	var hits []actionHit
	for _, a := range mainActions {
		best := -1
		for _, w := range a.words {
			from := 0
			for {
				i, ok := hasWord(low[from:], w)
				if !ok {
					break
				}
				i += from
				from = i + len(w)
				if a.action == actionReport && strings.HasPrefix(low[from:], " viên") {
					continue
				}
				if best < 0 || i < best {
					best = i
				}
				break
			}
		}
		if best >= 0 {
			hits = append(hits, actionHit{best, a.action})
		}
	}
	if len(hits) == 0 {
		for _, a := range minorActions {
			if at, _ := firstWordOf(low, a.words...); at >= 0 {
				hits = append(hits, actionHit{0, a.action})
				break
			}
		}
	}
	review := ""
	if len(hits) == 0 {
		hits = append(hits, actionHit{0, actionOther})
		review = "no duty recognised"
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	span := r.span(start, end)
	if len(kinds) == 0 {
		kinds, units = []string{""}, []string{""}
		review = strings.TrimPrefix(review+"; unit not identified", "; ")
	}
	for h, hit := range hits {
		segStart := hit.at
		if h == 0 {
			segStart = 0
		}
		segEnd := len(raw)
		if h+1 < len(hits) {
			segEnd = hits[h+1].at
		}
		seg := low[segStart:segEnd]
		recs := recurrences(seg)
		if len(recs) == 0 {
			recs = []string{""}
		}
		due, _ := r.due(raw[segStart:segEnd])
		withAnnual := false
		for _, p := range []string{"gắn với báo cáo năm", "cùng với báo cáo năm", "lồng ghép trong báo cáo năm", "lồng ghép vào báo cáo năm", "cùng báo cáo năm", "gắn với báo cáo tổng kết năm"} {
			if strings.Contains(seg, p) {
				withAnnual = true
			}
		}
		for _, rec := range recs {
			note := review
			if hit.action == actionReport && rec == "" && due == nil {
				note = strings.TrimPrefix(note+"; report with no frequency or deadline", "; ")
			}
			for k, kind := range kinds {
				r.d.Responsibilities = append(r.d.Responsibilities, Responsibility{
					Text: text, Unit: units[k], UnitKind: kind, Action: hit.action, DueOn: due, Recurrence: rec,
					WithAnnualReport: withAnnual && rec == recAnnual, Source: span,
					NeedsReview: note != "", ReviewNote: note,
				})
			}
		}
	}
}

// firstActionAt is where the first duty word of low starts, -1 if none.
func firstActionAt(low string) int {
	best := -1
	for _, list := range [][]struct {
		action string
		words  []string
	}{mainActions, minorActions} {
		for _, a := range list {
			if at, _ := firstWordOf(low, a.words...); at >= 0 && (best < 0 || at < best) {
				best = at
			}
		}
	}
	for _, w := range []string{"chủ trì", "phối hợp", "có trách nhiệm", "căn cứ"} {
		if at, ok := hasWord(low, w); ok && (best < 0 || at < best) {
			best = at
		}
	}
	return best
}
