package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // image.DecodeConfig reads the size of a .jpg scan
	_ "image/png"  // and of a .png
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The formats a document arrives in, as Sniff names them.
const (
	FormatText     = "txt"
	FormatMarkdown = "md"
	FormatDocx     = "docx"
	// FormatOffice is an older or other office file (.doc, .odt, .rtf)
	// LibreOffice converts to .docx.
	FormatOffice = "office"
	FormatPDF    = "pdf"
	// FormatImage is a scan as a .png or .jpg picture.
	FormatImage = "image"
)

// Extensions lists the file extensions the importer reads.
var Extensions = []string{".docx", ".doc", ".odt", ".rtf", ".pdf", ".png", ".jpg", ".jpeg", ".txt", ".md"}

// Sniff names the format of a document from its content, the extension
// deciding only between text and Markdown; "" when the importer does not
// read it.
func Sniff(filename string, data []byte) string {
	ext := strings.ToLower(filepath.Ext(filename))
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return FormatPDF
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")), bytes.HasPrefix(data, []byte("\xFF\xD8\xFF")):
		return FormatImage
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		if ext == ".odt" || bytes.Contains(data[:min(len(data), 200)], []byte("application/vnd.oasis.opendocument.text")) {
			return FormatOffice
		}
		return FormatDocx
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")): // OLE2: Word 97–2003 .doc
		return FormatOffice
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		return FormatOffice
	}
	switch ext {
	case ".md", ".markdown":
		return FormatMarkdown
	case ".txt", "":
		return FormatText
	case ".docx", ".doc", ".odt", ".rtf", ".pdf", ".png", ".jpg", ".jpeg":
		return "" // the name promises a format the content is not
	}
	// Anything else is read as text when it is text.
	if utf8.Valid(data[:min(len(data), 4096)]) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return FormatText
	}
	return ""
}

// tempDir makes a private working directory for one tool run.
func tempDir() (string, func(), error) {
	dir, err := os.MkdirTemp("", "cascade-import-*")
	if err != nil {
		return "", nil, fmt.Errorf("temp dir: %w", err)
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

// convertSlots bounds the LibreOffice conversions running at once in this
// process: one per two cores.
var convertSlots = make(chan struct{}, max(1, runtime.NumCPU()/2))

// ConvertOffice converts a .doc, .odt or .rtf document to .docx with
// LibreOffice headless. Each call has its own LibreOffice profile
// (-env:UserInstallation), so conversions run side by side.
func ConvertOffice(ctx context.Context, filename string, data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		// An .odt is zipped: a bomb is refused here, not fed to LibreOffice.
		if err := checkZip(data); err != nil {
			return nil, err
		}
	}
	// Each LibreOffice takes hundreds of megabytes: a few run at once, the
	// others wait their turn.
	select {
	case convertSlots <- struct{}{}:
		defer func() { <-convertSlots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("convert %s: %w", filename, ctx.Err())
	}
	dir, done, err := tempDir()
	if err != nil {
		return nil, err
	}
	defer done()
	ext := strings.ToLower(filepath.Ext(filename))
	switch {
	case bytes.HasPrefix(data, []byte(`{\rtf`)):
		ext = ".rtf"
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		ext = ".odt"
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		ext = ".doc"
	}
	in := filepath.Join(dir, "document"+ext)
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("write document: %w", err)
	}
	profile := "file://" + filepath.Join(dir, "profile")
	out := filepath.Join(dir, "out")
	_, err = toolRun{name: "soffice", dir: dir, timeout: ConvertTimeout, maxOut: 1 << 20, env: []string{"HOME=" + dir},
		args: []string{"-env:UserInstallation=" + profile, "--headless", "--norestore", "--nologo", "--nolockcheck",
			"--convert-to", "docx:MS Word 2007 XML", "--outdir", out, in}}.run(ctx)
	if err != nil {
		return nil, fmt.Errorf("convert %s: %w", filename, err)
	}
	b, err := readBounded(filepath.Join(out, "document.docx"), 64<<20)
	if err != nil {
		return nil, fmt.Errorf("convert %s: %w: %w", filename, ErrUnreadable, err)
	}
	return b, nil
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &LimitError{Limit: "tool_output", Max: limit}
	}
	return b, nil
}

