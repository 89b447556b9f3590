package importer

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"cascade/vntext"
)

// The light layout model of a page: lines of text laid out on a grid of
// character cells (as `pdftotext -layout` prints a text layer, and as
// gridLines prints Tesseract's words), cut into segments where three or
// more spaces stand between words. From it layoutText writes the text the
// reader reads: the two-column header (issuer left; motto, place and date
// right) one column after the other, the distribution list apart from the
// signature block beside it, tables as rows of cells, and the lines of a
// paragraph joined.

// segment is a run of text on a layout line, in rune columns.
type segment struct {
	start, end int
	text       string
}

// segmentsOf cuts a layout line at runs of three or more spaces.
func segmentsOf(line string) []segment {
	var out []segment
	runes := []rune(line)
	i := 0
	for i < len(runes) {
		for i < len(runes) && runes[i] == ' ' {
			i++
		}
		if i >= len(runes) {
			break
		}
		start := i
		spaces := 0
		for i < len(runes) {
			if runes[i] == ' ' {
				spaces++
				if spaces >= 3 {
					break
				}
			} else {
				spaces = 0
			}
			i++
		}
		end := i
		if spaces >= 3 {
			end = i - spaces + 1
		}
		for end > start && runes[end-1] == ' ' {
			end--
		}
		out = append(out, segment{start: start, end: end, text: string(runes[start:end])})
	}
	// A bullet or a list number set apart from its text by a tab stop
	// ("•   Nhằm …", "1.    Quán triệt …") belongs to that text.
	for k := 0; k+1 < len(out); k++ {
		if isMarker(out[k].text) && out[k+1].start-out[k].end < 12 {
			out[k] = segment{start: out[k].start, end: out[k+1].end, text: out[k].text + " " + out[k+1].text}
			out = append(out[:k+1], out[k+2:]...)
		}
	}
	return out
}

// isMarker reports whether s is only a bullet or a list number.
func isMarker(s string) bool {
	if utf8.RuneCountInString(s) > 6 {
		return false
	}
	for _, m := range bulletMarks {
		if s == m {
			return true
		}
	}
	st, _, n := readNumber(s)
	return st != "" && n >= len(strings.TrimSpace(s))
}

// hangingIndent is where the text of a line starts after its bullet or
// list number, the column the lines it wraps over are indented to.
func hangingIndent(ln string) int {
	t := strings.TrimLeft(ln, " ")
	in := len(ln) - len(t)
	b := classify(line{text: t, end: len(t)})
	if b.kind != blockItem && b.kind != blockHeading {
		return -1
	}
	return in + utf8.RuneCountInString(t[:b.body-b.start])
}

var (
	rePageNumber = regexp.MustCompile(`^(?i)(?:trang\s+)?[-–—]?\s*\d{1,3}\s*(?:/\s*\d{1,3})?\s*[-–—]?$`)
	reRule       = regexp.MustCompile(`^[-_*=.…–—\s]{3,}$`)
)

// layoutText writes the pages of a document laid out on a grid as the text
// the reader reads.
func layoutText(pages []string) string {
	var b strings.Builder
	write := func(lines []string) {
		for _, ln := range lines {
			b.WriteString(ln)
			b.WriteByte('\n')
		}
	}
	// The distribution list and the signature block may run onto the
	// next page; they are split into columns together.
	var closing []string
	inClosing := false
	for pi, page := range pages {
		lines := strings.Split(vntext.Normalize(strings.ReplaceAll(page, "\t", "    ")), "\n")
		lines = dropPageNumbers(lines)
		if len(lines) == 0 {
			continue
		}
		margin := leftMargin(lines)
		edge := rightEdge(lines)
		if inClosing {
			annex := annexLine(lines)
			closing = append(closing, lines[:annex]...)
			if annex == len(lines) {
				continue
			}
			write(twoColumns(closing))
			closing, inClosing = nil, false
			write(body(lines[annex:], margin, edge))
			continue
		}
		headerEnd := 0
		if pi == 0 {
			headerEnd = headerRegion(lines)
		}
		if headerEnd > 0 {
			write(twoColumns(lines[:headerEnd]))
			write([]string{""})
		}
		start := closingRegion(lines)
		if start < headerEnd {
			write(body(lines[headerEnd:], margin, edge))
			write([]string{""})
			continue
		}
		write(body(lines[headerEnd:start], margin, edge))
		write([]string{""})
		rest := lines[start:]
		annex := annexLine(rest)
		closing, inClosing = append(closing, rest[:annex]...), annex == len(rest)
		if !inClosing {
			write(twoColumns(closing))
			closing = nil
			write(body(rest[annex:], margin, edge))
		}
	}
	if len(closing) > 0 {
		write(twoColumns(closing))
	}
	return collapseBlankLines(b.String())
}

