package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"cascade/api"
	"cascade/api/spectest"
	"cascade/auth"
	"cascade/frontend"
	"cascade/store"
	"cascade/store/storetest"
)

// passwordUser creates an active user with a password and a role in a fresh
// unit.
func passwordUser(t *testing.T, db *store.DB, role, password string) store.User {
	t.Helper()
	root := storetest.Root(t, db)
	hash, err := auth.HashPassword(password)
	require.NoError(t, err)
	ctx := context.Background()
	u, err := store.New(db).CreateUser(ctx, store.User{Email: "nguoi-" + storetest.Unique() + "@example.org", Name: "Nguyễn Thị Hoa", PasswordHash: hash, Active: true})
	require.NoError(t, err)
	require.NoError(t, store.New(db).AddMembership(ctx, u.ID, root.ID, role))
	return u
}

func loginRequest(t *testing.T, base, email, password string, header map[string]string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/api/v1/auth/login", strings.NewReader(`{"email":"`+email+`","password":"`+password+`"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}

func TestLogin_ParallelGuessesAtOneAccountAreThrottledBeforeHashing(t *testing.T) {
	s := newAPIServer(t)
	// Room for every guess to wait its turn: none is refused as busy.
	s.HashGate = auth.NewGate(2, 40, time.Minute)
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	u := passwordUser(t, s.DB, "viewer", "mật-khẩu-đủ-dài")
	const n = 20
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _, _ = send(t, loginRequest(t, srv.URL, u.Email, "sai-mat-khau", nil))
		}()
	}
	wg.Wait()
	byStatus := map[int]int{}
	for _, st := range statuses {
		byStatus[st]++
	}
	require.Equal(t, map[int]int{http.StatusUnauthorized: auth.AccountThrottle.Max, http.StatusTooManyRequests: n - auth.AccountThrottle.Max}, byStatus,
		"only as many guesses as the throttle allows are tried")
	status, e, _ := send(t, loginRequest(t, srv.URL, u.Email, "mật-khẩu-đủ-dài", nil))
	require.Equal(t, http.StatusTooManyRequests, status, "the account is throttled for the right password too")
	require.Equal(t, "too_many_attempts", e.Error.Code)
}

func TestLogin_AFullHashGateAnswers503WithRetryAfter(t *testing.T) {
	s := newAPIServer(t)
	s.HashGate = auth.NewGate(1, 0, 50*time.Millisecond)
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	u := passwordUser(t, s.DB, "viewer", "mật-khẩu-đủ-dài")

	hold, ok := s.HashGate.Enter(context.Background())
	require.True(t, ok)
	req := loginRequest(t, srv.URL, u.Email, "mật-khẩu-đủ-dài", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	require.NotEmpty(t, resp.Header.Get("Retry-After"))
	require.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	hold()

	status, _, raw := send(t, loginRequest(t, srv.URL, u.Email, "mật-khẩu-đủ-dài", nil))
	require.Equal(t, http.StatusOK, status, "%s", raw)
	// The refused attempt did not count as a failure.
	require.Equal(t, 0, count(t, s.DB, `SELECT count(*) FROM login_failures WHERE email = '`+u.Email+`'`))
}

func TestLogin_OnlyJSONSignsIn(t *testing.T) {
	srv, db := newBareServer(t)
	u := passwordUser(t, db, "viewer", "mật-khẩu-đủ-dài")
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		req := loginRequest(t, srv.URL, u.Email, "mật-khẩu-đủ-dài", map[string]string{"Content-Type": ct, "Origin": "https://evil.example"})
		if ct == "" {
			req.Header.Del("Content-Type")
		}
		status, e, raw := send(t, req)
		require.Equal(t, http.StatusUnsupportedMediaType, status, "%q: %s", ct, raw)
		require.Equal(t, "unsupported_media_type", e.Error.Code)
	}
	for _, ct := range []string{"application/json; charset=utf-8", "Application/JSON"} {
		status, _, raw := send(t, loginRequest(t, srv.URL, u.Email, "mật-khẩu-đủ-dài", map[string]string{"Content-Type": ct}))
		require.Equal(t, http.StatusOK, status, "%q: %s", ct, raw)
	}
}

