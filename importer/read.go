package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"cascade/vntext"
)

// reader turns an outline into a Draft.
type reader struct {
	o      *outline
	text   string
	ix     *runeIndex
	low    string
	d      *Draft
	issued *vntext.Date
}

func read(text, format string) *Draft {
	o := parseOutline(text, format)
	r := &reader{o: o, text: text, ix: newRuneIndex(text), d: &Draft{
		Format: format, Text: text, Implements: []string{}, Sections: []Section{}, Targets: []Target{},
		TaskGroups: []TaskGroup{}, Responsibilities: []Responsibility{}, Recipients: []string{}, Notes: []Note{},
	}}
	r.header()
	r.issued = r.d.IssuedOn
	for _, s := range o.sections {
		pub := s.Section
		pub.Source = r.ix.span(s.Source.Start, s.Source.End)
		r.d.Sections = append(r.d.Sections, pub)
	}
	r.targets()
	r.tasks()
	r.responsibilities()
	r.closing()
	r.numberingNotes()
	return r.d
}

func (r *reader) span(start, end int) Span { return r.ix.span(start, end) }

// lowerText is the text lower-cased, with the same byte offsets.
func (r *reader) lowerText() string {
	if r.low == "" && r.text != "" {
		r.low = lower(r.text)
	}
	return r.low
}

// blockText is the text of a block after its number or bullet, cleaned.
func (r *reader) blockText(b block) string { return clean(r.text[b.body:b.end]) }

// preamble returns the blocks before the first standard part of the plan.
func (r *reader) preamble() []int {
	limit := len(r.o.blocks)
	for _, s := range r.o.sections {
		if s.Kind != KindOther && s.head >= 0 {
			limit = s.head
			break
		}
	}
	if limit == len(r.o.blocks) {
		limit = min(limit, 12)
	}
	out := make([]int, 0, limit)
	for i := 0; i < limit; i++ {
		out = append(out, i)
	}
	return out
}

var (
	reCode      = regexp.MustCompile(`^[Ss]ố\s*:?\s*(\d+(?:/\d{4})?)\s*/\s*(\p{Lu}[\p{L}]*(?:\s*-\s*\p{Lu}[\p{L}\d]*)+)`)
	rePartyCode = regexp.MustCompile(`^[Ss]ố\s*:?\s*(\d+)\s*-\s*(\p{Lu}[\p{L}]*)\s*/\s*(\p{Lu}[\p{L}\d]*(?:\s*-\s*\p{Lu}[\p{L}\d]*)*)`)
	reTerm      = regexp.MustCompile(`(?i)nhiệm\s+kỳ\s*(\d{4})\s*[-–—]\s*(\d{4})`)
	rePeriod    = regexp.MustCompile(`(?i)giai\s+đoạn\s*(\d{4})\s*[-–—]\s*(\d{4})`)
	reDocCode   = regexp.MustCompile(`\b\d+-\p{Lu}[\p{L}]*(?:/\p{Lu}[\p{L}]*)+|\b\d+(?:/\d{4})?/\p{Lu}[\p{L}]*(?:-\p{Lu}[\p{L}\d]*)+`)
	issuerAbbrs = map[string]string{"BTV": "Ban Thường vụ", "BCH": "Ban Chấp hành", "TT": "Thường trực", "BTT": "Ban Thường trực", "ĐCT": "Đoàn Chủ tịch"}
)

// documentKinds are the types of administrative documents (Nghị định
// 30/2020/NĐ-CP) whose name stands alone on a line above the title.
var documentKinds = map[string]string{
	"ke hoach": "Kế hoạch", "chuong trinh": "Chương trình", "chuong trinh hanh dong": "Chương trình hành động",
	"nghi quyet": "Nghị quyết", "quyet dinh": "Quyết định", "chi thi": "Chỉ thị", "huong dan": "Hướng dẫn",
	"thong bao": "Thông báo", "bao cao": "Báo cáo", "de an": "Đề án", "phuong an": "Phương án",
	"ke hoach lien tich": "Kế hoạch liên tịch", "chuong trinh phoi hop": "Chương trình phối hợp",
}