// annexLine is the line where an annex ("PHỤ LỤC") starts, len(lines)
// when none does.
func annexLine(lines []string) int {
	for i, ln := range lines {
		t := vntext.FoldSpace(strings.TrimSpace(stripMarks(ln)))
		if isUpperLine(t) && strings.HasPrefix(vntext.SearchKey(t), "phu luc") {
			return i
		}
	}
	return len(lines)
}

func collapseBlankLines(s string) string {
	var b strings.Builder
	blank := 0
	for _, ln := range strings.Split(s, "\n") {
		if strings.TrimSpace(ln) == "" {
			blank++
			if blank > 1 {
				continue
			}
			b.WriteString("\n")
			continue
		}
		blank = 0
		b.WriteString(ln)
		b.WriteString("\n")
	}
	return strings.TrimLeft(b.String(), "\n")
}

// dropPageNumbers removes a page number ("2", "- 2 -", "Trang 2", "2/15")
// standing alone among the first and last two lines of a page.
func dropPageNumbers(lines []string) []string {
	var idx []int
	for i, ln := range lines {
		if strings.TrimSpace(stripMarks(ln)) != "" {
			idx = append(idx, i)
		}
	}
	drop := map[int]bool{}
	for k, i := range idx {
		if k >= 2 && k < len(idx)-2 {
			continue
		}
		if rePageNumber.MatchString(strings.TrimSpace(stripMarks(lines[i]))) {
			drop[i] = true
		}
	}
	out := lines[:0:0]
	for i, ln := range lines {
		if !drop[i] {
			out = append(out, strings.TrimRight(ln, " "))
		}
	}
	for len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "" {
		out = out[:len(out)-1]
	}
	return out
}

func stripMarks(s string) string {
	if !strings.ContainsAny(s, string(markOpen)+string(markClose)) {
		return s
	}
	return strings.NewReplacer(string(markOpen), "", string(markClose), "").Replace(s)
}

func indentOf(s string) int {
	n := 0
	for _, r := range s {
		if r != ' ' {
			break
		}
		n++
	}
	return n
}

// leftMargin is the indent of the page's text: the smallest indent of a
// line long enough to be running text.
func leftMargin(lines []string) int {
	m := -1
	for _, ln := range lines {
		if utf8.RuneCountInString(strings.TrimSpace(ln)) < 30 {
			continue
		}
		if in := indentOf(ln); m < 0 || in < m {
			m = in
		}
	}
	return max(m, 0)
}

// rightEdge is where the page's full lines end: the 80th percentile of the
// ends of long lines.
func rightEdge(lines []string) int {
	var ends []int
	for _, ln := range lines {
		if utf8.RuneCountInString(strings.TrimSpace(ln)) >= 30 && len(segmentsOf(ln)) == 1 {
			ends = append(ends, utf8.RuneCountInString(ln))
		}
	}
	if len(ends) == 0 {
		return 0
	}
	sort.Ints(ends)
	return ends[len(ends)*9/10]
}

// headerRegion is the number of lines before the document's type ("KẾ
// HOẠCH") standing alone on a line of the first page; 0 when there is none.
func headerRegion(lines []string) int {
	for i, ln := range lines {
		if i > 40 {
			break
		}
		segs := segmentsOf(stripMarks(ln))
		if len(segs) != 1 || !isUpperLine(segs[0].text) {
			continue
		}
		if _, ok := documentKinds[vntext.SearchKey(vntext.FoldSpace(segs[0].text))]; ok {
			return i
		}
	}
	return 0
}