func TestLogin_ForwardedForIsIgnoredUnlessFromATrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		proxies []string
		want    string
	}{
		{"no proxy trusted", nil, "127.0.0.1"},
		{"loopback proxy trusted", []string{"127.0.0.1"}, "203.0.113.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newAPIServer(t)
			s.TrustedProxies = tc.proxies
			srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
			t.Cleanup(srv.Close)
			u := passwordUser(t, s.DB, "viewer", "mật-khẩu-đủ-dài")
			status, _, raw := send(t, loginRequest(t, srv.URL, u.Email, "mật-khẩu-đủ-dài", map[string]string{"X-Forwarded-For": "203.0.113.7"}))
			require.Equal(t, http.StatusOK, status, "%s", raw)
			var ip string
			require.NoError(t, s.DB.QueryRow(`SELECT client_ip FROM sessions WHERE user_id = $1`, u.ID).Scan(&ip))
			require.Equal(t, tc.want, ip)
		})
	}
}

func TestSecurityHeaders_OnPagesAndAPI(t *testing.T) {
	srv, _ := newServer(t)
	for _, p := range []string{"/", "/plans/1", "/api/v1/me", "/api/v1/openapi.yaml", "/healthz"} {
		req, _ := http.NewRequest("GET", srv.URL+p, nil)
		req.Header.Set("Authorization", "Bearer "+adminToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		require.Contains(t, csp, "frame-ancestors 'none'", p)
		require.Contains(t, csp, "script-src 'self'", p)
		require.NotContains(t, csp, "unsafe-eval", p)
		require.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"), p)
		require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), p)
		require.NotEmpty(t, resp.Header.Get("Referrer-Policy"), p)
		if strings.HasPrefix(p, "/api/") {
			require.Equal(t, "no-store", resp.Header.Get("Cache-Control"), p)
		}
	}
}

func TestReadyz_SaysOnlyOkOrUnavailable(t *testing.T) {
	srv, _ := newServer(t)
	resp, err := http.Get(srv.URL + "/readyz")
	require.NoError(t, err)
	defer resp.Body.Close()
	var body struct {
		Checks map[string]string `json:"checks"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Equal(t, map[string]string{"postgres": "ok", "temporal": "unavailable"}, body.Checks,
		"no dial error, address or driver message for anonymous callers")
}

func TestMetrics_NotServedToTheNetwork(t *testing.T) {
	s := newAPIServer(t)
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	get := func(header map[string]string) int {
		req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusOK, get(nil), "a process on this machine reads them")
	require.Equal(t, http.StatusNotFound, get(map[string]string{"X-Forwarded-For": "198.51.100.4"}), "not through a proxy")

	s2 := newAPIServer(t)
	s2.MetricsElsewhere = true
	srv2 := httptest.NewServer(spectest.Handler(t, s2.Handler()))
	t.Cleanup(srv2.Close)
	resp, err := http.Get(srv2.URL + "/metrics")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "with METRICS_ADDR the main port serves none")
	rec := httptest.NewRecorder()
	s2.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
}

func TestBadText_NULAndInvalidUTF8Are400NamingTheField(t *testing.T) {
	srv, _, root, _ := newServerWithAdmin(t)
	r := itoa(root.ID)
	cases := []struct{ method, path, body, field string }{
		{"GET", "/api/v1/units?q=%00", "", "q"},
		{"GET", "/api/v1/audit?entity=%ff", "", "entity"},
		{"GET", "/api/v1/units?kind=a%00b", "", "kind"},
		{"PATCH", "/api/v1/units/" + r, `{"name":"a\u0000b"}`, "name"},
		{"POST", "/api/v1/tasks", `{"unit_id":` + r + `,"title":"x\u0000","due_on":"2026-12-31"}`, "title"},
		{"POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K\u0000","term_start_year":2026,"term_end_year":2030,"unit_ids":[1]}`, "title"},
		{"POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[1],"targets":[{"text":"h\u0000","value":1}]}`, "targets[0].text"},
		{"PATCH", "/api/v1/units/" + r, "{\"name\":\"a\xffb\"}", "body"},
	}
	for _, tc := range cases {
		status, e, raw := do(t, tc.method, srv.URL+tc.path, tc.body)
		require.Equal(t, http.StatusBadRequest, status, "%s %s: %s", tc.method, tc.path, raw)
		require.Contains(t, e.Error.Fields, tc.field, "%s %s: %s", tc.method, tc.path, raw)
		require.NotEmpty(t, e.Error.FieldsEn[tc.field])
	}
}

