package app_test

import (
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type importJob struct {
	ID         int64  `json:"id"`
	Status     string `json:"status"`
	PagesTotal int    `json:"pages_total"`
	PagesDone  int    `json:"pages_done"`
	PlanID     *int64 `json:"plan_id"`
	Error      *struct {
		MessageEn string `json:"message_en"`
	} `json:"error"`
}

// TestImportDocument_AScannedPageBecomesADraftWithItsTargetsTasksAndRecipients
// uploads a scanned page (a picture of a printed plan: two-column header,
// targets, tasks with deadlines, a distribution list): the API answers 202
// with a job, the ImportDocument workflow reads the page with Tesseract, the
// job's progress is readable page by page, and the draft holds what the
// page says.
func TestImportDocument_AScannedPageBecomesADraftWithItsTargetsTasksAndRecipients(t *testing.T) {
	pr := newProvince(t)
	scan, err := os.ReadFile("../importer/testdata/scan-45-KH-TDTN-trang-1.png")
	require.NoError(t, err)
	var job importJob
	require.Equal(t, http.StatusAccepted, pr.admin.Upload(t, fmt.Sprintf("/api/v1/plans/import?issuer_unit_id=%d", pr.root.ID), nil,
		"ke-hoach-45.png", scan, &job))
	require.NotZero(t, job.ID)
	seen := map[string]bool{}
	require.Eventually(t, func() bool {
		require.Equal(t, http.StatusOK, pr.admin.Call(t, "GET", fmt.Sprintf("/api/v1/import-jobs/%d", job.ID), nil, &job))
		seen[job.Status] = true
		return job.Status == "done" || job.Status == "failed"
	}, 3*time.Minute, 200*time.Millisecond)
	require.Equal(t, "done", job.Status, "%+v", job.Error)
	require.Equal(t, 1, job.PagesTotal)
	require.Equal(t, 1, job.PagesDone)
	require.NotNil(t, job.PlanID)

	var plan struct {
		Code     string `json:"code"`
		IssuedOn string `json:"issued_on"`
		Targets  []struct {
			Value     float64 `json:"value"`
			Direction string  `json:"direction"`
		} `json:"targets"`
		TaskGroups []struct {
			Tasks []struct {
				Text  string  `json:"text"`
				DueOn *string `json:"due_on"`
			} `json:"tasks"`
		} `json:"task_groups"`
		Recipients []struct {
			Text string `json:"text"`
		} `json:"recipients"`
		SourceText string `json:"source_text"`
	}
	require.Equal(t, http.StatusOK, pr.admin.Call(t, "GET", fmt.Sprintf("/api/v1/plans/%d?include=source", *job.PlanID), nil, &plan))
	require.Equal(t, "45-KH/TĐTN-PTTN", plan.Code)
	require.Equal(t, "2023-03-03", plan.IssuedOn)
	values := map[float64]string{}
	for _, tg := range plan.Targets {
		values[tg.Value] = tg.Direction
	}
	require.Equal(t, "at_least", values[3500], "ít nhất 3.500 đoàn viên")
	require.Equal(t, "at_least", values[20000], "tối thiểu 20.000 cây xanh")
	require.Equal(t, "exactly", values[100], "100% xã, phường, thị trấn")
	due := ""
	for _, g := range plan.TaskGroups {
		for _, tk := range g.Tasks {
			if tk.DueOn != nil {
				due = *tk.DueOn
			}
		}
	}
	require.Equal(t, "2024-01-31", due, `"Xuân tình nguyện" năm 2024 trước ngày 31/01/2024`)
	require.Len(t, plan.Recipients, 5)
	require.Contains(t, plan.SourceText, "Nơi nhận")
}
