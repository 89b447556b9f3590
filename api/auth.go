package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"

	"cascade/auth"
	"cascade/mail"
	"cascade/store"
	"cascade/workflows"
)

// Cookie names: the session is HttpOnly; the CSRF token is readable by the
// web app, which echoes it in the X-CSRF-Token header of every write.
const (
	sessionCookie = "cascade_session"
	csrfCookie    = "cascade_csrf"
	csrfHeader    = "X-CSRF-Token"
	callerKey     = "cascade.caller"
)

// PublicRoutes are the routes that answer without signing in. Every other
// route checks the caller; the authorization walk test holds the API to this
// list.
var PublicRoutes = map[string]bool{
	"GET /healthz":                             true,
	"GET /readyz":                              true,
	"GET /metrics":                             true,
	"GET /api/v1/openapi.yaml":                 true,
	"GET /api/docs":                            true,
	"POST /api/v1/auth/login":                  true,
	"POST /api/v1/auth/password-reset":         true,
	"POST /api/v1/auth/password-reset/confirm": true,
}

// caller is who makes a request and what they may do.
type caller struct {
	auth.Principal
	User    store.User
	Members []store.Membership
	// session is nil for a request signed with an API token.
	session *store.Session
}

func (cl *caller) id() *int64 { return &cl.User.ID }

// authenticate resolves the caller from an API token (Authorization: Bearer)
// or a session cookie, enforces the session's idle and absolute expiry, and
// checks the CSRF token on every write made with a cookie.
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		// Public routes, and the web app's files and client-side routes
		// (whatever matches no route outside /api/), need no caller.
		if PublicRoutes[c.Request.Method+" "+c.FullPath()] ||
			(c.FullPath() == "" && !strings.HasPrefix(c.Request.URL.Path, "/api/")) {
			c.Next()
			return
		}
		st := store.New(s.DB)
		now := s.now()
		var found store.Caller
		var err error
		if h := c.GetHeader("Authorization"); strings.HasPrefix(h, "Bearer ") {
			hash := auth.HashToken(strings.TrimPrefix(h, "Bearer "))
			key := "t:" + string(hash)
			var cached bool
			if found, cached = s.callers.get(key, now); !cached {
				// One query resolves the token, its user and their memberships.
				found, err = st.CallerByToken(c, hash)
				if err != nil {
					respondUnauthenticated(c, err)
					return
				}
				s.callers.put(key, found, now)
			}
			if found.TokenLastUsed == nil || now.Sub(*found.TokenLastUsed) > time.Minute {
				_ = st.TouchAPIToken(c, found.TokenID, now)
				found.TokenLastUsed = &now
				s.callers.put(key, found, now)
			}
		} else {
			raw, err := c.Cookie(sessionCookie)
			if err != nil || raw == "" {
				respondUnauthenticated(c, store.ErrNotFound)
				return
			}
			hash := auth.HashToken(raw)
			key := "s:" + string(hash)
			var cached bool
			if found, cached = s.callers.get(key, now); !cached {
				found, err = st.CallerBySession(c, hash)
				if err != nil {
					respondUnauthenticated(c, err)
					return
				}
				s.callers.put(key, found, now)
			}
			se := found.Session
			if !auth.SessionValid(se.CreatedAt, se.LastSeenAt, now) {
				_ = st.DeleteSession(c, se.TokenHash)
				s.callers.forget(key)
				respondUnauthenticated(c, store.ErrNotFound)
				return
			}
			if unsafeMethod(c.Request.Method) &&
				subtle.ConstantTimeCompare([]byte(c.GetHeader(csrfHeader)), []byte(se.CSRFToken)) != 1 {
				respondError(c, newError(http.StatusForbidden, "csrf_failed",
					"Phiên làm việc không hợp lệ, vui lòng tải lại trang", "missing or wrong CSRF token"))
				return
			}
			if now.Sub(se.LastSeenAt) > time.Minute {
				_ = st.TouchSession(c, se.TokenHash, now)
				se.LastSeenAt = now
				s.callers.put(key, found, now)
			}
		}
		cl := newCaller(found.User, found.Memberships)
		cl.session = found.Session
		c.Set(callerKey, cl)
		c.Next()
	}
}

func (s *Server) loadCaller(c *gin.Context, userID int64) (*caller, error) {
	st := store.New(s.DB)
	u, err := st.User(c, userID)
	if err != nil {
		return nil, err
	}
	if !u.Active {
		return nil, store.ErrNotFound
	}
	ms, err := st.Memberships(c, userID)
	if err != nil {
		return nil, err
	}
	return newCaller(u, ms), nil
}

