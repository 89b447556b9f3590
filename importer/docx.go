package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"cascade/vntext"
)

// readDocx renders word/document.xml as Markdown-like text: Heading styles
// become "#" headings, Word's automatic list numbering is written out ("II. ",
// "1. ", "a) "), bullets become "- " items and tables become pipe tables, so
// the same structural reader handles every format.
func readDocx(data []byte) (string, error) {
	budget := expansionLimit(len(data))
	zr, err := openZip(data)
	if err != nil {
		return "", err
	}
	unzip := newUnzipBudget(len(data))
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	doc, ok := parts["word/document.xml"]
	if !ok {
		return "", fmt.Errorf("open docx: no word/document.xml: %w", ErrUnreadable)
	}
	body, err := unzip.read(doc)
	var le *LimitError
	if errors.As(err, &le) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("read word/document.xml: %w: %w", ErrUnreadable, err)
	}
	w := &docxWriter{num: newNumbering(), styles: map[string]*docxStyle{}, budget: budget}
	// numbering.xml and styles.xml only refine the rendering; a broken one is
	// read as far as it goes; one beyond the budget refuses the document.
	if f, ok := parts["word/numbering.xml"]; ok {
		b, err := unzip.read(f)
		if errors.As(err, &le) {
			return "", err
		}
		if err == nil {
			w.num.parse(b)
		}
	}
	if f, ok := parts["word/styles.xml"]; ok {
		b, err := unzip.read(f)
		if errors.As(err, &le) {
			return "", err
		}
		if err == nil {
			w.parseStyles(b)
		}
	}
	err = w.walk(body)
	w.flushBlank()
	if err != nil {
		if errors.As(err, &le) {
			return "", err
		}
		return "", fmt.Errorf("read word/document.xml: %w: %w", ErrUnreadable, err)
	}
	return w.out.String(), nil
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// numbering holds word/numbering.xml: list definitions and their counters.
type numbering struct {
	abstract map[string]*[9]numLevel
	nums     map[string]*numInstance
	counters map[string]*[9]int
}

type numLevel struct {
	defined bool
	start   int
	format  string
	text    string
}

type numInstance struct {
	abstract  string
	overrides map[int]int
}

func newNumbering() *numbering {
	return &numbering{abstract: map[string]*[9]numLevel{}, nums: map[string]*numInstance{}, counters: map[string]*[9]int{}}
}

func (n *numbering) parse(b []byte) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var (
		levels *[9]numLevel
		lvl    = -1
		inst   *numInstance
		ovr    = -1
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "abstractNum":
				levels = &[9]numLevel{}
				n.abstract[attr(t, "abstractNumId")] = levels
			case "lvl":
				lvl = -1
				if i, err := strconv.Atoi(attr(t, "ilvl")); err == nil && i >= 0 && i < 9 && levels != nil && inst == nil {
					lvl = i
					levels[lvl] = numLevel{defined: true, start: 1, format: "decimal"}
				}
			case "start":
				if lvl >= 0 && levels != nil && inst == nil {
					if v, err := strconv.Atoi(attr(t, "val")); err == nil {
						levels[lvl].start = v
					}
				}
			case "numFmt":
				if lvl >= 0 && levels != nil && inst == nil {
					levels[lvl].format = attr(t, "val")
				}
			case "lvlText":
				if lvl >= 0 && levels != nil && inst == nil {
					levels[lvl].text = attr(t, "val")
				}
			case "num":
				inst = &numInstance{overrides: map[int]int{}}
				n.nums[attr(t, "numId")] = inst
			case "abstractNumId":
				if inst != nil {
					inst.abstract = attr(t, "val")
				}
			case "lvlOverride":
				ovr = -1
				if i, err := strconv.Atoi(attr(t, "ilvl")); err == nil && i >= 0 && i < 9 {
					ovr = i
				}
			case "startOverride":
				if inst != nil && ovr >= 0 {
					if v, err := strconv.Atoi(attr(t, "val")); err == nil {
						inst.overrides[ovr] = v
					}
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "abstractNum":
				levels, lvl = nil, -1
			case "num":
				inst = nil
			case "lvl":
				lvl = -1
			}
		}
	}
}