// closingRegion is the line where the distribution list ("Nơi nhận:")
// starts, -1 when the page has none.
func closingRegion(lines []string) int {
	for i, ln := range lines {
		for _, s := range segmentsOf(stripMarks(ln)) {
			t := strings.TrimLeft(s.text, "*_ ")
			if strings.HasPrefix(vntext.SearchKey(prefixBytes(t, 24)), "noi nhan") {
				return i
			}
		}
	}
	return -1
}

// twoColumns writes a region of two columns one after the other: the left
// column's lines, then the right column's, split where the right column's
// segments start.
func twoColumns(lines []string) []string {
	split := -1
	for _, ln := range lines {
		segs := segmentsOf(ln)
		for _, s := range segs[min(1, len(segs)):] {
			if isWordy(s.text) && (split < 0 || s.start < split) {
				split = s.start
			}
		}
	}
	if split < 0 {
		// The right column's lines may not share a line with the left's:
		// they stand far in ("                TM. BAN THƯỜNG VỤ").
		left := false
		for _, ln := range lines {
			if in := indentOf(ln); strings.TrimSpace(ln) != "" && in >= 24 && (split < 0 || in < split) {
				split = in
			} else if strings.TrimSpace(ln) != "" && in < 8 {
				left = true
			}
		}
		if !left {
			split = -1
		}
	}
	if split < 0 {
		out := make([]string, 0, len(lines))
		for _, ln := range lines {
			out = append(out, strings.TrimSpace(ln))
		}
		return out
	}
	var left, right []string
	lastLeft, lastRight := false, false
	for _, ln := range lines {
		segs := segmentsOf(ln)
		if len(segs) == 0 {
			if lastLeft {
				left = append(left, "")
			}
			if lastRight {
				right = append(right, "")
			}
			lastLeft, lastRight = false, false
			continue
		}
		var l, r []string
		for _, s := range segs {
			if s.start >= split-2 {
				r = append(r, s.text)
			} else {
				l = append(l, s.text)
			}
		}
		if len(l) > 0 {
			left = append(left, strings.Join(l, " "))
		}
		if len(r) > 0 {
			right = append(right, strings.Join(r, " "))
		}
		lastLeft, lastRight = len(l) > 0, len(r) > 0
	}
	return append(append(left, ""), right...)
}

// body writes the lines of running text: tables as pipe tables, the lines of
// a paragraph joined, the page's margin removed.
func body(lines []string, margin, edge int) []string {
	var out []string
	for i := 0; i < len(lines); i++ {
		if n := tableLines(lines, i); n > 0 {
			out = append(out, table(lines[i:i+n])...)
			i += n - 1
			continue
		}
		ln := lines[i]
		if strings.TrimSpace(ln) == "" {
			out = append(out, "")
			continue
		}
		cur := trimMargin(ln, margin)
		wrap := margin
		if h := hangingIndent(ln); h > margin {
			wrap = h
		}
		// Join the lines a paragraph wrapped over; a centred line (a title)
		// stands alone.
		for i+1 < len(lines) && full(lines[i], edge) && !centred(lines[i], margin, edge) && indentOf(lines[i]) <= margin+8 &&
			!strings.HasSuffix(strings.TrimSpace(lines[i]), ":") && continuation(lines[i+1], wrap) && tableLines(lines, i+1) == 0 {
			i++
			cur = strings.TrimRight(cur, " ") + " " + strings.TrimSpace(lines[i])
		}
		out = append(out, foldInner(cur))
	}
	return out
}

// centred reports whether a line stands centred between the margins, as a
// title does, rather than filling them.
func centred(ln string, margin, edge int) bool {
	in := indentOf(ln) - margin
	right := edge - utf8.RuneCountInString(strings.TrimRight(ln, " "))
	tol := max(3, (in+right)/3)
	return in >= 2 && right >= 2 && in-right <= tol && right-in <= tol
}

func trimMargin(ln string, margin int) string {
	in := indentOf(ln)
	return ln[min(in, margin):]
}

// foldInner folds runs of spaces inside a line, keeping its indent.
func foldInner(s string) string {
	in := indentOf(s)
	return s[:in] + strings.Join(strings.Fields(s[in:]), " ")
}

// full reports whether a line runs to the page's right edge, so the
// paragraph goes on on the next line.
func full(ln string, edge int) bool {
	if edge <= 0 {
		return false
	}
	return utf8.RuneCountInString(strings.TrimRight(ln, " ")) >= edge-8
}