// healthyTemporal answers CheckHealth and refuses every start: enough for a
// route that checks Temporal before committing and starts after.
type healthyTemporal struct{ client.Client }

func (healthyTemporal) CheckHealth(context.Context, *client.CheckHealthRequest) (*client.CheckHealthResponse, error) {
	return &client.CheckHealthResponse{}, nil
}

func (healthyTemporal) ExecuteWorkflow(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
	return nil, errors.New("not started in this test")
}

func TestCreateTask_IdempotencyKeyIsTheCallersAndChecksTheRequest(t *testing.T) {
	s := newAPIServer(t)
	s.Temporal = healthyTemporal{s.Temporal}
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	root := storetest.Root(t, s.DB)
	mk := func(name string) store.Unit {
		u, err := store.New(s.DB).CreateUnit(ctx, store.Unit{ParentID: &root.ID, Kind: "district", Code: "D-" + storetest.Unique(), Name: name})
		require.NoError(t, err)
		return u
	}
	a, b := mk("Hội LHPN huyện A"), mk("Hội LHPN huyện B")
	_, leaderA := storetest.SignedIn(t, s.DB, a.ID, "leader")
	_, leaderB := storetest.SignedIn(t, s.DB, b.ID, "leader")
	due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	post := func(token, requestID string, unit int64, title string) (int, apiError, []byte) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/tasks", strings.NewReader(
			`{"unit_id":`+itoa(unit)+`,"title":"`+title+`","due_on":"`+due+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("X-Request-ID", requestID)
		return send(t, req)
	}
	taskID := func(raw []byte) int64 {
		var v struct {
			ID     int64 `json:"id"`
			UnitID int64 `json:"unit_id"`
		}
		require.NoError(t, json.Unmarshal(raw, &v))
		return v.ID
	}
	rid := "req-" + storetest.Unique()
	status, _, raw := post(leaderA, rid, a.ID, "Rà soát hộ nghèo")
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	first := taskID(raw)

	status, _, raw = post(leaderB, rid, b.ID, "Việc của huyện B")
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	require.NotEqual(t, first, taskID(raw), "another caller's request ID names none of their tasks")
	require.NotContains(t, string(raw), "Rà soát hộ nghèo")

	status, _, raw = post(leaderA, rid, a.ID, "Rà soát hộ nghèo")
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	require.Equal(t, first, taskID(raw), "the same request again gets the same task")

	status, e, raw := post(leaderA, rid, a.ID, "Một việc khác")
	require.Equal(t, http.StatusConflict, status, "%s", raw)
	require.Equal(t, "idempotency_conflict", e.Error.Code)
	require.Equal(t, 1, count(t, s.DB, `SELECT count(*) FROM unit_tasks WHERE unit_id = `+itoa(a.ID)))
	require.Equal(t, 1, count(t, s.DB, `SELECT count(*) FROM audit_log WHERE entity = 'unit_task' AND entity_id = '`+itoa(first)+`'`))
}

func TestPlanTimeline_ADistrictSeesOnlyItsOwnUnits(t *testing.T) {
	srv, db := newBareServer(t)
	ctx := context.Background()
	s := store.New(db)
	root := storetest.Root(t, db)
	mk := func(name string) store.Unit {
		u, err := s.CreateUnit(ctx, store.Unit{ParentID: &root.ID, Kind: "district", Code: "D-" + storetest.Unique(), Name: name,
			Email: "unit-" + storetest.Unique() + "@example.org"})
		require.NoError(t, err)
		return u
	}
	a, b := mk("Hội LHPN huyện A"), mk("Hội LHPN huyện B")
	v := 10.0
	planID, err := s.CreatePlan(ctx, store.NewPlan{
		Plan:    store.Plan{Code: "KH-" + storetest.Unique(), Title: "Kế hoạch tỉnh", IssuerUnitID: &root.ID, TermStartYear: 2026, TermEndYear: 2027},
		UnitIDs: []int64{a.ID, b.ID},
		Targets: []store.Target{{Text: "Hộ thoát nghèo", Value: &v, Unit: "hộ", Direction: "at_least", Measure: "count"}},
		Cycles:  []store.ReportCycle{{Kind: "annual", Year: 2026, DueOn: store.Date{Time: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)}}},
	})
	require.NoError(t, err)
	cycles, err := s.ReportCycles(ctx, planID)
	require.NoError(t, err)
	for _, u := range []store.Unit{a, b} {
		_, err := s.OpenReport(ctx, cycles[0].ID, u.ID, cycles[0].DueOn)
		require.NoError(t, err)
		_, err = s.EnqueueNotification(ctx, store.Notification{IdempotencyKey: "tl-" + storetest.Unique(), PlanID: &planID, UnitID: &u.ID,
			Recipient: u.Email, Template: "reminder", Subject: "s", BodyText: "b"})
		require.NoError(t, err)
	}
	var timeline struct {
		Cycles []struct {
			Reports map[string]int `json:"reports"`
		} `json:"cycles"`
		Sent []struct {
			Recipient string `json:"recipient"`
		} `json:"sent"`
	}
	read := func(token string) {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/plans/"+itoa(planID)+"/timeline", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		status, _, raw := send(t, req)
		require.Equal(t, http.StatusOK, status, "%s", raw)
		require.NoError(t, json.Unmarshal(raw, &timeline))
	}
	_, officerA := storetest.SignedIn(t, db, a.ID, "officer")
	read(officerA)
	require.Equal(t, 1, timeline.Cycles[0].Reports["expected"], "only A's report")
	require.Len(t, timeline.Sent, 1)
	require.Equal(t, a.Email, timeline.Sent[0].Recipient)

	_, provincial := storetest.SignedIn(t, db, root.ID, "viewer")
	read(provincial)
	require.Equal(t, 2, timeline.Cycles[0].Reports["expected"], "the issuer's side sees every unit")
	require.Len(t, timeline.Sent, 2)
}

