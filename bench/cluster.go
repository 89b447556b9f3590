package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// (b) on a real cluster (issue 16): the plan of (b) fanned out by `cascade
// api` and `cascade worker` against two official Temporal server processes
// (scripts/cluster.sh: cmd/temporal-cluster at the pinned version, every
// service in each, 4 history shards, a TCP balancer in front), first with
// one worker, then with two, and against `cascade serve` with its embedded
// server, in one run. Each process's CPU seconds (utime+stime from /proc)
// per 1,000 units say what a deployment on N machines needs: this machine
// has 2 cores, so the projection is the figure, not a scaling ratio.
func init() {
	register(Bench{Name: "bc", Order: 25, Title: "(b) on a two-node Temporal cluster with one and two cascade workers, and on the embedded server: fan-out time and CPU seconds per role per 1,000 units", Run: benchCluster})
}

// clusterProfileSeconds is how long each Temporal node's CPU profile lasts
// (from the issue call).
const clusterProfileSeconds = 30

// roleCPU is the CPU seconds of named processes (and of PostgreSQL's
// backends for some databases) over a window.
type roleCPU struct {
	h         *Harness
	pids      map[string]int
	databases []string
	cpu0      map[string]float64
	pg0       map[int]float64
}

func (h *Harness) startRoleCPU(ctx context.Context, pids map[string]int, databases ...string) *roleCPU {
	r := &roleCPU{h: h, pids: pids, databases: databases, cpu0: map[string]float64{}}
	for name, pid := range pids {
		r.cpu0[name], _ = procCPU(pid)
	}
	r.pg0 = h.backendCPU(ctx, databases)
	return r
}

// per1000 is each process's CPU seconds per 1,000 units, and PostgreSQL's.
func (r *roleCPU) per1000(ctx context.Context, units int) (map[string]float64, string) {
	out := map[string]float64{}
	var names []string
	for name, pid := range r.pids {
		if v, ok := procCPU(pid); ok {
			out[name] = (v - r.cpu0[name]) / float64(units) * 1000
			names = append(names, name)
		}
	}
	pg := 0.0
	for pid, v := range r.h.backendCPU(ctx, r.databases) {
		pg += v - r.pg0[pid]
	}
	out["postgresql"] = pg / float64(units) * 1000
	names = append(names, "postgresql")
	sort.Strings(names)
	var parts []string
	total := 0.0
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %.1f", n, out[n]))
		total += out[n]
	}
	return out, fmt.Sprintf("%s (all %.1f)", strings.Join(parts, ", "), total)
}

