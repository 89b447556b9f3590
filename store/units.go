package store

import (
	"cascade/org"
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
	// SupervisorUnitID is the board that follows the unit (its
	// supervising_board escalations go there); nil when none is set.
	SupervisorUnitID *int64 `db:"supervisor_unit_id" json:"supervisor_unit_id"`
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
	const q = `SELECT ` + unitColumns + ` FROM org_units WHERE id = $1`
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
	const q = `SELECT ` + unitColumns + ` FROM org_units WHERE code = $1`
	var u Unit
	if err := getContext(ctx, s, &u, q, code); err != nil {
		return Unit{}, fmt.Errorf("get unit %q: %w", code, translate(err))
	}
	return u, nil
}

const unitColumns = `id, parent_id, path, kind, code, name, short_name, email, active, created_at, supervisor_unit_id`

// UnitFilter selects units for a list.
type UnitFilter struct {
	// Paths limits the list to the subtrees at these paths (the caller's scope).
	Paths []string
	// Under limits it further to one subtree.
	Under string
	Kind  string
	// Query matches code, name or short name, ignoring case.
	Query           string
	IncludeInactive bool
	Limit, Offset   int
}

const unitsInScopeQuery = `SELECT u.* FROM unnest($1::text[]) AS s(p)
CROSS JOIN LATERAL (
    SELECT ` + unitColumns + ` FROM org_units o
    WHERE o.path ~>=~ s.p AND o.path ~<~ (s.p || '~')
      AND ($2::text = '' OR o.kind = $2)
      AND ($3::text = '' OR o.code ILIKE '%' || $3 || '%' OR o.name ILIKE '%' || $3 || '%' OR o.short_name ILIKE '%' || $3 || '%')
      AND ($4::bool OR o.active)
    ORDER BY o.path USING ~<~ LIMIT ($5::int + $6::int)) AS u
ORDER BY u.path USING ~<~ LIMIT $5 OFFSET $6`

// UnitsInScope lists the units of the filter in tree order. Each scope
// subtree is one range of org_units_path_idx, read in index order (the
// ~<~ operators of text_pattern_ops, byte order, which is tree order for
// paths of digits and slashes) and cut at the page, so a page costs the
// same at 100 units as at 100,000.
func (s *Store) UnitsInScope(ctx context.Context, f UnitFilter) ([]Unit, error) {
	scopes := org.Scopes(f.Paths, f.Under)
	var us []Unit
	if len(scopes) == 0 {
		return us, nil
	}
	if err := selectContext(ctx, s, &us, unitsInScopeQuery, textArray(scopes), f.Kind, f.Query, f.IncludeInactive, f.Limit, f.Offset); err != nil {
		return nil, fmt.Errorf("list units in scope: %w", translate(err))
	}
	return us, nil
}

// ExplainUnitsInScope is PostgreSQL's EXPLAIN (ANALYZE) of UnitsInScope's
// statement for f, one line a row, for make bench to show the plan.
func (s *Store) ExplainUnitsInScope(ctx context.Context, f UnitFilter) ([]string, error) {
	var lines []string
	err := selectContext(ctx, s, &lines, "EXPLAIN (ANALYZE, BUFFERS) "+unitsInScopeQuery,
		textArray(org.Scopes(f.Paths, f.Under)), f.Kind, f.Query, f.IncludeInactive, f.Limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("explain units in scope: %w", translate(err))
	}
	return lines, nil
}

// UpdateUnit changes a unit's names and email.
func (s *Store) UpdateUnit(ctx context.Context, id int64, name, shortName, email string) (Unit, error) {
	const q = `UPDATE org_units SET name = $2, short_name = $3, email = $4, updated_at = now() WHERE id = $1 RETURNING ` + unitColumns
	var u Unit
	if err := getContext(ctx, s, &u, q, id, name, shortName, email); err != nil {
		return Unit{}, fmt.Errorf("update unit %d: %w", id, translate(err))
	}
	return u, nil
}

// SetUnitSupervisor sets (or, with nil, clears) the board that follows a unit.
func (s *Store) SetUnitSupervisor(ctx context.Context, id int64, supervisor *int64) (Unit, error) {
	const q = `UPDATE org_units SET supervisor_unit_id = $2, updated_at = now() WHERE id = $1 RETURNING ` + unitColumns
	var u Unit
	if err := getContext(ctx, s, &u, q, id, supervisor); err != nil {
		return Unit{}, fmt.Errorf("set supervisor of unit %d: %w", id, translate(err))
	}
	return u, nil
}

// MoveUnit puts a unit and its whole subtree under a new parent, rewriting
// every path below it in one statement; it returns how many units moved.
func (s *Store) MoveUnit(ctx context.Context, u Unit, newParent Unit) (int64, error) {
	newPath := newParent.Path + fmt.Sprint(u.ID) + "/"
	const q = `UPDATE org_units SET
    path = $2 || substr(path, length($1) + 1),
    parent_id = CASE WHEN id = $3 THEN $4 ELSE parent_id END,
    updated_at = now()
WHERE path LIKE $1 || '%'`
	res, err := s.db.ExecContext(ctx, q, u.Path, newPath, u.ID, newParent.ID)
	if err != nil {
		return 0, fmt.Errorf("move unit %d: %w", u.ID, translate(err))
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// SetUnitActive deactivates or reactivates a unit; units are never deleted,
// so their history stays readable.
func (s *Store) SetUnitActive(ctx context.Context, id int64, active bool) (Unit, error) {
	const q = `UPDATE org_units SET active = $2, updated_at = now() WHERE id = $1 RETURNING ` + unitColumns
	var u Unit
	if err := getContext(ctx, s, &u, q, id, active); err != nil {
		return Unit{}, fmt.Errorf("set unit %d active: %w", id, translate(err))
	}
	return u, nil
}

// CountActiveChildren counts a unit's active children.
func (s *Store) CountActiveChildren(ctx context.Context, id int64) (int, error) {
	var n int
	if err := getContext(ctx, s, &n, `SELECT count(*) FROM org_units WHERE parent_id = $1 AND active`, id); err != nil {
		return 0, fmt.Errorf("count children: %w", translate(err))
	}
	return n, nil
}

// UnitsByCode returns the units with the given codes, keyed by code.
func (s *Store) UnitsByCode(ctx context.Context, codes []string) (map[string]Unit, error) {
	const q = `SELECT ` + unitColumns + ` FROM org_units WHERE code = ANY($1)`
	var us []Unit
	if err := selectContext(ctx, s, &us, q, textArray(codes)); err != nil {
		return nil, fmt.Errorf("units by code: %w", translate(err))
	}
	m := make(map[string]Unit, len(us))
	for _, u := range us {
		m[u.Code] = u
	}
	return m, nil
}
