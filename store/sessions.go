package store

import (
	"context"
	"fmt"
	"time"
)

// Session is a signed-in browser.
type Session struct {
	TokenHash  []byte    `db:"token_hash"`
	UserID     int64     `db:"user_id"`
	CSRFToken  string    `db:"csrf_token"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
	UserAgent  string    `db:"user_agent"`
	ClientIP   string    `db:"client_ip"`
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, se Session) error {
	const q = `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, user_agent, client_ip)
VALUES (:token_hash, :user_id, :csrf_token, :created_at, :last_seen_at, :user_agent, :client_ip)`
	if err := namedExec(ctx, s, q, se); err != nil {
		return fmt.Errorf("create session: %w", translate(err))
	}
	return nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, hash []byte, at time.Time) error {
	const q = `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1`
	if _, err := s.db.ExecContext(ctx, q, hash, at); err != nil {
		return fmt.Errorf("touch session: %w", translate(err))
	}
	return nil
}

// DeleteSession signs one session out.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
		return fmt.Errorf("delete session: %w", translate(err))
	}
	return nil
}

// DeleteUserSessions signs a user out everywhere and returns how many
// sessions ended.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, fmt.Errorf("delete user sessions: %w", translate(err))
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// APIToken is a personal token for integrations.
type APIToken struct {
	ID         int64      `db:"id" json:"id"`
	UserID     int64      `db:"user_id" json:"-"`
	Name       string     `db:"name" json:"name"`
	TokenHash  []byte     `db:"token_hash" json:"-"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at" json:"last_used_at"`
	RevokedAt  *time.Time `db:"revoked_at" json:"revoked_at"`
	// ExpiresAt is when the token stops working; nil on create: 90 days.
	ExpiresAt *time.Time `db:"expires_at" json:"expires_at"`
}

const apiTokenColumns = `id, user_id, name, token_hash, created_at, last_used_at, revoked_at, expires_at`

// CreateAPIToken stores a token's hash.
func (s *Store) CreateAPIToken(ctx context.Context, t APIToken) (APIToken, error) {
	const q = `INSERT INTO api_tokens (user_id, name, token_hash, expires_at)
VALUES (:user_id, :name, :token_hash, COALESCE(CAST(:expires_at AS timestamptz), now() + interval '90 days')) RETURNING ` + apiTokenColumns
	rows, err := namedQuery(ctx, s, q, t)
	if err != nil {
		return APIToken{}, fmt.Errorf("create api token: %w", translate(err))
	}
	return scanOne[APIToken](rows)
}

// TouchAPIToken records a token's use.
func (s *Store) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, at); err != nil {
		return fmt.Errorf("touch api token: %w", translate(err))
	}
	return nil
}

// APITokens lists a user's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	const q = `SELECT ` + apiTokenColumns + ` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`
	var ts []APIToken
	if err := selectContext(ctx, s, &ts, q, userID); err != nil {
		return nil, fmt.Errorf("list api tokens: %w", translate(err))
	}
	return ts, nil
}

// RevokeAPIToken revokes one of a user's tokens.
func (s *Store) RevokeAPIToken(ctx context.Context, userID, id int64, at time.Time) error {
	const q = `UPDATE api_tokens SET revoked_at = $3 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL`
	res, err := s.db.ExecContext(ctx, q, userID, id, at)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// RevokeUserAPITokens revokes every token of a user (a password reset,
// signing out everywhere) and returns how many.
func (s *Store) RevokeUserAPITokens(ctx context.Context, userID int64, at time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, userID, at)
	if err != nil {
		return 0, fmt.Errorf("revoke user api tokens: %w", translate(err))
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// RecordLoginFailure notes a sign-in attempt as failed before its password
// is checked, so that parallel guesses count against each other; the
// attempt's row is cleared when it succeeds (ClearLoginFailures) or removed
// when the throttle refuses it (DeleteLoginFailure). It returns the row's id.
func (s *Store) RecordLoginFailure(ctx context.Context, email, ip string, at time.Time) (int64, error) {
	const q = `INSERT INTO login_failures (email, client_ip, at) VALUES (lower($1), $2, $3) RETURNING id`
	var id int64
	if err := getContext(ctx, s, &id, q, email, ip, at); err != nil {
		return 0, fmt.Errorf("record login failure: %w", translate(err))
	}
	return id, nil
}

// LockLoginAccount holds, until the transaction ends, the lock that
// serialises the sign-in attempts at one account, so that the throttle's
// count and the attempt's record are one step: parallel guesses cannot all
// pass it.
func (s *Store) LockLoginAccount(ctx context.Context, email string) error {
	if _, err := s.db.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('login:' || lower($1)))`, email); err != nil {
		return fmt.Errorf("lock login account: %w", translate(err))
	}
	return nil
}

// LockPasswordResets holds, until the transaction ends, the right to count
// and make a user's reset links, so that parallel requests cannot all pass
// the limit on them.
func (s *Store) LockPasswordResets(ctx context.Context, userID int64) error {
	if _, err := s.db.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('password_reset:' || $1::text))`, userID); err != nil {
		return fmt.Errorf("lock password resets: %w", translate(err))
	}
	return nil
}

