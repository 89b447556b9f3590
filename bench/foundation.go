package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"cascade/store"
	"cascade/workflows"
)

// The foundation benches of the first issue:
//
//	(a) the baseline: empty workflows on the embedded server (and, when it
//	    is installed, on the official dev server for comparison);
//	(b) a plan issued to many units through the JSON API, until every
//	    unit's workflow has written its task; target (b)/(a) >= 0.5.
func init() {
	register(
		Bench{Name: "a", Order: 10, Title: "baseline: empty workflows from parallel callers, embedded server (and official dev server)", Run: benchEmptyWorkflows},
		Bench{Name: "b", Order: 20, Title: "plan issued to many units through the JSON API, until every unit task is written", Run: benchIssuePlan},
	)
}

// targetRatioB is the issue's target for (b)/(a).
const targetRatioB = 0.5

// targetRSSB is the issue's bound on cascade serve's resident memory with a
// plan's 10,000 unit workflows open.
const targetRSSB = 1 << 30

func benchEmptyWorkflows(ctx context.Context, h *Harness) error {
	o := h.Opts
	res, err := h.runEmbeddedEmpty(ctx, "")
	if err != nil {
		return err
	}
	h.Results["a.rate"] = res.Rate()
	// The same server with other connection budgets (-a-conns): whether it
	// waits on its pools, with as many connections as the official server.
	for _, c := range o.AConns {
		h.runCleanups()
		r, err := h.runEmbeddedEmpty(ctx, strconv.Itoa(c))
		if err != nil {
			h.Row("a", "embedded with DATABASE_MAX_CONNS=%d: FAILED: %v", c, err)
			continue
		}
		h.Results[fmt.Sprintf("a.conns%d.rate", c)] = r.Rate()
	}
	// The official servers run alone: stop cascade (and drop its databases)
	// first, so that each measurement gets the whole machine.
	h.runCleanups()

	if !o.Official {
		return nil
	}
	if err := h.runOfficialPGEmpty(ctx, res); err != nil {
		h.Row("a", "official server on PostgreSQL: FAILED: %v", err)
	} else if off := h.Results["a.officialpg.rate"]; off > 0 {
		for _, c := range o.AConns {
			if r := h.Results[fmt.Sprintf("a.conns%d.rate", c)]; r > 0 {
				h.Row("a", "  embedded with DATABASE_MAX_CONNS=%d / official-on-PostgreSQL = %.0f/%.0f = %.2f", c, r, off, r/off)
			}
		}
	}
	h.runCleanups()
	off, err := h.runOfficialEmpty(ctx)
	switch {
	case err != nil:
		h.Row("a", "official dev server: FAILED: %v", err)
	case off == nil:
		h.Row("a", "official dev server: not installed (go install github.com/temporalio/cli/cmd/temporal@v1.5.1)")
	default:
		h.Results["a.official.rate"] = off.Rate()
		h.Row("a", "foundation (a) empty workflows, official dev server (%s): %d in %s = %.0f/s; embedded/official = %.2f",
			off.Store, off.N, secs(off.Completed), off.Rate(), res.Rate()/off.Rate())
		if off.Tail != "" {
			h.Row("a", "  stall: %s", off.Tail)
		}
	}
	return nil
}

// runEmbeddedEmpty runs (a) on a fresh `cascade serve`, with its default
// connection budget when conns is "", else DATABASE_MAX_CONNS=conns.
func (h *Harness) runEmbeddedEmpty(ctx context.Context, conns string) (emptyResult, error) {
	o := h.Opts
	db, err := h.NewDatabase(ctx)
	if err != nil {
		return emptyResult{}, err
	}
	who, label := "embedded", "embedded (default DATABASE_MAX_CONNS=40)"
	var env []string
	if conns != "" {
		env = append(env, "DATABASE_MAX_CONNS="+conns)
		who, label = "embedded-"+conns, "embedded with DATABASE_MAX_CONNS="+conns
	}
	srv, err := h.StartServe(ctx, db, env...)
	if err != nil {
		return emptyResult{}, err
	}
	h.progress("cascade serve ready in %s (pid %d, temporal %s); starting %d empty workflows from %d callers",
		srv.Ready.Round(10*time.Millisecond), srv.PID(), srv.TemporalHostPort, o.Workflows, o.Callers)
	cpu := startCPU(srv.PID())
	watch := h.watchServer(ctx, srv.PID(), srv.bin, srv.URL+"/metrics", srv.DebugURL, db.Name+"_temporal", db.Name+"_temporal_visibility")
	res, err := runEmpty(ctx, srv.TemporalHostPort, srv.Namespace, o.Workflows, o.Callers, o.Pollers)
	if err != nil {
		return res, fmt.Errorf("%s: %w", who, err)
	}
	h.Row("a", "foundation (a) empty workflows, %s: %d in %s = %.0f/s (all started at %s; %d callers, %d pollers)",
		label, res.N, secs(res.Completed), res.Rate(), secs(res.Started), o.Callers, o.Pollers)
	h.Row("a", "  %s", cpu)
	watch.report(ctx, "a", who, res.N)
	if res.Tail != "" {
		h.Row("a", "  stall: %s", res.Tail)
	}
	if errs := countErrors(srv.Log()); errs != "" {
		h.Row("a", "  cascade serve logged: %s", errs)
	}
	if rss, peak, err := srv.Memory(); err == nil {
		h.Row("a", "rss cascade serve: after (a) %s (peak %s)", mib(rss), mib(peak))
	}
	return res, nil
}

