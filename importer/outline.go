package importer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"cascade/vntext"
)

// blockKind is what a paragraph of the document is, structurally.
type blockKind int

const (
	blockPara       blockKind = iota
	blockHeading              // a numbered line or a Markdown heading
	blockItem                 // a bullet item
	blockTable                // consecutive table rows
	blockClosing              // "Trên đây là …", the closing paragraph of a plan
	blockSignature            // "TM. BAN THƯỜNG VỤ", the signature block
	blockRecipients           // "Nơi nhận:", the distribution list heading
)

// block is one paragraph, heading, item or table, as byte offsets in the
// normalised text.
type block struct {
	kind   blockKind
	style  string // numbering style of a heading: roman, arabic, arabic.2, letter, upper, part, h1…h6
	number string // numbering as written: "II.", "a)"
	bullet string // bullet mark of an item
	indent int
	start  int // first byte of the block
	body   int // first byte after the number or bullet
	end    int // byte after the last character of the block
	rows   []tableRow
}

type tableRow struct {
	cells      []string
	start, end int
}

// outline is the document cut into blocks and sections.
type outline struct {
	text     string
	blocks   []block
	sections []sectionInfo
}

type sectionInfo struct {
	Section
	head   int   // index of the heading block, -1 for a section without heading
	blocks []int // body blocks
	style  string
	kids   []int
}