// signIn signs u in through the API and returns a client holding the
// session cookie, with the CSRF token to echo on writes.
func signIn(t *testing.T, base string, u store.User, password string) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar}
	resp, err := cl.Do(loginRequest(t, base, u.Email, password, nil))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	csrf := ""
	for _, ck := range resp.Cookies() {
		if ck.Name == "cascade_csrf" {
			csrf = ck.Value
		}
	}
	return cl, csrf
}

func sessionDo(t *testing.T, cl *http.Client, csrf, method, url, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err := cl.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func bearer(t *testing.T, method, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(`{"name":"con"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	status, _, _ := send(t, req)
	return status
}

func TestAPIToken_ExpiresAndCannotMintTokens(t *testing.T) {
	srv, db := newBareServer(t)
	u := passwordUser(t, db, "viewer", "mật-khẩu-đủ-dài")
	cl, csrf := signIn(t, srv.URL, u, "mật-khẩu-đủ-dài")
	status, raw := sessionDo(t, cl, csrf, "POST", srv.URL+"/api/v1/me/tokens", `{"name":"tích hợp"}`)
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	var made struct {
		Token    string `json:"token"`
		APIToken struct {
			ID        int64     `json:"id"`
			ExpiresAt time.Time `json:"expires_at"`
		} `json:"api_token"`
	}
	require.NoError(t, json.Unmarshal(raw, &made))
	require.WithinDuration(t, time.Now().AddDate(0, 0, 90), made.APIToken.ExpiresAt, time.Hour, "90 days by default")

	require.Equal(t, http.StatusOK, bearer(t, "GET", srv.URL+"/api/v1/me", made.Token))
	require.Equal(t, http.StatusForbidden, bearer(t, "POST", srv.URL+"/api/v1/me/tokens", made.Token), "a token mints no tokens")
	require.Equal(t, 1, count(t, db, `SELECT count(*) FROM api_tokens WHERE user_id = `+itoa(u.ID)))

	_, err := db.Exec(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, made.APIToken.ID)
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, bearer(t, "GET", srv.URL+"/api/v1/me", made.Token), "an expired token opens nothing")
}

func TestLogoutAll_EndsSessionsAndAPITokens(t *testing.T) {
	srv, db := newBareServer(t)
	u := passwordUser(t, db, "viewer", "mật-khẩu-đủ-dài")
	cl, csrf := signIn(t, srv.URL, u, "mật-khẩu-đủ-dài")
	status, raw := sessionDo(t, cl, csrf, "POST", srv.URL+"/api/v1/me/tokens", `{"name":"tích hợp"}`)
	require.Equal(t, http.StatusCreated, status, "%s", raw)
	var made struct{ Token string }
	require.NoError(t, json.Unmarshal(raw, &made))
	require.Equal(t, http.StatusForbidden, bearer(t, "POST", srv.URL+"/api/v1/auth/logout-all", made.Token))
	status, raw = sessionDo(t, cl, csrf, "POST", srv.URL+"/api/v1/auth/logout-all", ``)
	require.Equal(t, http.StatusOK, status, "%s", raw)
	require.Equal(t, http.StatusUnauthorized, bearer(t, "GET", srv.URL+"/api/v1/me", made.Token), "signing out everywhere revokes the tokens")
}

func TestPasswordReset_NewerLinkEndsOlderOnesAndResetEndsTokens(t *testing.T) {
	s := newAPIServer(t)
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	u := passwordUser(t, s.DB, "viewer", "mật-khẩu-cũ-đủ-dài")
	_, token := storetest.SignedIn(t, s.DB, storetest.Root(t, s.DB).ID, "viewer")
	// A token of u's own.
	plain, hash := auth.NewToken(auth.APITokenPrefix)
	_, err := store.New(s.DB).CreateAPIToken(context.Background(), store.APIToken{UserID: u.ID, Name: "x", TokenHash: hash})
	require.NoError(t, err)
	_ = token
	cl, _ := signIn(t, srv.URL, u, "mật-khẩu-cũ-đủ-dài")

	reset := func(email string) {
		status, _, raw := do(t, "POST", srv.URL+"/api/v1/auth/password-reset", `{"email":"`+email+`"}`)
		require.Equal(t, http.StatusAccepted, status, "%s", raw)
		s.Wait()
	}
	links := func() []string {
		rows, err := s.DB.Query(`SELECT body_text FROM notifications WHERE recipient = $1 AND template = 'password_reset' ORDER BY id`, u.Email)
		require.NoError(t, err)
		defer rows.Close()
		var out []string
		for rows.Next() {
			var body string
			require.NoError(t, rows.Scan(&body))
			m := regexp.MustCompile(`reset-password\?token=([A-Za-z0-9_\-]+)`).FindStringSubmatch(body)
			require.Len(t, m, 2)
			out = append(out, m[1])
		}
		return out
	}
	reset(u.Email)
	reset(u.Email)
	ls := links()
	require.Len(t, ls, 2)
	confirm := func(tok string) int {
		status, _, _ := do(t, "POST", srv.URL+"/api/v1/auth/password-reset/confirm", `{"token":"`+tok+`","password":"mật-khẩu-mới-đủ-dài"}`)
		return status
	}
	require.Equal(t, http.StatusBadRequest, confirm(ls[0]), "a newer link ends the older one")
	require.Equal(t, http.StatusOK, confirm(ls[1]))

	require.Equal(t, http.StatusUnauthorized, bearer(t, "GET", srv.URL+"/api/v1/me", plain), "a reset revokes the account's tokens")
	req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
	resp, err := cl.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "and ends its sessions")

	// At most three emails an hour to one account, however often asked.
	for range 4 {
		reset(u.Email)
	}
	require.Len(t, links(), 3)
}

func TestFigures_BeyondTheBoundAre422NamingTheField(t *testing.T) {
	srv, _, root, _ := newServerWithAdmin(t)
	r := itoa(root.ID)
	cases := []struct{ method, path, body, field string }{
		{"POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[1],"targets":[{"text":"hộ","value":1.7976931348623157e308}]}`, "targets[0].value"},
		{"POST", "/api/v1/plans", `{"issuer_unit_id":` + r + `,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[1],"targets":[{"text":"hộ","value":5,"baseline":2e12}]}`, "targets[0].baseline"},
		{"POST", "/api/v1/reports/424242/submit", `{"values":[{"target_id":1,"value":1e308}]}`, "values[0].value"},
		{"PUT", "/api/v1/reports/424242/draft", `{"values":[{"target_id":1,"numerator":-1e13,"denominator":1}]}`, "values[0].numerator"},
	}
	for _, tc := range cases {
		status, e, raw := do(t, tc.method, srv.URL+tc.path, tc.body)
		require.Equal(t, http.StatusUnprocessableEntity, status, "%s %s: %s", tc.method, tc.path, raw)
		require.Contains(t, e.Error.Fields, tc.field, "%s", raw)
	}
	// A figure within the bound passes this check.
	status, _, raw := do(t, "POST", srv.URL+"/api/v1/plans", `{"issuer_unit_id":`+r+`,"title":"K","term_start_year":2026,"term_end_year":2030,"unit_ids":[`+r+`],"targets":[{"text":"hộ","value":1e12}]}`)
	require.Equal(t, http.StatusCreated, status, "%s", raw)
}