// next advances the counter of list numID at level ilvl and renders the
// number, e.g. "II."; bullet is true for a bullet level.
func (n *numbering) next(numID string, ilvl int) (label string, bullet bool, ok bool) {
	inst, found := n.nums[numID]
	if !found || numID == "0" || ilvl < 0 || ilvl > 8 {
		return "", false, false
	}
	levels, found := n.abstract[inst.abstract]
	if !found || !levels[ilvl].defined {
		return "", false, false
	}
	if levels[ilvl].format == "bullet" {
		return "-", true, true
	}
	// Lists restarted by an override count on their own; others continue the
	// definition's counter, as Word does.
	key := "a:" + inst.abstract
	if len(inst.overrides) > 0 {
		key = "n:" + numID
	}
	c, found := n.counters[key]
	if !found {
		c = &[9]int{}
		n.counters[key] = c
	}
	start := func(l int) int {
		if v, ok := inst.overrides[l]; ok {
			return v
		}
		return levels[l].start
	}
	if c[ilvl] == 0 {
		c[ilvl] = start(ilvl)
	} else {
		c[ilvl]++
	}
	for l := ilvl + 1; l < 9; l++ {
		c[l] = 0
	}
	text := levels[ilvl].text
	if len(text) > maxListLabel {
		// No real list number is this long: a label repeated on every
		// paragraph would only multiply the text.
		return "", false, true
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '%' && i+1 < len(text) && text[i+1] >= '1' && text[i+1] <= '9' {
			l := int(text[i+1] - '1')
			v := c[l]
			if v == 0 {
				v = start(l)
			}
			b.WriteString(formatListNumber(v, levels[l].format))
			i++
			continue
		}
		b.WriteByte(text[i])
	}
	return strings.TrimSpace(b.String()), false, true
}

func formatListNumber(v int, format string) string {
	switch format {
	case "upperRoman":
		return vntext.FormatRoman(v)
	case "lowerRoman":
		return strings.ToLower(vntext.FormatRoman(v))
	case "upperLetter":
		return letters(v, 'A')
	case "lowerLetter":
		return letters(v, 'a')
	case "decimalZero":
		return fmt.Sprintf("%02d", v)
	case "none":
		return ""
	}
	return strconv.Itoa(v)
}

// letters numbers the way Word does: a…z, then aa…zz.
func letters(v int, base rune) string {
	if v <= 0 || v > 26*10 {
		return strconv.Itoa(v)
	}
	r := string(base + rune((v-1)%26))
	return strings.Repeat(r, (v-1)/26+1)
}

type docxStyle struct {
	basedOn string
	heading int // 1-based heading level, 0 if not a heading
	numID   string
	ilvl    int
}

func (w *docxWriter) parseStyles(b []byte) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var cur *docxStyle
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				cur = &docxStyle{}
				id := attr(t, "styleId")
				w.styles[id] = cur
				cur.heading = headingLevel(id)
			case "name":
				if cur != nil && cur.heading == 0 {
					cur.heading = headingLevel(attr(t, "val"))
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = attr(t, "val")
				}
			case "outlineLvl":
				if v, err := strconv.Atoi(attr(t, "val")); err == nil && cur != nil && v >= 0 && v < 9 {
					cur.heading = v + 1
				}
			case "numId":
				if cur != nil {
					cur.numID = attr(t, "val")
				}
			case "ilvl":
				if v, err := strconv.Atoi(attr(t, "val")); err == nil && cur != nil {
					cur.ilvl = v
				}
			}
		case xml.EndElement:
			if t.Name.Local == "style" {
				cur = nil
			}
		}
	}
}

// headingLevel reads "Heading2" or "heading 2" as 2.
func headingLevel(name string) int {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	if !strings.HasPrefix(n, "heading") {
		return 0
	}
	v, err := strconv.Atoi(n[len("heading"):])
	if err != nil || v < 1 || v > 9 {
		return 0
	}
	return v
}

// docxWriter renders document.xml as text.
type docxWriter struct {
	num    *numbering
	styles map[string]*docxStyle
	out    strings.Builder
	// budget is the most bytes of text the document may render to: a few
	// kilobytes of XML must not become megabytes of text.
	budget int
	err    error
	// lastCenter is true when the last paragraph written was centred.
	lastCenter bool
	// needBlank is true when a blank line is owed after the last paragraph.
	needBlank bool
}

// flushBlank writes the blank line owed after a paragraph.
func (w *docxWriter) flushBlank() {
	if w.needBlank {
		w.out.WriteByte('\n')
		w.needBlank = false
	}
}

