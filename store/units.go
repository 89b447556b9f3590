package store

import (
	"context"
	"fmt"
	"time"
)

// Unit is a node of the organisation tree.
type Unit struct {
	ID        int64     `db:"id" json:"id"`
	ParentID  *int64    `db:"parent_id" json:"parent_id"`
	Path      string    `db:"path" json:"path"`
	Kind      string    `db:"kind" json:"kind"`
	Code      string    `db:"code" json:"code"`
	Name      string    `db:"name" json:"name"`
	ShortName string    `db:"short_name" json:"short_name"`
	Email     string    `db:"email" json:"email"`
	Active    bool      `db:"active" json:"active"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

// CreateUnit inserts u under its parent and sets its materialised path.
func (s *Store) CreateUnit(ctx context.Context, u Unit) (Unit, error) {
	const q = `
WITH next AS (SELECT nextval('org_units_id_seq') AS id)
INSERT INTO org_units (id, parent_id, path, kind, code, name, short_name, email)
SELECT next.id, :parent_id,
       COALESCE((SELECT p.path FROM org_units p WHERE p.id = :parent_id), '/') || next.id || '/',
       :kind, :code, :name, :short_name, :email
FROM next
RETURNING id, parent_id, path, kind, code, name, short_name, email, active, created_at`
	rows, err := namedQuery(ctx, s, q, u)
	if err != nil {
		return Unit{}, fmt.Errorf("insert unit: %w", translate(err))
	}
	return scanOne[Unit](rows)
}

// Unit returns one unit by id.
func (s *Store) Unit(ctx context.Context, id int64) (Unit, error) {
	const q = `SELECT id, parent_id, path, kind, code, name, short_name, email, active, created_at FROM org_units WHERE id = $1`
	var u Unit
	if err := getContext(ctx, s, &u, q, id); err != nil {
		return Unit{}, fmt.Errorf("get unit %d: %w", id, translate(err))
	}
	return u, nil
}

// Units lists the units whose ids are given, in id order.
func (s *Store) Units(ctx context.Context, ids []int64) ([]Unit, error) {
	const q = `SELECT id, parent_id, path, kind, code, name, short_name, email, active, created_at
FROM org_units WHERE id = ANY($1) ORDER BY id`
	var us []Unit
	if err := selectContext(ctx, s, &us, q, int64Array(ids)); err != nil {
		return nil, fmt.Errorf("list units: %w", translate(err))
	}
	return us, nil
}

// LeaderEmails lists the addresses of a unit's active leaders.
func (s *Store) LeaderEmails(ctx context.Context, unitID int64) ([]string, error) {
	const q = `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
WHERE m.unit_id = $1 AND m.role = 'leader' AND u.active ORDER BY u.email`
	var es []string
	if err := selectContext(ctx, s, &es, q, unitID); err != nil {
		return nil, fmt.Errorf("list leader emails: %w", translate(err))
	}
	return es, nil
}

// StandingCommitteeEmails lists the addresses of the standing committees
// that sit directly under an ancestor of the unit at path: those that receive
// its final escalations.
func (s *Store) StandingCommitteeEmails(ctx context.Context, path string) ([]string, error) {
	const q = `SELECT o.email FROM org_units o JOIN org_units p ON p.id = o.parent_id
WHERE o.kind = 'standing_committee' AND o.active AND o.email <> '' AND $1 LIKE p.path || '%'
ORDER BY length(p.path) DESC, o.id`
	var es []string
	if err := selectContext(ctx, s, &es, q, path); err != nil {
		return nil, fmt.Errorf("list standing committee emails: %w", translate(err))
	}
	return es, nil
}

// UnitByCode returns the unit with a code.
func (s *Store) UnitByCode(ctx context.Context, code string) (Unit, error) {
	const q = `SELECT id, parent_id, path, kind, code, name, short_name, email, active, created_at FROM org_units WHERE code = $1`
	var u Unit
	if err := getContext(ctx, s, &u, q, code); err != nil {
		return Unit{}, fmt.Errorf("get unit %q: %w", code, translate(err))
	}
	return u, nil
}
