package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/store"
	"cascade/store/storetest"
)

func (w *reportingTree) put(t *testing.T, token, path, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("PUT", w.srvURL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	status, _, raw := send(t, req)
	return status, raw
}

func (w *reportingTree) upload(t *testing.T, token string, reportID int64, name string, content []byte) (int, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.WriteField("owner_kind", "report"))
	require.NoError(t, mw.WriteField("owner_id", fmt.Sprint(reportID)))
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(t, err)
	_, _ = fw.Write(content)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest("POST", w.srvURL+"/api/v1/attachments", &buf)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, _, raw := send(t, req)
	return status, raw
}

func (w *reportingTree) reportOf(t *testing.T, token string) int64 {
	status, raw := w.get(t, token, fmt.Sprintf("/api/v1/reports?plan_id=%d&unit_id=%d", w.plan, w.c1.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var list struct{ Reports []struct{ ID int64 } }
	require.NoError(t, json.Unmarshal(raw, &list))
	require.Len(t, list.Reports, 1)
	return list.Reports[0].ID
}

func TestReportForm_DraftThenEveryProblemAtOnce(t *testing.T) {
	w := newReportingTree(t)
	// C1's midterm report: the form shows last year's figures.
	status, raw := w.get(t, w.leaderN, fmt.Sprintf("/api/v1/reports?plan_id=%d&status=submitted", w.plan))
	require.Equal(t, http.StatusOK, status, string(raw))
	require.Contains(t, string(raw), w.c1.Name)
	require.Contains(t, string(raw), w.c2.Name)
	require.NotContains(t, string(raw), w.c3.Name)

	st := w.store(t)
	r, err := st.OpenReport(t.Context(), w.midterm.ID, w.c1.ID, w.midterm.DueOn)
	require.NoError(t, err)
	path := fmt.Sprintf("/api/v1/reports/%d", r.ID)

	// A draft of one figure that went down since last year: saved, flagged.
	status, raw = w.put(t, w.officerC1, path+"/draft", fmt.Sprintf(`{"values":[{"target_id":%d,"value":1000}],"narratives":[]}`, w.poverty))
	require.Equal(t, http.StatusOK, status, string(raw))
	var form struct {
		Status  string
		Unit    struct{ Name string }
		Targets []struct {
			ID       int64
			Measure  string
			Previous *struct{ Value, Numerator, Denominator *float64 }
		}
		Draft *struct {
			Values []struct {
				TargetID int64 `json:"target_id"`
			}
		}
		Warnings  []struct{ Field, Message string }
		CanSubmit bool `json:"can_submit"`
		CanReview bool `json:"can_review"`
	}
	require.NoError(t, json.Unmarshal(raw, &form))
	require.Equal(t, "draft", form.Status)
	require.Equal(t, w.c1.Name, form.Unit.Name)
	require.Len(t, form.Targets, 2)
	require.Equal(t, 1200.0, *form.Targets[0].Previous.Value)
	require.Equal(t, 10.0, *form.Targets[1].Previous.Denominator)
	require.Len(t, form.Draft.Values, 1)
	require.Len(t, form.Warnings, 1)
	require.Equal(t, "values[0].value", form.Warnings[0].Field)
	require.Contains(t, form.Warnings[0].Message, "1.200")
	require.True(t, form.CanSubmit)
	require.False(t, form.CanReview)

	// Submitted with a negative count, a numerator over its denominator and
	// a narrative of another plan's group: every problem named.
	status, raw = w.post(t, w.officerC1, path+"/submit", fmt.Sprintf(
		`{"values":[{"target_id":%d,"value":-1},{"target_id":%d,"numerator":12,"denominator":10}],"narratives":[{"task_group_id":999999,"text":"x"}]}`,
		w.poverty, w.stunting))
	require.Equal(t, http.StatusUnprocessableEntity, status, string(raw))
	var e apiError
	require.NoError(t, json.Unmarshal(raw, &e))
	require.Contains(t, e.Error.Fields, "values[0].value")
	require.Contains(t, e.Error.Fields, "values[1].numerator")
	require.Contains(t, e.Error.Fields, "narratives[0].task_group_id")
	require.Contains(t, e.Error.FieldsEn, "values[0].value")

	// Messages are short: none repeats the target's text.
	require.NotContains(t, string(raw), "Giúp hộ thoát nghèo")

	// A target left empty is allowed (no data), as in DHIS2.
	status, raw = w.post(t, w.officerC1, path+"/submit", fmt.Sprintf(`{"values":[{"target_id":%d,"value":-3}]}`, w.poverty))
	require.Equal(t, http.StatusUnprocessableEntity, status, string(raw))
	require.Contains(t, string(raw), "values[0].value")
	require.NotContains(t, string(raw), fmt.Sprintf("targets[%d]", w.stunting), "a target left empty is no data, not an error")
}

func TestAttachments_CheckedByContentAndServedBack(t *testing.T) {
	w := newReportingTree(t)
	id := w.reportOf(t, w.officerC1)
	pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer<<>>\n%%EOF\n")
	status, raw := w.upload(t, w.officerC1, id, "Biên bản họp.pdf", pdf)
	require.Equal(t, http.StatusCreated, status, string(raw))
	var a struct {
		ID          int64
		ContentType string `json:"content_type"`
		SHA256      string
		SizeBytes   int `json:"size_bytes"`
	}
	require.NoError(t, json.Unmarshal(raw, &a))
	require.Equal(t, "application/pdf", a.ContentType)
	require.Len(t, a.SHA256, 64)
	require.Equal(t, len(pdf), a.SizeBytes)

	// An executable named .pdf is refused by its content.
	status, raw = w.upload(t, w.officerC1, id, "baocao.pdf", append([]byte("MZ\x90\x00\x03"), make([]byte, 100)...))
	require.Equal(t, http.StatusUnsupportedMediaType, status, string(raw))
	status, _ = w.upload(t, w.officerC1, id, "lon.txt", bytes.Repeat([]byte("a"), 20<<20+1))
	require.Equal(t, http.StatusRequestEntityTooLarge, status)

	req, err := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/attachments/%d", w.srvURL, a.ID), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+w.leaderN)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, pdf, body)
	require.Contains(t, resp.Header.Get("Content-Disposition"), "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf")

	status, raw = w.get(t, w.officerC1, fmt.Sprintf("/api/v1/reports/%d", id))
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, string(raw), "Biên bản họp.pdf")

	req, _ = http.NewRequest("DELETE", fmt.Sprintf("%s/api/v1/attachments/%d", w.srvURL, a.ID), nil)
	req.Header.Set("Authorization", "Bearer "+w.officerC1)
	status, _, _ = send(t, req)
	require.Equal(t, http.StatusNoContent, status, "the uploader removes it")
}

// A returned report opens with the figures the unit submitted, not with a
// draft saved before that; the reviewer's comment names the target it is
// about. A draft saved after the return is what the form shows next.
func TestReportForm_ReturnedOpensWithSubmittedFigures(t *testing.T) {
	w := newReportingTree(t)
	st := w.store(t)
	ctx := t.Context()
	r, err := st.OpenReport(ctx, w.midterm.ID, w.c1.ID, w.midterm.DueOn)
	require.NoError(t, err)
	path := fmt.Sprintf("/api/v1/reports/%d", r.ID)
	old := fmt.Sprintf(`[{"target_id":%d,"value":1000}]`, w.poverty)
	require.NoError(t, st.SaveDraft(ctx, r.ID, []byte(old), []byte(`[]`), nil, vnNow.Add(-2*time.Hour)))
	f := func(v float64) *float64 { return &v }
	require.NoError(t, st.SubmitReport(ctx, r.ID, nil, vnNow.Add(-time.Hour), []store.ReportValue{{TargetID: w.poverty, Value: f(2700)}}))
	due := store.Date{Time: time.Date(2028, 7, 15, 0, 0, 0, 0, time.UTC)}
	require.NoError(t, st.ReviewReport(ctx, store.ReportReview{ReportID: r.ID, Action: "return", Comment: "Chỉ tiêu 2: mẫu số chưa đúng", DueOn: &due, At: vnNow.Add(-30 * time.Minute)}))

	type form struct {
		Status string
		Values []struct {
			TargetID int64 `json:"target_id"`
			Value    *float64
		}
		Draft    *struct{ Values []struct{ Value *float64 } }
		Returned *struct {
			Comment   string
			TargetIDs []int64 `json:"target_ids"`
		}
		CanSubmit bool    `json:"can_submit"`
		NoData    []int64 `json:"no_data"`
	}
	status, raw := w.get(t, w.officerC1, path)
	require.Equal(t, http.StatusOK, status, string(raw))
	var got form
	require.NoError(t, json.Unmarshal(raw, &got))
	require.Equal(t, "returned", got.Status)
	require.True(t, got.CanSubmit)
	require.Nil(t, got.Draft, "the draft older than the submission is not offered")
	require.Len(t, got.Values, 1)
	require.Equal(t, 2700.0, *got.Values[0].Value)
	require.Equal(t, []int64{w.stunting}, got.NoData, "the target left empty has no data")
	require.NotNil(t, got.Returned)
	require.Equal(t, "Chỉ tiêu 2: mẫu số chưa đúng", got.Returned.Comment)
	require.Equal(t, []int64{w.stunting}, got.Returned.TargetIDs)

	// The unit's inbox says the report was returned, with the comment.
	_, err = st.EnsureUnitTask(ctx, store.UnitTask{IdempotencyKey: "report-" + fmt.Sprint(r.ID), PlanID: &w.plan, UnitID: w.c1.ID, Kind: "report",
		ReportID: &r.ID, Title: "Báo cáo sơ kết", DueOn: &due, WorkflowID: "wf-" + fmt.Sprint(r.ID)})
	require.NoError(t, err)
	status, raw = w.get(t, w.officerC1, fmt.Sprintf("/api/v1/units/%d/tasks", w.c1.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	var inbox struct {
		Tasks []struct {
			ReportID      *int64  `json:"report_id"`
			ReportStatus  *string `json:"report_status"`
			ReturnComment *string `json:"return_comment"`
		}
	}
	require.NoError(t, json.Unmarshal(raw, &inbox))
	found := false
	for _, tk := range inbox.Tasks {
		if tk.ReportID != nil && *tk.ReportID == r.ID {
			found = true
			require.Equal(t, "returned", *tk.ReportStatus)
			require.Equal(t, "Chỉ tiêu 2: mẫu số chưa đúng", *tk.ReturnComment)
		}
	}
	require.True(t, found, string(raw))

	// The officer corrects and saves a draft: that is what reopens.
	status, raw = w.put(t, w.officerC1, path+"/draft", fmt.Sprintf(`{"values":[{"target_id":%d,"value":2750}],"narratives":[]}`, w.poverty))
	require.Equal(t, http.StatusOK, status, string(raw))
	status, raw = w.get(t, w.officerC1, path)
	require.Equal(t, http.StatusOK, status, string(raw))
	got = form{}
	require.NoError(t, json.Unmarshal(raw, &got))
	require.NotNil(t, got.Draft)
	require.Equal(t, 2750.0, *got.Draft.Values[0].Value)

	// The audit log names the officer and the report, not "report #id".
	status, raw = w.get(t, w.leaderN, fmt.Sprintf("/api/v1/audit?entity=report&entity_id=%d", r.ID))
	require.Equal(t, http.StatusOK, status, string(raw))
	require.Contains(t, string(raw), `"action":"save_draft"`)
	require.Contains(t, string(raw), `"entity_name":"`+w.c1.Name+` · 2028"`)
	require.Regexp(t, `"actor_name":"[^"]+"`, string(raw))
	// and the draft's figure by its target's text, no target id
	require.Contains(t, string(raw), `"after":{"figures":[{"value":2750,"target":"Giúp hộ thoát nghèo"}]}`)
	require.NotContains(t, string(raw), `"target_id"`)
}

// Without an SMTP server the top unit's admins are told mail is not going
// out, with how many emails wait.
func TestMailStatus_SaysWhenMailIsNotGoingOut(t *testing.T) {
	s := newAPIServer(t)
	srv := newHTTP(t, s.Handler())
	root := storetest.Root(t, s.DB)
	_, admin := storetest.SignedIn(t, s.DB, root.ID, "admin")
	st := store.New(s.DB)
	_, err := st.EnqueueNotification(t.Context(), store.Notification{IdempotencyKey: "mail-status-" + storetest.Unique(), Recipient: "a@example.org",
		Template: "task_assigned", Subject: "s", BodyText: "b"})
	require.NoError(t, err)
	w := &reportingTree{srvURL: srv, db: s.DB}
	status, raw := w.get(t, admin, "/api/v1/mail/status")
	require.Equal(t, http.StatusOK, status, string(raw))
	var got struct {
		Configured, Going bool
		Queued            int
	}
	require.NoError(t, json.Unmarshal(raw, &got))
	require.False(t, got.Configured)
	require.False(t, got.Going)
	require.GreaterOrEqual(t, got.Queued, 1)
}