// spend checks that n more bytes of text stay within the budget.
func (w *docxWriter) spend(n int) bool {
	if w.err != nil {
		return false
	}
	if w.out.Len()+n > w.budget {
		w.err = &LimitError{Limit: "expansion", Max: int64(w.budget)}
		return false
	}
	return true
}

type docxPara struct {
	center  bool
	style   string
	numID   string
	ilvl    int
	heading int
	text    strings.Builder
}

type docxTable struct {
	rows [][]string
	row  []string
	cell []string
	span int
	size int // bytes of text held so far
	// paras are the paragraphs of each cell, row by row, for a layout table.
	paras    [][][]string
	rowParas [][]string
}

// emptyRow reports whether a table row has no text: such rows (a bomb pads
// thousands of them to the table's width) are not written.
func emptyRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func (w *docxWriter) walk(body []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var (
		paras  []*docxPara
		tables []*docxTable
		skip   int // depth inside a subtree whose text is not the document's
		inText bool
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("decode xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			var p *docxPara
			if len(paras) > 0 {
				p = paras[len(paras)-1]
			}
			switch t.Name.Local {
			case "delText", "instrText", "Fallback", "moveFrom", "footnoteReference":
				skip = 1
			case "p":
				paras = append(paras, &docxPara{ilvl: -1})
			case "pStyle":
				if p != nil {
					p.style = attr(t, "val")
				}
			case "numId":
				if p != nil {
					p.numID = attr(t, "val")
				}
			case "ilvl":
				if p != nil {
					if v, err := strconv.Atoi(attr(t, "val")); err == nil {
						p.ilvl = v
					}
				}
			case "outlineLvl":
				if p != nil {
					if v, err := strconv.Atoi(attr(t, "val")); err == nil && v >= 0 && v < 9 {
						p.heading = v + 1
					}
				}
			case "jc":
				if p != nil && len(tables) == 0 {
					p.center = attr(t, "val") == "center"
				}
			case "t":
				inText = true
			case "tab", "ptab":
				if p != nil {
					p.text.WriteByte(' ')
				}
			case "br", "cr":
				if p != nil && attr(t, "type") != "page" {
					p.text.WriteByte('\n')
				}
			case "noBreakHyphen":
				if p != nil {
					p.text.WriteByte('-')
				}
			case "tbl":
				tables = append(tables, &docxTable{})
			case "tr":
				if tb := top(tables); tb != nil {
					tb.row, tb.rowParas = nil, nil
				}
			case "tc":
				if tb := top(tables); tb != nil {
					tb.cell, tb.span = nil, 1
				}
			case "gridSpan":
				if tb := top(tables); tb != nil {
					if v, err := strconv.Atoi(attr(t, "val")); err == nil && v > 1 && v < 64 {
						tb.span = v
					}
				}
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if len(paras) == 0 {
					continue
				}
				p := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				line := w.render(p, len(tables) > 0)
				if tb := top(tables); tb != nil {
					if line != "" {
						tb.size += len(line)
						if !w.spend(tb.size) {
							return w.err
						}
						tb.cell = append(tb.cell, line)
					}
				} else if line != "" {
					if !w.spend(len(line) + 2) {
						return w.err
					}
					// Centred lines in a row (the type and the title of a
					// plan) stay one block, as they read: no blank line
					// between them.
					if p.center && w.lastCenter {
						w.needBlank = false
					}
					w.flushBlank()
					w.lastCenter = p.center && !strings.HasPrefix(line, "#")
					w.out.WriteString(line)
					w.out.WriteString("\n")
					w.needBlank = true
				}
			case "tc":
				if tb := top(tables); tb != nil {
					if len(tb.row)+tb.span > MaxTableColumns {
						return &LimitError{Limit: "table_columns", Max: MaxTableColumns}
					}
					tb.row = append(tb.row, strings.Join(tb.cell, " "))
					tb.rowParas = append(tb.rowParas, tb.cell)
					for i := 1; i < tb.span; i++ {
						tb.row = append(tb.row, "")
						tb.rowParas = append(tb.rowParas, nil)
					}
				}
			case "tr":
				if tb := top(tables); tb != nil && !emptyRow(tb.row) {
					tb.rows = append(tb.rows, tb.row)
					tb.paras = append(tb.paras, tb.rowParas)
				}
			case "tbl":
				if len(tables) == 0 {
					continue
				}
				tb := tables[len(tables)-1]
				tables = tables[:len(tables)-1]
				if outer := top(tables); outer != nil {
					// A table nested in a cell is read as text of that cell.
					for _, r := range tb.rows {
						outer.cell = append(outer.cell, strings.Join(r, " "))
					}
					continue
				}
				if err := w.writeTable(tb); err != nil {
					return err
				}
			}
		case xml.CharData:
			if inText && skip == 0 && len(paras) > 0 {
				p := paras[len(paras)-1]
				if !w.spend(p.text.Len() + len(t)) {
					return w.err
				}
				p.text.Write(t)
			}
		}
	}
	return nil
}

