package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"cascade/auth"
	"cascade/store"
)

// Bench (c), the organisation tree and scoped permissions: at 100,000 units
// and 10,000 users, the scoped list of units and the "may this user see
// that unit" check through the JSON API of a `cascade serve` child, each
// against the same result computed by one bare indexed SELECT from the
// bench process in the same run; target API <= 2x the bare SELECT.
func init() {
	register(Bench{Name: "c", Order: 30, Title: "organisation tree: scoped unit list and permission check over HTTP vs a bare indexed SELECT", Run: benchOrg})
}

var (
	orgUsers    = flag.Int("users", 10000, "users, with 1–2 memberships each, in (c)")
	orgRequests = flag.Int("org-requests", 300, "measured sequential requests per figure in (c), after 30 to warm up")
)

// orgDefaultUnits is (c)'s tree size when -units is not given (-units
// defaults to (b)'s 1,000).
const orgDefaultUnits = 100_000

const (
	targetRatioC = 2.0
	orgWarmup    = 30
	orgPage      = 50
)

func orgUnitCount(o Options) int {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "units" })
	if set {
		return o.Units
	}
	return orgDefaultUnits
}

// orgSample is a signed-in user at some depth and the units the bench asks
// about on their behalf.
type orgSample struct {
	Label     string
	Token     string
	UserID    int64
	Scope     store.Unit // the unit of their membership
	InScope   int        // units they can see
	Under     store.Unit // a child of Scope, for ?under=
	Inside    int64      // a deep unit inside the scope
	Outside   int64      // a unit outside it (0: none, the user sees all)
	UnderSize int
}

// The columns the store selects (store.unitColumns).
const orgUnitColumns = `id, parent_id, path, kind, code, name, short_name, email, active, created_at`

// orgBareList is the baseline of a list: the first page of one subtree in
// tree order, one SELECT reading org_units_path_idx (text_pattern_ops) in
// order: a range on the prefix and ORDER BY the index's own operator, so
// that it stops after 50 rows. Paths are ASCII digits and '/', so this is
// the order of ORDER BY path under C or C.UTF-8 (verifyList checks that
// the API answers the same units in the same order).
const orgBareList = `SELECT ` + orgUnitColumns + ` FROM org_units
WHERE path ~>=~ $1 AND path ~<~ ($1 || '~') AND active ORDER BY path USING ~<~ LIMIT 50`

// orgLikeList is the same list as the issue wrote it: LIKE and ORDER BY
// path, which cannot be read in order from a text_pattern_ops index.
const orgLikeList = `SELECT ` + orgUnitColumns + ` FROM org_units
WHERE path LIKE $1 || '%' AND active ORDER BY path LIMIT 50`

// orgBareCheck is the baseline of the check: the unit by id, returned only
// when one of the user's memberships is an ancestor-or-self of it.
const orgBareCheck = `SELECT o.id, o.parent_id, o.path, o.kind, o.code, o.name, o.short_name, o.email, o.active, o.created_at
FROM org_units o WHERE o.id = $1 AND EXISTS (
    SELECT 1 FROM memberships m JOIN org_units s ON s.id = m.unit_id
    WHERE m.user_id = $2 AND s.active AND o.path LIKE s.path || '%')`