func (r *reader) header() {
	pre := r.preamble()
	kindAt := -1
	for _, i := range pre {
		b := r.o.blocks[i]
		for _, t := range r.headerLines(b) {
			if r.d.Code == "" {
				if m := reCode.FindStringSubmatch(t); m != nil {
					r.d.Code = m[1] + "/" + strings.ReplaceAll(m[2], " ", "")
					continue
				}
				if m := rePartyCode.FindStringSubmatch(t); m != nil {
					r.d.Code = m[1] + "-" + m[2] + "/" + strings.ReplaceAll(m[3], " ", "")
					continue
				}
			}
			if r.d.IssuedOn == nil && r.placeDate(t) {
				continue
			}
			if kindAt < 0 {
				if k, ok := documentKinds[vntext.SearchKey(t)]; ok {
					r.d.Kind, kindAt = k, i
				}
			}
		}
		if kindAt >= 0 && r.d.Title == "" && i > kindAt && b.kind != blockTable {
			t := clean(headingLine(r.text[b.start:b.end]))
			if !strings.HasSuffix(t, ":") && len(strings.Fields(t)) <= 80 {
				r.d.Title = t
			}
		}
	}
	// Term: from the title, then the preamble, then anywhere.
	var preText strings.Builder
	for _, i := range pre {
		b := r.o.blocks[i]
		preText.WriteString(clean(r.text[b.start:b.end]))
		preText.WriteString("\n")
	}
	for _, src := range []string{r.d.Title, preText.String(), r.text} {
		if m := reTerm.FindStringSubmatch(src); m != nil {
			r.d.TermStartYear, _ = strconv.Atoi(m[1])
			r.d.TermEndYear, _ = strconv.Atoi(m[2])
			break
		}
	}
	if r.d.TermEndYear == 0 {
		if m := rePeriod.FindStringSubmatch(r.d.Title); m != nil {
			r.d.TermStartYear, _ = strconv.Atoi(m[1])
			r.d.TermEndYear, _ = strconv.Atoi(m[2])
		}
	}
	if r.d.TermEndYear < r.d.TermStartYear || r.d.TermEndYear-r.d.TermStartYear > 20 {
		r.d.TermStartYear, r.d.TermEndYear = 0, 0
	}
	// Implemented documents: codes in the preamble other than the plan's own.
	seen := map[string]bool{r.d.Code: true}
	for _, i := range pre {
		b := r.o.blocks[i]
		for _, t := range r.headerLines(b) {
			if reCode.MatchString(t) || rePartyCode.MatchString(t) {
				continue
			}
			for _, c := range reDocCode.FindAllString(t, -1) {
				if !seen[c] {
					seen[c] = true
					r.d.Implements = append(r.d.Implements, c)
				}
			}
		}
	}
	r.issuer()
}

// headerLines returns the cleaned lines of a block, cell by cell for a
// table (header blocks are often laid out in a two-column table).
func (r *reader) headerLines(b block) []string {
	var out []string
	if b.kind == blockTable {
		for _, row := range b.rows {
			for _, c := range row.cells {
				if c = clean(c); c != "" {
					out = append(out, c)
				}
			}
		}
		return out
	}
	for _, ln := range strings.Split(r.text[b.start:b.end], "\n") {
		if ln = clean(headingLine(ln)); ln != "" {
			out = append(out, ln)
		}
	}
	return out
}

// placeDate reads "Khánh Hòa, ngày 08 tháng 6 năm 2021" into Place and IssuedOn.
func (r *reader) placeDate(t string) bool {
	for _, m := range vntext.FindDates(t) {
		if m.Granularity != vntext.Day {
			continue
		}
		head := strings.TrimSpace(t[:m.Start])
		if head != "" && !strings.HasSuffix(head, ",") {
			continue
		}
		place := strings.TrimSpace(strings.TrimSuffix(head, ","))
		if len(strings.Fields(place)) > 8 {
			continue
		}
		date := m.Period.Start
		r.d.IssuedOn, r.d.Place = &date, place
		return true
	}
	return false
}

