package activities

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.temporal.io/sdk/temporal"

	"cascade/importer"
	"cascade/plans"
	"cascade/store"
)

// ImportPrepared is what is left to read of a document after
// PrepareImport: its pages, and those that need OCR (1-based).
type ImportPrepared struct {
	Pages    int   `json:"pages"`
	OCRPages []int `json:"ocr_pages"`
}

// ImportFailure is the error type of an import the document itself makes
// fail (a limit, a damaged file): not retried.
const ImportFailure = "ImportFailure"

// ocrSlots bounds the pages this worker reads by OCR at once, over every
// import: one per core (each tesseract runs on one thread).
var (
	ocrOnce  sync.Once
	ocrSlots chan struct{}
)

func ocrSlot() chan struct{} {
	ocrOnce.Do(func() { ocrSlots = make(chan struct{}, importer.OCRParallelism()) })
	return ocrSlots
}

// importHeartbeat is how often a long conversion or OCR shows it is alive.
const importHeartbeat = 5 * time.Second

// failImport records why the document cannot be read and returns an error
// the workflow does not retry; any other error is returned as it is.
func (a *Activities) failImport(ctx context.Context, jobID int64, err error) error {
	code, vi, en, ok := importer.Problem(err)
	if !ok {
		return err
	}
	if ferr := a.store().FailImportJob(ctx, jobID, code, vi, en); ferr != nil {
		return ferr
	}
	return temporal.NewNonRetryableApplicationError(en, ImportFailure, err)
}

// PrepareImport starts reading an import job's document: converts a .doc,
// .odt or .rtf to .docx (LibreOffice), reads a PDF's text layer (Poppler)
// and lists the pages left for OCR. Run again, it does the same work and
// writes nothing twice.
func (a *Activities) PrepareImport(ctx context.Context, jobID int64) (ImportPrepared, error) {
	st := a.store()
	job, content, err := st.ImportJobContent(ctx, jobID)
	if err != nil {
		return ImportPrepared{}, err
	}
	if job.Status == "done" || job.Status == "failed" {
		return ImportPrepared{}, nil
	}
	stop := heartbeatEvery(ctx, importHeartbeat, func() any { return job.Status })
	defer stop()
	switch job.Format {
	case importer.FormatOffice:
		if err := st.SetImportJobStage(ctx, jobID, "converting", 1); err != nil {
			return ImportPrepared{}, err
		}
		docx, err := importer.ConvertOffice(ctx, job.FileName, content)
		if err != nil {
			return ImportPrepared{}, a.failImport(ctx, jobID, err)
		}
		if err := st.ReplaceImportJobContent(ctx, jobID, importer.FormatDocx, docx); err != nil {
			return ImportPrepared{}, err
		}
		return ImportPrepared{Pages: 1}, st.SetImportJobStage(ctx, jobID, "reading", 1)
	case importer.FormatImage:
		return ImportPrepared{Pages: 1, OCRPages: []int{1}}, st.SetImportJobStage(ctx, jobID, "ocr", 1)
	case importer.FormatPDF:
		if err := st.SetImportJobStage(ctx, jobID, "reading", 0); err != nil {
			return ImportPrepared{}, err
		}
		n, err := importer.PDFPageCount(ctx, content)
		if err != nil {
			return ImportPrepared{}, a.failImport(ctx, jobID, err)
		}
		pages, err := importer.PDFTextPages(ctx, content)
		if err != nil {
			return ImportPrepared{}, a.failImport(ctx, jobID, err)
		}
		out := ImportPrepared{Pages: n}
		for i := 0; i < n; i++ {
			if i < len(pages) && importer.PageHasText(pages[i]) {
				if err := st.SaveImportJobPage(ctx, jobID, i+1, pages[i], false); err != nil {
					return ImportPrepared{}, err
				}
				continue
			}
			out.OCRPages = append(out.OCRPages, i+1)
		}
		if len(out.OCRPages) > importer.MaxOCRPages {
			return ImportPrepared{}, a.failImport(ctx, jobID, &importer.LimitError{Limit: "pages", Max: importer.MaxOCRPages})
		}
		status := "reading"
		if len(out.OCRPages) > 0 {
			status = "ocr"
		}
		return out, st.SetImportJobStage(ctx, jobID, status, n)
	default:
		return ImportPrepared{Pages: 1}, st.SetImportJobStage(ctx, jobID, "reading", 1)
	}
}