// continuation reports whether a line can continue the paragraph above: it
// starts at the margin, not indented as a new paragraph, and opens with no
// number, bullet or closing words.
func continuation(ln string, margin int) bool {
	t := strings.TrimSpace(ln)
	if t == "" || indentOf(ln) > margin+2 {
		return false
	}
	b := classify(line{text: stripMarks(t), end: len(stripMarks(t))})
	return b.kind == blockPara && !reParenNumber.MatchString(t)
}

// reParenNumber is a list number in brackets: "(1)", "(a)", "1)".
var reParenNumber = regexp.MustCompile(`^(?:\(\d{1,2}\)|\([a-zđ]\)|\d{1,2}\))\s`)

// tableLines is how many lines from i form a table: two or more lines in a
// row cut into two or more segments at the same columns, with the lines a
// cell wraps over; 0 when none.
func tableLines(lines []string, i int) int {
	first := segmentsOf(lines[i])
	if len(first) < 2 || reRule.MatchString(strings.TrimSpace(lines[i])) {
		return 0
	}
	cols := starts(first)
	rows := 1
	n := 1
	for i+n < len(lines) {
		segs := segmentsOf(lines[i+n])
		if len(segs) == 0 {
			break
		}
		if len(segs) >= 2 {
			// A row may have a column the header's cell spans.
			cols = mergeStarts(cols, starts(segs))
		} else if !cellWrap(segs[0], cols, lines[i+n]) {
			break
		}
		if len(segs) >= 2 {
			rows++
		}
		n++
	}
	if rows < 2 {
		return 0
	}
	return n
}

// mergeStarts merges two sets of column starts, those within 3 columns of
// each other as one.
func mergeStarts(a, b []int) []int {
	all := append(append([]int{}, a...), b...)
	sort.Ints(all)
	var out []int
	for _, c := range all {
		if len(out) > 0 && c-out[len(out)-1] <= 3 {
			continue
		}
		out = append(out, c)
	}
	return out
}

// tableColumns are the column starts of a table's lines.
func tableColumns(lines []string) []int {
	var cols []int
	for _, ln := range lines {
		if segs := segmentsOf(ln); len(segs) >= 2 {
			cols = mergeStarts(cols, starts(segs))
		}
	}
	return cols
}

// cutAtColumns cuts a segment spanning several columns ("Đơn vị tính Năm
// 2020" over two) at the spaces nearest the columns' starts.
func cutAtColumns(s segment, cols []int) []segment {
	runes := []rune(s.text)
	var out []segment
	from := 0
	for _, c := range cols {
		at := c - s.start
		if at <= from+1 || at >= len(runes)-1 {
			continue
		}
		best := -1
		for d := 0; d <= 3; d++ {
			for _, k := range []int{at - d, at + d} {
				if best < 0 && k > from && k < len(runes) && runes[k] == ' ' {
					best = k
				}
			}
		}
		if best < 0 {
			continue
		}
		out = append(out, segment{start: s.start + from, text: strings.TrimSpace(string(runes[from:best]))})
		from = best + 1
	}
	return append(out, segment{start: s.start + from, text: strings.TrimSpace(string(runes[from:]))})
}

// cellWrap reports whether a line of one segment continues a cell of the
// table above: it stands in a column after the first and fits in it.
func cellWrap(s segment, cols []int, ln string) bool {
	k := column(s.start, cols)
	if k < 1 {
		return false
	}
	if k+1 < len(cols) && s.end > cols[k+1] {
		return false
	}
	b := classify(line{text: strings.TrimSpace(ln), end: len(strings.TrimSpace(ln))})
	return b.kind == blockPara
}

func starts(segs []segment) []int {
	out := make([]int, len(segs))
	for i, s := range segs {
		out[i] = s.start
	}
	return out
}

// aligned reports whether every segment starts near a column of the table.
func aligned(segs []segment, cols []int) bool {
	for _, s := range segs {
		if column(s.start, cols) < 0 {
			return false
		}
	}
	return true
}

