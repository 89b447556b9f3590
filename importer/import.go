package importer

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"cascade/vntext"
)

// ErrUnreadable is wrapped by Import's error when the file cannot be read at
// all, such as a corrupt .docx. A readable document the importer does not
// understand is not an error.
var ErrUnreadable = errors.New("unreadable document")

// Import reads a plan document into a Draft, choosing the reader by the
// extension of filename: ".docx" is read as a Word document (a file starting
// with a zip signature is too, whatever its name), ".md" as Markdown, and
// anything else as plain text. It returns an error only when the file cannot
// be read; a document it does not understand becomes one section holding the
// whole text.
func Import(filename string, data []byte) (*Draft, error) {
	ext := strings.ToLower(filepath.Ext(filename))
	var (
		text   string
		format string
	)
	switch {
	case ext == ".docx" || bytes.HasPrefix(data, []byte("PK\x03\x04")):
		md, err := readDocx(data)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", filename, err)
		}
		text, format = md, "docx"
	case ext == ".md" || ext == ".markdown":
		text, format = decodeText(data), "md"
	default:
		text, format = decodeText(data), "txt"
	}
	if n := utf8.RuneCountInString(text); n > MaxTextChars {
		return nil, &LimitError{Limit: "text_chars", Max: MaxTextChars}
	}
	text = normalise(text)
	if format == "txt" {
		text = textColumns(text)
	}
	d := read(text, format)
	return d, nil
}

// FromPages reads the pages of a PDF's text layer or of a scan's OCR (each
// laid out on a grid of character cells, see layoutText) into a Draft.
// format is "pdf" or "scan". Words OCR was unsure of become Uncertain spans,
// and every item read from one needs review.
func FromPages(pages []string, format string) (*Draft, error) {
	size := 0
	for _, p := range pages {
		size += len(p)
	}
	if size > 4*MaxTextChars {
		return nil, &LimitError{Limit: "text_chars", Max: MaxTextChars}
	}
	text, marks := unmark(normalise(layoutText(pages)))
	if n := utf8.RuneCountInString(text); n > MaxTextChars {
		return nil, &LimitError{Limit: "text_chars", Max: MaxTextChars}
	}
	d := read(text, format)
	ix := newRuneIndex(text)
	for _, m := range marks {
		d.Uncertain = append(d.Uncertain, ix.span(m[0], m[1]))
	}
	flagUncertain(d)
	return d, nil
}

// unmark removes the low-confidence marks of OCR text and returns where the
// marked words are in what remains, as byte offsets.
func unmark(s string) (string, [][2]int) {
	if !strings.ContainsRune(s, markOpen) {
		return strings.ReplaceAll(s, string(markClose), ""), nil
	}
	var b strings.Builder
	var spans [][2]int
	open := -1
	for _, r := range s {
		switch r {
		case markOpen:
			open = b.Len()
		case markClose:
			if open >= 0 {
				spans = append(spans, [2]int{open, b.Len()})
			}
			open = -1
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), spans
}

// decodeText turns the bytes of a text file into a string: UTF-16 with a byte
// order mark is decoded, a UTF-8 BOM dropped, invalid UTF-8 replaced.
func decodeText(data []byte) string {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		if out, err := dec.Bytes(data); err == nil {
			return string(out)
		}
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	return string(data)
}

// normalise makes the text every Span points into: NFC, "\n" line ends,
// no-break spaces as spaces, invisible characters dropped, trailing spaces
// of each line trimmed.
func normalise(s string) string {
	s = vntext.Normalize(s)
	r := strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\u200b", "", "\ufeff", "", "\u2028", "\n", "\u2029", "\n", "\f", "\n", "\v", "\n")
	s = r.Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	for len(s) > 0 {
		line, rest, found := strings.Cut(s, "\n")
		b.WriteString(strings.TrimRight(line, " \t"))
		if found {
			b.WriteByte('\n')
		}
		s = rest
	}
	return b.String()
}

// runeIndex converts byte offsets of a valid UTF-8 text to rune offsets.
type runeIndex struct {
	text   string
	blocks []int // rune count before byte 64*i
}

const runeBlock = 64

func newRuneIndex(text string) *runeIndex {
	ix := &runeIndex{text: text, blocks: make([]int, len(text)/runeBlock+1)}
	n := 0
	for i := 0; i < len(text); i++ {
		if i%runeBlock == 0 {
			ix.blocks[i/runeBlock] = n
		}
		if text[i]&0xC0 != 0x80 {
			n++
		}
	}
	if len(text)%runeBlock == 0 {
		ix.blocks[len(text)/runeBlock] = n
	}
	return ix
}

func (ix *runeIndex) at(off int) int {
	if off < 0 {
		off = 0
	}
	if off > len(ix.text) {
		off = len(ix.text)
	}
	b := off / runeBlock
	n := ix.blocks[b]
	for i := b * runeBlock; i < off; i++ {
		if ix.text[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

func (ix *runeIndex) span(start, end int) Span { return Span{Start: ix.at(start), End: ix.at(end)} }
