package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lib/pq"

	"cascade/dashboard"
	"cascade/export"
	"cascade/store"
)

// Bench (e), reporting over the tree: a plan of 10,000 reporting units ×
// 20 targets × 5 cycles (1,000,000 report values) generated in SQL, then the
// dashboard at the province root and at a district and the unit × cycle
// matrix, through the store functions the API calls, each against the same
// answer from one hand-written SQL query in the same run (target: ≤ 2× and
// p50 under 100 ms), and the .xlsx export of all of it (target under 10 s,
// with its peak memory).
func init() {
	register(Bench{Name: "e", Order: 50, Title: "reporting: dashboard and unit × cycle matrix over 1,000,000 report values vs one hand-written SQL; xlsx export", Run: benchReporting})
}

var (
	reportUnits    = flag.Int("report-units", 10000, "reporting units of (e)'s plan (20 targets × 5 cycles each)")
	reportRequests = flag.Int("report-requests", 30, "measured calls per figure in (e), after 3 to warm up")
)

const (
	reportTargets = 20
	reportCycles  = 5
)

// reportBareSums is the dashboard's aggregate written by hand for the
// root, where every unit is in the subtree: sums per target and cycle of
// the received reports' values.
const reportBareSums = `SELECT v.target_id, r.cycle_id, sum(v.value), sum(v.numerator), sum(v.denominator), count(v.value), count(v.numerator)
FROM reports r JOIN report_values v ON v.report_id = r.id
WHERE r.cycle_id = ANY($1) AND r.status IN ('submitted', 'accepted')
GROUP BY 1, 2`

// reportBareMatrix is the matrix's page written by hand: the first 1,000
// units in tree order with their reports.
const reportBareMatrix = `SELECT o.id, o.name, r.cycle_id, r.id, r.status, r.due_on, r.submitted_at
FROM (SELECT id, name, path FROM org_units WHERE path ~>=~ $1 AND path ~<~ ($1 || '~') AND id <> $2
      ORDER BY path USING ~<~ LIMIT 1000) o
JOIN reports r ON r.unit_id = o.id AND r.cycle_id = ANY($3)
ORDER BY o.path USING ~<~, r.cycle_id`