func column(start int, cols []int) int {
	for k, c := range cols {
		if start >= c-3 && (k+1 == len(cols) || start < cols[k+1]-3) {
			if start <= c+12 || k+1 == len(cols) || start < cols[k+1]-3 {
				return k
			}
		}
	}
	return -1
}

// table writes layout lines as a pipe table: a line of two or more segments
// opens a row, a line of one continues the cell it stands under.
func table(lines []string) []string {
	cols := tableColumns(lines)
	var rows [][]string
	for _, ln := range lines {
		var segs []segment
		for _, s := range segmentsOf(ln) {
			segs = append(segs, cutAtColumns(s, cols)...)
		}
		if len(segs) >= 2 || len(rows) == 0 {
			rows = append(rows, make([]string, len(cols)))
			for _, s := range segs {
				k := column(s.start, cols)
				rows[len(rows)-1][k] = strings.TrimSpace(rows[len(rows)-1][k] + " " + s.text)
			}
			continue
		}
		for _, s := range segs {
			k := column(s.start, cols)
			row := rows[len(rows)-1]
			row[k] = strings.TrimSpace(row[k] + " " + s.text)
		}
	}
	out := make([]string, 0, len(rows)+1)
	for r, row := range rows {
		cells := make([]string, len(row))
		for k, c := range row {
			cells[k] = strings.ReplaceAll(vntext.FoldSpace(c), "|", `\|`)
		}
		out = append(out, "| "+strings.Join(cells, " | ")+" |")
		if r == 0 {
			out = append(out, "|"+strings.Repeat("---|", len(row)))
		}
	}
	return append(out, "")
}

// gridLines lays Tesseract's words out as `pdftotext -layout` lays out a
// text layer: words of one row (across Tesseract's blocks, so a two-column
// header is one row) on a grid of character cells, a blank line where the
// rows are far apart, low-confidence words between marks.
func gridLines(words []ocrWord) []string {
	if len(words) == 0 {
		return nil
	}
	type row struct {
		top, bottom int
		words       []ocrWord
	}
	// Tesseract's lines first, then physical rows.
	type key struct{ block, par, line int }
	byLine := map[key]*row{}
	var order []key
	kept := words[:0:0]
	for _, w := range words {
		// Specks a scan leaves (":", "..", "'") are no words.
		if !isWordy(w.text) && w.conf < 50 {
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) == 0 {
		return nil
	}
	words = kept
	for _, w := range words {
		k := key{w.block, w.par, w.line}
		r, ok := byLine[k]
		if !ok {
			r = &row{top: w.top, bottom: w.top + w.height}
			byLine[k] = r
			order = append(order, k)
		}
		r.top, r.bottom = min(r.top, w.top), max(r.bottom, w.top+w.height)
		r.words = append(r.words, w)
	}
	var lines []*row
	var heights, widths []float64
	minLeft := words[0].left
	for _, k := range order {
		r := byLine[k]
		lines = append(lines, r)
		heights = append(heights, float64(r.bottom-r.top))
	}
	for _, w := range words {
		minLeft = min(minLeft, w.left)
		if n := utf8.RuneCountInString(w.text); n >= 3 {
			widths = append(widths, float64(w.width)/float64(n))
		}
	}
	lineH := median(heights)
	var wordH []float64
	for _, w := range words {
		wordH = append(wordH, float64(w.height))
	}
	// Words farther apart than about two letters' height stand in
	// different columns; nearer, a space parts them.
	columnGap := 1.6 * median(wordH)
	charW := median(widths)
	if charW <= 0 {
		charW = max(lineH/2, 1)
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].top < lines[j].top })
	var rows []*row
	for _, l := range lines {
		if n := len(rows); n > 0 {
			last := rows[n-1]
			mid := (l.top + l.bottom) / 2
			if mid > last.top && mid < last.bottom && float64(l.top-last.top) < 0.6*lineH {
				last.words = append(last.words, l.words...)
				last.top, last.bottom = min(last.top, l.top), max(last.bottom, l.bottom)
				continue
			}
		}
		cp := *l
		rows = append(rows, &cp)
	}
	var out []string
	prevBottom := -1
	for _, r := range rows {
		if prevBottom >= 0 && float64(r.top-prevBottom) > 0.9*lineH {
			out = append(out, "")
		}
		prevBottom = r.bottom
		sort.SliceStable(r.words, func(i, j int) bool { return r.words[i].left < r.words[j].left })
		// A dash opening a line, which OCR reads as "~" or "~-": the bullet.
		switch r.words[0].text {
		case "~", "~-", "-~", "=", "_":
			r.words[0].text = "-"
		}
		var b strings.Builder
		col := 0
		prevRight := -1
		for _, w := range r.words {
			at := int(float64(w.left-minLeft)/charW + 0.5)
			if col > 0 {
				if prevRight >= 0 && float64(w.left-prevRight) > columnGap {
					at = max(at, col+3)
				} else {
					at = col + 1
				}
			}
			b.WriteString(strings.Repeat(" ", max(at-col, 0)))
			col = max(at, col)
			text := w.text
			if w.conf < lowConfidence && isWordy(text) {
				text = string(markOpen) + text + string(markClose)
			}
			b.WriteString(text)
			col += utf8.RuneCountInString(w.text)
			prevRight = w.left + w.width
		}
		out = append(out, b.String())
	}
	return out
}

