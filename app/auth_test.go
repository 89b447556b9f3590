package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/api/spectest"
	"cascade/app/apptest"
	"cascade/auth"
	"cascade/store"
	"cascade/store/storetest"
)

// browser is an HTTP client with a cookie jar that echoes the CSRF cookie,
// as the web app does.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   bool
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, client: &http.Client{Jar: jar, Transport: spectest.Transport(t, nil)}, csrf: true}
}

func (b *browser) do(method, path string, body any, header map[string]string) (*http.Response, map[string]any) {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.base+path, rd)
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/json")
	if b.csrf {
		for _, ck := range b.client.Jar.Cookies(req.URL) {
			if ck.Name == "cascade_csrf" {
				req.Header.Set("X-CSRF-Token", ck.Value)
			}
		}
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := b.client.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp, out
}

func errorCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// newPerson creates a user with a password and a role in a fresh unit.
func newPerson(t *testing.T, db *store.DB, role, password string) store.User {
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

func TestSignIn_SessionCookiesCSRFAndSignOutEverywhere(t *testing.T) {
	srv := apptest.Serve(t)
	db := storetest.Open(t)
	u := newPerson(t, db, "officer", "mật-khẩu-đủ-dài")

	b := newBrowser(t, srv.URL)
	resp, body := b.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "sai-mat-khau-roi"}, nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	wrong := body
	resp, body = b.do("POST", "/api/v1/auth/login", map[string]any{"email": "khong-ton-tai@example.org", "password": "sai-mat-khau-roi"}, nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	require.Equal(t, wrong, body, "an unknown email and a wrong password get the same answer")

	resp, body = b.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "mật-khẩu-đủ-dài"}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, u.Email, body["user"].(map[string]any)["email"])
	var session, csrf *http.Cookie
	for _, ck := range resp.Cookies() {
		switch ck.Name {
		case "cascade_session":
			session = ck
		case "cascade_csrf":
			csrf = ck
		}
	}
	require.NotNil(t, session)
	require.NotNil(t, csrf)
	require.True(t, session.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, session.SameSite)
	require.False(t, csrf.HttpOnly, "the web app must read the CSRF token")

	resp, _ = b.do("GET", "/api/v1/me", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)

	// A second sign-in gets a new session ID; the first stays valid.
	b2 := newBrowser(t, srv.URL)
	resp, _ = b2.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "mật-khẩu-đủ-dài"}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	for _, ck := range resp.Cookies() {
		if ck.Name == "cascade_session" {
			require.NotEqual(t, session.Value, ck.Value)
		}
	}

	// A write without the CSRF header is refused, and changes nothing.
	b.csrf = false
	resp, body = b.do("POST", "/api/v1/auth/logout-all", nil, nil)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Equal(t, "csrf_failed", errorCode(body))
	resp, _ = b2.do("GET", "/api/v1/me", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	b.csrf = true

	resp, body = b.do("POST", "/api/v1/auth/logout-all", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, 2.0, body["sessions_ended"])
	resp, _ = b2.do("GET", "/api/v1/me", nil, nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "sign out of all sessions ends the other browser's too")
}

func TestSession_IdleAndAbsoluteExpiry(t *testing.T) {
	srv := apptest.Serve(t)
	db := storetest.Open(t)
	u := newPerson(t, db, "viewer", "mật-khẩu-đủ-dài")
	for _, tc := range []struct {
		name, column string
		ago          time.Duration
	}{
		{"idle for 8 hours", "last_seen_at", 8*time.Hour + time.Minute},
		{"older than 7 days", "created_at", 7*24*time.Hour + time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t, srv.URL)
			resp, _ := b.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "mật-khẩu-đủ-dài"}, nil)
			require.Equal(t, http.StatusOK, resp.StatusCode)
			_, err := db.Exec(`UPDATE sessions SET `+tc.column+` = now() - $2::interval WHERE user_id = $1`, u.ID, strconv.Itoa(int(tc.ago.Seconds()))+" seconds")
			require.NoError(t, err)
			resp, _ = b.do("GET", "/api/v1/me", nil, nil)
			require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		})
	}
}

