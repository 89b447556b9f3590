package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// User is a person who signs in.
type User struct {
	ID           int64     `db:"id" json:"id"`
	Email        string    `db:"email" json:"email"`
	Name         string    `db:"name" json:"name"`
	PasswordHash string    `db:"password_hash" json:"-"`
	Active       bool      `db:"active" json:"active"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
}

// Membership is a user's role in a unit, with the unit's path for scope.
type Membership struct {
	UserID   int64  `db:"user_id" json:"-"`
	UnitID   int64  `db:"unit_id" json:"unit_id"`
	UnitPath string `db:"unit_path" json:"unit_path"`
	UnitName string `db:"unit_name" json:"unit_name"`
	Role     string `db:"role" json:"role"`
}

const userColumns = `id, email, name, password_hash, active, created_at`

// CreateUser inserts a user.
func (s *Store) CreateUser(ctx context.Context, u User) (User, error) {
	const q = `INSERT INTO users (email, name, password_hash, active) VALUES (:email, :name, :password_hash, :active)
RETURNING ` + userColumns
	rows, err := namedQuery(ctx, s, q, u)
	if err != nil {
		return User{}, fmt.Errorf("insert user: %w", translate(err))
	}
	return scanOne[User](rows)
}

// UserByEmail finds a user by email, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE lower(email) = lower($1)`
	var u User
	if err := getContext(ctx, s, &u, q, email); err != nil {
		return User{}, fmt.Errorf("get user by email: %w", translate(err))
	}
	return u, nil
}

// User returns one user.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	var u User
	if err := getContext(ctx, s, &u, q, id); err != nil {
		return User{}, fmt.Errorf("get user %d: %w", id, translate(err))
	}
	return u, nil
}

// SetPassword replaces a user's password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	const q = `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, userID, hash); err != nil {
		return fmt.Errorf("set password: %w", translate(err))
	}
	return nil
}

// UpdateUser changes a user's name and whether they may sign in.
func (s *Store) UpdateUser(ctx context.Context, id int64, name string, active bool) (User, error) {
	const q = `UPDATE users SET name = $2, active = $3, updated_at = now() WHERE id = $1 RETURNING ` + userColumns
	var u User
	if err := getContext(ctx, s, &u, q, id, name, active); err != nil {
		return User{}, fmt.Errorf("update user %d: %w", id, translate(err))
	}
	return u, nil
}

// Memberships lists a user's roles with their units' paths.
func (s *Store) Memberships(ctx context.Context, userID int64) ([]Membership, error) {
	const q = `SELECT m.user_id, m.unit_id, o.path AS unit_path, o.name AS unit_name, m.role
FROM memberships m JOIN org_units o ON o.id = m.unit_id
WHERE m.user_id = $1 AND o.active ORDER BY o.path, m.role`
	var ms []Membership
	if err := selectContext(ctx, s, &ms, q, userID); err != nil {
		return nil, fmt.Errorf("list memberships: %w", translate(err))
	}
	return ms, nil
}

// MembershipsOf lists the roles of several users at once, by user.
func (s *Store) MembershipsOf(ctx context.Context, userIDs []int64) (map[int64][]Membership, error) {
	out := map[int64][]Membership{}
	if len(userIDs) == 0 {
		return out, nil
	}
	const q = `SELECT m.user_id, m.unit_id, o.path AS unit_path, o.name AS unit_name, m.role
FROM memberships m JOIN org_units o ON o.id = m.unit_id
WHERE m.user_id = ANY($1) AND o.active ORDER BY m.user_id, o.path, m.role`
	var ms []Membership
	if err := selectContext(ctx, s, &ms, q, pq.Array(userIDs)); err != nil {
		return nil, fmt.Errorf("list memberships: %w", translate(err))
	}
	for _, m := range ms {
		out[m.UserID] = append(out[m.UserID], m)
	}
	return out, nil
}

// AddMembership gives a user a role in a unit; adding it again is a no-op.
func (s *Store) AddMembership(ctx context.Context, userID, unitID int64, role string) error {
	const q = `INSERT INTO memberships (user_id, unit_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
	if _, err := s.db.ExecContext(ctx, q, userID, unitID, role); err != nil {
		return fmt.Errorf("add membership: %w", translate(err))
	}
	return nil
}

// RemoveMembership takes a role away.
func (s *Store) RemoveMembership(ctx context.Context, userID, unitID int64, role string) error {
	const q = `DELETE FROM memberships WHERE user_id = $1 AND unit_id = $2 AND role = $3`
	res, err := s.db.ExecContext(ctx, q, userID, unitID, role)
	if err != nil {
		return fmt.Errorf("remove membership: %w", translate(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// UsersInScope lists the users with a membership in a unit whose path starts
// with one of paths, by name.
func (s *Store) UsersInScope(ctx context.Context, paths []string, limit int) ([]User, error) {
	const q = `SELECT ` + userColumns + ` FROM users u WHERE EXISTS (
    SELECT 1 FROM memberships m JOIN org_units o ON o.id = m.unit_id
    WHERE m.user_id = u.id AND o.path LIKE ANY (SELECT p || '%' FROM unnest($1::text[]) p))
ORDER BY name, id LIMIT $2`
	var us []User
	if err := selectContext(ctx, s, &us, q, textArray(paths), limit); err != nil {
		return nil, fmt.Errorf("list users in scope: %w", translate(err))
	}
	return us, nil
}
