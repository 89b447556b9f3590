package importer

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// flagUncertain marks every item whose source holds a word OCR was unsure
// of, so the review screen shows it first.
func flagUncertain(d *Draft) {
	if len(d.Uncertain) == 0 {
		return
	}
	runes := []rune(d.Text)
	hit := func(s Span) string {
		for _, u := range d.Uncertain {
			if u.Start < s.End && s.Start < u.End {
				return string(runes[u.Start:u.End])
			}
		}
		return ""
	}
	note := func(cur, word string) string {
		n := fmt.Sprintf("OCR unsure of %q", word)
		if cur == "" {
			return n
		}
		return cur + "; " + n
	}
	for i := range d.Targets {
		if w := hit(d.Targets[i].Source); w != "" {
			d.Targets[i].NeedsReview, d.Targets[i].ReviewNote = true, note(d.Targets[i].ReviewNote, w)
		}
	}
	for g := range d.TaskGroups {
		for i := range d.TaskGroups[g].Tasks {
			t := &d.TaskGroups[g].Tasks[i]
			if w := hit(t.Source); w != "" {
				t.NeedsReview, t.ReviewNote = true, note(t.ReviewNote, w)
			}
		}
	}
	for i := range d.Responsibilities {
		r := &d.Responsibilities[i]
		if w := hit(r.Source); w != "" {
			r.NeedsReview, r.ReviewNote = true, note(r.ReviewNote, w)
		}
	}
}

// Progress is told how many pages of a document have been read, of how
// many; nil tells no one.
type Progress func(done, total int)

// ReadDocument reads a plan document of any format the importer knows, in
// this process: text, Markdown and .docx directly; .doc, .odt and .rtf after
// LibreOffice converts them; a PDF's text layer with Poppler; a scan (a PDF
// page without text, a .png or .jpg) by OCR, pages in parallel, one per
// core. ctx bounds the time of all of it (ReadTimeout when it has no
// deadline). The API runs the slow formats as a Temporal workflow made of
// the same steps instead.
func ReadDocument(ctx context.Context, filename string, data []byte, progress Progress) (*Draft, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ReadTimeout)
		defer cancel()
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	switch Sniff(filename, data) {
	case FormatText, FormatMarkdown, FormatDocx:
		return Import(filename, data)
	case FormatOffice:
		docx, err := ConvertOffice(ctx, filename, data)
		if err != nil {
			return nil, err
		}
		d, err := Import("document.docx", docx)
		if err != nil {
			return nil, err
		}
		return d, nil
	case FormatImage:
		progress(0, 1)
		text, err := OCRImage(ctx, data)
		if err != nil {
			return nil, err
		}
		progress(1, 1)
		return FromPages([]string{text}, "scan")
	case FormatPDF:
		return readPDF(ctx, data, progress)
	}
	return nil, fmt.Errorf("import %s: not a document the importer reads: %w", filename, ErrUnreadable)
}

// readPDF reads a PDF's text layer and OCRs the pages without one.
func readPDF(ctx context.Context, pdf []byte, progress Progress) (*Draft, error) {
	n, err := PDFPageCount(ctx, pdf)
	if err != nil {
		return nil, err
	}
	pages, err := PDFTextPages(ctx, pdf)
	if err != nil {
		return nil, err
	}
	for len(pages) < n {
		pages = append(pages, "")
	}
	var scan []int
	for i, p := range pages {
		if !PageHasText(p) {
			scan = append(scan, i)
		}
	}
	if len(scan) == 0 {
		progress(n, n)
		return FromPages(pages, "pdf")
	}
	if len(scan) > MaxOCRPages {
		return nil, &LimitError{Limit: "pages", Max: MaxOCRPages}
	}
	done := n - len(scan)
	progress(done, n)
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		first error
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	slots := make(chan struct{}, OCRParallelism())
	for _, i := range scan {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-slots }()
			text, err := OCRPDFPage(ctx, pdf, i+1)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
					cancel()
				}
				return
			}
			pages[i] = text
			done++
			progress(done, n)
		}()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, ErrTimeout
		}
		return nil, err
	}
	format := "scan"
	if len(scan) < n {
		format = "pdf"
	}
	return FromPages(pages, format)
}

// OCRParallelism is how many pages are read by OCR at once: one per core.
func OCRParallelism() int { return max(1, runtime.NumCPU()) }
