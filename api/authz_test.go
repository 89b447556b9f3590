package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"cascade/api"
	"cascade/api/spectest"
	"cascade/auth"
	"cascade/dashboard"
	"cascade/metrics"
	"cascade/store"
	"cascade/store/storetest"
)

// world is the tree every authorization case runs in: a province P with
// two sibling districts A and B; A has communes. The objects under test all
// belong to A.
type world struct {
	db               *store.DB
	p, a, b          store.Unit
	plan, report     int64
	planCode         string
	a1               store.Unit
	due              store.Date
	officerA         int64 // a user of A
	officerAEmail    string
	officerATokenID  int64
	notificationMark string
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	s := store.New(db)
	w := &world{db: db}
	w.p = storetest.Root(t, db)
	mk := func(parent store.Unit, kind, name string) store.Unit {
		u, err := s.CreateUnit(ctx, store.Unit{ParentID: &parent.ID, Kind: kind, Code: kind[:1] + "-" + storetest.Unique(), Name: name,
			Email: "unit-" + storetest.Unique() + "@example.org"})
		require.NoError(t, err)
		return u
	}
	w.a = mk(w.p, "district", "Hội LHPN huyện A")
	w.b = mk(w.p, "district", "Hội LHPN huyện B")
	a1 := mk(w.a, "commune", "Hội LHPN xã A1")
	w.a1 = a1
	v := 10.0
	var err error
	w.planCode = "KH-A-" + storetest.Unique()
	w.due = store.Date{Time: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)}
	w.plan, err = s.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Code: w.planCode, Title: "Kế hoạch của huyện A", IssuerUnitID: &w.a.ID, TermStartYear: 2026, TermEndYear: 2027},
		UnitIDs: []int64{a1.ID},
		Targets: []store.Target{{Text: "Hộ thoát nghèo", Value: &v, Unit: "hộ", Direction: "at_least", Measure: "count"}},
		Cycles:  []store.ReportCycle{{Kind: "annual", Year: 2026, DueOn: w.due}},
	})
	require.NoError(t, err)
	cycles, err := s.ReportCycles(ctx, w.plan)
	require.NoError(t, err)
	r, err := s.OpenReport(ctx, cycles[0].ID, a1.ID, cycles[0].DueOn)
	require.NoError(t, err)
	w.report = r.ID
	w.officerA, _ = storetest.SignedIn(t, db, w.a.ID, "officer")
	u, err := s.User(ctx, w.officerA)
	require.NoError(t, err)
	w.officerAEmail = u.Email
	toks, err := s.APITokens(ctx, w.officerA)
	require.NoError(t, err)
	w.officerATokenID = toks[0].ID
	w.notificationMark = "outbox-" + storetest.Unique()
	_, err = s.EnqueueNotification(ctx, store.Notification{IdempotencyKey: w.notificationMark, UnitID: &w.a.ID,
		Recipient: w.notificationMark + "@example.org", Template: "reminder", Subject: "s", BodyText: "b"})
	require.NoError(t, err)
	require.NoError(t, s.Audit(ctx, store.AuditEntry{Action: "test", Entity: "org_unit", EntityID: w.a.Code, UnitID: &w.a.ID}))
	return w
}

// leaf makes a fresh commune of A, for routes that change or retire a unit.
func (w *world) leaf(t *testing.T) store.Unit {
	u, err := store.New(w.db).CreateUnit(context.Background(), store.Unit{ParentID: &w.a.ID, Kind: "commune",
		Code: "L-" + storetest.Unique(), Name: "Hội LHPN xã mới"})
	require.NoError(t, err)
	return u
}

// review compiles (once) the review dossier of A's plan's first cycle.
func (w *world) review(t *testing.T) int64 {
	cs, err := store.New(w.db).ReportCycles(context.Background(), w.plan)
	require.NoError(t, err)
	rv, _, err := dashboard.Compile(context.Background(), store.New(w.db), w.plan, cs[0].ID, time.Now(), nil)
	require.NoError(t, err)
	return rv.ID
}

// authzDataDir is DATA_DIR of the walk's server.
var authzDataDir string

