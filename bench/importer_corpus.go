package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"cascade/importer"
	"cascade/importer/corpus"
)

// corpusDir is the importer's measuring corpus, under the module root.
const corpusDir = "importer/testdata/corpus"

// makeImporterCorpus writes the corpus's .docx and .pdf from its .txt.
func makeImporterCorpus() error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	dir := filepath.Join(root, corpusDir)
	docs, err := corpus.Load(dir)
	if err != nil {
		return err
	}
	return corpus.MakeFormats(context.Background(), docs, dir, "")
}

func init() {
	register(Bench{Name: "i", Title: "importer scorecard over the corpus per format (text, Word, PDF, scan), and a 20-page scan read as `cascade import` with its progress", Order: 41, Run: runScorecard})
}

// scoreTotals adds up a format's scores.
type scoreTotals struct {
	docs, expected, matched, found, code, date, title, term, recipients int
	recipientsMatched, recipientsWant                                   int
}

func (s *scoreTotals) add(sc corpus.Score) {
	s.docs++
	s.expected += sc.Expected
	s.matched += sc.Matched
	s.found += sc.Found
	for _, ok := range []struct {
		v bool
		n *int
	}{{sc.CodeRight, &s.code}, {sc.DateRight, &s.date}, {sc.TitleRight, &s.title}, {sc.TermRight, &s.term}, {sc.RecipientsRight, &s.recipients}} {
		if ok.v {
			*ok.n++
		}
	}
	s.recipientsMatched += sc.RecipientsMatched
	s.recipientsWant += sc.RecipientsWant
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

// row prints a format's scorecard against the targets of issue 14.
func (s scoreTotals) row(h *Harness, label string) {
	recall, extra := pct(s.matched, s.expected), pct(s.found-s.matched, s.found)
	h.Row("i", "%-16s %2d docs: target recall %5.1f%% (%d/%d) %s; extra %4.1f%% of found (%d/%d) %s; code %d/%d, date %d/%d %s; title %d, term %d; recipients right %d/%d %s (entries %d/%d)",
		label, s.docs, recall, s.matched, s.expected, met(recall >= 95), extra, s.found-s.matched, s.found, met(extra <= 5),
		s.code, s.docs, s.date, s.docs, met(pct(s.code, s.docs) >= 95 && pct(s.date, s.docs) >= 95), s.title, s.term,
		s.recipients, s.docs, met(pct(s.recipients, s.docs) >= 90), s.recipientsMatched, s.recipientsWant)
}

// runScorecard reads every corpus document as text, Word, PDF and a scan
// made here from its PDF (300 dpi, turned 0.4°, grey noise), and prints
// the scorecard per format, the held-out documents apart; then it times a
// 20-page scan (the real plan 321/KH-BTV set large) read as `cascade
// import`, with its page-by-page progress.
func runScorecard(ctx context.Context, h *Harness) error {
	dir := filepath.Join(h.Root, corpusDir)
	docs, err := corpus.Load(dir)
	if err != nil {
		return err
	}
	scans := filepath.Join(h.Tmp, "scans")
	if err := os.MkdirAll(scans, 0o755); err != nil {
		return err
	}
	for _, format := range []string{"txt", "docx", "pdf", "scan"} {
		var tuned, held scoreTotals
		began := time.Now()
		for _, d := range docs {
			path := d.Path(format)
			if format == "scan" {
				pdf, err := os.ReadFile(d.Path("pdf"))
				if err != nil {
					return err
				}
				scan, err := corpus.MakeScan(ctx, pdf, corpus.ScanOptions{DPI: 300, Degrees: 0.4, Noise: 8, Seed: 1})
				if err != nil {
					return err
				}
				path = filepath.Join(scans, d.Name+".pdf")
				if err := os.WriteFile(path, scan, 0o600); err != nil {
					return err
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			dr, err := importer.ReadDocument(ctx, filepath.Base(path), data, nil)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", d.Name, format, err)
			}
			sc := corpus.Evaluate(dr, d.Expected)
			if d.HeldOut {
				held.add(sc)
			} else {
				tuned.add(sc)
			}
			for _, m := range sc.Missed {
				h.progress("i: %s.%s missed %s", d.Name, format, m)
			}
			for _, m := range sc.Extra {
				h.progress("i: %s.%s extra %s", d.Name, format, m)
			}
		}
		all := tuned
		all.docs += held.docs
		all.expected += held.expected
		all.matched += held.matched
		all.found += held.found
		all.code += held.code
		all.date += held.date
		all.title += held.title
		all.term += held.term
		all.recipients += held.recipients
		all.recipientsMatched += held.recipientsMatched
		all.recipientsWant += held.recipientsWant
		all.row(h, format+" (all)")
		held.row(h, format+" (held out)")
		h.progress("i: %s read in %s", format, time.Since(began).Round(time.Second))
	}
	return longScan(ctx, h)
}

// longScan makes a 20-page scan of the real plan 321/KH-BTV (large type, as
// a printed plan is often set) and times `cascade import` of it, one OCR
// page per core, printing its progress lines.
func longScan(ctx context.Context, h *Harness) error {
	docs, err := corpus.Load(filepath.Join(h.Root, corpusDir))
	if err != nil {
		return err
	}
	var real []corpus.Document
	for _, d := range docs {
		if strings.HasPrefix(d.Name, "00-") {
			real = append(real, d)
		}
	}
	out := filepath.Join(h.Tmp, "long")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := corpus.MakeFormats(ctx, real, out, "body { font-size: 22pt; } p { margin-bottom: 12pt; line-height: 170%; }"); err != nil {
		return err
	}
	pdf, err := os.ReadFile(filepath.Join(out, real[0].Name+".pdf"))
	if err != nil {
		return err
	}
	pages, err := importer.PDFPageCount(ctx, pdf)
	if err != nil {
		return err
	}
	scan, err := corpus.MakeScan(ctx, pdf, corpus.ScanOptions{DPI: 300, Degrees: 0.3, Noise: 6, Seed: 3})
	if err != nil {
		return err
	}
	path := filepath.Join(out, "ke-hoach-321-quet.pdf")
	if err := os.WriteFile(path, scan, 0o600); err != nil {
		return err
	}
	bin, err := h.Cascade(ctx)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, bin, "import", path, "--json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	began := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("cascade import of the %d-page scan: %w: %s", pages, err, stderr.String())
	}
	took := time.Since(began)
	var d importer.Draft
	if err := json.Unmarshal(stdout.Bytes(), &d); err != nil {
		return err
	}
	sc := corpus.Evaluate(&d, real[0].Expected)
	progress := strings.Count(stderr.String(), "pages")
	h.Row("i", "%d-page scan of 321/KH-BTV (%d KB, 300 dpi), %d OCR pages at once: %s as `cascade import` (%d progress lines); target < 60 s: %s; recall %d/%d, code %v, date %v, recipients %d/%d",
		pages, len(scan)>>10, importer.OCRParallelism(), took.Round(100*time.Millisecond), progress, met(took < 60*time.Second),
		sc.Matched, sc.Expected, sc.CodeRight, sc.DateRight, sc.RecipientsMatched, sc.RecipientsWant)
	return nil
}
