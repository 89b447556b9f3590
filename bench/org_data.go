package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"cascade/auth"
	"cascade/store"
)

// The organisation of bench (c), generated with SQL straight into the
// child's database (migrated by its `cascade serve`): one province, its
// districts, their communes, then branches as deep as the size asks for,
// each unit with the materialised path store.CreateUnit writes
// (/<root>/<district>/<commune>/.../<id>/), and users with 1–2 memberships.

// orgLevel is one depth of the generated tree: n units with consecutive ids
// first..first+n-1, children spread evenly over the units of the level above.
type orgLevel struct {
	Kind  string
	N     int
	First int64
}

// orgFanouts are the children per unit of the levels below the province:
// ~20 districts, ~100 communes a district, ~7 branches a commune; whatever
// is left of -units goes one level further down (branches of branches), so
// that 100,000 units give a district ~5,000 units and a commune ~50.
var orgFanouts = []struct {
	kind string
	n    int
}{{"district", 20}, {"commune", 100}, {"branch", 7}}

// orgShape splits n units (the province included) into levels.
func orgShape(n int) []orgLevel {
	levels := []orgLevel{{Kind: "province", N: 1}}
	left := n - 1
	for _, f := range orgFanouts {
		if left <= 0 {
			break
		}
		c := min(levels[len(levels)-1].N*f.n, left)
		levels = append(levels, orgLevel{Kind: f.kind, N: c})
		left -= c
	}
	if left > 0 {
		levels = append(levels, orgLevel{Kind: "branch", N: left})
	}
	return levels
}

// orgTree is the generated organisation.
type orgTree struct {
	Levels []orgLevel
	Units  int
	Users  int
	// Memberships counts the generated users' memberships.
	Memberships int
}

// membershipDepth weighs where the generated users hold their roles, from
// the province down: most sit in communes and branches.
var membershipDepth = []float64{0.002, 0.03, 0.25, 0.35, 0.368}

// generateOrg fills the tree under the province (already made, with its
// leader: see NewProvince) and the users, in one transaction, then ANALYZEs.
func generateOrg(ctx context.Context, db *sql.DB, province store.Unit, units, users int) (*orgTree, error) {
	t := &orgTree{Levels: orgShape(units), Units: units, Users: users}
	t.Levels[0].First = province.ID
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT setseed(0.42)`); err != nil {
		return nil, err
	}
	// Reserve the ids of every generated unit in one block, so each level's
	// ids are consecutive and a parent is found by arithmetic.
	if units > 1 {
		var base int64
		if err := tx.QueryRowContext(ctx, `SELECT nextval('org_units_id_seq')`).Scan(&base); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `SELECT setval('org_units_id_seq', $1::bigint)`, base+int64(units-2)); err != nil {
			return nil, err
		}
		next := base
		for i := 1; i < len(t.Levels); i++ {
			t.Levels[i].First = next
			next += int64(t.Levels[i].N)
		}
	}
	for i := 1; i < len(t.Levels); i++ {
		l, p := t.Levels[i], t.Levels[i-1]
		_, err := tx.ExecContext(ctx, `
INSERT INTO org_units (id, parent_id, path, kind, code, name, email)
SELECT $1::bigint + g, p.id, p.path || ($1::bigint + g) || '/', $4::text,
       'BENCH-' || ($1::bigint + g), $5::text || ' ' || ($1::bigint + g), 'unit' || ($1::bigint + g) || '@bench.example'
FROM generate_series(0, $2::bigint - 1) AS g
JOIN org_units p ON p.id = $3::bigint + (g * $6::bigint) / $2::bigint`,
			l.First, l.N, p.First, l.Kind, levelName(l.Kind, i), p.N)
		if err != nil {
			return nil, fmt.Errorf("insert level %d (%d %s units): %w", i, l.N, l.Kind, err)
		}
	}
	// A few retired units at the bottom, as a real tree has.
	last := t.Levels[len(t.Levels)-1]
	if len(t.Levels) > 2 {
		if _, err := tx.ExecContext(ctx, `UPDATE org_units SET active = false WHERE id BETWEEN $1::bigint AND $2::bigint AND id % 200 = 7`,
			last.First, last.First+int64(last.N)-1); err != nil {
			return nil, err
		}
	}

	if users > 0 {
		if _, err := tx.ExecContext(ctx, `
INSERT INTO users (email, name)
SELECT 'org-user-' || g || '@bench.example', 'Người dùng ' || g FROM generate_series(1, $1::int) AS g`, users); err != nil {
			return nil, fmt.Errorf("insert users: %w", err)
		}
		// Each user: one membership, three in ten a second one; the unit's
		// depth by membershipDepth, the unit at random within the depth.
		var pick strings.Builder
		pick.WriteString("CASE")
		acc := 0.0
		for i, l := range t.Levels {
			w := 0.0
			if i < len(membershipDepth) {
				w = membershipDepth[i]
			}
			if i == len(t.Levels)-1 {
				w = 1 - acc
			}
			acc += w
			fmt.Fprintf(&pick, " WHEN r1 < %.4f THEN %d + floor(r2 * %d)::bigint", acc, l.First, l.N)
		}
		fmt.Fprintf(&pick, " ELSE %d END", last.First)
		res, err := tx.ExecContext(ctx, `
INSERT INTO memberships (user_id, unit_id, role)
SELECT id, `+pick.String()+`,
       CASE WHEN r3 < 0.05 THEN 'admin' WHEN r3 < 0.20 THEN 'leader' WHEN r3 < 0.70 THEN 'officer' ELSE 'viewer' END
FROM (SELECT u.id, random() AS r1, random() AS r2, random() AS r3
      FROM users u CROSS JOIN LATERAL generate_series(1, CASE WHEN u.id % 10 < 3 THEN 2 ELSE 1 END) AS k
      WHERE u.email LIKE 'org-user-%') AS x
ON CONFLICT DO NOTHING`)
		if err != nil {
			return nil, fmt.Errorf("insert memberships: %w", err)
		}
		n, _ := res.RowsAffected()
		t.Memberships = int(n)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, `ANALYZE org_units, users, memberships, api_tokens`); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	return t, nil
}

func levelName(kind string, depth int) string {
	switch kind {
	case "district":
		return "Hội LHPN huyện"
	case "commune":
		return "Hội LHPN xã"
	}
	if depth > 3 {
		return "Tổ phụ nữ"
	}
	return "Chi hội phụ nữ"
}

// sampleUser makes a user holding role on a unit, and their API token.
func sampleUser(ctx context.Context, sdb *store.DB, email string, unitID int64, role string) (string, error) {
	plain, hash := auth.NewToken(auth.APITokenPrefix)
	err := sdb.WithTx(ctx, func(s *store.Store) error {
		u, err := s.CreateUser(ctx, store.User{Email: email, Name: "Bench " + role, Active: true})
		if err != nil {
			return err
		}
		if err := s.AddMembership(ctx, u.ID, unitID, role); err != nil {
			return err
		}
		_, err = s.CreateAPIToken(ctx, store.APIToken{UserID: u.ID, Name: "bench", TokenHash: hash})
		return err
	})
	if err != nil {
		return "", fmt.Errorf("sample user %s: %w", email, err)
	}
	return plain, nil
}