// issuer reads the issuing body from the signature block ("TM. BAN THƯỜNG
// VỤ"), else from the code's suffix ("…/KH-BTV"), and the organisation it
// belongs to from where the text names it.
func (r *reader) issuer() {
	name := ""
	var sig []string
	for i, b := range r.o.blocks {
		if b.kind != blockSignature {
			continue
		}
		// The signature block runs over consecutive blocks: "TM. BAN THƯỜNG VỤ",
		// "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH".
		for j := i; j < len(r.o.blocks) && r.o.blocks[j].kind == blockSignature; j++ {
			for _, ln := range strings.Split(r.text[r.o.blocks[j].start:r.o.blocks[j].end], "\n") {
				if ln = clean(ln); ln != "" {
					sig = append(sig, ln)
				}
			}
		}
		break
	}
	if len(sig) > 0 {
		if m := reSignature.FindStringSubmatchIndex(sig[0]); m != nil {
			marker := sig[0][m[2]:m[3]]
			body := strings.TrimSpace(strings.TrimLeft(sig[0][m[3]:], ". "))
			rest := sig[1:]
			if marker == "TM" || marker == "T/M" || marker == "T.M" {
				name = body
				// A title on the same line: "TM. BAN THƯỜNG VỤ CHỦ TỊCH".
				for _, title := range officeTitles {
					if len(rest) == 0 && strings.HasSuffix(name, " "+title) {
						name, rest = strings.TrimSuffix(name, " "+title), []string{title}
						break
					}
				}
			} else {
				rest = sig
			}
			r.d.SignerTitle = strings.Join(rest, " ")
		}
	}
	if name == "" {
		if _, suffix, ok := strings.Cut(r.d.Code, "-"); ok {
			name = issuerAbbrs[suffix]
		}
	}
	if name == "" {
		return
	}
	r.d.Issuer = r.casing(name)
	// The organisation follows the issuer's name in the text: "Ban Thường vụ
	// Hội LHPN tỉnh Khánh Hòa".
	low := r.lowerText()
	needle := lower(r.d.Issuer)
	for from := 0; ; {
		i := strings.Index(low[from:], needle)
		if i < 0 {
			break
		}
		i += from
		from = i + len(needle)
		rest, _, _ := strings.Cut(r.text[from:], "\n")
		org := orgName(rest)
		better := len(org) > len(r.d.IssuerOrg)
		if isUpperLine(org) != isUpperLine(r.d.IssuerOrg) {
			better = r.d.IssuerOrg == "" || isUpperLine(r.d.IssuerOrg)
		}
		if org != "" && better {
			r.d.IssuerOrg = org
		}
	}
}

// casing finds name in the running text and returns it as written there, so
// "BAN THƯỜNG VỤ" of a signature becomes "Ban Thường vụ".
func (r *reader) casing(name string) string {
	low, needle := r.lowerText(), lower(name)
	for from := 0; ; {
		i := strings.Index(low[from:], needle)
		if i < 0 {
			break
		}
		i += from
		from = i + len(needle)
		cand := r.text[i:from]
		if strings.EqualFold(cand, name) && !isUpperLine(cand) {
			return cand
		}
	}
	if !isUpperLine(name) {
		return name
	}
	l := []rune(strings.ToLower(name))
	l[0] = unicode.ToUpper(l[0])
	return string(l)
}

// officeTitles are the offices that sign for a body, longest first.
var officeTitles = []string{"PHÓ CHỦ TỊCH", "CHỦ TỊCH", "PHÓ TRƯỞNG BAN", "TRƯỞNG BAN", "PHÓ BÍ THƯ", "BÍ THƯ",
	"PHÓ GIÁM ĐỐC", "GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"}

var placeWords = map[string]bool{"tỉnh": true, "huyện": true, "thị": true, "xã": true, "thành": true, "phố": true,
	"quận": true, "phường": true, "trấn": true, "các": true}

