package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"cascade/api"
	"cascade/api/spectest"
	"cascade/metrics"
	"cascade/store"
	"cascade/store/storetest"
)

func TestMain(m *testing.M) {
	code := storetest.Main(m)
	spectest.Summary()
	os.Exit(code)
}

// newServer serves the API on the package's database with a Temporal client
// that reaches no server: every route that needs Temporal must fail cleanly.
func newServer(t *testing.T) (*httptest.Server, *store.DB) {
	srv, db, _, _ := newServerWithAdmin(t)
	return srv, db
}

func newServerWithAdmin(t *testing.T) (*httptest.Server, *store.DB, store.Unit, string) {
	srv, db := newBareServer(t)
	root := storetest.Root(t, db)
	_, token := storetest.SignedIn(t, db, root.ID, "admin")
	adminToken = token
	return srv, db, root, token
}

// adminToken signs do's requests; set by newServerWithAdmin.
var adminToken string

func newBareServer(t *testing.T) (*httptest.Server, *store.DB) {
	t.Helper()
	s := newAPIServer(t)
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	return srv, s.DB
}

// newAPIServer is the API on the package's database with a Temporal client
// that reaches no server.
func newAPIServer(t *testing.T) *api.Server {
	t.Helper()
	tc, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	var logs io.Writer = io.Discard
	if os.Getenv("CASCADE_TEST_LOG") != "" {
		logs = os.Stderr
	}
	return &api.Server{DB: storetest.Open(t), Temporal: tc, TaskQueue: "test", Metrics: metrics.New(),
		Log: slog.New(slog.NewJSONHandler(logs, nil)), DataDir: t.TempDir()}
}

type apiError struct {
	Error struct {
		Code      string            `json:"code"`
		Message   string            `json:"message"`
		MessageEn string            `json:"message_en"`
		Fields    map[string]string `json:"fields"`
		FieldsEn  map[string]string `json:"fields_en"`
	} `json:"error"`
}

func do(t *testing.T, method, url, body string) (int, apiError, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if adminToken != "" {
		req.Header.Set("Authorization", "Bearer "+adminToken)
	}
	return send(t, req)
}

func strconvUnique() string { return storetest.Unique() }

func send(t *testing.T, req *http.Request) (int, apiError, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e apiError
	_ = json.Unmarshal(raw, &e)
	return resp.StatusCode, e, raw
}

func count(t *testing.T, db *store.DB, q string) int {
	t.Helper()
	var n int
	require.NoError(t, db.QueryRow(q).Scan(&n))
	return n
}

func TestErrors_BadInputGetsA4xxNamingTheFieldInBothLanguages(t *testing.T) {
	srv, _, root, _ := newServerWithAdmin(t)
	r := strconv.FormatInt(root.ID, 10)
	cases := []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"unknown field", "POST", "/api/v1/units", `{"parent_id":` + r + `,"kind":"district","code":"X1","name":"A","colour":"red"}`, 400, "invalid_request", "colour"},
		{"malformed JSON", "POST", "/api/v1/units", `{"kind":`, 400, "invalid_request", "body"},
		{"wrong type", "POST", "/api/v1/units", `{"kind":"district","code":7,"name":"A"}`, 400, "invalid_request", "code"},
		{"two objects", "POST", "/api/v1/units", `{"kind":"district","code":"X2","name":"A"}{}`, 400, "invalid_request", "body"},
		{"missing required", "POST", "/api/v1/units", `{"parent_id":` + r + `,"kind":"district","name":"A"}`, 422, "validation_failed", "code"},
		{"unknown kind", "POST", "/api/v1/units", `{"parent_id":` + r + `,"kind":"county","code":"X3","name":"A"}`, 422, "validation_failed", "kind"},
		{"bad email", "POST", "/api/v1/units", `{"parent_id":` + r + `,"kind":"district","code":"X4","name":"A","email":"not-mail"}`, 422, "validation_failed", "email"},
		{"missing parent", "POST", "/api/v1/units", `{"kind":"district","code":"X5","name":"A","parent_id":999999}`, 422, "validation_failed", "parent_id"},
		{"plan without units", "POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[]}`, 422, "validation_failed", "unit_ids"},
		{"plan term backwards", "POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K","term_start_year":2026,"term_end_year":2025,"unit_ids":[1]}`, 422, "validation_failed", "term_end_year"},
		{"plan target without value", "POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[1],"targets":[{"text":"hộ"}]}`, 422, "validation_failed", "targets[0].value"},
		{"plan with unknown unit", "POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[987654]}`, 422, "validation_failed", "unit_ids"},
		{"bad due date", "POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[1],"cycles":[{"kind":"annual","year":2026,"due_on":"15/11/2026"}]}`, 400, "invalid_request", "cycles.due_on"},
		{"bad outbox status", "GET", "/api/v1/outbox?status=lost", ``, 400, "invalid_request", "status"},
		{"not an id", "GET", "/api/v1/plans/abc", ``, 404, "not_found", ""},
		{"no such plan", "GET", "/api/v1/plans/424242", ``, 404, "not_found", ""},
		{"no such report", "POST", "/api/v1/reports/424242/submit", `{"values":[{"target_id":1,"value":1}]}`, 404, "not_found", ""},
		{"no such route", "GET", "/api/v1/nope", ``, 404, "not_found", ""},
		{"wrong method", "DELETE", "/api/v1/plans", ``, 405, "method_not_allowed", ""},
		{"plan without issuer", "POST", "/api/v1/plans", `{"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[1]}`, 422, "validation_failed", "issuer_unit_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, e, raw := do(t, tc.method, srv.URL+tc.path, tc.body)
			require.Equal(t, tc.status, status, "%s", raw)
			require.Equal(t, tc.code, e.Error.Code, "%s", raw)
			require.NotEmpty(t, e.Error.Message)
			require.NotEmpty(t, e.Error.MessageEn)
			if tc.field != "" {
				require.Contains(t, e.Error.Fields, tc.field, "%s", raw)
				require.NotEmpty(t, e.Error.FieldsEn[tc.field])
			}
		})
	}
}