// DeleteLoginFailure removes one attempt's row.
func (s *Store) DeleteLoginFailure(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_failures WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete login failure: %w", translate(err))
	}
	return nil
}

// LoginFailures returns the times of failed sign-ins since a moment, for an
// account and for a client address, leaving out the row except (the
// attempt being decided).
func (s *Store) LoginFailures(ctx context.Context, email, ip string, since time.Time, except int64) (byAccount, byAddress []time.Time, err error) {
	if err := selectContext(ctx, s, &byAccount, `SELECT at FROM login_failures WHERE lower(email) = lower($1) AND at >= $2 AND id <> $3 ORDER BY at`, email, since, except); err != nil {
		return nil, nil, fmt.Errorf("count account failures: %w", translate(err))
	}
	if err := selectContext(ctx, s, &byAddress, `SELECT at FROM login_failures WHERE client_ip = $1 AND at >= $2 AND id <> $3 ORDER BY at`, ip, since, except); err != nil {
		return nil, nil, fmt.Errorf("count address failures: %w", translate(err))
	}
	return byAccount, byAddress, nil
}

// ClearLoginFailures forgets an account's failures after it signs in.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_failures WHERE lower(email) = lower($1)`, email); err != nil {
		return fmt.Errorf("clear login failures: %w", translate(err))
	}
	return nil
}

// PasswordReset is a single-use reset link.
type PasswordReset struct {
	TokenHash []byte     `db:"token_hash"`
	UserID    int64      `db:"user_id"`
	CreatedAt time.Time  `db:"created_at"`
	ExpiresAt time.Time  `db:"expires_at"`
	UsedAt    *time.Time `db:"used_at"`
}

// CreatePasswordReset stores a reset link's hash.
func (s *Store) CreatePasswordReset(ctx context.Context, r PasswordReset) error {
	const q = `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (:token_hash, :user_id, :created_at, :expires_at)`
	if err := namedExec(ctx, s, q, r); err != nil {
		return fmt.Errorf("create password reset: %w", translate(err))
	}
	return nil
}

// EndPasswordResets ends every unused reset link of a user, so that only
// the newest works (and none after the password changed).
func (s *Store) EndPasswordResets(ctx context.Context, userID int64, at time.Time) error {
	const q = `UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`
	if _, err := s.db.ExecContext(ctx, q, userID, at); err != nil {
		return fmt.Errorf("end password resets: %w", translate(err))
	}
	return nil
}

// PasswordResetsSince counts the reset links made for a user since a
// moment: the emails sent to them, for the per-account limit.
func (s *Store) PasswordResetsSince(ctx context.Context, userID int64, since time.Time) (int, error) {
	var n int
	if err := getContext(ctx, s, &n, `SELECT count(*) FROM password_resets WHERE user_id = $1 AND created_at >= $2`, userID, since); err != nil {
		return 0, fmt.Errorf("count password resets: %w", translate(err))
	}
	return n, nil
}