// orgName reads the organisation name at the start of s: capitalised words,
// abbreviations and place words, "Hội LHPN tỉnh Khánh Hòa".
func orgName(s string) string {
	var words []string
	for _, w := range strings.Fields(s) {
		w = strings.Trim(w, "*_")
		trimmed := strings.TrimRight(w, ".,;:)”\"")
		r, _ := utf8.DecodeRuneInString(trimmed)
		if trimmed == "" || !(unicode.IsUpper(r) || placeWords[trimmed]) {
			break
		}
		words = append(words, trimmed)
		if trimmed != w || len(words) >= 8 {
			break
		}
	}
	for len(words) > 0 && words[len(words)-1] == "các" {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(words[0])
	if !unicode.IsUpper(r) {
		return ""
	}
	return strings.Join(words, " ")
}

// closing reads the distribution list and the signer.
func (r *reader) closing() {
	for _, s := range r.o.sections {
		if s.head < 0 || r.o.blocks[s.head].kind != blockRecipients {
			continue
		}
		items := false
		for _, bi := range s.blocks {
			if r.o.blocks[bi].kind == blockItem {
				items = true
			}
		}
		for _, bi := range s.blocks {
			b := r.o.blocks[bi]
			if items && b.kind != blockItem {
				continue
			}
			if !items && b.kind != blockPara {
				continue
			}
			for _, ln := range strings.Split(r.text[b.body:b.end], "\n") {
				if t := strings.TrimRight(clean(ln), ";,. "); t != "" {
					r.d.Recipients = append(r.d.Recipients, t)
				}
			}
			if !items {
				break
			}
		}
	}
	// The signer's name is the last line when it reads as a personal name.
	for i := len(r.o.blocks) - 1; i >= 0; i-- {
		b := r.o.blocks[i]
		if b.kind != blockPara && b.kind != blockSignature {
			break
		}
		lines := strings.Split(r.text[b.start:b.end], "\n")
		t := clean(lines[len(lines)-1])
		if looksLikeName(t) && !strings.EqualFold(t, r.d.SignerTitle) {
			r.d.Signer = t
		}
		break
	}
}

func looksLikeName(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 6 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
		for _, c := range w {
			if !unicode.IsLetter(c) && !unicode.Is(unicode.Mn, c) {
				return false
			}
		}
	}
	return !isUpperLine(s) || len(words) <= 4
}

// numberingNotes notes where sibling sections are not numbered in sequence,
// which the importer ignores but a reader should know.
func (r *reader) numberingNotes() {
	last := map[string]int{} // parent/style → previous ordinal
	prevNum := map[string]string{}
	for i, s := range r.o.sections {
		if s.head < 0 || s.Number == "" {
			continue
		}
		n := ordinal(s.style, s.Number)
		if n <= 0 {
			continue
		}
		parent := -1
		if s.Parent != nil {
			parent = *s.Parent
		}
		key := fmt.Sprintf("%d/%s", parent, s.style)
		want := last[key] + 1
		if n != want {
			msg := fmt.Sprintf("section %q is numbered %s", s.Title, s.Number)
			if p, ok := prevNum[key]; ok {
				msg += " after " + p
			}
			r.d.Notes = append(r.d.Notes, Note{Message: msg + "; kept in document order", Source: r.d.Sections[i].Source})
		}
		last[key] = n
		prevNum[key] = s.Number
	}
}

const vietnameseLetters = "abcdđeghiklmnopqrstuvxy"

func ordinal(style, number string) int {
	n := strings.TrimRight(number, ".):/-– ")
	switch style {
	case "roman":
		v, _ := vntext.ParseRoman(n)
		return v
	case "arabic":
		v, _ := strconv.Atoi(n)
		return v
	case "letter":
		for i, c := range []rune(vietnameseLetters) {
			if string(c) == n {
				return i + 1
			}
		}
	case "upper":
		if len(n) == 1 && n[0] >= 'A' && n[0] <= 'Z' {
			return int(n[0]-'A') + 1
		}
	}
	if strings.HasPrefix(style, "arabic.") {
		parts := strings.Split(n, ".")
		v, _ := strconv.Atoi(parts[len(parts)-1])
		return v
	}
	return 0
}