// withPDF writes pdf to a private file for the Poppler tools.
func withPDF(pdf []byte, fn func(dir, path string) error) error {
	dir, done, err := tempDir()
	if err != nil {
		return err
	}
	defer done()
	path := filepath.Join(dir, "document.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return fn(dir, path)
}

// PDFPageCount reads how many pages a PDF has (Poppler's pdfinfo).
func PDFPageCount(ctx context.Context, pdf []byte) (int, error) {
	var n int
	err := withPDF(pdf, func(dir, path string) error {
		out, err := toolRun{name: "pdfinfo", args: []string{path}, timeout: PDFTextTimeout, maxOut: 1 << 20}.run(ctx)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
		for _, ln := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(ln, "Pages:"); ok {
				n, err = strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					return fmt.Errorf("pdfinfo pages %q: %w", v, ErrUnreadable)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if n < 1 {
		return 0, fmt.Errorf("pdf without pages: %w", ErrUnreadable)
	}
	if n > MaxPages {
		return 0, &LimitError{Limit: "pages", Max: MaxPages}
	}
	return n, nil
}

// PDFTextPages reads the text layer of every page of a PDF with Poppler's
// `pdftotext -layout`, which keeps each line's columns: the two-column header
// and the distribution list beside the signature are split later
// (layoutText). A page without a text layer (a scan) comes back blank.
func PDFTextPages(ctx context.Context, pdf []byte) ([]string, error) {
	var pages []string
	err := withPDF(pdf, func(dir, path string) error {
		out, err := toolRun{name: "pdftotext", args: []string{"-layout", "-enc", "UTF-8", "-eol", "unix", "-l", strconv.Itoa(MaxPages), path, "-"},
			timeout: PDFTextTimeout, maxOut: 4 * MaxTextChars}.run(ctx)
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				return &LimitError{Limit: "text_chars", Max: MaxTextChars}
			}
			return fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
		pages = strings.Split(string(out), "\f")
		if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
			pages = pages[:len(pages)-1]
		}
		return nil
	})
	return pages, err
}

// PageHasText reports whether a page of a PDF's text layer holds text a
// reader can use; a scan's page holds none (or a few stray characters).
func PageHasText(page string) bool {
	letters := 0
	for _, r := range page {
		if r > ' ' {
			letters++
		}
	}
	return letters >= 40
}

// OCRDPI is the resolution a PDF page is rasterised at for OCR.
var OCRDPI = 300

// OCRPDFPage reads page (1-based) of a PDF with Tesseract's Vietnamese
// model; see OCRImage for what it returns. A scanned page is one picture:
// pdfimages takes it out as it is (a scanner's JPEG, at its resolution);
// any other page is rasterised by pdftoppm at OCRDPI, its longer side at
// most 3,600 pixels (A4 at 300 dpi), so a page of any size is a bounded
// picture.
func OCRPDFPage(ctx context.Context, pdf []byte, page int) (string, error) {
	var text string
	err := withPDF(pdf, func(dir, path string) error {
		p := strconv.Itoa(page)
		img, err := pageImage(ctx, dir, path, p)
		if err != nil {
			return err
		}
		if img == nil {
			out := filepath.Join(dir, "page")
			if _, err := (toolRun{name: "pdftoppm", args: []string{"-r", strconv.Itoa(OCRDPI), "-scale-to", "3600", "-f", p, "-l", p, "-gray", "-png", "-singlefile", path, out},
				timeout: OCRPageTimeout, maxOut: 1 << 20}).run(ctx); err != nil {
				return fmt.Errorf("rasterise page %d: %w", page, err)
			}
			if img, err = readBounded(out+".png", 256<<20); err != nil {
				return fmt.Errorf("rasterise page %d: %w", page, err)
			}
		}
		text, err = OCRImage(ctx, img)
		return err
	})
	return text, err
}

// pageImage returns the one picture a scanned page is, nil when the page
// has none or several.
func pageImage(ctx context.Context, dir, path, page string) ([]byte, error) {
	out := filepath.Join(dir, "img")
	if _, err := (toolRun{name: "pdfimages", args: []string{"-f", page, "-l", page, "-j", "-png", path, out},
		timeout: OCRPageTimeout, maxOut: 1 << 20}).run(ctx); err != nil {
		return nil, nil // pdftoppm will do
	}
	files, _ := filepath.Glob(out + "-*")
	if len(files) != 1 {
		return nil, nil
	}
	ext := filepath.Ext(files[0])
	if ext != ".jpg" && ext != ".png" {
		return nil, nil
	}
	b, err := readBounded(files[0], 256<<20)
	if err != nil {
		return nil, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width < 800 {
		return nil, nil // too small to be a page: a logo, a stamp
	}
	return b, nil
}

// lowConfidence is the Tesseract word confidence (0–100) under which a
// word is marked for review.
const lowConfidence = 60

// Marks around a low-confidence word in OCR text; FromPages turns them into
// spans and removes them.
const (
	markOpen  = '\uE000'
	markClose = '\uE001'
)

// OCRImage reads a scanned page (.png or .jpg) with Tesseract and its
// Vietnamese model (`tesseract … -l vie tsv`): the words are laid out on a
// grid of character cells as `pdftotext -layout` lays out a text layer, so
// the same reading follows, and words Tesseract is unsure of are marked.
func OCRImage(ctx context.Context, img []byte) (string, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return "", fmt.Errorf("read image: %w: %w", ErrUnreadable, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return "", &LimitError{Limit: "image_pixels", Max: MaxImagePixels}
	}
	dir, done, err := tempDir()
	if err != nil {
		return "", err
	}
	defer done()
	in := filepath.Join(dir, "page.img")
	if err := os.WriteFile(in, img, 0o600); err != nil {
		return "", fmt.Errorf("write image: %w", err)
	}
	// One thread per tesseract: pages run in parallel instead, one per core.
	out, err := toolRun{name: "tesseract", args: []string{in, "stdout", "-l", "vie", "--psm", "3", "tsv"}, dir: dir,
		env: []string{"OMP_THREAD_LIMIT=1"}, timeout: OCRPageTimeout, maxOut: 16 << 20}.run(ctx)
	if err != nil {
		return "", fmt.Errorf("ocr: %w", err)
	}
	words, err := parseTSV(out)
	if err != nil {
		return "", fmt.Errorf("ocr: %w", err)
	}
	return strings.Join(gridLines(words), "\n"), nil
}

// ocrWord is one word of Tesseract's TSV output.
type ocrWord struct {
	text                     string
	left, top, width, height int
	conf                     float64
	block, par, line         int
}

func parseTSV(b []byte) ([]ocrWord, error) {
	// Tesseract's TSV quotes nothing: a word may hold a quotation mark.
	var out []ocrWord
	for k, ln := range strings.Split(string(b), "\n") {
		rec := strings.SplitN(strings.TrimRight(ln, "\r"), "\t", 12)
		if k == 0 || len(rec) < 12 || rec[0] != "5" {
			continue
		}
		n := make([]int, 10)
		for i := 0; i < 10; i++ {
			n[i], _ = strconv.Atoi(rec[i])
		}
		conf, _ := strconv.ParseFloat(rec[10], 64)
		text := strings.TrimSpace(rec[11])
		if text == "" {
			continue
		}
		out = append(out, ocrWord{text: text, block: n[2], par: n[3], line: n[4], left: n[6], top: n[7], width: n[8], height: n[9], conf: conf})
	}
	return out, nil
}