func newCaller(u store.User, ms []store.Membership) *caller {
	cl := &caller{User: u, Members: ms, Principal: auth.Principal{UserID: u.ID}}
	for _, m := range ms {
		cl.Memberships = append(cl.Memberships, auth.Membership{UnitID: m.UnitID, UnitPath: m.UnitPath, Role: auth.Role(m.Role)})
	}
	return cl
}

func respondUnauthenticated(c *gin.Context, err error) {
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		respondError(c, err)
		return
	}
	respondError(c, newError(http.StatusUnauthorized, "unauthenticated",
		"Vui lòng đăng nhập", "sign in first"))
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// who is the signed-in caller; the authenticate middleware guarantees one
// on every route not in PublicRoutes.
func who(c *gin.Context) *caller {
	v, _ := c.Get(callerKey)
	cl, _ := v.(*caller)
	return cl
}

// allow answers whether the caller may do action on an object of the unit
// at unitPath; when not, it has answered 404 (outside every scope of the
// caller) or 403 (in scope, beyond the role).
func allow(c *gin.Context, action auth.Action, unitPath string) bool {
	cl := who(c)
	if cl == nil {
		respondUnauthenticated(c, nil)
		return false
	}
	switch cl.Can(action, unitPath) {
	case auth.Allow:
		return true
	case auth.Forbidden:
		respondError(c, newError(http.StatusForbidden, "forbidden",
			"Vai trò của bạn không được phép thực hiện thao tác này", "your role may not do this"))
	default:
		respondError(c, errNotFound())
	}
	return false
}

// scopePaths are the paths of the caller's memberships that permit action.
func scopePaths(c *gin.Context, action auth.Action) []string {
	var ps []string
	for _, m := range who(c).Memberships {
		if m.Role.Permits(action) {
			ps = append(ps, m.UnitPath)
		}
	}
	return ps
}

type loginRequest struct {
	Email    string `json:"email" binding:"required,max=254"`
	Password string `json:"password" binding:"required,max=256"`
}

// meResponse is the signed-in user with their roles, as the web app reads it.
type meResponse struct {
	User userResponse `json:"user"`
}

// login checks an email and password, throttled per account and per client
// address, and answers the same for an unknown email and a wrong password.
// The attempt is recorded as a failure before the password is checked, so
// parallel guesses at one account count against each other; hashes pass
// through the server's gate, so a flood of sign-ins cannot take its memory.
func (s *Server) login(c *gin.Context) {
	// A form or text/plain post can be sent cross-site without a preflight:
	// only JSON signs in (login CSRF).
	if !requireJSON(c) {
		return
	}
	var req loginRequest
	if !bind(c, &req) {
		return
	}
	st := store.New(s.DB)
	now := s.now()
	ip := c.ClientIP()
	// Counting the failures and recording this attempt as one is a single
	// step per account: of parallel guesses only as many as the throttle
	// allows go on to have their password checked.
	var attempt int64
	var wait time.Duration
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.LockLoginAccount(c, req.Email); err != nil {
			return err
		}
		byAccount, byAddress, err := tx.LoginFailures(c, req.Email, ip, auth.AccountThrottle.Since(now), 0)
		if err != nil {
			return err
		}
		okAccount, waitAccount := auth.AccountThrottle.Allowed(now, byAccount)
		okAddress, waitAddress := auth.AddressThrottle.Allowed(now, byAddress)
		if !okAccount || !okAddress {
			wait = max(waitAccount, waitAddress)
			return nil
		}
		attempt, err = tx.RecordLoginFailure(c, req.Email, ip, now)
		return err
	})
	if err != nil {
		respondError(c, err)
		return
	}
	if attempt == 0 {
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		respondError(c, newError(http.StatusTooManyRequests, "too_many_attempts",
			"Đăng nhập sai quá nhiều lần, vui lòng thử lại sau", "too many failed sign-ins, try again later"))
		return
	}
	release, ok := s.hashGate().Enter(c)
	if !ok {
		_ = st.DeleteLoginFailure(c, attempt)
		respondBusy(c, s.hashGate().RetryAfter())
		return
	}
	u, err := st.UserByEmail(c, req.Email)
	ok = false
	switch {
	case errors.Is(err, store.ErrNotFound):
		auth.DummyVerify(req.Password)
	case err != nil:
		release()
		respondError(c, err)
		return
	default:
		ok, _ = auth.VerifyPassword(u.PasswordHash, req.Password)
		ok = ok && u.Active
	}
	release()
	if !ok {
		respondError(c, newError(http.StatusUnauthorized, "bad_credentials",
			"Email hoặc mật khẩu không đúng", "wrong email or password"))
		return
	}
	if auth.NeedsRehash(u.PasswordHash, auth.DefaultParams) {
		if release, ok := s.hashGate().Enter(c); ok {
			if h, err := auth.HashPassword(req.Password); err == nil {
				_ = st.SetPassword(c, u.ID, h)
			}
			release()
		}
	}
	plain, hash := auth.NewToken("")
	csrf, _ := auth.NewToken("")
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.CreateSession(c, store.Session{TokenHash: hash, UserID: u.ID, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now,
			UserAgent: truncate(c.GetHeader("User-Agent"), 300), ClientIP: ip}); err != nil {
			return err
		}
		if err := tx.ClearLoginFailures(c, req.Email); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: &u.ID, Actor: u.Email, Action: "login", Entity: "user",
			EntityID: strconv.FormatInt(u.ID, 10), RequestID: requestID(c), UnitID: s.homeUnit(c, u.ID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.setCookie(c, sessionCookie, plain, true, int(auth.SessionMaxAge.Seconds()))
	s.setCookie(c, csrfCookie, csrf, false, int(auth.SessionMaxAge.Seconds()))
	cl, err := s.loadCaller(c, u.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, meResponse{User: userResponse{User: cl.User, Memberships: nonNil(cl.Members)}})
}