func benchCluster(ctx context.Context, h *Harness) error {
	o := h.Opts
	u, err := url.Parse(o.PostgresURL)
	if err != nil {
		return err
	}
	pgBase := (&url.URL{Scheme: u.Scheme, User: u.User, Host: u.Host}).String()
	var b [4]byte
	_, _ = rand.Read(b[:])
	dbName := "cascade_bench_cluster_" + hex.EncodeToString(b[:])
	dir := filepath.Join(h.Tmp, "cluster")
	base, err := freeBlock(32)
	if err != nil {
		return err
	}
	env := append(os.Environ(), "CLUSTER_DIR="+dir, "CLUSTER_DB="+dbName, "CLUSTER_PORT="+strconv.Itoa(base),
		"PGURL="+pgBase, "CLUSTER_PPROF=1", "SMTP_URL=", "CASCADE_LOG_LEVEL=warn", "RECONCILE_INTERVAL=0")
	script := func(args ...string) error {
		cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(h.Root, "scripts", "cluster.sh")}, args...)...)
		cmd.Dir, cmd.Env = h.Root, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("scripts/cluster.sh %s: %v\n%s", strings.Join(args, " "), err, tail(string(out), 20))
		}
		return nil
	}
	h.Cleanup(func() {
		if err := script("down"); err != nil {
			h.progress("%v", err)
		}
	})
	t := time.Now()
	if err := script("up"); err != nil {
		return err
	}
	if err := script("stop", "worker1"); err != nil {
		return err
	}
	h.progress("cluster up in %s (state in %s); creating %d units", time.Since(t).Round(100*time.Millisecond), dir, o.Units)
	pids := func() map[string]int {
		out := map[string]int{}
		files, _ := filepath.Glob(filepath.Join(dir, "*.pid"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			if pid, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil {
				out[strings.TrimSuffix(filepath.Base(f), ".pid")] = pid
			}
		}
		return out
	}
	db := &Database{Name: dbName, URL: pgBase + "/" + dbName + "?sslmode=disable"}
	if db.DB, err = sql.Open("postgres", db.URL); err != nil {
		return err
	}
	defer db.DB.Close()
	db.DB.SetMaxOpenConns(4)
	admin, err := NewProvince(ctx, db, "admin")
	if err != nil {
		return err
	}
	unitIDs, err := insertDistricts(ctx, db, admin.Unit, o.Units)
	if err != nil {
		return err
	}
	api := &Serve{URL: fmt.Sprintf("http://127.0.0.1:%d", base+30), Token: admin.Token}
	tdbs := []string{dbName, dbName + "_temporal", dbName + "_temporal_visibility"}
	profileNodes := func() map[string]chan string {
		out := map[string]chan string{}
		for i, port := range []int{base + 10 + 8, base + 20 + 8} {
			ch := make(chan string, 1)
			out[fmt.Sprintf("temporal%d", i)] = ch
			go func() {
				raw, err := httpGet(ctx, fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=%d", port, clusterProfileSeconds), clusterProfileSeconds+30)
				if err != nil {
					ch <- err.Error()
					return
				}
				file := filepath.Join(h.Tmp, fmt.Sprintf("cluster-%d-%d.pb.gz", port, time.Now().UnixNano()))
				if err := os.WriteFile(file, raw, 0o644); err != nil {
					ch <- err.Error()
					return
				}
				s, err := profileBreakdown(ctx, filepath.Join(dir, "bin", "temporal-cluster"), file)
				if err != nil {
					s = err.Error()
				}
				ch <- s
			}()
		}
		return out
	}
	runs := map[string]time.Duration{}
	for _, workers := range []int{1, 2} {
		label := fmt.Sprintf("cluster, %d worker", workers)
		if workers > 1 {
			label += "s"
			if err := script("start", "worker1"); err != nil {
				return err
			}
		}
		cpu := h.startRoleCPU(ctx, pids(), tdbs...)
		machine := startCPU(-1) // the machine only
		profiles := profileNodes()
		took, err := fanOut(ctx, h, api, db, admin.Unit.ID, unitIDs, fmt.Sprintf("%d/KH-CLUSTER", workers), nil)
		if err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		runs[label] = took
		per, line := cpu.per1000(ctx, len(unitIDs))
		h.Results[fmt.Sprintf("bc.%dw.rate", workers)] = rate(len(unitIDs), took)
		h.Row("bc", "(b) %s: %d units in %s = %.0f/s", label, len(unitIDs), secs(took), rate(len(unitIDs), took))
		h.Row("bc", "  CPU s per 1,000 units: %s; %s", line, strings.TrimPrefix(machine.String(), "cpu: "))
		for role, v := range per {
			h.Results[fmt.Sprintf("bc.%dw.cpu.%s", workers, role)] = v
		}
		for _, name := range []string{"temporal0", "temporal1"} {
			h.Row("bc", "  %s CPU profile (first %d s): %s", name, clusterProfileSeconds, <-profiles[name])
		}
	}
	if s, err := databaseSizes(ctx, db.DB, tdbs...); err == nil {
		h.Row("bc", "  cluster databases after two plans to %d units: %s", len(unitIDs), s)
	}
	// The embedded server runs alone.
	h.runCleanups()

	edb, err := h.NewDatabase(ctx)
	if err != nil {
		return err
	}
	srv, err := h.StartServe(ctx, edb)
	if err != nil {
		return err
	}
	eadmin, err := NewProvince(ctx, edb, "admin")
	if err != nil {
		return err
	}
	srv.Token = eadmin.Token
	eunits, err := insertDistricts(ctx, edb, eadmin.Unit, o.Units)
	if err != nil {
		return err
	}
	edbs := []string{edb.Name, edb.Name + "_temporal", edb.Name + "_temporal_visibility"}
	cpu := h.startRoleCPU(ctx, map[string]int{"serve": srv.PID()}, edbs...)
	machine := startCPU(-1) // the machine only
	watch := h.watchServer(ctx, srv.PID(), srv.bin, "", srv.DebugURL)
	took, err := fanOut(ctx, h, srv, edb, eadmin.Unit.ID, eunits, "1/KH-EMBEDDED", srv.Alive)
	if err != nil {
		return fmt.Errorf("embedded: %w", err)
	}
	_, line := cpu.per1000(ctx, len(eunits))
	h.Row("bc", "(b) embedded (cascade serve): %d units in %s = %.0f/s; cluster with 1 worker / embedded = %.2f, 2 workers / 1 worker = %.2f",
		len(eunits), secs(took), rate(len(eunits), took), took.Seconds()/runs["cluster, 1 worker"].Seconds(),
		runs["cluster, 1 worker"].Seconds()/runs["cluster, 2 workers"].Seconds())
	h.Row("bc", "  CPU s per 1,000 units: %s; %s", line, strings.TrimPrefix(machine.String(), "cpu: "))
	if r := <-watch.profile; r.err == nil {
		if s, err := profileBreakdown(ctx, srv.bin, r.file); err == nil {
			h.Row("bc", "  serve CPU profile (first %d s): %s", profileSeconds, s)
		}
	}
	if s, err := databaseSizes(ctx, edb.DB, edbs...); err == nil {
		h.Row("bc", "  embedded databases after a plan to %d units: %s", len(eunits), s)
	}
	return nil
}

// fanOut creates a plan to unitIDs through the API, issues it and waits
// until every unit's task is written; the time is from the issue call.
func fanOut(ctx context.Context, h *Harness, api *Serve, db *Database, province int64, unitIDs []int64, code string, alive func() bool) (time.Duration, error) {
	now := time.Now()
	due := now.AddDate(0, 0, 10)
	var plan struct {
		ID int64 `json:"id"`
	}
	if err := api.Call(ctx, "POST", "/api/v1/plans", map[string]any{
		"code": code, "title": "Kế hoạch đo hiệu năng " + code, "term_start_year": now.Year(), "term_end_year": now.Year() + 1,
		"issuer_unit_id": province, "unit_ids": unitIDs,
		"cycles": []map[string]any{{"kind": "annual", "year": due.Year(), "due_on": due.Format(time.DateOnly)}},
	}, &plan, http.StatusCreated); err != nil {
		return 0, err
	}
	began := time.Now()
	if err := api.Call(ctx, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil, http.StatusOK); err != nil {
		return 0, err
	}
	deadline := began.Add(max(15*time.Minute, time.Duration(len(unitIDs))*30*time.Millisecond))
	if h.Opts.FanOutTimeout > 0 {
		deadline = began.Add(h.Opts.FanOutTimeout)
	}
	lastLog, last := time.Now(), 0
	for {
		var n int
		if err := db.DB.QueryRowContext(ctx, `SELECT count(*) FROM unit_tasks WHERE plan_id = $1`, plan.ID).Scan(&n); err != nil {
			return 0, err
		}
		if n >= len(unitIDs) {
			return time.Since(began), nil
		}
		if alive != nil && !alive() {
			return 0, fmt.Errorf("the server exited with %d of %d tasks written", n, len(unitIDs))
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("only %d of %d tasks written after %s", n, len(unitIDs), time.Since(began).Round(time.Second))
		}
		if time.Since(lastLog) >= 10*time.Second {
			h.progress("  %s: %d/%d tasks after %s (%.0f/s lately)", code, n, len(unitIDs), time.Since(began).Round(time.Second),
				float64(n-last)/time.Since(lastLog).Seconds())
			lastLog, last = time.Now(), n
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// databaseSizes is each database's size (pg_database_size) and the largest
// tables of the first with their rows.
func databaseSizes(ctx context.Context, db *sql.DB, names ...string) (string, error) {
	if _, err := db.ExecContext(ctx, `ANALYZE`); err != nil {
		return "", err
	}
	var parts []string
	for _, n := range names {
		var size int64
		if err := db.QueryRowContext(ctx, `SELECT pg_database_size($1)`, n).Scan(&size); err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s %s", n, kib(int(size))))
	}
	rows, err := db.QueryContext(ctx, `
SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname = 'public'
ORDER BY 2 DESC LIMIT 6`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var top []string
	for rows.Next() {
		var name string
		var size, tuples int64
		if err := rows.Scan(&name, &size, &tuples); err != nil {
			return "", err
		}
		top = append(top, fmt.Sprintf("%s %s (~%d rows)", name, kib(int(size)), tuples))
	}
	return strings.Join(parts, ", ") + "; largest tables: " + strings.Join(top, ", "), rows.Err()
}
