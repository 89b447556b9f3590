package importer

import (
	"fmt"
	"time"
)

// LimitError is returned when a document would expand beyond what the
// importer reads: too many characters, too many columns in a table, too many
// pages or pixels. Limit names the bound, Max its value.
type LimitError struct {
	// Limit is the bound's name: text_chars, expansion, table_columns,
	// pages, image_pixels, list_label, tool_output, unzipped, zip_entries.
	Limit string
	// Max is the bound.
	Max int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("document exceeds the %s limit (%d)", e.Limit, e.Max)
}

// The bounds on what one document may become. A real plan is a few dozen
// pages: 30 pages of text is about 100,000 characters.
const (
	// MaxTextChars is the most characters of text a document may read to
	// (about 500 pages).
	MaxTextChars = 1_500_000
	// MaxCharsPerByte bounds the characters a compressed document (.docx)
	// may expand to per byte of the file, beyond a floor every file may reach.
	MaxCharsPerByte = 20
	// expansionFloor is what any document may expand to whatever its size.
	expansionFloor = 200_000
	// MaxTableColumns is the most columns a table may have.
	MaxTableColumns = 40
	// MaxPages is the most pages of a PDF the importer reads.
	MaxPages = 300
	// MaxOCRPages is the most pages it reads by OCR.
	MaxOCRPages = 60
	// MaxImagePixels bounds an image (or a rasterised page) given to OCR.
	MaxImagePixels = 60_000_000
	// maxListLabel bounds a Word list number as rendered ("II.", "1.2.3.").
	maxListLabel = 32
)

// Time bounds on the document tools, each run.
var (
	// ConvertTimeout bounds one LibreOffice conversion.
	ConvertTimeout = 90 * time.Second
	// PDFTextTimeout bounds reading a PDF's text layer.
	PDFTextTimeout = 60 * time.Second
	// OCRPageTimeout bounds rasterising and recognising one page.
	OCRPageTimeout = 3 * time.Minute
	// ReadTimeout bounds the whole import of a document in one process
	// (`cascade import`, the synchronous API path).
	ReadTimeout = 10 * time.Minute
)

// expansionLimit is the most characters data of a compressed format may
// expand to.
func expansionLimit(size int) int {
	return min(MaxTextChars, max(expansionFloor, size*MaxCharsPerByte))
}