func TestCallerCache_KeepsTheCallerBrieflyAndForgetsOnAccessChanges(t *testing.T) {
	s := newAPIServer(t)
	s.CallerCacheTTL = 5 * time.Second
	var mu sync.Mutex
	now := time.Now()
	s.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	root := storetest.Root(t, s.DB)
	_, adminTok := storetest.SignedIn(t, s.DB, root.ID, "admin")
	viewerID, viewerTok := storetest.SignedIn(t, s.DB, root.ID, "viewer")
	get := func(tok, path string) int {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		status, _, _ := send(t, req)
		return status
	}
	require.Equal(t, http.StatusOK, get(viewerTok, "/api/v1/units/"+itoa(root.ID)))

	// A change made behind the API's back is seen once the entry ages out.
	_, err := s.DB.Exec(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1`, viewerID)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, get(viewerTok, "/api/v1/me"), "cached for a few seconds")
	advance(6 * time.Second)
	require.Equal(t, http.StatusUnauthorized, get(viewerTok, "/api/v1/me"), "and no longer")
	_, err = s.DB.Exec(`UPDATE api_tokens SET revoked_at = NULL WHERE user_id = $1`, viewerID)
	require.NoError(t, err)

	// A role taken away through the API holds at once.
	require.Equal(t, http.StatusOK, get(viewerTok, "/api/v1/units/"+itoa(root.ID)))
	req, _ := http.NewRequest("DELETE", srv.URL+"/api/v1/users/"+itoa(viewerID)+"/memberships/"+itoa(root.ID)+"/viewer", nil)
	req.Header.Set("Authorization", "Bearer "+adminTok)
	status, _, raw := send(t, req)
	require.Equal(t, http.StatusOK, status, "%s", raw)
	require.Equal(t, http.StatusNotFound, get(viewerTok, "/api/v1/units/"+itoa(root.ID)), "the removed role is not cached")
}

// The content security policy allows scripts from the site only: the built
// web app must hold no inline script and load nothing from elsewhere.
func TestWebApp_FitsTheContentSecurityPolicy(t *testing.T) {
	index, err := fs.ReadFile(frontend.Dist(), "index.html")
	if err != nil {
		t.Skip("the web app is not built (make build)")
	}
	for _, tag := range regexp.MustCompile(`(?is)<script[^>]*>`).FindAllString(string(index), -1) {
		require.Regexp(t, `src="/`, tag, "an inline or foreign script: %s", tag)
	}
	require.NotRegexp(t, `(?is)<script[^>]*>\s*[^<\s]`, string(index), "inline script body")
	require.NotRegexp(t, `(?i)(src|href)="(https?:)?//`, string(index), "a resource from another origin")
	require.NotRegexp(t, `(?i)\son[a-z]+=`, string(index), "an inline event handler")
}