func benchOrg(ctx context.Context, h *Harness) error {
	nUnits, nUsers, nReq := orgUnitCount(h.Opts), *orgUsers, *orgRequests
	if nUnits < 3 || nUsers < 0 || nReq < 1 {
		return errors.New("(c) needs -units >= 3, -users >= 0 and -org-requests >= 1")
	}
	db, err := h.NewDatabase(ctx)
	if err != nil {
		return err
	}
	srv, err := h.StartServe(ctx, db)
	if err != nil {
		return err
	}
	h.progress("cascade serve ready in %s (pid %d); generating %d units and %d users", srv.Ready.Round(10*time.Millisecond), srv.PID(), nUnits, nUsers)

	began := time.Now()
	leader, err := NewProvince(ctx, db, "leader")
	if err != nil {
		return err
	}
	tree, err := generateOrg(ctx, db.DB, leader.Unit, nUnits, nUsers)
	if err != nil {
		return err
	}
	gen := time.Since(began)
	var shape []string
	for _, l := range tree.Levels {
		shape = append(shape, fmt.Sprintf("%d %s", l.N, l.Kind))
	}
	var nMembers int
	if err := db.DB.QueryRowContext(ctx, `SELECT count(*) FROM memberships`).Scan(&nMembers); err != nil {
		return err
	}
	h.Row("c", "org tree (c): %d units (%s), %d users + samples, %d memberships; generated and analyzed in %s",
		nUnits, strings.Join(shape, " → "), nUsers, nMembers, secs(gen))

	samples, err := orgSamples(ctx, db, leader, tree)
	if err != nil {
		return err
	}
	for _, s := range samples {
		h.progress("  %s: unit %d %s, %d units in scope; under=%d (%d units); inside %d, outside %d", s.Label, s.Scope.ID, s.Scope.Path, s.InScope, s.Under.ID, s.UnderSize, s.Inside, s.Outside)
	}

	m := &orgMeter{ctx: ctx, h: h, srv: srv, db: db.DB, n: nReq,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second}}
	defer m.client.CloseIdleConnections()
	if m.gin, err = startBareGin(db.DB); err != nil {
		return err
	}
	defer m.gin.stop()
	sdb, err := store.Open(ctx, db.URL, 2)
	if err != nil {
		return err
	}
	defer sdb.Close()
	st := store.New(sdb)

	cpu := startCPU(srv.PID())
	// The floors: HTTP alone, then HTTP with the caller's authentication.
	hz, err := m.time(m.get("", "/healthz", http.StatusOK))
	if err != nil {
		return err
	}
	h.Row("c", "  floor GET /healthz (no auth, no DB): p50 %s p99 %s", ms(hz[0].p50), ms(hz[0].p99))
	ds := samples[1]
	me, err := m.time(m.get(ds.Token, "/api/v1/me", http.StatusOK), m.authSQL(ds.Token), m.authOneSQL(ds.Token))
	if err != nil {
		return err
	}
	h.Row("c", "  floor GET /api/v1/me (auth: token, user, memberships; %s): p50 %s p99 %s | its 3 SELECTs bare: p50 %s p99 %s | the same in one SELECT: p50 %s p99 %s",
		ds.Label, ms(me[0].p50), ms(me[0].p99), ms(me[1].p50), ms(me[1].p99), ms(me[2].p50), ms(me[2].p99))

	for _, s := range samples {
		s := s
		scope := store.UnitFilter{Paths: []string{s.Scope.Path}, Limit: orgPage}
		under := store.UnitFilter{Paths: []string{s.Scope.Path}, Under: s.Under.Path, Limit: orgPage}
		if err := m.verifyList(s, "/api/v1/units?limit=50", s.Scope.Path); err != nil {
			return err
		}
		if err := m.verifyList(s, fmt.Sprintf("/api/v1/units?limit=50&under=%d", s.Under.ID), s.Under.Path); err != nil {
			return err
		}
		r, err := m.time(m.get(s.Token, "/api/v1/units?limit=50", http.StatusOK), m.bareList(s.Scope.Path), m.storeList(st, scope),
			m.likeList(s.Scope.Path), m.ginGet("/units?path="+url.QueryEscape(s.Scope.Path), http.StatusOK))
		if err != nil {
			return err
		}
		m.row(fmt.Sprintf("list first page, %s (%d units in scope)", s.Label, s.InScope), r[:4])
		m.ginRow(r[0], r[4])
		r, err = m.time(m.get(s.Token, fmt.Sprintf("/api/v1/units?limit=50&under=%d", s.Under.ID), http.StatusOK), m.bareList(s.Under.Path), m.storeList(st, under),
			m.likeList(s.Under.Path), m.ginGet("/units?path="+url.QueryEscape(s.Under.Path), http.StatusOK))
		if err != nil {
			return err
		}
		m.row(fmt.Sprintf("list under=%d, %s (%d units under)", s.Under.ID, s.Label, s.UnderSize), r[:4])
		m.ginRow(r[0], r[4])
		r, err = m.time(m.get(s.Token, fmt.Sprintf("/api/v1/units/%d", s.Inside), http.StatusOK), m.bareCheck(s.Inside, s.UserID, true),
			m.ginGet(fmt.Sprintf("/units/%d?user=%d", s.Inside, s.UserID), http.StatusOK))
		if err != nil {
			return err
		}
		m.row(fmt.Sprintf("check unit inside scope (200), %s", s.Label), r[:2])
		m.ginRow(r[0], r[2])
		if s.Outside != 0 {
			r, err = m.time(m.get(s.Token, fmt.Sprintf("/api/v1/units/%d", s.Outside), http.StatusNotFound), m.bareCheck(s.Outside, s.UserID, false),
				m.ginGet(fmt.Sprintf("/units/%d?user=%d", s.Outside, s.UserID), http.StatusNotFound))
			if err != nil {
				return err
			}
			m.row(fmt.Sprintf("check unit outside scope (404), %s", s.Label), r[:2])
			m.ginRow(r[0], r[2])
		}
	}
	h.Row("c", "  %s during the measurements (sequential requests, one at a time)", cpu)

	if err := explainOrg(ctx, h, sdb, samples); err != nil {
		h.Row("c", "  explain: %v", err)
	}
	if errs := countErrors(srv.Log()); errs != "" {
		h.Row("c", "  cascade serve logged: %s", errs)
	}
	return nil
}