// UsePasswordReset marks an unused, unexpired link used and returns it;
// ErrNotFound otherwise. Run it in the transaction that sets the password.
func (s *Store) UsePasswordReset(ctx context.Context, hash []byte, now time.Time) (PasswordReset, error) {
	const q = `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
RETURNING token_hash, user_id, created_at, expires_at, used_at`
	var r PasswordReset
	if err := getContext(ctx, s, &r, q, hash, now); err != nil {
		return PasswordReset{}, fmt.Errorf("use password reset: %w", translate(err))
	}
	return r, nil
}

// Caller is who signs a request: the user, their memberships in active
// units, and the session or token used.
type Caller struct {
	User        User
	Memberships []Membership
	// Session is set for a browser session; TokenID for an API token.
	Session       *Session
	TokenID       int64
	TokenLastUsed *time.Time
}

// callerRow is one row of a caller lookup: the user with one membership.
type callerRow struct {
	User
	UnitID   *int64  `db:"unit_id"`
	UnitPath *string `db:"unit_path"`
	UnitName *string `db:"unit_name"`
	Role     *string `db:"role"`
}

func (c *Caller) add(rows []callerRow) {
	c.User = rows[0].User
	c.Memberships = []Membership{}
	for _, r := range rows {
		if r.UnitID != nil && r.UnitPath != nil {
			c.Memberships = append(c.Memberships, Membership{UserID: r.User.ID, UnitID: *r.UnitID, UnitPath: *r.UnitPath, UnitName: *r.UnitName, Role: *r.Role})
		}
	}
}

const callerColumns = `u.id, u.email, u.name, u.password_hash, u.active, u.created_at,
       m.unit_id, o.path AS unit_path, o.name AS unit_name, m.role`

const callerJoins = `JOIN users u ON u.id = x.user_id AND u.active
LEFT JOIN memberships m ON m.user_id = u.id
LEFT JOIN org_units o ON o.id = m.unit_id AND o.active`

// CallerByToken resolves an unrevoked API token to its caller in one query.
func (s *Store) CallerByToken(ctx context.Context, hash []byte) (Caller, error) {
	var rows []struct {
		callerRow
		TokenID  int64      `db:"token_id"`
		LastUsed *time.Time `db:"last_used_at"`
	}
	q := `SELECT x.id AS token_id, x.last_used_at, ` + callerColumns + `
FROM api_tokens x ` + callerJoins + `
WHERE x.token_hash = $1 AND x.revoked_at IS NULL AND x.expires_at > now() ORDER BY o.path, m.role`
	if err := selectContext(ctx, s, &rows, q, hash); err != nil {
		return Caller{}, fmt.Errorf("caller by token: %w", translate(err))
	}
	if len(rows) == 0 {
		return Caller{}, ErrNotFound
	}
	c := Caller{TokenID: rows[0].TokenID, TokenLastUsed: rows[0].LastUsed}
	crs := make([]callerRow, len(rows))
	for i, r := range rows {
		crs[i] = r.callerRow
	}
	c.add(crs)
	return c, nil
}

// CallerBySession resolves a session to its caller in one query.
func (s *Store) CallerBySession(ctx context.Context, hash []byte) (Caller, error) {
	var rows []struct {
		callerRow
		TokenHash  []byte    `db:"token_hash"`
		CSRFToken  string    `db:"csrf_token"`
		CreatedAt2 time.Time `db:"session_created_at"`
		LastSeenAt time.Time `db:"last_seen_at"`
	}
	q := `SELECT x.token_hash, x.csrf_token, x.created_at AS session_created_at, x.last_seen_at, ` + callerColumns + `
FROM sessions x ` + callerJoins + `
WHERE x.token_hash = $1 ORDER BY o.path, m.role`
	if err := selectContext(ctx, s, &rows, q, hash); err != nil {
		return Caller{}, fmt.Errorf("caller by session: %w", translate(err))
	}
	if len(rows) == 0 {
		return Caller{}, ErrNotFound
	}
	r := rows[0]
	c := Caller{Session: &Session{TokenHash: r.TokenHash, UserID: r.User.ID, CSRFToken: r.CSRFToken, CreatedAt: r.CreatedAt2, LastSeenAt: r.LastSeenAt}}
	crs := make([]callerRow, len(rows))
	for i, r := range rows {
		crs[i] = r.callerRow
	}
	c.add(crs)
	return c, nil
}
