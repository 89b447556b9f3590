package workflows_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"cascade/activities"
	"cascade/workflows"
)

// TestImportDocument_OCRsEveryPageAtMostTwoAtOnceThenSavesTheDraft: a
// six-page scan is read page by page, never more pages at once than the
// input allows, then the whole text is read and saved.
func TestImportDocument_OCRsEveryPageAtMostTwoAtOnceThenSavesTheDraft(t *testing.T) {
	env := newEnv(t)
	env.RegisterWorkflow(workflows.ImportDocument)
	env.OnActivity(a.PrepareImport, mock.Anything, int64(7)).Return(activities.ImportPrepared{Pages: 6, OCRPages: []int{1, 2, 3, 4, 5, 6}}, nil).Once()
	var mu sync.Mutex
	running, most := 0, 0
	var pages []int
	env.OnActivity(a.OCRImportPage, mock.Anything, int64(7), mock.Anything).Return(func(_ context.Context, _ int64, page int) error {
		mu.Lock()
		running++
		most = max(most, running)
		pages = append(pages, page)
		mu.Unlock()
		// Long enough for the pages started together to overlap.
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		running--
		mu.Unlock()
		return nil
	}).Times(6)
	env.OnActivity(a.ReadImport, mock.Anything, int64(7)).Return(int64(99), nil).Once()

	env.ExecuteWorkflow(workflows.ImportDocument, workflows.ImportDocumentInput{JobID: 7, Parallel: 2})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var res workflows.ImportDocumentResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, int64(99), res.PlanID)
	require.ElementsMatch(t, []int{1, 2, 3, 4, 5, 6}, pages)
	require.Equal(t, 2, most, "two pages at a time")
	env.AssertExpectations(t)
}

// TestImportDocument_ADocumentItCannotReadEndsTheJobWithoutRetrying: a
// limit the document passes (recorded on the job by the activity) ends the
// workflow at once, with no draft and no second attempt.
func TestImportDocument_ADocumentItCannotReadEndsTheJobWithoutRetrying(t *testing.T) {
	env := newEnv(t)
	env.RegisterWorkflow(workflows.ImportDocument)
	env.OnActivity(a.PrepareImport, mock.Anything, int64(8)).Return(activities.ImportPrepared{},
		temporal.NewNonRetryableApplicationError("too many pages", activities.ImportFailure, nil)).Once()

	env.ExecuteWorkflow(workflows.ImportDocument, workflows.ImportDocumentInput{JobID: 8, Parallel: 2})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var res workflows.ImportDocumentResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Zero(t, res.PlanID)
	env.AssertExpectations(t)
}

// TestImportDocument_APageThatKeepsFailingFailsTheJob: OCR that fails three
// times (the machine overloaded) records the failure on the job.
func TestImportDocument_APageThatKeepsFailingFailsTheJob(t *testing.T) {
	env := newEnv(t)
	env.RegisterWorkflow(workflows.ImportDocument)
	env.OnActivity(a.PrepareImport, mock.Anything, int64(9)).Return(activities.ImportPrepared{Pages: 1, OCRPages: []int{1}}, nil).Once()
	env.OnActivity(a.OCRImportPage, mock.Anything, int64(9), 1).Return(context.DeadlineExceeded).Times(3)
	env.OnActivity(a.FailImport, mock.Anything, int64(9), "error").Return(nil).Once()

	env.ExecuteWorkflow(workflows.ImportDocument, workflows.ImportDocumentInput{JobID: 9, Parallel: 2})

	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	env.AssertExpectations(t)
}