// orgSamples makes the sample users: the province leader (sees all), a
// district admin (thousands) and a commune officer (tens), and finds the
// units to ask about for each.
func orgSamples(ctx context.Context, db *Database, leader *Principal, t *orgTree) ([]orgSample, error) {
	sdb, err := store.Open(ctx, db.URL, 2)
	if err != nil {
		return nil, err
	}
	defer sdb.Close()
	pick := func(level int, at func(n int) int) int64 {
		if level >= len(t.Levels) {
			level = len(t.Levels) - 1
		}
		l := t.Levels[level]
		return l.First + int64(at(l.N))
	}
	district := pick(1, func(int) int { return 0 })
	// A commune in the middle of the second district's communes.
	commune := pick(2, func(n int) int { return min(n-1, n/20+n/40) })
	out := []orgSample{{Label: "province leader", Token: leader.Token, Scope: leader.Unit}}
	if err := db.DB.QueryRowContext(ctx, `SELECT id FROM users WHERE email = 'bench-leader@bench.example'`).Scan(&out[0].UserID); err != nil {
		return nil, err
	}
	for _, s := range []struct {
		label, role string
		unit        int64
	}{{"district admin", "admin", district}, {"commune officer", "officer", commune}} {
		email := "bench-" + strings.ReplaceAll(s.label, " ", "-") + "@bench.example"
		tok, err := sampleUser(ctx, sdb, email, s.unit, s.role)
		if err != nil {
			return nil, err
		}
		o := orgSample{Label: s.label, Token: tok}
		if err := db.DB.QueryRowContext(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&o.UserID); err != nil {
			return nil, err
		}
		if o.Scope, err = store.New(sdb).Unit(ctx, s.unit); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	for i := range out {
		o := &out[i]
		q := db.DB.QueryRowContext
		if err := q(ctx, `SELECT count(*) FROM org_units WHERE path LIKE $1 || '%' AND active`, o.Scope.Path).Scan(&o.InScope); err != nil {
			return nil, err
		}
		// ?under= a child in the middle of the scope's children.
		underID := o.Scope.ID // a leaf in a small tree: itself
		err := q(ctx, `SELECT id FROM org_units WHERE parent_id = $1 ORDER BY id OFFSET (SELECT count(*) / 2 FROM org_units WHERE parent_id = $1) LIMIT 1`, o.Scope.ID).Scan(&underID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("a child of %d: %w", o.Scope.ID, err)
		}
		if o.Under, err = store.New(sdb).Unit(ctx, underID); err != nil {
			return nil, err
		}
		if err := q(ctx, `SELECT count(*) FROM org_units WHERE path LIKE $1 || '%' AND active`, o.Under.Path).Scan(&o.UnderSize); err != nil {
			return nil, err
		}
		// The deepest, last unit of the scope; outside: the last unit of
		// the tree not in it.
		if err := q(ctx, `SELECT id FROM org_units WHERE path LIKE $1 || '%' AND active ORDER BY length(path) DESC, id DESC LIMIT 1`, o.Scope.Path).Scan(&o.Inside); err != nil {
			return nil, err
		}
		err = q(ctx, `SELECT id FROM org_units WHERE path NOT LIKE $1 || '%' AND active ORDER BY length(path) DESC, id DESC LIMIT 1`, o.Scope.Path).Scan(&o.Outside)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	return out, nil
}

// orgMeter times sequential requests and queries.
type orgMeter struct {
	ctx    context.Context
	h      *Harness
	srv    *Serve
	db     *sql.DB
	client *http.Client
	n      int
	gin    *bareGin
}

type pcts struct{ p50, p99 time.Duration }

// time runs the functions in turn, orgWarmup rounds then n measured
// rounds, interleaved so that each sees the same machine, and gives the
// percentiles of each.
func (m *orgMeter) time(fns ...func() error) ([]pcts, error) {
	ds := make([][]time.Duration, len(fns))
	for i := 0; i < orgWarmup+m.n; i++ {
		if err := m.ctx.Err(); err != nil {
			return nil, err
		}
		for j, fn := range fns {
			t := time.Now()
			if err := fn(); err != nil {
				return nil, err
			}
			if i >= orgWarmup {
				ds[j] = append(ds[j], time.Since(t))
			}
		}
	}
	out := make([]pcts, len(fns))
	for j, d := range ds {
		slices.Sort(d)
		out[j] = pcts{percentile(d, 50), percentile(d, 99)}
	}
	return out, nil
}

func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(len(sorted)-1, i-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// row prints an API figure against its bare SELECT (r[0], r[1]) and, when
// measured, the store's own query called from the bench (r[2]).
func (m *orgMeter) row(what string, r []pcts) {
	ratio50 := float64(r[0].p50) / float64(r[1].p50)
	ratio99 := float64(r[0].p99) / float64(r[1].p99)
	verdict := "MET"
	if ratio50 > targetRatioC || ratio99 > targetRatioC {
		verdict = "NOT MET"
	}
	m.h.Row("c", "%s: API p50 %s p99 %s | bare SQL p50 %s p99 %s | API/bare p50 %.1fx p99 %.1fx (target <= 2x: %s)",
		what, ms(r[0].p50), ms(r[0].p99), ms(r[1].p50), ms(r[1].p99), ratio50, ratio99, verdict)
	if len(r) > 3 {
		// The scope itself, without HTTP and sign-in: the store's scoped
		// query against the bare SELECT, both called from here.
		s50, s99 := float64(r[2].p50)/float64(r[1].p50), float64(r[2].p99)/float64(r[1].p99)
		sv := "MET"
		if s50 > targetRatioC || s99 > targetRatioC {
			sv = "NOT MET"
		}
		m.h.Row("c", "  scoped query alone (store.UnitsInScope) / bare SELECT: p50 %.1fx p99 %.1fx (target <= 2x: %s)", s50, s99, sv)
		m.h.Row("c", "  from the bench: the store's UnitsInScope p50 %s p99 %s; LIKE … ORDER BY path p50 %s p99 %s",
			ms(r[2].p50), ms(r[2].p99), ms(r[3].p50), ms(r[3].p99))
	}
}

// get is one request; the body is read to the end.
func (m *orgMeter) get(token, path string, want int) func() error {
	return func() error {
		_, err := m.fetch(token, path, want)
		return err
	}
}

func (m *orgMeter) fetch(token, path string, want int) ([]byte, error) {
	req, err := http.NewRequestWithContext(m.ctx, "GET", m.srv.URL+path, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("GET %s: status %d, want %d: %s", path, resp.StatusCode, want, raw)
	}
	return raw, nil
}

type orgUnitRow struct {
	ID, ParentID                         sql.NullInt64
	Path, Kind, Code, Name, Short, Email string
	Active                               bool
	Created                              time.Time
}

func scanOrgUnits(rows *sql.Rows) ([]orgUnitRow, error) {
	defer rows.Close()
	var us []orgUnitRow
	for rows.Next() {
		var u orgUnitRow
		if err := rows.Scan(&u.ID, &u.ParentID, &u.Path, &u.Kind, &u.Code, &u.Name, &u.Short, &u.Email, &u.Active, &u.Created); err != nil {
			return nil, err
		}
		us = append(us, u)
	}
	return us, rows.Err()
}

func (m *orgMeter) bareListRows(path string) ([]orgUnitRow, error) {
	rows, err := m.db.QueryContext(m.ctx, orgBareList, path)
	if err != nil {
		return nil, err
	}
	return scanOrgUnits(rows)
}

func (m *orgMeter) bareList(path string) func() error {
	return func() error {
		us, err := m.bareListRows(path)
		if err == nil && len(us) == 0 {
			err = fmt.Errorf("bare list of %s: no rows", path)
		}
		return err
	}
}

func (m *orgMeter) likeList(path string) func() error {
	return func() error {
		rows, err := m.db.QueryContext(m.ctx, orgLikeList, path)
		if err != nil {
			return err
		}
		_, err = scanOrgUnits(rows)
		return err
	}
}

func (m *orgMeter) storeList(st *store.Store, f store.UnitFilter) func() error {
	return func() error {
		_, err := st.UnitsInScope(m.ctx, f)
		return err
	}
}

func (m *orgMeter) bareCheck(unitID, userID int64, visible bool) func() error {
	return func() error {
		rows, err := m.db.QueryContext(m.ctx, orgBareCheck, unitID, userID)
		if err != nil {
			return err
		}
		us, err := scanOrgUnits(rows)
		if err != nil {
			return err
		}
		if (len(us) == 1) != visible {
			return fmt.Errorf("bare check of unit %d for user %d: %d rows, want visible=%v", unitID, userID, len(us), visible)
		}
		return nil
	}
}

// authSQL runs the three SELECTs of the authenticate middleware, bare.
func (m *orgMeter) authSQL(token string) func() error {
	return func() error {
		var userID int64
		var lastUsed sql.NullTime
		if err := m.db.QueryRowContext(m.ctx, `SELECT user_id, last_used_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
			auth.HashToken(token)).Scan(&userID, &lastUsed); err != nil {
			return err
		}
		var email string
		var active bool
		if err := m.db.QueryRowContext(m.ctx, `SELECT email, active FROM users WHERE id = $1`, userID).Scan(&email, &active); err != nil {
			return err
		}
		rows, err := m.db.QueryContext(m.ctx, `SELECT m.user_id, m.unit_id, o.path, o.name, m.role
FROM memberships m JOIN org_units o ON o.id = m.unit_id WHERE m.user_id = $1 AND o.active ORDER BY o.path, m.role`, userID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}
}

// authOneSQL is what authenticate could do in one statement: the token,
// its user and the user's memberships.
func (m *orgMeter) authOneSQL(token string) func() error {
	return func() error {
		rows, err := m.db.QueryContext(m.ctx, `SELECT t.id, t.last_used_at, u.id, u.email, u.name, u.active, m.unit_id, o.path, o.name, m.role
FROM api_tokens t JOIN users u ON u.id = t.user_id
LEFT JOIN (memberships m JOIN org_units o ON o.id = m.unit_id AND o.active) ON m.user_id = u.id
WHERE t.token_hash = $1 AND t.revoked_at IS NULL ORDER BY o.path, m.role`, auth.HashToken(token))
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if n == 0 {
			return errors.New("auth in one SELECT: no rows")
		}
		return nil
	}
}

// verifyList checks, before the clock, that the API's first page is the
// bare SELECT's.
func (m *orgMeter) verifyList(s orgSample, path, subtree string) error {
	raw, err := m.fetch(s.Token, path, http.StatusOK)
	if err != nil {
		return err
	}
	var got struct {
		Units []struct {
			ID int64 `json:"id"`
		} `json:"units"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		return err
	}
	want, err := m.bareListRows(subtree)
	if err != nil {
		return err
	}
	if len(got.Units) != len(want) {
		return fmt.Errorf("%s for %s: API gave %d units, bare SELECT %d", path, s.Label, len(got.Units), len(want))
	}
	for i := range want {
		if got.Units[i].ID != want[i].ID.Int64 {
			return fmt.Errorf("%s for %s: unit %d is %d in the API, %d in the bare SELECT", path, s.Label, i, got.Units[i].ID, want[i].ID.Int64)
		}
	}
	return nil
}

// explainOrg shows what PostgreSQL does for store.UnitsInScope's statement
// for each sample user.
func explainOrg(ctx context.Context, h *Harness, db *store.DB, samples []orgSample) error {
	for _, s := range samples {
		lines, err := store.New(db).ExplainUnitsInScope(ctx, store.UnitFilter{Paths: []string{s.Scope.Path}, Limit: orgPage})
		if err != nil {
			return err
		}
		h.Row("c", "  EXPLAIN UnitsInScope, %s: %s", s.Label, summarizePlan(lines))
	}
	return nil
}

// summarizePlan keeps the plan's nodes (without their costs) and its
// execution time, on one line.
func summarizePlan(lines []string) string {
	var parts []string
	for _, l := range lines {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "->"))
		switch {
		case strings.HasPrefix(t, "Execution Time"):
			parts = append(parts, t)
		case strings.Contains(t, "(cost="):
			node, _, _ := strings.Cut(t, "  (cost=")
			if i := strings.Index(t, "rows="); i >= 0 {
				if j := strings.Index(t, "(actual"); j >= 0 {
					act := t[j:]
					if k := strings.Index(act, "rows="); k >= 0 {
						r := act[k+5:]
						r, _, _ = strings.Cut(r, " ")
						node += " [" + r + " rows]"
					}
				}
			}
			parts = append(parts, node)
		case strings.HasPrefix(t, "Sort Method"), strings.HasPrefix(t, "Index Cond"), strings.HasPrefix(t, "Rows Removed by Filter"):
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "; ")
}