func TestAPIToken_ShownOnceWorksUntilRevoked(t *testing.T) {
	srv := apptest.Serve(t)
	db := storetest.Open(t)
	u := newPerson(t, db, "officer", "mật-khẩu-đủ-dài")
	b := newBrowser(t, srv.URL)
	resp, _ := b.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "mật-khẩu-đủ-dài"}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, body := b.do("POST", "/api/v1/me/tokens", map[string]any{"name": "Báo cáo tự động"}, nil)
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	plain := body["token"].(string)
	require.Regexp(t, `^csk_`, plain)
	id := int64(body["api_token"].(map[string]any)["id"].(float64))

	resp, body = b.do("GET", "/api/v1/me/tokens", nil, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	listed, _ := json.Marshal(body)
	require.NotContains(t, string(listed), plain, "a token is shown only when created")

	integration := newBrowser(t, srv.URL)
	integration.csrf = false
	bearer := map[string]string{"Authorization": "Bearer " + plain}
	resp, _ = integration.do("GET", "/api/v1/me", nil, bearer)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var stored []byte
	require.NoError(t, db.QueryRow(`SELECT token_hash FROM api_tokens WHERE id = $1`, id).Scan(&stored))
	require.NotContains(t, string(stored), plain, "tokens are stored hashed")

	resp, _ = b.do("DELETE", "/api/v1/me/tokens/"+strconv.FormatInt(id, 10), nil, nil)
	require.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, _ = integration.do("GET", "/api/v1/me", nil, bearer)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestSignIn_ThrottledPerAccountWithTheSameAnswerForUnknownEmails(t *testing.T) {
	srv := apptest.Serve(t)
	db := storetest.Open(t)
	u := newPerson(t, db, "viewer", "mật-khẩu-đủ-dài")
	b := newBrowser(t, srv.URL)
	for i := 0; i < auth.AccountThrottle.Max; i++ {
		resp, _ := b.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "sai-mat-khau-" + strconv.Itoa(i)}, nil)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	resp, body := b.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "mật-khẩu-đủ-dài"}, nil)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "even the right password waits once the account is throttled")
	require.Equal(t, "too_many_attempts", errorCode(body))
	require.NotEmpty(t, resp.Header.Get("Retry-After"))

	ghost := "khong-co-" + storetest.Unique() + "@example.org"
	for i := 0; i < auth.AccountThrottle.Max; i++ {
		resp, _ = b.do("POST", "/api/v1/auth/login", map[string]any{"email": ghost, "password": "sai-mat-khau-gi-do"}, nil)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	}
	resp, _ = b.do("POST", "/api/v1/auth/login", map[string]any{"email": ghost, "password": "sai-mat-khau-gi-do"}, nil)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "unknown accounts are throttled alike")
}

var resetLink = regexp.MustCompile(`/reset-password\?token=([A-Za-z0-9_\-]+)`)

func TestPasswordReset_EmailedSingleUseLinkSetsANewPassword(t *testing.T) {
	srv := apptest.Serve(t)
	db := storetest.Open(t)
	u := newPerson(t, db, "leader", "mật-khẩu-cũ-đủ-dài")
	b := newBrowser(t, srv.URL)
	resp, _ := b.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "mật-khẩu-cũ-đủ-dài"}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)

	anon := newBrowser(t, srv.URL)
	resp, known := anon.do("POST", "/api/v1/auth/password-reset", map[string]any{"email": u.Email}, nil)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	resp, unknown := anon.do("POST", "/api/v1/auth/password-reset", map[string]any{"email": "ai-do@example.org"}, nil)
	require.Equal(t, http.StatusAccepted, resp.StatusCode)
	require.Equal(t, known, unknown, "no account enumeration through reset")

	msgs := srv.Mail.WaitFor(t, u.Email, 1, time.Minute)
	require.Contains(t, msgs[0].Subject, "Đặt lại mật khẩu")
	m := resetLink.FindStringSubmatch(srv.Mail.Text(t, msgs[0].ID))
	require.Len(t, m, 2, "the email holds the reset link")
	token := m[1]

	resp, body := anon.do("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "ngan"}, nil)
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	require.Contains(t, body["error"].(map[string]any)["fields"], "password")

	resp, _ = anon.do("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "mật-khẩu-mới-đủ-dài"}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = b.do("GET", "/api/v1/me", nil, nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "a reset signs the user out everywhere")
	resp, _ = anon.do("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "mật-khẩu-khác-đủ-dài"}, nil)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "the link works once")

	resp, _ = anon.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "mật-khẩu-cũ-đủ-dài"}, nil)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = anon.do("POST", "/api/v1/auth/login", map[string]any{"email": u.Email, "password": "mật-khẩu-mới-đủ-dài"}, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)

	_, err := db.Exec(`UPDATE password_resets SET used_at = NULL, expires_at = now() - interval '1 second' WHERE user_id = $1`, u.ID)
	require.NoError(t, err)
	resp, _ = anon.do("POST", "/api/v1/auth/password-reset/confirm", map[string]any{"token": token, "password": "mật-khẩu-khác-đủ-dài"}, nil)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, "an expired link is refused")
}