// homeUnit is the first unit a user belongs to, for audit rows about them.
// requireJSON answers 415 unless the request says its body is JSON.
func requireJSON(c *gin.Context) bool {
	// Media types are case-insensitive (RFC 9110); any spelling of
	// application/json needs a CORS preflight, so none helps a forged form.
	if ct := c.ContentType(); !strings.EqualFold(ct, "application/json") {
		respondError(c, newError(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"Chỉ nhận dữ liệu JSON (Content-Type: application/json)", "send JSON with Content-Type: application/json").
			withField("Content-Type", "Cần application/json", "want application/json"))
		return false
	}
	return true
}

// respondBusy answers 503 with Retry-After when the password hashing gate is
// full: the server is protecting its memory from a flood of sign-ins.
func respondBusy(c *gin.Context, retry time.Duration) {
	c.Header("Retry-After", strconv.Itoa(int(retry.Seconds()+0.999)))
	respondError(c, newError(http.StatusServiceUnavailable, "busy",
		"Hệ thống đang bận xử lý nhiều lượt đăng nhập, vui lòng thử lại sau giây lát", "too many sign-ins at once, try again shortly"))
}

func (s *Server) homeUnit(c *gin.Context, userID int64) *int64 {
	ms, err := store.New(s.DB).Memberships(c, userID)
	if err != nil || len(ms) == 0 {
		return nil
	}
	return &ms[0].UnitID
}

func (s *Server) setCookie(c *gin.Context, name, value string, httpOnly bool, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: httpOnly,
		Secure: strings.HasPrefix(s.PublicURL, "https://"), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) logout(c *gin.Context) {
	cl := who(c)
	if cl.session != nil {
		if err := store.New(s.DB).DeleteSession(c, cl.session.TokenHash); err != nil {
			respondError(c, err)
			return
		}
		s.callers.forget("s:" + string(cl.session.TokenHash))
	}
	s.setCookie(c, sessionCookie, "", true, -1)
	s.setCookie(c, csrfCookie, "", false, -1)
	c.Status(http.StatusNoContent)
}

// requireSession answers 403 unless the caller signed in with a browser
// session: what an API token may not do (mint tokens, sign out everywhere).
func requireSession(c *gin.Context) bool {
	if who(c).session == nil {
		respondError(c, newError(http.StatusForbidden, "session_required",
			"Thao tác này chỉ làm được khi đăng nhập bằng trình duyệt", "this needs a signed-in browser session, not an API token"))
		return false
	}
	return true
}

