package api

import (
	"crypto/subtle"
	"errors"
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
			// One query resolves the token, its user and their memberships.
			found, err = st.CallerByToken(c, auth.HashToken(strings.TrimPrefix(h, "Bearer ")))
			if err != nil {
				respondUnauthenticated(c, err)
				return
			}
			if found.TokenLastUsed == nil || now.Sub(*found.TokenLastUsed) > time.Minute {
				_ = st.TouchAPIToken(c, found.TokenID, now)
			}
		} else {
			raw, err := c.Cookie(sessionCookie)
			if err != nil || raw == "" {
				respondUnauthenticated(c, store.ErrNotFound)
				return
			}
			found, err = st.CallerBySession(c, auth.HashToken(raw))
			if err != nil {
				respondUnauthenticated(c, err)
				return
			}
			se := found.Session
			if !auth.SessionValid(se.CreatedAt, se.LastSeenAt, now) {
				_ = st.DeleteSession(c, se.TokenHash)
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
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if !bind(c, &req) {
		return
	}
	st := store.New(s.DB)
	now := s.now()
	ip := c.ClientIP()
	byAccount, byAddress, err := st.LoginFailures(c, req.Email, ip, auth.AccountThrottle.Since(now))
	if err != nil {
		respondError(c, err)
		return
	}
	okAccount, waitAccount := auth.AccountThrottle.Allowed(now, byAccount)
	okAddress, waitAddress := auth.AddressThrottle.Allowed(now, byAddress)
	if !okAccount || !okAddress {
		wait := max(waitAccount, waitAddress)
		c.Header("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		respondError(c, newError(http.StatusTooManyRequests, "too_many_attempts",
			"Đăng nhập sai quá nhiều lần, vui lòng thử lại sau", "too many failed sign-ins, try again later"))
		return
	}
	u, err := st.UserByEmail(c, req.Email)
	ok := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		auth.DummyVerify(req.Password)
	case err != nil:
		respondError(c, err)
		return
	default:
		ok, _ = auth.VerifyPassword(u.PasswordHash, req.Password)
		ok = ok && u.Active
	}
	if !ok {
		if err := st.RecordLoginFailure(c, req.Email, ip, now); err != nil {
			respondError(c, err)
			return
		}
		respondError(c, newError(http.StatusUnauthorized, "bad_credentials",
			"Email hoặc mật khẩu không đúng", "wrong email or password"))
		return
	}
	if auth.NeedsRehash(u.PasswordHash, auth.DefaultParams) {
		if h, err := auth.HashPassword(req.Password); err == nil {
			_ = st.SetPassword(c, u.ID, h)
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
	}
	s.setCookie(c, sessionCookie, "", true, -1)
	s.setCookie(c, csrfCookie, "", false, -1)
	c.Status(http.StatusNoContent)
}

// logoutAll ends every session of the caller, on every device.
func (s *Server) logoutAll(c *gin.Context) {
	cl := who(c)
	var n int64
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if n, err = tx.DeleteUserSessions(c, cl.User.ID); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: cl.id(), Actor: cl.User.Email, Action: "logout_all", Entity: "user",
			EntityID: strconv.FormatInt(cl.User.ID, 10), After: gin.H{"sessions": n}, RequestID: requestID(c), UnitID: s.homeUnit(c, cl.User.ID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	s.setCookie(c, sessionCookie, "", true, -1)
	s.setCookie(c, csrfCookie, "", false, -1)
	c.JSON(http.StatusOK, gin.H{"sessions_ended": n})
}

func (s *Server) me(c *gin.Context) {
	cl := who(c)
	c.JSON(http.StatusOK, meResponse{User: userResponse{User: cl.User, Memberships: nonNil(cl.Members)}})
}

type resetRequest struct {
	Email string `json:"email" binding:"required,max=254"`
}

// requestPasswordReset emails a single-use link valid one hour. It answers
// 202 whether or not the email belongs to an account.
func (s *Server) requestPasswordReset(c *gin.Context) {
	var req resetRequest
	if !bind(c, &req) {
		return
	}
	accepted := func() {
		c.JSON(http.StatusAccepted, gin.H{"message": "Nếu email thuộc một tài khoản, liên kết đặt lại mật khẩu đã được gửi",
			"message_en": "if the email belongs to an account, a reset link was sent"})
	}
	st := store.New(s.DB)
	u, err := st.UserByEmail(c, req.Email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.Active) {
		accepted()
		return
	}
	if err != nil {
		respondError(c, err)
		return
	}
	now := s.now()
	plain, hash := auth.NewToken("")
	link := s.PublicURL + "/reset-password?token=" + plain
	subject, text, html, err := mail.Render("password_reset", struct{ Name, Email, Link string }{u.Name, u.Email, link})
	if err != nil {
		respondError(c, err)
		return
	}
	var n store.Notification
	err = s.DB.WithTx(c, func(tx *store.Store) error {
		if err := tx.CreatePasswordReset(c, store.PasswordReset{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			return err
		}
		n, err = tx.EnqueueNotification(c, store.Notification{
			IdempotencyKey: "user/" + strconv.FormatInt(u.ID, 10) + "/password_reset/" + strconv.FormatInt(now.UnixNano(), 10),
			Recipient:      u.Email, Template: "password_reset", Subject: subject, BodyText: text, BodyHTML: html,
			UnitID: s.homeUnit(c, u.ID),
		})
		if err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{Action: "password_reset_requested", Entity: "user", EntityID: strconv.FormatInt(u.ID, 10),
			RequestID: requestID(c), UnitID: s.homeUnit(c, u.ID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	if _, err := s.Temporal.ExecuteWorkflow(c, client.StartWorkflowOptions{ID: workflows.SendEmailID(n.ID), TaskQueue: s.TaskQueue},
		workflows.SendEmail, workflows.SendEmailInput{NotificationID: n.ID}); err != nil {
		// The row stays queued in the outbox, where an admin can retry it.
		logger(c).Error("start password reset email", "notification_id", n.ID, "error", err)
	}
	accepted()
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
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		respondError(c, err)
		return
	}
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
		if _, err := tx.DeleteUserSessions(c, r.UserID); err != nil {
			return err
		}
		return tx.Audit(c, store.AuditEntry{ActorID: &r.UserID, Action: "password_reset", Entity: "user",
			EntityID: strconv.FormatInt(r.UserID, 10), RequestID: requestID(c), UnitID: s.homeUnit(c, r.UserID)})
	})
	if err != nil {
		respondError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"message": "Đã đặt mật khẩu mới, vui lòng đăng nhập", "message_en": "password changed, sign in"})
}

type createTokenRequest struct {
	Name string `json:"name" binding:"required,max=100"`
}

// createToken makes a personal API token, shown this once.
func (s *Server) createToken(c *gin.Context) {
	var req createTokenRequest
	if !bind(c, &req) {
		return
	}
	cl := who(c)
	plain, hash := auth.NewToken(auth.APITokenPrefix)
	var t store.APIToken
	err := s.DB.WithTx(c, func(tx *store.Store) error {
		var err error
		if t, err = tx.CreateAPIToken(c, store.APIToken{UserID: cl.User.ID, Name: req.Name, TokenHash: hash}); err != nil {
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