// Twelve reset requests for one account sent at once queued twelve emails
// (each counted the links before any was made): the count is taken under a
// lock, so at most three go out, however the requests interleave.
func TestPasswordReset_ParallelRequestsStillSendAtMostThree(t *testing.T) {
	s := newAPIServer(t)
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	u := passwordUser(t, s.DB, "viewer", "mật-khẩu-cũ-đủ-dài")
	var wg sync.WaitGroup
	for range 12 {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/auth/password-reset", strings.NewReader(`{"email":"`+u.Email+`"}`))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	s.Wait()
	var n int
	require.NoError(t, s.DB.QueryRow(`SELECT count(*) FROM notifications WHERE recipient = $1 AND template = 'password_reset'`, u.Email).Scan(&n))
	require.LessOrEqual(t, n, 3)
	require.NoError(t, s.DB.QueryRow(`SELECT count(*) FROM password_resets WHERE user_id = $1`, u.ID).Scan(&n))
	require.LessOrEqual(t, n, 3)
}

// A JSON body sent a byte at a time held the connection until
// HTTP_READ_TIMEOUT (2 minutes, sized for uploads): reading a JSON body has
// its own, shorter deadline, after which the request is refused.
func TestBind_ASlowJSONBodyIsCutOff(t *testing.T) {
	old := api.JSONBodyTimeout
	api.JSONBodyTimeout = time.Second
	t.Cleanup(func() { api.JSONBodyTimeout = old })
	s := newAPIServer(t)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":")
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(15*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "the server answers instead of waiting for the rest of the body")
	defer resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
}