func TestErrors_OversizedBodyIs413(t *testing.T) {
	srv, _ := newServer(t)
	big := `{"kind":"district","code":"X","name":"` + strings.Repeat("a", 2<<20) + `"}`
	status, e, _ := do(t, "POST", srv.URL+"/api/v1/units", big)
	require.Equal(t, http.StatusRequestEntityTooLarge, status)
	require.Equal(t, "too_large", e.Error.Code)
}

func TestCreatePlan_RefusedPlanLeavesNothingBehind(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	before := count(t, db, `SELECT count(*) FROM plans`)
	beforeAudit := count(t, db, `SELECT count(*) FROM audit_log`)
	status, _, _ := do(t, "POST", srv.URL+"/api/v1/plans",
		`{"issuer_unit_id":`+strconv.FormatInt(root.ID, 10)+`,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[987654],"targets":[{"text":"hộ","value":5}]}`)
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, before, count(t, db, `SELECT count(*) FROM plans`))
	require.Equal(t, 0, count(t, db, `SELECT count(*) FROM targets WHERE plan_id NOT IN (SELECT id FROM plans)`))
	require.Equal(t, beforeAudit, count(t, db, `SELECT count(*) FROM audit_log`))
}

func TestIssuePlan_WhenTemporalIsDownNothingIsIssued(t *testing.T) {
	srv, db, root, _ := newServerWithAdmin(t)
	code := "DK-" + storetest.Unique()
	status, _, raw := do(t, "POST", srv.URL+"/api/v1/units", `{"parent_id":`+strconv.FormatInt(root.ID, 10)+`,"kind":"district","code":"`+code+`","name":"Hội LHPN huyện Diên Khánh"}`)
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	var unit struct{ ID int64 }
	require.NoError(t, json.Unmarshal(raw, &unit))

	body, _ := json.Marshal(map[string]any{"issuer_unit_id": root.ID, "title": "K", "term_start_year": 2026, "term_end_year": 2030, "unit_ids": []int64{unit.ID}})
	status, _, raw = do(t, "POST", srv.URL+"/api/v1/plans", string(body))
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	var plan struct {
		ID     int64
		Status string
		Cycles []struct {
			Kind  string `json:"kind"`
			DueOn string `json:"due_on"`
		}
	}
	require.NoError(t, json.Unmarshal(raw, &plan))
	require.Len(t, plan.Cycles, 6, "by default an annual report a year of the term and the mid-term review")
	require.Equal(t, "2026-11-15", plan.Cycles[0].DueOn)

	status, e, raw := do(t, "POST", srv.URL+"/api/v1/plans/"+itoa(plan.ID)+"/issue", "")
	require.Equal(t, http.StatusServiceUnavailable, status, "%s", raw)
	require.Equal(t, "unavailable", e.Error.Code)
	var st string
	require.NoError(t, db.QueryRow(`SELECT status FROM plans WHERE id = $1`, plan.ID).Scan(&st))
	require.Equal(t, "draft", st)
	require.Equal(t, 0, count(t, db, `SELECT count(*) FROM audit_log WHERE entity = 'plan' AND action = 'issue' AND entity_id = '`+itoa(plan.ID)+`'`))
}

func TestReadyz_NamesWhatIsDown(t *testing.T) {
	srv, _ := newServer(t)
	resp, err := http.Get(srv.URL + "/readyz")
	require.NoError(t, err)
	defer resp.Body.Close()
	var body struct {
		Checks map[string]string `json:"checks"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.Equal(t, "ok", body.Checks["postgres"])
	require.NotEqual(t, "ok", body.Checks["temporal"])
}

func TestRequestID_IsEchoedAndGenerated(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest("GET", srv.URL+"/healthz", nil)
	req.Header.Set("X-Request-ID", "abc123")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, "abc123", resp.Header.Get("X-Request-ID"))
	resp, err = http.Get(srv.URL + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Len(t, resp.Header.Get("X-Request-ID"), 16)
	_ = bytes.MinRead
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestCalendar_ADayOffAddedByTheTopAdminIsAHoliday(t *testing.T) {
	srv, _, _, _ := newServerWithAdmin(t)
	status, _, raw := do(t, "PUT", srv.URL+"/api/v1/calendar/days/2027-02-12", `{"kind":"off","name":"Nghỉ bù Tết theo quyết định của tỉnh"}`)
	require.Equal(t, http.StatusOK, status, "%s", raw)
	status, _, raw = do(t, "GET", srv.URL+"/api/v1/calendar?year=2027", "")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, string(raw), `"2027-02-12"`)
	require.Contains(t, string(raw), "Nghỉ bù Tết theo quyết định của tỉnh")
	require.Contains(t, string(raw), `"2027-02-06"`, "Tết 2027 from the lunar calendar")
	status, e, _ := do(t, "PUT", srv.URL+"/api/v1/calendar/days/12-02-2027", `{"kind":"off"}`)
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, e.Error.Fields, "date")
	status, _, _ = do(t, "DELETE", srv.URL+"/api/v1/calendar/days/2027-02-12", "")
	require.Equal(t, http.StatusNoContent, status)
}
