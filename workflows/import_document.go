package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"cascade/activities"
)

// ImportDocumentID is the workflow ID of an import job.
func ImportDocumentID(jobID int64) string { return fmt.Sprintf("import/%d", jobID) }

// ImportDocumentInput names the job to read; Parallel bounds the pages read
// by OCR at once (the worker's cores; each worker bounds its own too).
type ImportDocumentInput struct {
	JobID    int64 `json:"job_id"`
	Parallel int   `json:"parallel"`
}

// ImportDocumentResult is the draft plan the document became; PlanID is 0
// when it could not be read (the job says why).
type ImportDocumentResult struct {
	PlanID int64 `json:"plan_id"`
}

// ImportDocument reads an uploaded plan document into a draft plan: the
// conversion (LibreOffice) or the text layer (Poppler) first, then each page
// left by OCR (Tesseract), a few at once, each activity heartbeating and
// recording its page so the import screen shows progress page by page, then
// the reading of the whole text and the saving of the draft. Everything a
// user reads is in the import_jobs table.
func ImportDocument(ctx workflow.Context, in ImportDocumentInput) (*ImportDocumentResult, error) {
	retry := &temporal.RetryPolicy{
		InitialInterval:        2 * time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        time.Minute,
		MaximumAttempts:        3,
		NonRetryableErrorTypes: []string{activities.ImportFailure},
	}
	slow := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout:    FanOutHeartbeatTimeout,
		RetryPolicy:         retry,
	})
	res := &ImportDocumentResult{}
	fail := func(err error) (*ImportDocumentResult, error) {
		var app *temporal.ApplicationError
		if errors.As(err, &app) && app.Type() == activities.ImportFailure {
			return res, nil // the job holds the reason
		}
		reason := "error"
		if temporal.IsTimeoutError(err) {
			reason = "timeout"
		}
		_ = workflow.ExecuteActivity(shortActivity(ctx), a.FailImport, in.JobID, reason).Get(ctx, nil)
		return res, nil
	}
	var prep activities.ImportPrepared
	if err := workflow.ExecuteActivity(slow, a.PrepareImport, in.JobID).Get(ctx, &prep); err != nil {
		return fail(err)
	}
	parallel := max(in.Parallel, 1)
	var firstErr error
	pending := 0
	sel := workflow.NewSelector(ctx)
	for k, page := range prep.OCRPages {
		if k >= parallel {
			sel.Select(ctx)
			pending--
		}
		f := workflow.ExecuteActivity(slow, a.OCRImportPage, in.JobID, page)
		pending++
		sel.AddFuture(f, func(f workflow.Future) {
			if err := f.Get(ctx, nil); err != nil && firstErr == nil {
				firstErr = err
			}
		})
	}
	for ; pending > 0; pending-- {
		sel.Select(ctx)
	}
	if firstErr != nil {
		return fail(firstErr)
	}
	if err := workflow.ExecuteActivity(slow, a.ReadImport, in.JobID).Get(ctx, &res.PlanID); err != nil {
		return fail(err)
	}
	return res, nil
}