// logoutAll ends every session of the caller, on every device, and revokes
// their API tokens.
func (s *Server) logoutAll(c *gin.Context) {
	if !requireSession(c) {
		return
	}
	cl := who(c)
	var n, tokens int64
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if n, err = tx.DeleteUserSessions(c, cl.User.ID); err != nil {
			return err
		}
		if tokens, err = tx.RevokeUserAPITokens(c, cl.User.ID, s.now()); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "logout_all", Entity: "user",
			EntityID: strconv.FormatInt(cl.User.ID, 10), After: gin.H{"sessions": n, "api_tokens": tokens}, RequestID: requestID(c), UnitID: s.homeUnit(c, cl.User.ID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.forgetUser(cl.User.ID)
	s.setCookie(c, sessionCookie, "", true, -1)
	s.setCookie(c, csrfCookie, "", false, -1)
	c.JSON(http.StatusOK, gin.H{"sessions_ended": n, "api_tokens_revoked": tokens})
}

func (s *Server) me(c *gin.Context) {
	cl := who(c)
	c.JSON(http.StatusOK, meResponse{User: userResponse{User: cl.User, Memberships: nonNil(cl.Members)}})
}

type resetRequest struct {
	Email string `json:"email" binding:"required,max=254"`
}

// Reset emails per account: at most resetLimit links in resetWindow.
const (
	resetLimit  = 3
	resetWindow = time.Hour
)

// requestPasswordReset emails a single-use link valid one hour, ending the
// account's older links. It answers 202 at once whether or not the email
// belongs to an account: the lookup and the email are made after the
// answer, so its timing tells nothing; at most resetLimit emails an hour go
// to one account.
func (s *Server) requestPasswordReset(c *gin.Context) {
	var req resetRequest
	if !bind(c, &req) {
		return
	}
	// The gin context is reused after the handler returns: keep only the
	// request's values (request ID, logger), not its cancellation.
	msg := gin.H{"message": "Nếu email thuộc một tài khoản, liên kết đặt lại mật khẩu đã được gửi",
		"message_en": "if the email belongs to an account, a reset link was sent"}
	// A few requests are worked on at once; under a flood the rest are
	// dropped (the same answer), not left waiting by the thousand.
	select {
	case s.resetSlots <- struct{}{}:
	default:
		logger(c).Warn("password reset dropped: too many at once")
		c.JSON(http.StatusAccepted, msg)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), 30*time.Second)
	reqID, log := requestID(c), logger(c)
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		defer func() { <-s.resetSlots }()
		defer cancel()
		if err := s.sendPasswordReset(ctx, req.Email, reqID); err != nil {
			log.Error("password reset", "error", err)
		}
	}()
	c.JSON(http.StatusAccepted, msg)
}

// Wait waits for the work a request left running after its answer (reset
// emails being queued).
func (s *Server) Wait() { s.background.Wait() }

func (s *Server) sendPasswordReset(ctx context.Context, email, reqID string) error {
	st := store.New(s.DB)
	u, err := st.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.Active) {
		return nil
	}
	if err != nil {
		return err
	}
	now := s.now()
	var home *int64
	if ms, err := st.Memberships(ctx, u.ID); err == nil && len(ms) > 0 {
		home = &ms[0].UnitID
	}
	plain, hash := auth.NewToken("")
	link := s.PublicURL + "/reset-password?token=" + plain
	subject, text, html, err := mail.Render("password_reset", struct{ Name, Email, Link string }{u.Name, u.Email, link})
	if err != nil {
		return err
	}
	var n store.Notification
	tooMany := false
	err = s.DB.WithTx(ctx, func(tx *store.Store) error {
		// Counted under a lock: parallel requests cannot all pass the limit.
		if err := tx.LockPasswordResets(ctx, u.ID); err != nil {
			return err
		}
		if sent, err := tx.PasswordResetsSince(ctx, u.ID, now.Add(-resetWindow)); err != nil {
			return err
		} else if sent >= resetLimit {
			tooMany = true
			return nil
		}
		// Only the newest link works.
		if err := tx.EndPasswordResets(ctx, u.ID, now); err != nil {
			return err
		}
		if err := tx.CreatePasswordReset(ctx, store.PasswordReset{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			return err
		}
		n, err = tx.EnqueueNotification(ctx, store.Notification{
			IdempotencyKey: "user/" + strconv.FormatInt(u.ID, 10) + "/password_reset/" + strconv.FormatInt(now.UnixNano(), 10),
			Recipient:      u.Email, Template: "password_reset", Subject: subject, BodyText: text, BodyHTML: html,
			UnitID: home,
		})
		if err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{Action: "password_reset_requested", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10),
			RequestID: reqID, UnitID: home})
	})
	if err != nil {
		return err
	}
	if tooMany {
		logger := slog.Default()
		if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
			logger = l
		}
		logger.Warn("password reset refused: too many for the account this hour", "user_id", u.ID)
		return nil
	}
	if _, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.SendEmailID(n.ID), TaskQueue: s.TaskQueue},
		workflows.SendEmail, workflows.SendEmailInput{NotificationID: n.ID}); err != nil {
		// The row stays queued in the outbox, where an admin can retry it.
		return fmt.Errorf("start password reset email %d: %w", n.ID, err)
	}
	return nil
}