var (
	reMdHeading = regexp.MustCompile(`^(#{1,6})(?:[ \t]+|$)`)
	rePart      = regexp.MustCompile(`^(?i)(phần|chương)\s+([IVXLC]+|\d{1,2}|thứ\s+[\p{L}]+)\b\s*[.:\-–]?\s*`)
	reRoman     = regexp.MustCompile(`^([IVXL]{1,6})\s*[.)/:\-–]\s*`)
	reUpper     = regexp.MustCompile(`^([A-ZĐ])[.)]\s+`)
	reDotted    = regexp.MustCompile(`^(\d{1,2}(?:\.\d{1,2}){1,3})\.?(?:\s+|$)`)
	reArabic    = regexp.MustCompile(`^(\d{1,2})\s?[.)/]`)
	reLetter    = regexp.MustCompile(`^([a-zđ])[.)/](?:\s+|$)`)
	reSignature = regexp.MustCompile(`^(TM|T/M|KT|TL|TUQ|Q|T\.M)\.?\s+\p{Lu}`)
	reTableSep  = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$`)
)

var bulletMarks = []string{"-", "+", "•", "*", "–", "—", "·", "○", "●", "▪", "■", "◦", "\uf0b7", "\uf0a7", "►", "➢", "✓"}

// parseOutline cuts text into blocks and sections. In "txt" a line is a
// paragraph unless it visibly continues the previous one; in "md" and
// "docx" consecutive lines join as Markdown does.
func parseOutline(text, format string) *outline {
	o := &outline{text: text}
	o.cutBlocks(format)
	o.buildSections()
	return o
}

type line struct {
	start, end int
	text       string
}

func splitLines(text string) []line {
	lines := make([]line, 0, strings.Count(text, "\n")+1)
	start := 0
	for start <= len(text) {
		i := strings.IndexByte(text[start:], '\n')
		end := len(text)
		if i >= 0 {
			end = start + i
		}
		lines = append(lines, line{start: start, end: end, text: text[start:end]})
		if i < 0 {
			break
		}
		start = end + 1
	}
	return lines
}

func (o *outline) cutBlocks(format string) {
	lines := splitLines(o.text)
	var prev *block
	for i := 0; i < len(lines); i++ {
		ln := lines[i]
		if strings.TrimSpace(ln.text) == "" {
			prev = nil
			continue
		}
		if n := tableRun(lines, i); n > 0 {
			b := block{kind: blockTable, start: ln.start, body: ln.start, end: lines[i+n-1].end}
			for _, r := range lines[i : i+n] {
				if reTableSep.MatchString(r.text) {
					continue
				}
				b.rows = append(b.rows, tableRow{cells: splitRow(r.text), start: r.start, end: r.end})
			}
			o.blocks = append(o.blocks, b)
			prev = nil
			i += n - 1
			continue
		}
		b := classify(ln)
		if b.kind == blockPara && prev != nil && continues(prev, o.text[prev.start:prev.end], ln.text, format) {
			prev.end = ln.end
			continue
		}
		o.blocks = append(o.blocks, b)
		prev = &o.blocks[len(o.blocks)-1]
		if b.kind == blockHeading || b.kind == blockRecipients {
			prev = nil
		}
	}
}

// continues reports whether a plain line continues the block before it.
func continues(prev *block, prevText, text, format string) bool {
	switch prev.kind {
	case blockPara, blockItem, blockClosing, blockSignature:
	default:
		return false
	}
	t := strings.TrimSpace(text)
	if prev.kind == blockSignature {
		return isUpperLine(t)
	}
	if format != "txt" && format != "pdf" && format != "scan" {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(prevText, " *_"))
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(t, "*_“\"("))
	return !strings.ContainsRune(".:;!?", last) && unicode.IsLower(first)
}

func isUpperLine(s string) bool {
	s = strings.Trim(s, "*_ ")
	hasLetter := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			hasLetter = true
		}
	}
	return hasLetter
}

// tableRun returns how many lines from i form a table: Markdown pipe rows, a
// header row with a "---|---" line under it, or tab-separated rows.
func tableRun(lines []line, i int) int {
	t := strings.TrimSpace(lines[i].text)
	n := 0
	switch {
	case strings.HasPrefix(t, "|"):
		for i+n < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i+n].text), "|") {
			n++
		}
		if n == 1 && !strings.HasSuffix(t, "|") {
			return 0
		}
		return n
	case strings.Contains(t, "|") && i+1 < len(lines) && strings.Contains(lines[i+1].text, "-") && reTableSep.MatchString(lines[i+1].text):
		for i+n < len(lines) && strings.Contains(lines[i+n].text, "|") {
			n++
		}
		return n
	case strings.Count(t, "\t") >= 1:
		cells := len(splitRow(lines[i].text))
		for i+n < len(lines) && strings.TrimSpace(lines[i+n].text) != "" && len(splitRow(lines[i+n].text)) == cells && cells >= 2 {
			n++
		}
		if n < 2 {
			return 0
		}
		return n
	}
	return 0
}

// splitRow cuts a table row into trimmed cells, on unescaped "|" or on tabs.
func splitRow(s string) []string {
	t := strings.TrimSpace(s)
	if !strings.Contains(t, "|") {
		var cells []string
		for _, c := range strings.Split(t, "\t") {
			if c = strings.TrimSpace(c); c != "" {
				cells = append(cells, c)
			}
		}
		return cells
	}
	t = strings.TrimPrefix(t, "|")
	if strings.HasSuffix(t, "|") && !strings.HasSuffix(t, `\|`) {
		t = t[:len(t)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == '\\' && i+1 < len(t) && t[i+1] == '|':
			cur.WriteByte('|')
			i++
		case t[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(t[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// classify reads the structure of one line.
func classify(ln line) block {
	t := strings.TrimLeft(ln.text, " \t")
	indent := len(ln.text) - len(t)
	b := block{kind: blockPara, indent: indent, start: ln.start + indent, body: ln.start + indent, end: ln.end}
	if m := reMdHeading.FindStringSubmatch(t); m != nil {
		b.kind, b.style, b.body = blockHeading, "h"+strconv.Itoa(len(m[1])), b.start+len(m[0])
		rest := t[len(m[0]):]
		lead := len(rest) - len(strings.TrimLeft(rest, "*_"))
		if st, num, n := readNumber(stripEmphasis(rest)); st != "" {
			b.number = num
			b.body = min(b.end, b.body+lead+n)
		}
		return b
	}
	// Emphasis and Markdown escapes do not change what a line is.
	plain := stripEmphasis(t)
	lead := len(t) - len(strings.TrimLeft(t, "*_"))
	key := ""
	if plain == "" {
		plain = " "
	}
	if c := plain[0]; c == 'N' || c == 'n' || c == 'T' || c == 't' {
		key = vntext.SearchKey(prefixBytes(plain, 40))
	}
	switch {
	case strings.HasPrefix(key, "noi nhan") && utf8.RuneCountInString(plain) < 40:
		b.kind = blockRecipients
		return b
	case strings.HasPrefix(key, "tren day la "):
		b.kind = blockClosing
		return b
	case reSignature.MatchString(plain):
		b.kind = blockSignature
		return b
	}
	for _, mark := range bulletMarks {
		if !strings.HasPrefix(t, mark) {
			continue
		}
		rest := t[len(mark):]
		r, _ := utf8.DecodeRuneInString(rest)
		ok := r == ' ' || r == '\t'
		if mark == "-" || mark == "•" || mark == "+" || mark == "\uf0b7" {
			ok = ok || unicode.IsUpper(r)
		}
		if !ok {
			continue
		}
		b.kind, b.bullet = blockItem, mark
		b.body = b.start + len(mark) + len(rest) - len(strings.TrimLeft(rest, " \t"))
		return b
	}
	if st, num, n := readNumber(plain); st != "" {
		b.kind, b.style, b.number = blockHeading, st, num
		b.body = b.start + lead + n
		if escaped := strings.Count(t[:min(len(t), lead+n+1)], `\`); escaped > 0 {
			b.body += escaped
		}
		if b.body > b.end {
			b.body = b.end
		}
	}
	return b
}

// prefixBytes is at most n bytes of s, cut at a rune boundary.
func prefixBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// stripEmphasis removes leading emphasis marks and Markdown escapes before
// a number, so "**II. MỤC TIÊU**" and "II\. MỤC TIÊU" read as "II. MỤC TIÊU".
func stripEmphasis(s string) string {
	s = strings.TrimLeft(s, "*_")
	if i := strings.IndexByte(s, '\\'); i >= 0 && i < 8 {
		s = s[:i] + s[i+1:]
	}
	return s
}

// readNumber reads a section number at the start of s and returns its style,
// the number as written and its length in bytes with the spaces after it.
func readNumber(s string) (style, number string, n int) {
	if m := rePart.FindStringSubmatchIndex(s); m != nil {
		return "part", strings.TrimSpace(s[:m[1]]), m[1]
	}
	if m := reRoman.FindStringSubmatchIndex(s); m != nil {
		if v, err := vntext.ParseRoman(s[m[2]:m[3]]); err == nil && v <= 40 && !digitNext(s, m[1]) {
			return "roman", strings.TrimSpace(s[:m[1]]), m[1]
		}
	}
	if m := reUpper.FindStringSubmatchIndex(s); m != nil {
		return "upper", strings.TrimSpace(s[:m[1]]), m[1]
	}
	if m := reDotted.FindStringSubmatchIndex(s); m != nil {
		depth := strings.Count(s[m[2]:m[3]], ".") + 1
		return "arabic." + strconv.Itoa(depth), strings.TrimSpace(s[:m[1]]), m[1]
	}
	if m := reArabic.FindStringSubmatchIndex(s); m != nil {
		r, _ := utf8.DecodeRuneInString(s[m[1]:])
		if m[1] == len(s) || r == ' ' || r == '\t' || unicode.IsLetter(r) || r == '"' || r == '“' || r == '*' {
			end := m[1] + len(s[m[1]:]) - len(strings.TrimLeft(s[m[1]:], " \t"))
			return "arabic", strings.TrimSpace(s[:m[1]]), end
		}
	}
	if m := reLetter.FindStringSubmatchIndex(s); m != nil {
		return "letter", strings.TrimSpace(s[:m[1]]), m[1]
	}
	return "", "", 0
}

func digitNext(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

// styleRank orders numbering styles from the outermost: a new style pops
// every open heading of a rank at least as deep.
func styleRank(style string) int {
	switch style {
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return int(style[1] - '1')
	case "part":
		return 10
	case "upper":
		return 11
	case "roman":
		return 12
	case "arabic":
		return 13
	case "arabic.2":
		return 14
	case "arabic.3":
		return 15
	case "arabic.4":
		return 16
	case "letter":
		return 17
	}
	return 20
}

func (o *outline) buildSections() {
	type open struct {
		style string
		sec   int
	}
	var stack []open
	closing := false
	cur := -1
	add := func(s sectionInfo) {
		o.sections = append(o.sections, s)
		cur = len(o.sections) - 1
		if p := s.Parent; p != nil {
			o.sections[*p].kids = append(o.sections[*p].kids, cur)
		}
	}
	for i := range o.blocks {
		b := &o.blocks[i]
		switch {
		case b.kind == blockRecipients:
			closing, stack = true, nil
			add(sectionInfo{Section: Section{Kind: KindOther, Level: 1}, head: i})
		case b.kind == blockClosing || (b.kind == blockSignature && !closing):
			if !closing {
				closing, stack = true, nil
				add(sectionInfo{Section: Section{Kind: KindOther, Level: 1}, head: -1})
			}
			o.sections[cur].blocks = append(o.sections[cur].blocks, i)
		case b.kind == blockHeading && !closing:
			j := -1
			for k := range stack {
				if stack[k].style == b.style {
					j = k
					break
				}
			}
			if j >= 0 {
				stack = stack[:j]
			} else {
				for len(stack) > 0 && styleRank(stack[len(stack)-1].style) >= styleRank(b.style) {
					stack = stack[:len(stack)-1]
				}
			}
			s := sectionInfo{Section: Section{Level: len(stack) + 1, Number: b.number}, head: i, style: b.style}
			if len(stack) > 0 {
				p := stack[len(stack)-1].sec
				s.Parent = &p
			}
			add(s)
			stack = append(stack, open{b.style, cur})
		default:
			if cur < 0 {
				add(sectionInfo{Section: Section{Kind: KindOther, Level: 1}, head: -1})
			}
			o.sections[cur].blocks = append(o.sections[cur].blocks, i)
		}
	}
	if len(o.sections) == 0 {
		o.sections = append(o.sections, sectionInfo{Section: Section{Kind: KindOther, Level: 1}, head: -1})
	}
	for i := range o.sections {
		o.fill(i)
	}
}

// fill sets the text fields and the kind of section i.
func (o *outline) fill(i int) {
	s := &o.sections[i]
	start, end := len(o.text), 0
	if s.head >= 0 {
		h := o.blocks[s.head]
		start, end = h.start, h.end
		s.Heading = headingLine(o.text[h.start:h.end])
		s.Title = clean(o.text[h.body:h.end])
		if h.kind == blockRecipients {
			s.Title = clean(o.text[h.start:h.end])
		}
		if s.Title == "" {
			s.Title = clean(s.Heading)
		}
	}
	if len(s.blocks) > 0 {
		bs, be := o.blocks[s.blocks[0]].start, o.blocks[s.blocks[len(s.blocks)-1]].end
		// Include the indentation of the first body line.
		for bs > 0 && (o.text[bs-1] == ' ' || o.text[bs-1] == '\t') {
			bs--
		}
		s.Body = o.text[bs:be]
		start, end = min(start, bs), max(end, be)
	}
	if start > end {
		start, end = 0, 0
		if s.head < 0 && len(o.sections) == 1 {
			end = len(o.text)
		}
	}
	s.Source = Span{Start: start, End: end} // byte offsets until read converts them
	if s.head >= 0 && o.blocks[s.head].kind == blockHeading {
		s.Kind = kindOfTitle(s.Title)
		if s.Kind == "" && s.Parent != nil {
			s.Kind = o.sections[*s.Parent].Kind
		}
		if s.Kind == "" {
			s.Kind = KindOther
		}
	}
}

// headingLine is a heading line without its Markdown "#" marks.
func headingLine(s string) string {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "#") {
		t = strings.TrimLeft(t, "#")
		t = strings.TrimRight(t, "# ")
	}
	return strings.TrimSpace(t)
}

var sectionTitles = []struct {
	prefix string
	kind   SectionKind
}{
	{"muc dich", KindPurpose}, {"yeu cau", KindPurpose},
	{"muc tieu", KindObjective}, {"chi tieu", KindObjective}, {"cac chi tieu", KindObjective}, {"cac muc tieu", KindObjective},
	{"noi dung", KindContent}, {"nhiem vu", KindContent}, {"giai phap", KindContent}, {"cac nhiem vu", KindContent},
	{"cac giai phap", KindContent}, {"cac noi dung", KindContent}, {"tien do", KindContent}, {"lo trinh", KindContent},
	{"to chuc thuc hien", KindOrganisation}, {"trach nhiem", KindOrganisation}, {"phan cong", KindOrganisation},
	{"cac don vi thuc hien", KindOrganisation},
}

// kindOfTitle classifies a heading by the standard part of a plan its title
// opens with; "" when it opens with none.
func kindOfTitle(title string) SectionKind {
	key := vntext.SearchKey(title)
	for _, t := range sectionTitles {
		if strings.HasPrefix(key, t.prefix) {
			return t.kind
		}
	}
	return ""
}