// attachment stores a text file attached to A1's report.
func (w *world) attachment(t *testing.T) int64 {
	rel := "attachments/te/" + storetest.Unique()
	require.NoError(t, os.MkdirAll(filepath.Join(authzDataDir, "attachments/te"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(authzDataDir, rel), []byte("biên bản"), 0o600))
	a, err := store.New(w.db).CreateAttachment(context.Background(), store.Attachment{OwnerKind: "report", OwnerID: w.report,
		Filename: "biên bản.txt", ContentType: "text/plain; charset=utf-8", SizeBytes: 10, SHA256: "x", StoragePath: rel})
	require.NoError(t, err)
	return a.ID
}

// fingerprint is a digest of every table a denied request must not change.
// Sign-in bookkeeping (sessions, failures, a token's last use) is left out.
func fingerprint(t *testing.T, db *store.DB) string {
	t.Helper()
	var parts []string
	for _, q := range []string{
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM org_units x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM users x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM memberships x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM plans x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM targets x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM report_cycles x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM reports x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM report_values x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM unit_tasks x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM unit_task_supporters x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM unit_task_contributions x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM unit_task_events x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM notifications x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM audit_log x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM password_resets x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM calendar_days x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM reviews x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM attachments x`,
		`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM report_drafts x`,
		`SELECT md5(coalesce(string_agg(id::text || ':' || coalesce(revoked_at::text, ''), '|' ORDER BY id), '')) FROM api_tokens`,
	} {
		var h string
		require.NoError(t, db.QueryRow(q).Scan(&h))
		parts = append(parts, h)
	}
	return strings.Join(parts, ",")
}

// authzCase says how to call one route on an object of district A and what
// the policy must decide.
type authzCase struct {
	// kind: "object" (decided by action on A: 404 outside scope, 403 beyond
	// role), "list" (200, and A's rows only for who may see them), "self"
	// (any signed-in user, on their own things), "session" (a signed-in
	// browser only: 403 for every API token), "batch" (refused rows: 422,
	// nothing written).
	kind   string
	action auth.Action
	// build prepares what the request needs and returns its path and body.
	build func(t *testing.T, w *world) (path, body string)
	// marker is text of A's that a list must show only to those who may see it.
	marker func(w *world) string
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

var authzCases = map[string]authzCase{
	"GET /api/v1/calendar": {kind: "self", build: func(*testing.T, *world) (string, string) { return "/api/v1/calendar?year=2026", "" }},
	"PUT /api/v1/calendar/days/:date": {kind: "top", action: auth.ActionManageTree, build: func(*testing.T, *world) (string, string) {
		return "/api/v1/calendar/days/2026-12-31", `{"kind":"off","name":"Nghỉ bù"}`
	}},
	"DELETE /api/v1/calendar/days/:date": {kind: "top", action: auth.ActionManageTree, build: func(t *testing.T, w *world) (string, string) {
		require.NoError(t, store.New(w.db).SetCalendarDay(context.Background(), store.CalendarDay{Day: store.Date{Time: time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC)}, Kind: "off"}, nil))
		return "/api/v1/calendar/days/2026-12-30", ""
	}},
	"GET /api/v1/me":               {kind: "self", build: func(*testing.T, *world) (string, string) { return "/api/v1/me", "" }},
	"GET /api/v1/me/tokens":        {kind: "self", build: func(*testing.T, *world) (string, string) { return "/api/v1/me/tokens", "" }},
	"POST /api/v1/me/tokens":       {kind: "session", build: func(*testing.T, *world) (string, string) { return "/api/v1/me/tokens", `{"name":"tích hợp"}` }},
	"POST /api/v1/auth/logout":     {kind: "self", build: func(*testing.T, *world) (string, string) { return "/api/v1/auth/logout", "" }},
	"POST /api/v1/auth/logout-all": {kind: "session", build: func(*testing.T, *world) (string, string) { return "/api/v1/auth/logout-all", "" }},
	"DELETE /api/v1/me/tokens/:id": {kind: "object", action: "own_token", build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/me/tokens/" + id(w.officerATokenID), ""
	}},

	"GET /api/v1/import-jobs/:id": {kind: "object", action: auth.ActionView, build: func(t *testing.T, w *world) (string, string) {
		j, err := store.New(w.db).CreateImportJob(context.Background(), store.ImportJob{IssuerUnitID: w.a.ID, FileName: "ke-hoach.pdf",
			SHA256: "00", SizeBytes: 5, Format: "pdf"}, []byte("%PDF-"))
		require.NoError(t, err)
		return "/api/v1/import-jobs/" + id(j.ID), ""
	}},

	"GET /api/v1/units": {kind: "list", action: auth.ActionView, build: func(*testing.T, *world) (string, string) { return "/api/v1/units?limit=5000", "" },
		marker: func(w *world) string { return w.a.Code }},
	"POST /api/v1/units": {kind: "object", action: auth.ActionManageTree, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/units", fmt.Sprintf(`{"parent_id":%d,"kind":"commune","code":"N-%s","name":"Hội LHPN xã mới"}`, w.a.ID, storetest.Unique())
	}},
	"POST /api/v1/units/import": {kind: "batch", action: auth.ActionManageTree, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/units/import", "Mã đơn vị,Tên đơn vị,Loại,Mã đơn vị cấp trên\nI-" + storetest.Unique() + ",Hội LHPN xã nhập,commune," + w.a.Code + "\n"
	}},
	"GET /api/v1/units/:id": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) { return "/api/v1/units/" + id(w.a.ID), "" }},
	"PATCH /api/v1/units/:id": {kind: "object", action: auth.ActionManageTree, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/units/" + id(w.a.ID), `{"short_name":"Huyện A"}`
	}},
	"POST /api/v1/units/:id/move": {kind: "object", action: auth.ActionManageTree, build: func(t *testing.T, w *world) (string, string) {
		from, to := w.leaf(t), w.leaf(t)
		return "/api/v1/units/" + id(from.ID) + "/move", fmt.Sprintf(`{"parent_id":%d}`, to.ID)
	}},
	"POST /api/v1/units/:id/deactivate": {kind: "object", action: auth.ActionManageTree, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/units/" + id(w.leaf(t).ID) + "/deactivate", ""
	}},
	"GET /api/v1/units/:id/export": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) { return "/api/v1/units/" + id(w.a.ID) + "/export", "" }},
	"GET /api/v1/units/:id/tasks":  {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) { return "/api/v1/units/" + id(w.a.ID) + "/tasks", "" }},

	"GET /api/v1/users": {kind: "list", action: auth.ActionManageUsers, build: func(*testing.T, *world) (string, string) { return "/api/v1/users", "" },
		marker: func(w *world) string { return w.officerAEmail }},
	"POST /api/v1/users": {kind: "object", action: auth.ActionManageUsers, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/users", fmt.Sprintf(`{"email":"moi-%s@example.org","name":"Người mới","memberships":[{"unit_id":%d,"role":"officer"}]}`, storetest.Unique(), w.a.ID)
	}},
	"GET /api/v1/users/:id": {kind: "object", action: auth.ActionManageUsers, build: func(_ *testing.T, w *world) (string, string) { return "/api/v1/users/" + id(w.officerA), "" }},
	"PATCH /api/v1/users/:id": {kind: "object", action: auth.ActionManageUsers, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/users/" + id(w.officerA), `{"name":"Lê Thị Cán Bộ"}`
	}},
	"POST /api/v1/users/:id/memberships": {kind: "object", action: auth.ActionManageUsers, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/users/" + id(w.officerA) + "/memberships", fmt.Sprintf(`{"unit_id":%d,"role":"viewer"}`, w.a.ID)
	}},
	"DELETE /api/v1/users/:id/memberships/:unit_id/:role": {kind: "object", action: auth.ActionManageUsers, build: func(t *testing.T, w *world) (string, string) {
		require.NoError(t, store.New(w.db).AddMembership(context.Background(), w.officerA, w.a.ID, "viewer"))
		return "/api/v1/users/" + id(w.officerA) + "/memberships/" + id(w.a.ID) + "/viewer", ""
	}},

	"GET /api/v1/audit": {kind: "list", action: auth.ActionViewAudit, build: func(*testing.T, *world) (string, string) { return "/api/v1/audit?limit=1000", "" },
		marker: func(w *world) string { return `"entity_id":"` + w.a.Code + `"` }},
	"GET /api/v1/mail/status": {kind: "top", action: auth.ActionManageTree, build: func(*testing.T, *world) (string, string) { return "/api/v1/mail/status", "" }},
	"GET /api/v1/outbox": {kind: "list", action: auth.ActionManageUsers, build: func(*testing.T, *world) (string, string) { return "/api/v1/outbox?limit=1000", "" },
		marker: func(w *world) string { return w.notificationMark }},

	"GET /api/v1/plans": {kind: "list", action: auth.ActionView, build: func(*testing.T, *world) (string, string) { return "/api/v1/plans", "" },
		marker: func(w *world) string { return w.planCode }},
	"POST /api/v1/plans/import": {kind: "object", action: auth.ActionEdit, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/import", fmt.Sprintf("%d|Số: 7/KH-A\n\nKẾ HOẠCH\n\nThi đua năm 2027\n\n- 100%% hội viên tham gia", w.a.ID)
	}},
	"PUT /api/v1/plans/:id": {kind: "object", action: auth.ActionEdit, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/" + id(w.plan), fmt.Sprintf(`{"title":"Kế hoạch của huyện A (sửa)","term_start_year":2026,"term_end_year":2027,"unit_ids":[%d],"cycles":[{"kind":"annual","year":2026,"due_on":"%s"}]}`, w.a1.ID, w.due)
	}},
	"POST /api/v1/plans/:id/amend": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/" + id(w.plan) + "/amend", `{"reason":"điều chỉnh","plan":{"title":"K","term_start_year":2026,"term_end_year":2027}}`
	}},
	"POST /api/v1/plans/:id/cascade": {kind: "object", action: auth.ActionEdit, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/" + id(w.plan) + "/cascade", fmt.Sprintf(`{"unit_id":%d}`, w.a1.ID)
	}},
	"POST /api/v1/plans/:id/cancel": {kind: "object", action: auth.ActionApprove, build: func(t *testing.T, w *world) (string, string) {
		// A fresh draft each time: an allowed cancel closes it.
		id, err := store.New(w.db).CreatePlan(context.Background(), store.NewPlan{Plan: store.Plan{Title: "Nháp", IssuerUnitID: &w.a.ID, TermStartYear: 2026, TermEndYear: 2027}})
		require.NoError(t, err)
		return fmt.Sprintf("/api/v1/plans/%d/cancel", id), `{"reason":"trùng kế hoạch khác"}`
	}},
	"POST /api/v1/plans/:id/escalations": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/" + id(w.plan) + "/escalations", `{"paused":false}`
	}},
	"GET /api/v1/plans/:id/timeline": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/" + id(w.plan) + "/timeline", ""
	}},
	"GET /api/v1/plans/:id/revisions": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/" + id(w.plan) + "/revisions", ""
	}},
	"GET /api/v1/plans/:id/revisions/:revision": {kind: "object", action: auth.ActionView, build: func(t *testing.T, w *world) (string, string) {
		_, err := w.db.Exec(`INSERT INTO plan_revisions (plan_id, revision, snapshot, reason) VALUES ($1, 1, '{}', 'sửa đổi') ON CONFLICT DO NOTHING`, w.plan)
		require.NoError(t, err)
		return "/api/v1/plans/" + id(w.plan) + "/revisions/1", ""
	}},
	"DELETE /api/v1/plans/:id": {kind: "object", action: auth.ActionApprove, build: func(t *testing.T, w *world) (string, string) {
		// A fresh draft each time: an allowed delete removes it.
		id, err := store.New(w.db).CreatePlan(context.Background(), store.NewPlan{Plan: store.Plan{Title: "Nháp", IssuerUnitID: &w.a.ID, TermStartYear: 2026, TermEndYear: 2027}})
		require.NoError(t, err)
		return fmt.Sprintf("/api/v1/plans/%d", id), ""
	}},
	"POST /api/v1/outbox/:id/retry": {kind: "object", action: auth.ActionManageUsers, build: func(t *testing.T, w *world) (string, string) {
		n, err := store.New(w.db).EnqueueNotification(context.Background(), store.Notification{IdempotencyKey: "retry-" + storetest.Unique(),
			UnitID: &w.a.ID, Recipient: "a@example.org", Template: "reminder", Subject: "s", BodyText: "b"})
		require.NoError(t, err)
		return "/api/v1/outbox/" + id(n.ID) + "/retry", ""
	}},
	"GET /api/v1/plans/:id/issue-preview": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/" + id(w.plan) + "/issue-preview", ""
	}},
	"POST /api/v1/plans": {kind: "object", action: auth.ActionEdit, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans", fmt.Sprintf(`{"issuer_unit_id":%d,"title":"Kế hoạch mới","term_start_year":2026,"term_end_year":2027,"unit_ids":[%d]}`, w.a.ID, w.a.ID)
	}},
	"GET /api/v1/plans/:id":         {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) { return "/api/v1/plans/" + id(w.plan), "" }},
	"POST /api/v1/plans/:id/issue":  {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) { return "/api/v1/plans/" + id(w.plan) + "/issue", "" }},
	"POST /api/v1/plans/:id/remind": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) { return "/api/v1/plans/" + id(w.plan) + "/remind", "" }},
	"POST /api/v1/plans/:id/cycles/redate": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/plans/" + id(w.plan) + "/cycles/redate", `{"shift_days":7}`
	}},
	"POST /api/v1/reports/:id/accept": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/reports/" + id(w.report) + "/accept", `{"comment":"đạt"}`
	}},
	"POST /api/v1/reports/:id/return": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/reports/" + id(w.report) + "/return", `{"comment":"bổ sung số liệu","due_on":"2099-12-01"}`
	}},
	"POST /api/v1/reports/:id/waive": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/reports/" + id(w.report) + "/waive", `{"reason":"sáp nhập"}`
	}},
	"POST /api/v1/reports/:id/deadline": {kind: "object", action: auth.ActionApprove, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/reports/" + id(w.report) + "/deadline", `{"due_on":"2099-12-01"}`
	}},
	// Tasks (tasks branch): A1's task, assigned by A, supported by a commune of A.
	"GET /api/v1/tasks": {kind: "list", action: auth.ActionView, build: func(t *testing.T, w *world) (string, string) {
		w.taskListMarker(t)
		return "/api/v1/tasks", ""
	}, marker: func(w *world) string { return "NV-" + w.planCode }},
	"POST /api/v1/tasks": {kind: "object", action: auth.ActionAssignTask, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/tasks", fmt.Sprintf(`{"unit_id":%d,"title":"Tuyên truyền nghị quyết","due_on":"2099-03-01"}`, w.a1.ID)
	}},
	"GET /api/v1/tasks/:id": {kind: "object", action: auth.ActionView, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/tasks/" + id(w.task(t)), ""
	}},
	"POST /api/v1/tasks/:id/start": {kind: "object", action: auth.ActionSubmitReport, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/tasks/" + id(w.task(t)) + "/start", ""
	}},
	"POST /api/v1/tasks/:id/complete": {kind: "object", action: auth.ActionSubmitReport, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/tasks/" + id(w.task(t)) + "/complete", `{"result":"Đã tổ chức hội nghị"}`
	}},
	"POST /api/v1/tasks/:id/confirm": {kind: "object", action: auth.ActionApprove, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/tasks/" + id(w.task(t)) + "/confirm", ""
	}},
	"POST /api/v1/tasks/:id/return": {kind: "object", action: auth.ActionApprove, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/tasks/" + id(w.task(t)) + "/return", `{"comment":"bổ sung","due_on":"2099-02-01"}`
	}},
	"POST /api/v1/tasks/:id/deadline": {kind: "object", action: auth.ActionApprove, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/tasks/" + id(w.task(t)) + "/deadline", `{"due_on":"2099-02-02"}`
	}},
	"POST /api/v1/tasks/:id/contributions": {kind: "object", action: auth.ActionSubmitReport, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/tasks/" + id(w.task(t)) + "/contributions", `{"text":"Đã phối hợp cung cấp tài liệu"}`
	}},
	// Reporting: dashboards, exports and reviews (issue 6).
	"GET /api/v1/plans/:id/dashboard": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) {
		return fmt.Sprintf("/api/v1/plans/%d/dashboard?unit_id=%d", w.plan, w.a.ID), ""
	}},
	"GET /api/v1/plans/:id/targets/:target_id/breakdown": {kind: "object", action: auth.ActionView, build: func(t *testing.T, w *world) (string, string) {
		ts, err := store.New(w.db).Targets(context.Background(), w.plan)
		require.NoError(t, err)
		return fmt.Sprintf("/api/v1/plans/%d/targets/%d/breakdown?unit_id=%d", w.plan, ts[0].ID, w.a.ID), ""
	}},
	"GET /api/v1/plans/:id/matrix": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) {
		return fmt.Sprintf("/api/v1/plans/%d/matrix?unit_id=%d", w.plan, w.a.ID), ""
	}},
	"GET /api/v1/plans/:id/late": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) {
		return fmt.Sprintf("/api/v1/plans/%d/late?unit_id=%d", w.plan, w.a.ID), ""
	}},
	"GET /api/v1/plans/:id/export.xlsx": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) {
		return fmt.Sprintf("/api/v1/plans/%d/export.xlsx?unit_id=%d", w.plan, w.a.ID), ""
	}},
	"GET /api/v1/plans/:id/reviews": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) {
		return fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan), ""
	}},
	"POST /api/v1/plans/:id/reviews": {kind: "object", action: auth.ActionApprove, build: func(t *testing.T, w *world) (string, string) {
		cs, err := store.New(w.db).ReportCycles(context.Background(), w.plan)
		require.NoError(t, err)
		return fmt.Sprintf("/api/v1/plans/%d/reviews", w.plan), fmt.Sprintf(`{"cycle_id":%d}`, cs[0].ID)
	}},
	"GET /api/v1/reviews/:id": {kind: "object", action: auth.ActionView, build: func(t *testing.T, w *world) (string, string) {
		return fmt.Sprintf("/api/v1/reviews/%d", w.review(t)), ""
	}},
	"GET /api/v1/reviews/:id/report.docx": {kind: "object", action: auth.ActionView, build: func(t *testing.T, w *world) (string, string) {
		return fmt.Sprintf("/api/v1/reviews/%d/report.docx", w.review(t)), ""
	}},

	"GET /api/v1/reports": {kind: "list", action: auth.ActionView, build: func(*testing.T, *world) (string, string) { return "/api/v1/reports", "" },
		marker: func(w *world) string { return w.a1.Name }},
	"PUT /api/v1/reports/:id/draft": {kind: "object", action: auth.ActionSubmitReport, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/reports/" + id(w.report) + "/draft", `{"values":[{"target_id":1,"value":3}]}`
	}},
	"POST /api/v1/attachments": {kind: "object", action: auth.ActionSubmitReport, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/attachments", id(w.report) + "|%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n"
	}},
	"GET /api/v1/attachments/:id": {kind: "object", action: auth.ActionView, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/attachments/" + id(w.attachment(t)), ""
	}},
	"DELETE /api/v1/attachments/:id": {kind: "object", action: auth.ActionApprove, build: func(t *testing.T, w *world) (string, string) {
		return "/api/v1/attachments/" + id(w.attachment(t)), ""
	}},
	"GET /api/v1/reports/:id": {kind: "object", action: auth.ActionView, build: func(_ *testing.T, w *world) (string, string) { return "/api/v1/reports/" + id(w.report), "" }},
	"POST /api/v1/reports/:id/submit": {kind: "object", action: auth.ActionSubmitReport, build: func(_ *testing.T, w *world) (string, string) {
		return "/api/v1/reports/" + id(w.report) + "/submit", `{"values":[{"target_id":1,"value":5}]}`
	}},
}

// TestAuthorization_EveryRouteRefusesOtherUnitsAndWeakerRoles walks every
// route registered on the router with users of each role from a sibling
// district and from the parent province, and checks the status and that a
// refused request changed nothing. A route with no case here fails the test,
// so a new route cannot skip the policy.
func TestAuthorization_EveryRouteRefusesOtherUnitsAndWeakerRoles(t *testing.T) {
	db := storetest.Open(t)
	tc, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	require.NoError(t, err)
	defer tc.Close()
	authzDataDir = t.TempDir()
	s := &api.Server{DB: db, Temporal: tc, TaskQueue: "test", Metrics: metrics.New(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), DataDir: authzDataDir}
	handler := s.Handler()
	srv := httptest.NewServer(spectest.Handler(t, handler))
	defer srv.Close()
	w := newWorld(t, db)

	type principal struct {
		name  string
		role  auth.Role
		inA   bool // the province's users have A in scope; B's do not
		token string
	}
	var principals []principal
	for _, at := range []struct {
		unit store.Unit
		name string
		inA  bool
	}{{w.b, "sibling district", false}, {w.p, "parent province", true}} {
		for _, r := range auth.Roles() {
			_, tok := storetest.SignedIn(t, db, at.unit.ID, string(r))
			principals = append(principals, principal{name: at.name + " " + string(r), role: r, inA: at.inA, token: tok})
		}
	}

	do := func(method, path, body, token string) (int, string) {
		contentType := "application/json"
		body0 := body
		switch {
		case strings.HasSuffix(path, "/plans/import"):
			// body is "issuer_unit_id|document text", sent as a form.
			issuer, doc, _ := strings.Cut(body, "|")
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			require.NoError(t, mw.WriteField("issuer_unit_id", issuer))
			fw, err := mw.CreateFormFile("file", "ke-hoach.txt")
			require.NoError(t, err)
			_, _ = fw.Write([]byte(doc))
			require.NoError(t, mw.Close())
			body, contentType = buf.String(), mw.FormDataContentType()
		case strings.HasSuffix(path, "/attachments"):
			// body is "report id|file content", sent as a form.
			owner, content, _ := strings.Cut(body, "|")
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			require.NoError(t, mw.WriteField("owner_kind", "report"))
			require.NoError(t, mw.WriteField("owner_id", owner))
			fw, err := mw.CreateFormFile("file", "biên bản.pdf")
			require.NoError(t, err)
			_, _ = fw.Write([]byte(content))
			require.NoError(t, mw.Close())
			body, contentType = buf.String(), mw.FormDataContentType()
		case strings.HasSuffix(path, "/import"):
			contentType = "text/csv"
		}
		url := srv.URL + path
		if strings.HasSuffix(path, "/plans/import") {
			// The issuing unit is checked before the body is read.
			issuer, _, _ := strings.Cut(body0, "|")
			url += "?issuer_unit_id=" + issuer
		}
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", contentType)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}

	routes := handler.(*gin.Engine).Routes()
	require.NotEmpty(t, routes)
	for _, rt := range routes {
		key := rt.Method + " " + rt.Path
		t.Run(key, func(t *testing.T) {
			if api.PublicRoutes[key] {
				return
			}
			tc, ok := authzCases[key]
			if !ok {
				t.Fatalf("route %s has no authorization case: add it to authzCases (or to api.PublicRoutes if it is public)", key)
			}
			path, body := tc.build(t, w)
			status, raw := do(rt.Method, path, body, "")
			require.Equal(t, http.StatusUnauthorized, status, "without credentials: %s", raw)

			for _, p := range principals {
				path, body := tc.build(t, w)
				before := fingerprint(t, db)
				status, raw := do(rt.Method, path, body, p.token)
				changed := fingerprint(t, db) != before
				who := p.name
				switch tc.kind {
				case "self":
					require.Less(t, status, 300, "%s: %s", who, raw)
				case "session":
					// Only a browser session may: never an API token.
					require.Equal(t, http.StatusForbidden, status, "%s: %s", who, raw)
					require.Contains(t, raw, "session_required")
					require.False(t, changed, who)
				case "list":
					if !p.role.Permits(tc.action) {
						if status == http.StatusForbidden {
							require.False(t, changed, who)
							continue
						}
					}
					require.Equal(t, http.StatusOK, status, "%s: %s", who, raw)
					require.False(t, changed, who)
					visible := p.inA && p.role.Permits(tc.action)
					require.Equal(t, visible, strings.Contains(raw, tc.marker(w)), "%s sees A's rows: %v", who, !visible)
				case "top":
					// The organisation's own settings: admins of the top unit only.
					if p.inA && p.role.Permits(tc.action) {
						require.Less(t, status, 300, "%s: %s", who, raw)
						continue
					}
					require.Equal(t, http.StatusForbidden, status, "%s: %s", who, raw)
					require.False(t, changed, "%s: a refused request changed the database", who)
				case "batch":
					if p.inA && p.role.Permits(tc.action) {
						require.Equal(t, http.StatusCreated, status, "%s: %s", who, raw)
						continue
					}
					require.Equal(t, http.StatusUnprocessableEntity, status, "%s: %s", who, raw)
					require.False(t, changed, "%s: a refused import wrote something", who)
				case "object":
					want := http.StatusNotFound
					if tc.action == "own_token" {
						// Another user's token is never the caller's.
					} else if p.inA && p.role.Permits(tc.action) {
						require.NotContains(t, []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}, status, "%s may: %s", who, raw)
						continue
					} else if p.inA {
						want = http.StatusForbidden
					}
					require.Equal(t, want, status, "%s: %s", who, raw)
					require.False(t, changed, "%s: a refused request changed the database", who)
				default:
					t.Fatalf("unknown case kind %q", tc.kind)
				}
			}
		})
	}
}