func benchIssuePlan(ctx context.Context, h *Harness) error {
	o := h.Opts
	db, err := h.NewDatabase(ctx)
	if err != nil {
		return err
	}
	srv, err := h.StartServe(ctx, db)
	if err != nil {
		return err
	}
	idle, _, err := srv.Memory()
	if err != nil {
		return err
	}
	h.progress("cascade serve ready in %s (pid %d, idle rss %s); creating %d units", srv.Ready.Round(10*time.Millisecond), srv.PID(), mib(idle), o.Units)

	// Before the clock: a province and its administrator's API token, made
	// in the database; its districts with SQL in the shape store.CreateUnit
	// writes (materialised path /<parent>/<id>/).
	admin, err := NewProvince(ctx, db, "admin")
	if err != nil {
		return err
	}
	srv.Token = admin.Token
	province := admin.Unit
	unitIDs, err := insertDistricts(ctx, db, province, o.Units)
	if err != nil {
		return err
	}
	now := time.Now()
	due := now.AddDate(0, 0, 10)
	var plan struct {
		ID int64 `json:"id"`
	}
	if err := srv.Call(ctx, "POST", "/api/v1/plans", map[string]any{
		"code": "1/KH-BENCH", "title": "Kế hoạch đo hiệu năng", "term_start_year": now.Year(), "term_end_year": now.Year() + 1,
		"issuer_unit_id": province.ID, "unit_ids": unitIDs,
		"cycles": []map[string]any{{"kind": "annual", "year": due.Year(), "due_on": due.Format(time.DateOnly)}},
	}, &plan, http.StatusCreated); err != nil {
		return err
	}

	count := func() (int, error) {
		var n int
		err := db.DB.QueryRowContext(ctx, `SELECT count(*) FROM unit_tasks WHERE plan_id = $1`, plan.ID).Scan(&n)
		return n, err
	}
	h.progress("plan %d with %d units created; issuing", plan.ID, len(unitIDs))
	cpu := startCPU(srv.PID())
	began := time.Now()
	if err := srv.Call(ctx, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil, http.StatusOK); err != nil {
		return err
	}
	issued := time.Since(began)
	var first time.Duration
	lastLog, last := time.Now(), 0
	peakConns, lastConns := 0, time.Time{}
	lastSample := time.Now()
	// 15 minutes, or 30 ms a unit for a larger plan (-units 100000).
	wait := max(15*time.Minute, time.Duration(len(unitIDs))*30*time.Millisecond)
	if o.FanOutTimeout > 0 {
		wait = o.FanOutTimeout
	}
	deadline := began.Add(wait)
	for {
		n, err := count()
		if err != nil {
			return err
		}
		if n > 0 && first == 0 {
			first = time.Since(began)
		}
		if n >= len(unitIDs) {
			break
		}
		if time.Since(lastConns) >= 500*time.Millisecond {
			if c, err := db.Connections(ctx); err == nil && c > peakConns {
				peakConns = c
			}
			lastConns = time.Now()
		}
		if !srv.Alive() {
			return fmt.Errorf("cascade serve exited with %d of %d tasks written; log:\n%s", n, len(unitIDs), tail(srv.Log(), 30))
		}
		if time.Now().After(deadline) {
			// The plan's history so far still says whether it fits.
			if err := planHistory(ctx, h, srv.TemporalHostPort, srv.Namespace, workflows.PlanWorkflowID(plan.ID)); err != nil {
				h.Row("b", "  plan workflow history: %v", err)
			}
			return fmt.Errorf("only %d of %d tasks written after %s; log:\n%s", n, len(unitIDs), time.Since(began).Round(time.Second), tail(srv.Log(), 30))
		}
		if time.Since(lastLog) >= 5*time.Second {
			h.progress("  %d/%d tasks after %s (%.0f/s lately)", n, len(unitIDs), time.Since(began).Round(time.Second),
				float64(n-last)/time.Since(lastLog).Seconds())
			lastLog, last = time.Now(), n
		}
		if len(unitIDs) > 10000 && time.Since(lastSample) >= time.Minute {
			// A long run says how the plan's history grows on the way, so
			// that a run stopped early still gives the curve.
			lastSample = time.Now()
			h.progress("  plan workflow at %d tasks: %s", n, planRunSize(ctx, srv.TemporalHostPort, srv.Namespace, workflows.PlanWorkflowID(plan.ID)))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(25 * time.Millisecond):
		}
	}
	took := time.Since(began)
	cpuUse := cpu.String()
	after, peak, err := srv.Memory()
	if err != nil {
		return err
	}
	r := rate(len(unitIDs), took)
	h.Results["b.rate"] = r
	ratio := "n/a (run -only a,b for the ratio)"
	if a, ok := h.Results["a.rate"]; ok && a > 0 {
		verdict := "MET"
		if r/a < targetRatioB {
			verdict = "NOT MET"
		}
		ratio = fmt.Sprintf("%.2f (target >= %.1f: %s)", r/a, targetRatioB, verdict)
	}
	h.Row("b", "foundation (b) plan to %d units: %d in %s = %.0f/s; ratio (b)/(a) = %s",
		len(unitIDs), len(unitIDs), secs(took), r, ratio)
	h.Row("b", "  issue call %s, first task %s; %s", secs(issued), secs(first), cpuUse)
	rssVerdict := "MET"
	if after >= targetRSSB {
		rssVerdict = "NOT MET"
	}
	h.Row("b", "rss cascade serve: idle %s, after (b) %s with %d open unit workflows (peak %s; target < %s: %s)",
		mib(idle), mib(after), len(unitIDs), mib(peak), mib(targetRSSB), rssVerdict)
	if stats, top, err := srv.Heap(ctx, h.Tmp, 10); err != nil {
		h.Row("b", "  heap: %v", err)
	} else {
		h.Row("b", "  go heap in use %s, held from the OS %s, runtime total %s, next GC at %s; largest live holders:",
			mib(stats["HeapInuse"]), mib(stats["HeapSys"]), mib(stats["Sys"]), mib(stats["NextGC"]))
		for _, l := range top {
			h.Row("b", "    %s", l)
		}
	}
	if lines, err := srv.Metrics(ctx, "temporal_sticky_cache_size", "go_goroutines"); err == nil {
		h.Row("b", "  %s", strings.Join(lines, "; "))
	}
	h.Row("b", "  postgres connections to the bench's 3 databases: peak %d seen (server max_connections %s)", peakConns, db.Setting(ctx, "max_connections"))
	if err := planHistory(ctx, h, srv.TemporalHostPort, srv.Namespace, workflows.PlanWorkflowID(plan.ID)); err != nil {
		h.Row("b", "  plan workflow history: %v", err)
	}
	if o.Explain {
		if err := explainFanOut(ctx, h, srv.TemporalHostPort, srv.Namespace, workflows.PlanWorkflowID(plan.ID), began, 20); err != nil {
			h.Row("b", "  explain: %v", err)
		}
	}
	if errs := countErrors(srv.Log()); errs != "" {
		h.Row("b", "  cascade serve logged: %s", errs)
	}
	return nil
}

// insertDistricts creates n districts under province with SQL in the shape
// store.CreateUnit writes (materialised path /<parent>/<id>/), each with the
// address district<i>@bench.example.
func insertDistricts(ctx context.Context, db *Database, province store.Unit, n int) ([]int64, error) {
	rows, err := db.DB.QueryContext(ctx, `
WITH ids AS (SELECT nextval('org_units_id_seq') AS id, g FROM generate_series(1, $2::int) AS g)
INSERT INTO org_units (id, parent_id, path, kind, code, name, email)
SELECT id, $1, $3 || id || '/', 'district', 'BENCH-D' || g, 'Hội LHPN huyện ' || g, 'district' || g || '@bench.example'
FROM ids ORDER BY g
RETURNING id`, province.ID, n, province.Path)
	if err != nil {
		return nil, fmt.Errorf("insert units: %w", err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