func benchReporting(ctx context.Context, h *Harness) error {
	n, reqs := *reportUnits, *reportRequests
	if n < 10 || reqs < 1 {
		return errors.New("(e) needs -report-units >= 10 and -report-requests >= 1")
	}
	db, err := h.NewDatabase(ctx)
	if err != nil {
		return err
	}
	sdb, err := store.Open(ctx, db.URL, 2)
	if err != nil {
		return err
	}
	defer sdb.Close()
	if err := sdb.Migrate(ctx); err != nil {
		return err
	}
	began := time.Now()
	planID, err := generateReporting(ctx, sdb, n)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	var nValues int
	if err := sdb.QueryRowContext(ctx, `SELECT count(*) FROM report_values`).Scan(&nValues); err != nil {
		return err
	}
	h.Row("e", "reporting (e): %d units × %d targets × %d cycles = %d report values; generated (generate_series) and analyzed in %s",
		n, reportTargets, reportCycles, nValues, secs(time.Since(began)))

	st := store.New(sdb)
	plan, err := st.Plan(ctx, planID)
	if err != nil {
		return err
	}
	root, err := st.Unit(ctx, *plan.IssuerUnitID)
	if err != nil {
		return err
	}
	var districtID int64
	if err := sdb.QueryRowContext(ctx, `SELECT id FROM org_units WHERE parent_id = $1 ORDER BY id LIMIT 1`, root.ID).Scan(&districtID); err != nil {
		return err
	}
	district, err := st.Unit(ctx, districtID)
	if err != nil {
		return err
	}
	cycles, err := st.ReportCycles(ctx, planID)
	if err != nil {
		return err
	}
	cycleIDs := make([]int64, len(cycles))
	for i, c := range cycles {
		cycleIDs[i] = c.ID
	}
	today := cycles[len(cycles)-1].DueOn.AddDate(0, 0, 10)

	measure := func(fns ...func() error) ([]pcts, error) {
		ds := make([][]time.Duration, len(fns))
		for i := 0; i < 3+reqs; i++ {
			for j, fn := range fns {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				t := time.Now()
				if err := fn(); err != nil {
					return nil, err
				}
				if i >= 3 {
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
	bareSums := func() error {
		rows, err := sdb.QueryContext(ctx, reportBareSums, int64s(cycleIDs))
		if err != nil {
			return err
		}
		defer rows.Close()
		k := 0
		for rows.Next() {
			k++
		}
		if k == 0 {
			return errors.New("bare sums: no rows")
		}
		return rows.Err()
	}
	build := func(node store.Unit) func() error {
		return func() error {
			d, err := dashboard.Build(ctx, st, plan, node, 0, today)
			if err == nil && d.Targets[0].Actual == nil {
				err = errors.New("dashboard: no actual")
			}
			return err
		}
	}
	sums := func() error { _, err := st.TargetSums(ctx, planID, root.Path); return err }

	h.progress("(e) timing the dashboard at the root, %d calls each", reqs)
	r, err := measure(build(root), sums, bareSums)
	if err != nil {
		return err
	}
	verdict := func(ratio float64, p50 time.Duration) string {
		if ratio <= 2 && p50 < 100*time.Millisecond {
			return "MET"
		}
		return "NOT MET"
	}
	ratio := float64(r[0].p50) / float64(r[2].p50)
	h.Row("e", "dashboard at the province root (%d units): store (dashboard.Build) p50 %s p99 %s | its sums query alone p50 %s p99 %s | hand-written SQL p50 %s p99 %s | ratio p50 %.2fx p99 %.2fx (target <= 2x and p50 < 100ms: %s)",
		n, ms(r[0].p50), ms(r[0].p99), ms(r[1].p50), ms(r[1].p99), ms(r[2].p50), ms(r[2].p99), ratio, float64(r[0].p99)/float64(r[2].p99), verdict(ratio, r[0].p50))

	r, err = measure(build(district))
	if err != nil {
		return err
	}
	h.Row("e", "dashboard at one district (a tenth of the tree): p50 %s p99 %s", ms(r[0].p50), ms(r[0].p99))

	matrix := func() error {
		m, err := dashboard.BuildMatrix(ctx, st, plan, root, today, 1000, 0)
		if err == nil && len(m.Units) != min(1000, n) {
			err = fmt.Errorf("matrix: %d units", len(m.Units))
		}
		return err
	}
	bareMatrix := func() error {
		rows, err := sdb.QueryContext(ctx, reportBareMatrix, root.Path, root.ID, int64s(cycleIDs))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}
	h.progress("(e) timing the matrix")
	r, err = measure(matrix, bareMatrix)
	if err != nil {
		return err
	}
	ratio = float64(r[0].p50) / float64(r[1].p50)
	h.Row("e", "unit × cycle matrix, first page of 1,000 units at the root: store p50 %s p99 %s | hand-written SQL p50 %s p99 %s | ratio p50 %.2fx p99 %.2fx (target <= 2x and p50 < 100ms: %s)",
		ms(r[0].p50), ms(r[0].p99), ms(r[1].p50), ms(r[1].p99), ratio, float64(r[0].p99)/float64(r[1].p99), verdict(ratio, r[0].p50))

	// The export of everything: the dashboard and every unit's row.
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	}()
	t := time.Now()
	cw := &countWriter{}
	err = func() error {
		d, err := dashboard.Build(ctx, st, plan, root, 0, today)
		if err != nil {
			return err
		}
		m, err := dashboard.BuildMatrix(ctx, st, plan, root, today, 1<<30, 0)
		if err != nil {
			return err
		}
		return export.Workbook(cw, d, m)
	}()
	took := time.Since(t)
	close(done)
	wg.Wait()
	if err != nil {
		return err
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	v := "MET"
	if took > 10*time.Second {
		v = "NOT MET"
	}
	h.Row("e", ".xlsx export of all (%d units × %d cycles, %d targets): %s, %s written, peak heap in use %s (before: %s), %s allocated (target < 10s: %s)",
		n, reportCycles, reportTargets, secs(took), mib(cw.n), mib(int64(peak.Load())), mib(int64(before.HeapInuse)), mib(int64(after.TotalAlloc-before.TotalAlloc)), v)

	plan2, err := st.ExplainTargetSums(ctx, planID, root.Path)
	if err == nil {
		h.Row("e", "  EXPLAIN of the sums at the root: %s", explainSummary(plan2))
	}
	return nil
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)

func int64s(xs []int64) any { return pq.Array(xs) }

// explainSummary keeps the plan's node names and the execution time.
func explainSummary(lines []string) string {
	var parts []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		t = strings.TrimPrefix(t, "->  ")
		switch {
		case strings.HasPrefix(t, "Execution Time"):
			parts = append(parts, t)
		case strings.Contains(l, "->") || !strings.HasPrefix(l, " "):
			if i := strings.Index(t, "  ("); i > 0 {
				t = t[:i]
			}
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " | ")
}

// generateReporting makes a province with 10 districts and the rest of n
// units as communes under them, a plan issued by the province with 20
// targets (every fifth a percentage) and 5 cycles, a report of every unit
// for every cycle (a twentieth returned and now late, keeping their values) and a value for
// every target of every report: all in SQL with generate_series.
func generateReporting(ctx context.Context, db *store.DB, n int) (int64, error) {
	districts := 10
	stmts := []string{
		`INSERT INTO org_units (id, parent_id, path, kind, code, name) VALUES (1, NULL, '/1/', 'province', 'KH', 'Hội LHPN tỉnh Khánh Hòa')`,
		`INSERT INTO org_units (id, parent_id, path, kind, code, name)
SELECT 1 + d, 1, '/1/' || (1 + d) || '/', 'district', 'D' || d, 'Hội LHPN huyện ' || d FROM generate_series(1, $1::int) d`,
		`INSERT INTO org_units (id, parent_id, path, kind, code, name)
SELECT 1 + $1::int + c, 2 + (c % $1::int), '/1/' || (2 + (c % $1::int)) || '/' || (1 + $1::int + c) || '/', 'commune', 'C' || c, 'Hội LHPN xã ' || c
FROM generate_series(1, $2::int) c`,
		`SELECT setval('org_units_id_seq', (SELECT max(id) FROM org_units))`,
		`INSERT INTO plans (id, issuer_unit_id, code, title, term_start_year, term_end_year, status) VALUES (1, 1, '1/KH-BENCH', 'Kế hoạch đo', 2026, 2030, 'issued')`,
		`INSERT INTO plan_units (plan_id, unit_id) SELECT 1, id FROM org_units WHERE id > 1`,
		`INSERT INTO targets (plan_id, position, text, value, unit, direction, measure, baseline)
SELECT 1, t, 'Chỉ tiêu ' || t, CASE WHEN t % 5 = 0 THEN 8.5 ELSE 1000 * t END, CASE WHEN t % 5 = 0 THEN '%' ELSE 'hộ' END,
       CASE WHEN t % 5 = 0 THEN 'at_most' ELSE 'at_least' END, CASE WHEN t % 5 = 0 THEN 'percent' ELSE 'count' END,
       CASE WHEN t % 5 = 0 THEN 10.5 END
FROM generate_series(1, 20) t`,
		`INSERT INTO report_cycles (plan_id, kind, year, due_on) VALUES
(1, 'annual', 2026, '2026-12-15'), (1, 'annual', 2027, '2027-12-15'), (1, 'midterm', 2028, '2028-06-30'),
(1, 'annual', 2029, '2029-12-15'), (1, 'final', 2030, '2030-11-30')`,
		`INSERT INTO reports (cycle_id, unit_id, status, due_on, submitted_at)
SELECT c.id, u.id, s.status, c.due_on,
       CASE WHEN s.status IN ('submitted', 'accepted') THEN (c.due_on - 3 + (u.id % 7)::int)::timestamptz END
FROM report_cycles c CROSS JOIN org_units u
CROSS JOIN LATERAL (SELECT CASE WHEN (u.id + c.id) % 20 = 0 THEN 'returned' WHEN (u.id + c.id) % 10 = 1 THEN 'submitted' ELSE 'accepted' END AS status) s
WHERE u.id > 1`,
		`INSERT INTO report_values (report_id, target_id, value, numerator, denominator)
SELECT r.id, t.id,
       CASE WHEN t.measure = 'count' THEN (r.unit_id % 13 + t.position) * (1 + c.year - 2026) END,
       CASE WHEN t.measure = 'percent' THEN (r.unit_id % 9) END,
       CASE WHEN t.measure = 'percent' THEN 100 + r.unit_id % 50 END
FROM reports r JOIN report_cycles c ON c.id = r.cycle_id CROSS JOIN targets t`,
		`ANALYZE`,
	}
	communes := n - districts
	for _, q := range stmts {
		var err error
		switch {
		case strings.Contains(q, "$2"):
			_, err = db.ExecContext(ctx, q, districts, communes)
		case strings.Contains(q, "$1"):
			_, err = db.ExecContext(ctx, q, districts)
		default:
			_, err = db.ExecContext(ctx, q)
		}
		if err != nil {
			return 0, fmt.Errorf("%.60s…: %w", q, err)
		}
	}
	return 1, nil
}