// OCRImportPage reads one page of an import job's scan with Tesseract
// (Vietnamese) and keeps its text, heartbeating while it waits for a core
// and while it reads.
func (a *Activities) OCRImportPage(ctx context.Context, jobID int64, page int) error {
	st := a.store()
	job, content, err := st.ImportJobContent(ctx, jobID)
	if err != nil {
		return err
	}
	if job.Status == "done" || job.Status == "failed" {
		return nil
	}
	stop := heartbeatEvery(ctx, importHeartbeat, func() any { return page })
	defer stop()
	select {
	case ocrSlot() <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-ocrSlot() }()
	var text string
	if job.Format == importer.FormatImage {
		text, err = importer.OCRImage(ctx, content)
	} else {
		text, err = importer.OCRPDFPage(ctx, content, page)
	}
	if err != nil {
		if errors.Is(err, importer.ErrTimeout) {
			return err // a busy machine: retried
		}
		return a.failImport(ctx, jobID, fmt.Errorf("page %d: %w", page, err))
	}
	return st.SaveImportJobPage(ctx, jobID, page, text, true)
}

// ReadImport reads what an import job's document says into a draft plan of
// its issuing unit, audited, and records it on the job; run again it
// returns the same plan.
func (a *Activities) ReadImport(ctx context.Context, jobID int64) (int64, error) {
	st := a.store()
	stop := heartbeatEvery(ctx, importHeartbeat, nil)
	defer stop()
	job, content, err := st.ImportJobContent(ctx, jobID)
	if err != nil {
		return 0, err
	}
	if job.PlanID != nil {
		return *job.PlanID, nil
	}
	if job.Status == "failed" {
		return 0, temporal.NewNonRetryableApplicationError(job.ErrorEn, ImportFailure, nil)
	}
	if err := st.SetImportJobStage(ctx, jobID, "saving", 0); err != nil {
		return 0, err
	}
	var d *importer.Draft
	switch job.Format {
	case importer.FormatPDF, importer.FormatImage:
		pages, err := st.ImportJobPages(ctx, jobID, max(job.PagesTotal, 1))
		if err != nil {
			return 0, err
		}
		format := "pdf"
		if job.Format == importer.FormatImage {
			format = "scan"
		}
		d, err = importer.FromPages(pages, format)
		if err != nil {
			return 0, a.failImport(ctx, jobID, err)
		}
		if job.Format == importer.FormatPDF && job.PagesDone > 0 && allOCR(ctx, st, jobID) {
			d.Format = "scan"
		}
	default:
		d, err = importer.Import(job.FileName, content)
		if err != nil {
			return 0, a.failImport(ctx, jobID, err)
		}
	}
	p := plans.Imported(d, job.IssuerUnitID, job.FileName, a.now().Year())
	var planID int64
	err = a.DB.WithTx(ctx, func(tx *store.Store) error {
		var err error
		if planID, err = tx.CreatePlanDoc(ctx, p); err != nil {
			return err
		}
		if err := tx.Audit(ctx, store.AuditEntry{ActorID: job.CreatedBy, Actor: job.CreatorEmail, Action: "import", Entity: "plan",
			EntityID: strconv.FormatInt(planID, 10), After: map[string]any{"file": job.FileName, "format": d.Format, "job_id": jobID,
				"targets": len(p.Targets), "task_groups": len(p.TaskGroups)},
			RequestID: job.RequestID, UnitID: &job.IssuerUnitID}); err != nil {
			return err
		}
		return tx.FinishImportJob(ctx, jobID, planID)
	})
	if errors.Is(err, store.ErrConflict) {
		// Another run saved it first.
		job, _, err = st.ImportJobContent(ctx, jobID)
		if err == nil && job.PlanID != nil {
			return *job.PlanID, nil
		}
	}
	return planID, err
}

// allOCR reports whether no page of a job came from a text layer.
func allOCR(ctx context.Context, st *store.Store, jobID int64) bool {
	n, err := st.ImportJobTextPages(ctx, jobID)
	return err == nil && n == 0
}

// FailImport records that an import job could not finish (its steps kept
// failing, or it took too long).
func (a *Activities) FailImport(ctx context.Context, jobID int64, reason string) error {
	return a.store().FailImportJob(ctx, jobID, "failed",
		"Không đọc xong được văn bản, vui lòng thử lại ("+reason+")", "the document could not be read, try again ("+reason+")")
}