type resetConfirmRequest struct {
	Token    string `json:"token" binding:"required,max=200"`
	Password string `json:"password" binding:"required,max=256"`
}

// confirmPasswordReset sets a new password from a reset link and signs the
// user out everywhere.
func (s *Server) confirmPasswordReset(c *gin.Context) {
	var req resetConfirmRequest
	if !bind(c, &req) {
		return
	}
	if err := auth.ValidatePassword(req.Password); err != nil {
		respondError(c, fieldErrors(err))
		return
	}
	release, ok := s.hashGate().Enter(c)
	if !ok {
		respondBusy(c, s.hashGate().RetryAfter())
		return
	}
	hash, err := auth.HashPassword(req.Password)
	release()
	if err != nil {
		respondError(c, err)
		return
	}
	var userID int64
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		r, err := tx.UsePasswordReset(c, auth.HashToken(req.Token), s.now())
		if errors.Is(err, store.ErrNotFound) {
			return newError(http.StatusBadRequest, "invalid_token", "Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn",
				"the reset link is invalid, used or expired").withField("token", "Liên kết không hợp lệ hoặc đã hết hạn", "invalid or expired")
		}
		if err != nil {
			return err
		}
		if err := tx.SetPassword(c, r.UserID, hash); err != nil {
			return err
		}
		// Whoever held the old password loses what it opened: other reset
		// links, sessions and API tokens.
		if err := tx.EndPasswordResets(c, r.UserID, s.now()); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(c, r.UserID); err != nil {
			return err
		}
		if _, err := tx.RevokeUserAPITokens(c, r.UserID, s.now()); err != nil {
			return err
		}
		userID = r.UserID
		return tx.Audit(c, store.AuditEntry{ActorID: &r.UserID, Action: "password_reset", Entity: "user",
			EntityID: strconv.FormatInt(r.UserID, 10), RequestID: requestID(c), UnitID: s.homeUnit(c, r.UserID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.forgetUser(userID)
	c.JSON(http.StatusOK, gin.H{"message": "Đã đặt mật khẩu mới, vui lòng đăng nhập", "message_en": "password changed, sign in"})
}

type createTokenRequest struct {
	Name string `json:"name" binding:"required,max=100"`
	// ExpiresInDays is how long the token works: 1 to 365 days, 90 if
	// left out.
	ExpiresInDays int `json:"expires_in_days" binding:"omitempty,min=1,max=365"`
}

// createToken makes a personal API token, shown this once. Only a signed-in
// browser makes tokens: a token cannot mint more of itself.
func (s *Server) createToken(c *gin.Context) {
	cl := who(c)
	if !requireSession(c) {
		return
	}
	var req createTokenRequest
	if !bind(c, &req) {
		return
	}
	days := req.ExpiresInDays
	if days == 0 {
		days = 90
	}
	expires := s.now().Add(time.Duration(days) * 24 * time.Hour)
	plain, hash := auth.NewToken(auth.APITokenPrefix)
	var t store.APIToken
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if t, err = tx.CreateAPIToken(c, store.APIToken{UserID: cl.User.ID, Name: req.Name, TokenHash: hash, ExpiresAt: &expires}); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "create", Entity: "api_token",
			EntityID: strconv.FormatInt(t.ID, 10), After: gin.H{"name": req.Name}, RequestID: requestID(c), UnitID: s.homeUnit(c, cl.User.ID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": plain, "api_token": t})
}

func (s *Server) listTokens(c *gin.Context) {
	ts, err := store.New(s.DB).APITokens(c, who(c).User.ID)
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tokens": nonNil(ts)})
}

func (s *Server) revokeToken(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	cl := who(c)
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.RevokeAPIToken(c, cl.User.ID, id, s.now()); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "revoke", Entity: "api_token",
			EntityID: strconv.FormatInt(id, 10), RequestID: requestID(c), UnitID: s.homeUnit(c, cl.User.ID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.forgetUser(cl.User.ID)
	c.Status(http.StatusNoContent)
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