func top(tables []*docxTable) *docxTable {
	if len(tables) == 0 {
		return nil
	}
	return tables[len(tables)-1]
}

// render writes one paragraph as a line of text with its heading marks and
// list number; "" for an empty paragraph.
func (w *docxWriter) render(p *docxPara, inTable bool) string {
	text := strings.TrimSpace(p.text.String())
	if text == "" {
		return ""
	}
	heading, numID, ilvl := p.heading, p.numID, p.ilvl
	for id, depth := p.style, 0; id != "" && depth < 10; depth++ {
		st, ok := w.styles[id]
		if !ok {
			if heading == 0 {
				heading = headingLevel(id)
			}
			break
		}
		if heading == 0 {
			heading = st.heading
		}
		if numID == "" && st.numID != "" {
			numID = st.numID
			if ilvl < 0 {
				ilvl = st.ilvl
			}
		}
		id = st.basedOn
	}
	if ilvl < 0 {
		ilvl = 0
	}
	prefix := ""
	if numID != "" {
		if label, bullet, ok := w.num.next(numID, ilvl); ok {
			switch {
			case bullet && !inTable:
				prefix = strings.Repeat("  ", ilvl) + "- "
			case bullet:
				prefix = "- "
			case label != "":
				prefix = label + " "
			}
		}
	}
	if inTable {
		return prefix + strings.ReplaceAll(text, "\n", " ")
	}
	if heading > 0 {
		return strings.Repeat("#", min(heading, 6)) + " " + prefix + strings.ReplaceAll(text, "\n", " ")
	}
	return prefix + text
}

// layoutTable reports whether a table only lays out a plan's header
// (issuer and number left; motto, place and date right) or its closing
// (distribution list left, signature right): two columns, a few rows, and
// the words of those parts.
func layoutTable(tb *docxTable) bool {
	if len(tb.rows) == 0 || len(tb.rows) > 6 {
		return false
	}
	for _, r := range tb.rows {
		filled := 0
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				filled++
			}
		}
		if len(r) > 2 && filled > 2 {
			return false
		}
	}
	for _, row := range tb.paras {
		for _, cell := range row {
			for _, p := range cell {
				k := vntext.SearchKey(p)
				if strings.HasPrefix(k, "so") && strings.Contains(p, "/") || strings.HasPrefix(k, "cong hoa xa hoi") ||
					strings.HasPrefix(k, "dang cong san") || strings.HasPrefix(k, "noi nhan") || reSignature.MatchString(p) {
					return true
				}
			}
		}
	}
	return false
}

func (w *docxWriter) writeTable(tb *docxTable) error {
	w.flushBlank()
	if layoutTable(tb) {
		// The header's or the closing's two columns: each column's
		// paragraphs in turn, as lines of text.
		for col := 0; col < 2; col++ {
			for _, row := range tb.paras {
				if col < len(row) {
					for _, p := range row[col] {
						if !w.spend(len(p) + 1) {
							return w.err
						}
						w.out.WriteString(p)
						w.out.WriteString("\n")
					}
				}
			}
			w.out.WriteString("\n")
		}
		w.lastCenter = false
		return nil
	}
	width := 0
	for _, r := range tb.rows {
		width = max(width, len(r))
	}
	if width == 0 {
		return nil
	}
	for i, r := range tb.rows {
		if !w.spend(4*width + len(strings.Join(r, "")) + 8) {
			return w.err
		}
		w.out.WriteString("|")
		for c := 0; c < width; c++ {
			cell := ""
			if c < len(r) {
				cell = strings.ReplaceAll(strings.ReplaceAll(r[c], "|", `\|`), "\n", " ")
			}
			w.out.WriteString(" " + cell + " |")
		}
		w.out.WriteString("\n")
		if i == 0 {
			w.out.WriteString("|" + strings.Repeat("---|", width) + "\n")
		}
	}
	w.out.WriteString("\n")
	return nil
}