// isWordy reports whether an OCR word holds a letter or digit: a stray
// dot Tesseract is unsure of is nothing to review.
func isWordy(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// textColumns lays out a plain-text document's two-column parts as
// layoutText does a PDF's: a text copied from a Word document keeps the
// header table's cells side by side, separated by a tab or by spaces
// ("Số: 12/KH-UBND<TAB>Quảng Nam, ngày …"), and so the signature block
// beside the distribution list. Those lines are split into the left
// column, then the right.
func textColumns(text string) string {
	lines := strings.Split(text, "\n")
	kind := -1
	for i, ln := range lines {
		if i > 40 {
			break
		}
		t := vntext.FoldSpace(strings.Trim(ln, " \t*#_"))
		if _, ok := documentKinds[vntext.SearchKey(t)]; ok && isUpperLine(t) {
			kind = i
			break
		}
	}
	closing := -1
	for i := max(kind, 0); i < len(lines); i++ {
		t := strings.TrimLeft(lines[i], " \t*_")
		if strings.HasPrefix(vntext.SearchKey(prefixBytes(t, 24)), "noi nhan") {
			closing = i
			break
		}
	}
	var out []string
	if kind > 0 {
		out = append(out, splitTextColumns(lines[:kind])...)
	} else {
		kind = 0
	}
	if closing < 0 {
		return strings.Join(append(out, lines[kind:]...), "\n")
	}
	out = append(out, lines[kind:closing]...)
	end := len(lines)
	for i := closing + 1; i < len(lines); i++ {
		if t := vntext.FoldSpace(strings.Trim(lines[i], " \t*_#")); isUpperLine(t) && strings.HasPrefix(vntext.SearchKey(t), "phu luc") {
			end = i
			break
		}
	}
	out = append(out, splitTextColumns(lines[closing:end])...)
	return strings.Join(append(out, lines[end:]...), "\n")
}

// splitTextColumns splits lines whose columns are set apart by tabs or by
// three or more spaces; lines without any are kept as they are.
func splitTextColumns(lines []string) []string {
	split := -1
	twoCol := false
	for _, ln := range lines {
		if strings.Contains(strings.TrimLeft(ln, "\t "), "\t") {
			twoCol = true
		}
		segs := segmentsOf(strings.ReplaceAll(ln, "\t", "     "))
		for _, s := range segs[min(1, len(segs)):] {
			twoCol = true
			if split < 0 || s.start < split {
				split = s.start
			}
		}
	}
	if !twoCol {
		return lines
	}
	var left, right []string
	for _, ln := range lines {
		if strings.TrimSpace(ln) == "" {
			continue
		}
		if strings.Contains(ln, "\t") {
			startsRight := strings.HasPrefix(ln, "\t")
			for k, part := range strings.Split(strings.TrimLeft(ln, "\t"), "\t") {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				if k == 0 && !startsRight {
					left = append(left, part)
				} else {
					right = append(right, part)
				}
			}
			continue
		}
		for _, s := range segmentsOf(ln) {
			if split >= 0 && s.start >= split-2 {
				right = append(right, s.text)
			} else {
				left = append(left, s.text)
			}
		}
	}
	return append(append(left, ""), right...)
}
