package main

import (
	"context"
	"database/sql"
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
// matrix, through the store functions the API calls. Each is set against
// hand-written SQL in the same run: the query that re-aggregates the raw
// values (what the dashboard would cost without report_sums), and the
// like-for-like floor, the same aggregate read from report_sums as the
// dashboard does (target for both: ≤ 2× and p50 under 100 ms). The matrix
// is read as its first page and as the whole grid page by page, as the API
// serves it. Then the .xlsx export of all of it (target under 10 s, with
// its peak memory), and what report_sums costs on the write side: one
// report's submission with and without its triggers.
func init() {
	register(Bench{Name: "e", Order: 50, Title: "reporting: dashboard and unit × cycle matrix over 1,000,000 report values vs one hand-written SQL; xlsx export", Run: benchReporting})
}

var (
	reportUnits    = flag.Int("report-units", 10000, "reporting units of (e)'s plan (20 targets × 5 cycles each)")
	reportRequests = flag.Int("report-requests", 100, "measured calls per figure in (e), after 3 to warm up")
)

const (
	reportTargets = 20
	reportCycles  = 5
)

// reportBareSums is the dashboard's aggregate written by hand for the
// root, where every unit is in the subtree: sums per target and cycle of
// the received reports' values, re-aggregated from the raw values.
const reportBareSums = `SELECT v.target_id, r.cycle_id, sum(v.value), sum(v.numerator), sum(v.denominator), count(v.value), count(v.numerator)
FROM reports r JOIN report_values v ON v.report_id = r.id
WHERE r.cycle_id = ANY($1) AND r.status IN ('submitted', 'accepted')
GROUP BY 1, 2`

// reportBareSubtreeSums is the same for any node: the reports of the units
// under its path.
const reportBareSubtreeSums = `SELECT v.target_id, r.cycle_id, sum(v.value), sum(v.numerator), sum(v.denominator), count(v.value), count(v.numerator)
FROM reports r JOIN org_units o ON o.id = r.unit_id JOIN report_values v ON v.report_id = r.id
WHERE r.cycle_id = ANY($1) AND r.status IN ('submitted', 'accepted') AND o.path ~>=~ $2 AND o.path ~<~ ($2 || '~')
GROUP BY 1, 2`

// reportFloorSums is the same aggregate read where the triggers keep it,
// the node's rows of report_sums: what the dashboard's sums cost at best.
const reportFloorSums = `SELECT target_id, cycle_id, value, numerator, denominator, value_units, ratio_units
FROM report_sums WHERE unit_id = $1 AND cycle_id = ANY($2) AND (value_units > 0 OR ratio_units > 0)`

// reportFloorCompleteness is the dashboard's other figure written by hand:
// the cycle's reports counted per child subtree of the node at $1.
const reportFloorCompleteness = `SELECT split_part(substr(o.path, length($1) + 1), '/', 1) AS child,
       count(*) FILTER (WHERE r.status <> 'waived'), count(*) FILTER (WHERE r.status IN ('submitted', 'accepted')),
       count(*) FILTER (WHERE r.status IN ('submitted', 'accepted') AND (r.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= r.due_on)
FROM reports r JOIN org_units o ON o.id = r.unit_id
WHERE r.cycle_id = $2 AND o.path ~>=~ $1 AND o.path ~<~ ($1 || '~')
GROUP BY 1`

// reportBareMatrix is the matrix written by hand: a page of units ($4,
// from $5; NULL for all) in tree order with their reports.
const reportBareMatrix = `SELECT o.id, o.name, r.cycle_id, r.id, r.status, r.due_on, r.submitted_at
FROM (SELECT id, name, path FROM org_units WHERE path ~>=~ $1 AND path ~<~ ($1 || '~') AND id <> $2
      ORDER BY path USING ~<~ LIMIT $4 OFFSET $5) o
JOIN reports r ON r.unit_id = o.id AND r.cycle_id = ANY($3)
ORDER BY o.path USING ~<~, r.cycle_id`

// reportBareMatrixTotal is what the API's first page also answers, written
// by hand: how many units of the plan the subtree holds (its total).
const reportBareMatrixTotal = `SELECT count(*) FROM org_units o
WHERE o.path ~>=~ $1 AND o.path ~<~ ($1 || '~') AND o.id <> $2
  AND EXISTS (SELECT 1 FROM plan_units pu WHERE pu.plan_id = $3 AND pu.unit_id = o.id)`

// reportBareMatrixKeyset is the same page read by keyset: the page of units
// after the path $5 ("" for the first).
const reportBareMatrixKeyset = `SELECT o.id, o.name, o.path, r.cycle_id, r.id, r.status, r.due_on, r.submitted_at
FROM (SELECT id, name, path FROM org_units WHERE path ~>=~ $1 AND path ~<~ ($1 || '~') AND path ~>~ $5 AND id <> $2
      ORDER BY path USING ~<~ LIMIT $4) o
JOIN reports r ON r.unit_id = o.id AND r.cycle_id = ANY($3)
ORDER BY o.path USING ~<~, r.cycle_id`

// matrixPage is the API's default page of the matrix (planMatrix's
// ?limit=), the page a client reads the grid in.
const matrixPage = 1000

// reportSumsTriggers are the triggers of migration 00008 that keep
// report_sums, by table.
var reportSumsTriggers = [][2]string{
	{"report_values", "report_sums_insert"}, {"report_values", "report_sums_delete"},
	{"report_values", "report_sums_update"}, {"reports", "report_sums_status"},
	// and of migration 00018, that keep the carried figures
	{"report_values", "report_carry_values_insert"}, {"report_values", "report_carry_values_delete"},
	{"report_values", "report_carry_values_update"}, {"reports", "report_carry_reports_update"},
}

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
	plan, err := st.PlanView(ctx, planID, nil, 0)
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

	cur := dashboard.CurrentCycle(cycles, 0, today)

	// measureN calls fns in turn, 3 rounds to warm up and then k measured.
	measureN := func(k int, fns ...func() error) ([]pcts, error) {
		ds := make([][]time.Duration, len(fns))
		for i := 0; i < 3+k; i++ {
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
	measure := func(fns ...func() error) ([]pcts, error) { return measureN(reqs, fns...) }
	// query runs q and reads every row; want says whether none is an error.
	query := func(want bool, q string, args ...any) func() error {
		return func() error {
			rows, err := sdb.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			k := 0
			for rows.Next() {
				k++
			}
			if err := rows.Err(); err != nil {
				return err
			}
			if want && k == 0 {
				return fmt.Errorf("%.40s…: no rows", q)
			}
			return nil
		}
	}
	both := func(fns ...func() error) func() error {
		return func() error {
			for _, fn := range fns {
				if err := fn(); err != nil {
					return err
				}
			}
			return nil
		}
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
	sums := func(node store.Unit) func() error {
		return func() error { _, err := st.TargetSums(ctx, planID, node.ID); return err }
	}
	verdict15 := func(ratio float64, p50 time.Duration) string {
		if ratio <= 1.5 && p50 < 100*time.Millisecond {
			return "MET"
		}
		return "NOT MET"
	}
	verdict := func(ratio float64, p50 time.Duration) string {
		if ratio <= 2 && p50 < 100*time.Millisecond {
			return "MET"
		}
		return "NOT MET"
	}
	ratios := func(a, b pcts) (float64, float64) {
		return float64(a.p50) / float64(b.p50), float64(a.p99) / float64(b.p99)
	}

	// The dashboard at a node: Build and its sums query, against the raw
	// re-aggregation and against the floor over report_sums (its sums,
	// and its sums with the completeness per child, Build's two figures).
	dashboardAt := func(what string, node store.Unit, raw func() error) error {
		floorSums := query(true, reportFloorSums, node.ID, int64s(cycleIDs))
		floor := both(floorSums, query(true, reportFloorCompleteness, node.Path, cur.ID))
		h.progress("(e) timing the dashboard at %s, %d calls each", what, reqs)
		r, err := measure(build(node), sums(node), raw, floorSums, floor)
		if err != nil {
			return err
		}
		rawRatio, rawRatio99 := ratios(r[0], r[2])
		h.Row("e", "dashboard at %s: store (dashboard.Build) p50 %s p99 %s | its sums query (TargetSums) p50 %s p99 %s",
			what, ms(r[0].p50), ms(r[0].p99), ms(r[1].p50), ms(r[1].p99))
		h.Row("e", "  vs hand-written SQL re-aggregating the raw values: p50 %s p99 %s | ratio p50 %.2fx p99 %.2fx (target <= 2x and p50 < 100ms: %s)",
			ms(r[2].p50), ms(r[2].p99), rawRatio, rawRatio99, verdict(rawRatio, r[0].p50))
		sumsRatio, _ := ratios(r[1], r[3])
		floorRatio, floorRatio99 := ratios(r[0], r[4])
		h.Row("e", "  vs hand-written SQL over report_sums (like-for-like floor): sums p50 %s p99 %s (TargetSums %.2fx) | sums + completeness per child p50 %s p99 %s | ratio p50 %.2fx p99 %.2fx (target <= 2x and p50 < 100ms: %s)",
			ms(r[3].p50), ms(r[3].p99), sumsRatio, ms(r[4].p50), ms(r[4].p99), floorRatio, floorRatio99, verdict(floorRatio, r[0].p50))
		return nil
	}
	if err := dashboardAt(fmt.Sprintf("the province root (%d units)", n), root, query(true, reportBareSums, int64s(cycleIDs))); err != nil {
		return err
	}
	if err := dashboardAt("one district (a tenth of the tree)", district, query(true, reportBareSubtreeSums, int64s(cycleIDs), district.Path)); err != nil {
		return err
	}

	// The matrix: its first page, and the whole grid page by page as a
	// client of the API reads it (by next_cursor, keyset pages).
	firstPage := func() error {
		m, err := dashboard.BuildMatrix(ctx, st, plan, root, today, dashboard.Page{Limit: matrixPage})
		if err == nil && len(m.Units) != min(matrixPage, n) {
			err = fmt.Errorf("matrix: %d units", len(m.Units))
		}
		return err
	}
	allPages := func() error {
		units, cursor := 0, ""
		for {
			m, err := dashboard.BuildMatrix(ctx, st, plan, root, today, dashboard.Page{Limit: matrixPage, Cursor: cursor})
			if err != nil {
				return err
			}
			units += len(m.Units)
			if m.NextCursor == nil {
				break
			}
			cursor = *m.NextCursor
		}
		if units != n {
			return fmt.Errorf("matrix: %d units of %d over the pages", units, n)
		}
		return nil
	}
	bareAllPages := func() error {
		for off := 0; off < n; off += matrixPage {
			if err := query(true, reportBareMatrix, root.Path, root.ID, int64s(cycleIDs), matrixPage, off)(); err != nil {
				return err
			}
		}
		return nil
	}
	bareKeysetPages := func() error {
		after := ""
		for {
			rows, err := sdb.QueryContext(ctx, reportBareMatrixKeyset, root.Path, root.ID, int64s(cycleIDs), matrixPage, after)
			if err != nil {
				return err
			}
			k := 0
			for rows.Next() {
				var id int64
				var name, path string
				var cycle, report sql.NullInt64
				var status sql.NullString
				var due, submitted sql.NullTime
				if err := rows.Scan(&id, &name, &path, &cycle, &report, &status, &due, &submitted); err != nil {
					rows.Close()
					return err
				}
				after = path
				k++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if k == 0 {
				return nil
			}
		}
	}
	pages := (n + matrixPage - 1) / matrixPage
	h.progress("(e) timing the matrix, %d calls each", reqs)
	bareFirstPage := query(true, reportBareMatrix, root.Path, root.ID, int64s(cycleIDs), matrixPage, 0)
	r, err := measure(firstPage, bareFirstPage,
		allPages, bareAllPages, query(true, reportBareMatrix, root.Path, root.ID, int64s(cycleIDs), nil, 0), bareKeysetPages,
		both(bareFirstPage, query(true, reportBareMatrixTotal, root.Path, root.ID, planID)))
	if err != nil {
		return err
	}
	ratio, ratio99 := ratios(r[0], r[1])
	tratio, tratio99 := ratios(r[0], r[6])
	h.Row("e", "unit × cycle matrix, first page of %d units at the root: store p50 %s p99 %s | hand-written SQL p50 %s p99 %s | ratio p50 %.2fx p99 %.2fx (target <= 1.5x and p50 < 100ms: %s) | like for like, the hand-written page and its total (the count of the plan's units the API's first page answers) p50 %s p99 %s: ratio p50 %.2fx p99 %.2fx (%s)",
		matrixPage, ms(r[0].p50), ms(r[0].p99), ms(r[1].p50), ms(r[1].p99), ratio, ratio99, verdict15(ratio, r[0].p50),
		ms(r[6].p50), ms(r[6].p99), tratio, tratio99, verdict15(tratio, r[0].p50))
	ratio, ratio99 = ratios(r[2], r[5])
	oratio, _ := ratios(r[2], r[3])
	h.Row("e", "unit × cycle matrix, whole grid (%d units × %d cycles) in the API's %d keyset pages of %d (next_cursor): store p50 %s p99 %s | hand-written SQL, same keyset pages p50 %s p99 %s | ratio p50 %.2fx p99 %.2fx (target <= 1.5x and p50 < 100ms: %s) | hand-written SQL by offset pages p50 %s (%.2fx) | one hand-written query for the grid p50 %s p99 %s",
		n, reportCycles, pages, matrixPage, ms(r[2].p50), ms(r[2].p99), ms(r[5].p50), ms(r[5].p99), ratio, ratio99, verdict15(ratio, r[2].p50), ms(r[3].p50), oratio, ms(r[4].p50), ms(r[4].p99))

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
		m, err := dashboard.BuildMatrix(ctx, st, plan, root, today, dashboard.Page{Limit: 1 << 30})
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
	h.Row("e", ".xlsx export of all (%d units × %d cycles, %d targets): %s, %d KiB written, peak heap in use %s (before: %s), %s allocated (target < 10s: %s)",
		n, reportCycles, reportTargets, secs(took), cw.n/1024, mib(int64(peak.Load())), mib(int64(before.HeapInuse)), mib(int64(after.TotalAlloc-before.TotalAlloc)), v)

	plan2, err := st.ExplainTargetSums(ctx, planID, root.ID)
	if err == nil {
		h.Row("e", "  EXPLAIN of the sums at the root: %s", explainSummary(plan2))
	}
	if plan3, err := st.ExplainCarriedSums(ctx, planID, root.ID); err == nil {
		h.Row("e", "  EXPLAIN of the carried sums at the root (report_carried_sums): %s", explainSummary(plan3))
	}
	if plan4, err := st.ExplainMatrix(ctx, planID, root.Path, cycleIDs, matrixPage); err == nil {
		h.Row("e", "  EXPLAIN of the matrix's first page: %s", explainSummary(plan4))
	}
	// Last, as it leaves report_sums short of the reports submitted
	// without their triggers.
	return benchSubmission(ctx, h, sdb, planID, nValues, reqs, measureN)
}

// benchSubmission times what report_sums costs on the write side: one
// report submitted as RecordSubmission stores it (store.SubmitReport in a
// transaction: its values replaced, 20 inserts, its status set to
// submitted), a returned report each time, with the triggers that keep
// report_sums and then with those four triggers disabled (ALTER TABLE …
// DISABLE TRIGGER, outside the timing: unlike session_replication_role =
// replica, it keeps the foreign-key checks, so only the sums' upkeep is
// left out).
func benchSubmission(ctx context.Context, h *Harness, sdb *store.DB, planID int64, nValues, reqs int,
	measureN func(int, ...func() error) ([]pcts, error)) error {
	st := store.New(sdb)
	targets, err := st.Targets(ctx, planID)
	if err != nil {
		return err
	}
	var ids []int64
	const q = `SELECT r.id FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1 AND r.status = 'returned' ORDER BY r.id`
	if err := sdb.SelectContext(ctx, &ids, q, planID); err != nil {
		return fmt.Errorf("returned reports: %w", err)
	}
	k := min(reqs, len(ids)/2-3)
	if k < 1 {
		h.Row("e", "report submission: skipped, %d returned reports to submit", len(ids))
		return nil
	}
	values := make([]store.ReportValue, len(targets))
	for i, t := range targets {
		v, num, den := float64(10+i), float64(i%9), float64(100+i)
		if t.Measure == "percent" {
			values[i] = store.ReportValue{TargetID: t.ID, Numerator: &num, Denominator: &den}
		} else {
			values[i] = store.ReportValue{TargetID: t.ID, Value: &v}
		}
	}
	next := 0
	submit := func() error {
		id := ids[next]
		next++
		return sdb.WithTx(ctx, func(tx *store.Store) error { return tx.SubmitReport(ctx, id, nil, time.Now(), values) })
	}
	setTriggers := func(on string) error {
		for _, t := range reportSumsTriggers {
			if _, err := sdb.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE %s %s TRIGGER %s`, t[0], on, t[1])); err != nil {
				return err
			}
		}
		return nil
	}
	h.progress("(e) timing a report's submission, %d with report_sums' triggers and %d without", k, k)
	with, err := measureN(k, submit)
	if err != nil {
		return fmt.Errorf("submit with triggers: %w", err)
	}
	if err := setTriggers("DISABLE"); err != nil {
		return err
	}
	without, err := measureN(k, submit)
	if err2 := setTriggers("ENABLE"); err == nil {
		err = err2
	}
	if err != nil {
		return fmt.Errorf("submit without triggers: %w", err)
	}
	h.Row("e", "one report's submission at %d values (store.SubmitReport in a transaction: %d values replaced, status to submitted), %d each: with report_sums' triggers p50 %s p99 %s | without them p50 %s p99 %s | the triggers add p50 %s (%.2fx) p99 %s (%.2fx)",
		nValues, len(values), k, ms(with[0].p50), ms(with[0].p99), ms(without[0].p50), ms(without[0].p99),
		ms(with[0].p50-without[0].p50), float64(with[0].p50)/float64(without[0].p50),
		ms(with[0].p99-without[0].p99), float64(with[0].p99)/float64(without[0].p99))
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
