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
		TaskGroups: []TaskGroup{}, Responsibilities: []Responsibility{}, Recipients: []string{}, Notes: []Note{}, Uncertain: []Span{},
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
	reBlankDate = regexp.MustCompile(`^(\p{Lu}[\p{L} .\-–]{1,40}),\s*ngày\s*(?:\.*|…*)\s*tháng\s*(?:\.*|…*)\s*năm`)
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
	// The document's type stands alone on a line ("KẾ HOẠCH"); the code,
	// place and date are above it, never in the preamble below, which cites
	// other documents with their dates.
	kindAt := -1
	for _, i := range pre {
		for _, t := range r.headerLines(r.o.blocks[i]) {
			if k, ok := documentKinds[vntext.SearchKey(t)]; ok && kindAt < 0 {
				r.d.Kind, kindAt = k, i
			}
		}
	}
	var head []string
	for _, i := range pre {
		if kindAt >= 0 && i >= kindAt {
			break
		}
		head = append(head, r.headerLines(r.o.blocks[i])...)
	}
	{
		for _, t := range joinWrappedDates(head) {
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
			if r.d.IssuedOn == nil && r.d.Place == "" {
				r.placeDate(t)
			}
		}
	}
	if kindAt >= 0 {
		r.d.Title = r.title(kindAt)
	}
	// Term: the title's "nhiệm kỳ" or "giai đoạn", then the preamble's
	// "nhiệm kỳ", then any.
	var preText strings.Builder
	for _, i := range pre {
		b := r.o.blocks[i]
		preText.WriteString(clean(r.text[b.start:b.end]))
		preText.WriteString("\n")
	}
	for _, src := range []struct {
		text string
		re   *regexp.Regexp
	}{{r.d.Title, reTerm}, {r.d.Title, rePeriod}, {preText.String(), reTerm}, {r.text, reTerm}} {
		if m := src.re.FindStringSubmatch(src.text); m != nil {
			r.d.TermStartYear, _ = strconv.Atoi(m[1])
			r.d.TermEndYear, _ = strconv.Atoi(m[2])
			break
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

// preambleStart are the words a preamble opens with, after the title.
var preambleStart = []string{"can cu", "thuc hien", "de trien khai", "nham ", "theo de nghi", "xet de nghi", "trien khai thuc hien"}

// title reads the subject under the document's type: the lines after it up
// to a blank line, a rule ("-----", "***"), or the preamble ("Căn cứ …",
// "Thực hiện …" after a first line).
func (r *reader) title(kindAt int) string {
	b := r.o.blocks[kindAt]
	var lines []string
	// The type's own block may hold the title on its next lines.
	all := strings.Split(r.text[b.start:b.end], "\n")
	for k, ln := range all {
		if _, ok := documentKinds[vntext.SearchKey(clean(headingLine(ln)))]; ok {
			lines = append(lines, all[k+1:]...)
			break
		}
	}
	end := b.end
	for j := kindAt + 1; j < len(r.o.blocks); j++ {
		nb := r.o.blocks[j]
		if nb.kind == blockTable || strings.Count(r.text[end:nb.start], "\n") > 1 && len(lines) > 0 {
			break
		}
		if nb.kind == blockHeading && nb.style != "" && !strings.HasPrefix(nb.style, "h") && len(lines) > 0 {
			break
		}
		lines = append(lines, strings.Split(r.text[nb.start:nb.end], "\n")...)
		end = nb.end
		if strings.Count(r.text[nb.start:nb.end], "\n") > 0 && len(lines) > 1 {
			continue
		}
	}
	var out []string
	for k, ln := range lines {
		t := clean(headingLine(ln))
		if t == "" {
			if len(out) > 0 {
				break
			}
			continue
		}
		if reRule.MatchString(t) {
			if len(out) > 0 {
				break
			}
			continue
		}
		key := vntext.SearchKey(t)
		stop := false
		for _, p := range preambleStart {
			if strings.HasPrefix(key, p) && (len(out) > 0 || len(t) > 200) {
				stop = true
			}
		}
		if stop || (len(out) > 0 && len(strings.Fields(t)) > 40) || k > 8 {
			break
		}
		out = append(out, t)
		if strings.HasSuffix(t, ":") {
			break
		}
	}
	t := strings.Join(out, " ")
	if len(strings.Fields(t)) > 80 {
		return ""
	}
	return t
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
		for _, s := range segmentsOf(strings.ReplaceAll(ln, "\t", "     ")) {
			if t := clean(headingLine(s.text)); t != "" {
				out = append(out, t)
			}
		}
	}
	return joinWrappedDates(out)
}

// joinWrappedDates joins a place-and-date line wrapped over two: "Diên
// Khánh, ngày 14 tháng 7" and "năm 2021".
func joinWrappedDates(out []string) []string {
	for i := 0; i+1 < len(out); i++ {
		low := lower(out[i])
		if _, ok := hasWord(low, "ngày"); !ok {
			continue
		}
		next := lower(out[i+1])
		if strings.HasPrefix(next, "năm ") || strings.HasPrefix(next, "tháng ") {
			out[i] += " " + out[i+1]
			out = append(out[:i+1], out[i+2:]...)
		}
	}
	return out
}

// placeDate reads "Khánh Hòa, ngày 08 tháng 6 năm 2021" into Place and IssuedOn.
func (r *reader) placeDate(t string) bool {
	// A blank signed date ("Cam Lâm, ngày    tháng    năm 2022") gives the
	// place and no date.
	if m := reBlankDate.FindStringSubmatch(t); m != nil {
		r.d.Place = strings.TrimSpace(m[1])
		return true
	}
	for _, m := range vntext.FindDates(t) {
		if m.Granularity != vntext.Day {
			continue
		}
		head := strings.TrimSpace(t[:m.Start])
		if head != "" && !strings.HasSuffix(head, ",") {
			continue
		}
		place := strings.TrimSpace(strings.TrimSuffix(head, ","))
		if len(strings.Fields(place)) > 6 || strings.ContainsAny(place, "0123456789/:;") {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(place); place != "" && !unicode.IsUpper(r) {
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
		r.recipients(s)
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

// recipients reads the distribution list under "Nơi nhận:": its items in
// order, an entry wrapped over several lines joined, the list ending where
// its items end (the signature block or an annex may follow). "+" items
// under an entry that ends with ":" ("- Các phòng, ban:") are the entries,
// not their heading.
func (r *reader) recipients(s sectionInfo) {
	type entry struct {
		text   string
		bullet string
		open   bool // the text goes on: no ";", "," or "." at its end
	}
	var list []entry
	started := false
	for _, bi := range s.blocks {
		b := r.o.blocks[bi]
		switch b.kind {
		case blockItem:
			started = true
			for k, ln := range strings.Split(r.text[b.body:b.end], "\n") {
				t := clean(ln)
				if t == "" {
					continue
				}
				if k > 0 && len(list) > 0 {
					list[len(list)-1].text += " " + t
				} else {
					list = append(list, entry{text: t, bullet: b.bullet})
				}
				last := &list[len(list)-1]
				last.open = !strings.ContainsAny(last.text[len(last.text)-1:], ";,.:")
			}
			continue
		case blockPara:
			t := clean(r.text[b.start:b.end])
			if started && len(list) > 0 && !looksLikeName(t) && !isUpperLine(t) && !strings.HasSuffix(list[len(list)-1].text, ".") {
				list[len(list)-1].text += " " + t
				last := &list[len(list)-1]
				last.open = !strings.ContainsAny(last.text[len(last.text)-1:], ";,.:")
				continue
			}
			if !started {
				// A list without bullets: one entry a line.
				for _, ln := range strings.Split(r.text[b.body:b.end], "\n") {
					if t := clean(ln); t != "" {
						list = append(list, entry{text: t})
					}
				}
				started = true
				continue
			}
		}
		if started {
			break
		}
	}
	for i, e := range list {
		t := strings.TrimRight(e.text, ";,. ")
		heading := strings.HasSuffix(t, ":") && i+1 < len(list) && list[i+1].bullet == "+" && e.bullet != "+"
		if heading || t == "" {
			continue
		}
		r.d.Recipients = append(r.d.Recipients, t)
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
