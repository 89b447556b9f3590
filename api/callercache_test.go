package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/api/spectest"
	"cascade/auth"
	"cascade/store"
	"cascade/store/storetest"
)

// cachedServer is the API with the production caller cache (5 s) on a clock
// that does not move: whatever is refused below is refused although the
// cache entry is still fresh.
func cachedServer(t *testing.T) (string, *store.DB) {
	t.Helper()
	s := newAPIServer(t)
	s.CallerCacheTTL = 5 * time.Second
	var mu sync.Mutex
	now := time.Now()
	s.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := httptest.NewServer(spectest.Handler(t, s.Handler()))
	t.Cleanup(srv.Close)
	return srv.URL, s.DB
}

// withCookie sends a request carrying a session cookie kept aside, as a
// stolen or stale copy would be sent after its owner signed out.
func withCookie(t *testing.T, base, method, path, session, csrf string) int {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader(""))
	require.NoError(t, err)
	req.AddCookie(&http.Cookie{Name: "cascade_session", Value: session})
	req.Header.Set("X-CSRF-Token", csrf)
	status, _, _ := send(t, req)
	return status
}

func sessionOf(t *testing.T, cl *http.Client, base string) string {
	u, _ := url.Parse(base)
	for _, ck := range cl.Jar.Cookies(u) {
		if ck.Name == "cascade_session" {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func TestCallerCache_SignOutHoldsAtOnce(t *testing.T) {
	base, db := cachedServer(t)
	u := passwordUser(t, db, "viewer", "mật khẩu đủ dài 2026")
	cl, csrf := signIn(t, base, u, "mật khẩu đủ dài 2026")
	session := sessionOf(t, cl, base)
	require.Equal(t, http.StatusOK, withCookie(t, base, "GET", "/api/v1/me", session, csrf), "signed in, now cached")

	status, raw := sessionDo(t, cl, csrf, "POST", base+"/api/v1/auth/logout", "")
	require.Equal(t, http.StatusNoContent, status, "%s", raw)
	require.Equal(t, http.StatusUnauthorized, withCookie(t, base, "GET", "/api/v1/me", session, csrf), "the signed-out session is not cached")
}

func TestCallerCache_SignOutEverywhereHoldsAtOnce(t *testing.T) {
	base, db := cachedServer(t)
	u := passwordUser(t, db, "viewer", "mật khẩu đủ dài 2026")
	first, csrf1 := signIn(t, base, u, "mật khẩu đủ dài 2026")
	second, csrf2 := signIn(t, base, u, "mật khẩu đủ dài 2026")
	other := sessionOf(t, second, base)
	require.Equal(t, http.StatusOK, withCookie(t, base, "GET", "/api/v1/me", other, csrf2))

	status, raw := sessionDo(t, first, csrf1, "POST", base+"/api/v1/auth/logout-all", "")
	require.Less(t, status, 300, "%s", raw)
	require.Equal(t, http.StatusUnauthorized, withCookie(t, base, "GET", "/api/v1/me", other, csrf2), "the other browser is signed out at once")
}

func TestCallerCache_PasswordResetEndsSessionsAndTokensAtOnce(t *testing.T) {
	base, db := cachedServer(t)
	u := passwordUser(t, db, "viewer", "mật khẩu đủ dài 2026")
	cl, csrf := signIn(t, base, u, "mật khẩu đủ dài 2026")
	session := sessionOf(t, cl, base)
	ctx := context.Background()
	plainTok, tokHash := auth.NewToken(auth.APITokenPrefix)
	_, err := store.New(db).CreateAPIToken(ctx, store.APIToken{UserID: u.ID, Name: "tích hợp", TokenHash: tokHash})
	require.NoError(t, err)
	bearer := func() int {
		req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+plainTok)
		status, _, _ := send(t, req)
		return status
	}
	require.Equal(t, http.StatusOK, withCookie(t, base, "GET", "/api/v1/me", session, csrf), "session cached")
	require.Equal(t, http.StatusOK, bearer(), "token cached")

	plain, hash := auth.NewToken("")
	now := time.Now()
	require.NoError(t, store.New(db).CreatePasswordReset(ctx, store.PasswordReset{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
	req, _ := http.NewRequest("POST", base+"/api/v1/auth/password-reset/confirm",
		strings.NewReader(`{"token":"`+plain+`","password":"một mật khẩu mới dài 2026"}`))
	req.Header.Set("Content-Type", "application/json")
	status, _, raw := send(t, req)
	require.Equal(t, http.StatusOK, status, "%s", raw)

	require.Equal(t, http.StatusUnauthorized, withCookie(t, base, "GET", "/api/v1/me", session, csrf), "the old session is not cached")
	require.Equal(t, http.StatusUnauthorized, bearer(), "nor the revoked token")
	_ = storetest.Unique
}
