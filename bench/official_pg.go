package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// The fair peer of the embedded server: the official Temporal server built
// from the module at the version go.mod pins (cmd/temporal-cluster, a main
// that calls temporal.NewServer as the server's own cmd/server does), one
// process with every service, on the same PostgreSQL, with the server's own
// development-postgres12.yaml settings (4 history shards, 20 connections,
// visibility 2, no dynamic config: 4 task queue partitions, default rate
// limits and caches).

// TemporalCluster builds ./cmd/temporal-cluster (the official server at
// the version go.mod pins) once per run.
func (h *Harness) TemporalCluster(ctx context.Context) (string, error) {
	return h.build(ctx, &h.tcBin, "temporal-cluster", h.Root)
}

// TemporalNode is one official server process on databases of its own.
type TemporalNode struct {
	HostPort   string
	PprofURL   string
	MetricsURL string
	Bin        string
	*child
}

// StartTemporalNode creates <prefix>_temporal and <prefix>_temporal_visibility
// with the server's schema tool, starts one node (`temporal-cluster node`
// with extra flags) and registers the namespace "default" with 30 days'
// retention, as the embedded server does. Everything is stopped and dropped
// when the bench ends.
func (h *Harness) StartTemporalNode(ctx context.Context, extra ...string) (*TemporalNode, error) {
	bin, err := h.TemporalCluster(ctx)
	if err != nil {
		return nil, err
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	main := "cascade_bench_official_" + hex.EncodeToString(b[:]) + "_temporal"
	vis := main + "_visibility"
	h.Cleanup(func() {
		if h.Opts.Keep {
			return
		}
		if err := h.dropDatabases(main, vis); err != nil {
			h.progress("drop %s: %v", main, err)
		}
	})
	u, err := url.Parse(h.Opts.PostgresURL)
	if err != nil {
		return nil, err
	}
	pw, _ := u.User.Password()
	tool := []string{"sql-tool", "--ep", u.Hostname(), "-p", portOf(u), "-u", u.User.Username(), "--pl", "postgres12"}
	if pw != "" {
		tool = append(tool, "--pw", pw)
	}
	for _, d := range [][2]string{{main, "temporal"}, {vis, "visibility"}} {
		for _, step := range [][]string{
			{"create-database"}, {"setup-schema", "-v", "0.0"}, {"update-schema", "--schema-name", "postgresql/v12/" + d[1]},
		} {
			args := append(append(append([]string{}, tool...), "--db", d[0]), step...)
			if out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput(); err != nil {
				return nil, fmt.Errorf("temporal-cluster %s: %v\n%s", strings.Join(args, " "), err, tail(string(out), 10))
			}
		}
	}
	port, err := freeBlock(8)
	if err != nil {
		return nil, err
	}
	pp, err := freePort()
	if err != nil {
		return nil, err
	}
	mp, err := freePort()
	if err != nil {
		return nil, err
	}
	du := *u
	du.Path = "/" + main
	q := du.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	du.RawQuery = q.Encode()
	n := &TemporalNode{
		HostPort:   fmt.Sprintf("127.0.0.1:%d", port),
		PprofURL:   fmt.Sprintf("http://127.0.0.1:%d", pp),
		MetricsURL: fmt.Sprintf("http://127.0.0.1:%d/metrics", mp),
		Bin:        bin,
	}
	args := append([]string{"node", "-db", du.String(), "-port", strconv.Itoa(port), "-log-level", "error",
		"-pprof", strconv.Itoa(pp), "-metrics", fmt.Sprintf("127.0.0.1:%d", mp)}, extra...)
	began := time.Now()
	if n.child, err = h.startChild(exec.Command(bin, args...), "temporal-node"); err != nil {
		return nil, err
	}
	h.Cleanup(func() { _ = n.Stop(20 * time.Second) })
	c, err := dialTemporal(ctx, n.HostPort, "default", 2*time.Minute)
	if err != nil {
		return nil, fmt.Errorf("%w; log:\n%s", err, tail(n.log.String(), 20))
	}
	c.Close()
	reg := exec.CommandContext(ctx, bin, "namespace", "-address", n.HostPort, "-ns", "default", "-retention", "720h")
	if out, err := reg.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("register namespace: %v\n%s", err, out)
	}
	if err := waitNamespace(ctx, n.HostPort, "default", time.Minute); err != nil {
		return nil, err
	}
	h.progress("official server on PostgreSQL (%s) ready in %s on %s", strings.Join(extra, " "), time.Since(began).Round(10*time.Millisecond), n.HostPort)
	return n, nil
}

// waitNamespace waits until a workflow can be started in a namespace just
// registered (the server's namespace cache refreshes every 10 s by default):
// it starts one Empty workflow, which the bench's worker runs later.
func waitNamespace(ctx context.Context, hostPort, namespace string, wait time.Duration) error {
	c, err := dialTemporal(ctx, hostPort, namespace, wait)
	if err != nil {
		return err
	}
	defer c.Close()
	deadline := time.Now().Add(wait)
	for {
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "bench-namespace-probe", TaskQueue: EmptyTaskQueue}, Empty)
		var nf *serviceerror.NamespaceNotFound
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if err == nil || errors.As(err, &started) {
			return nil
		}
		if !errors.As(err, &nf) || time.Now().After(deadline) {
			return fmt.Errorf("namespace %s on %s: %w", namespace, hostPort, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	return "5432"
}

// serverWatch measures what a Temporal server process spends over a run:
// its CPU seconds, the CPU seconds of the PostgreSQL backends serving its
// databases, its persistence calls (from its Prometheus metrics), and a CPU
// profile (from its pprof endpoint) broken down by where the time went.
type serverWatch struct {
	h          *Harness
	pid        int
	bin        string
	metricsURL string
	pprofURL   string
	databases  []string

	cpu0     float64
	pg0      map[int]float64
	metrics0 map[string]opStat
	profile  chan profileResult
	pools    *poolWatch
}

type profileResult struct {
	file string
	err  error
}

// opStat is one persistence operation's calls and total latency (ms).
type opStat struct {
	Calls float64
	Ms    float64
}

// profileSeconds is how long the CPU profile of a run lasts (from its start;
// a run shorter than this leaves idle time, which takes no samples).
const profileSeconds = 10

func (h *Harness) watchServer(ctx context.Context, pid int, bin, metricsURL, pprofURL string, databases ...string) *serverWatch {
	w := &serverWatch{h: h, pid: pid, bin: bin, metricsURL: metricsURL, pprofURL: pprofURL, databases: databases}
	w.cpu0, _ = procCPU(pid)
	w.pg0 = h.backendCPU(ctx, databases)
	w.metrics0, _ = persistenceStats(ctx, metricsURL)
	w.pools = h.watchPools(ctx, pprofURL, databases)
	if pprofURL != "" {
		w.profile = make(chan profileResult, 1)
		go func() {
			file := filepath.Join(h.Tmp, fmt.Sprintf("cpu-%d-%d.pb.gz", pid, time.Now().UnixNano()))
			raw, err := httpGet(ctx, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", pprofURL, profileSeconds), profileSeconds+30)
			if err == nil {
				err = os.WriteFile(file, raw, 0o644)
			}
			w.profile <- profileResult{file, err}
		}()
	}
	return w
}

// report prints the rows of one server's run of n workflows.
func (w *serverWatch) report(ctx context.Context, bench, who string, n int) {
	h := w.h
	per := func(v float64) float64 { return v / float64(n) * 1000 }
	cpu, _ := procCPU(w.pid)
	pg := 0.0
	for pid, v := range w.h.backendCPU(ctx, w.databases) {
		pg += v - w.pg0[pid]
	}
	h.Results[bench+"."+who+".cpu"] = per(cpu - w.cpu0)
	line := fmt.Sprintf("  %s: CPU %.1f s per 1,000 workflows in the server process, %.1f s in PostgreSQL's backends for its databases", who, per(cpu-w.cpu0), per(pg))
	if m1, err := persistenceStats(ctx, w.metricsURL); err == nil && w.metrics0 != nil {
		var ops []string
		var calls, ms float64
		byOp := map[string]opStat{}
		for op, s := range m1 {
			d := opStat{s.Calls - w.metrics0[op].Calls, s.Ms - w.metrics0[op].Ms}
			if d.Calls > 0 {
				byOp[op] = d
				ops = append(ops, op)
				calls += d.Calls
				ms += d.Ms
			}
		}
		sort.Slice(ops, func(i, j int) bool { return byOp[ops[i]].Ms > byOp[ops[j]].Ms })
		var top []string
		for _, op := range ops[:min(5, len(ops))] {
			s := byOp[op]
			top = append(top, fmt.Sprintf("%s %.1f/wf × %.1f ms", op, s.Calls/float64(n), s.Ms/s.Calls))
		}
		if calls > 0 {
			line += fmt.Sprintf("; persistence: %.1f calls per workflow, mean %.1f ms, %.1f s in all (most time: %s)",
				calls/float64(n), ms/calls, ms/1000, strings.Join(top, ", "))
		}
	}
	h.Row(bench, "%s", line)
	h.Row(bench, "  %s: %s", who, w.pools.report())
	if w.profile != nil {
		r := <-w.profile
		if r.err != nil {
			h.Row(bench, "  %s profile: %v", who, r.err)
			return
		}
		if s, err := profileBreakdown(ctx, w.bin, r.file); err != nil {
			h.Row(bench, "  %s profile: %v", who, err)
		} else {
			h.Row(bench, "  %s CPU profile (first %d s): %s", who, profileSeconds, s)
		}
	}
}

// backendCPU is the CPU seconds of each PostgreSQL backend connected to the
// databases, by pid (read from /proc, so PostgreSQL must run on this machine).
func (h *Harness) backendCPU(ctx context.Context, databases []string) map[int]float64 {
	out := map[int]float64{}
	if len(databases) == 0 {
		return out
	}
	db, err := sql.Open("postgres", h.Opts.PostgresURL)
	if err != nil {
		return out
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname::text = ANY(string_to_array($1, ','))`, strings.Join(databases, ","))
	if err != nil {
		return out
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			if v, ok := procCPU(pid); ok {
				out[pid] = v
			}
		}
	}
	return out
}

var persistenceLine = regexp.MustCompile(`^(?:temporal_server_)?persistence_latency(_milliseconds|_seconds)?_(sum|count)\{([^}]*)\} ([0-9.eE+-]+)$`)
var operationLabel = regexp.MustCompile(`operation="([^"]+)"`)

// persistenceStats reads a server's persistence calls and latency by
// operation from its Prometheus metrics.
func persistenceStats(ctx context.Context, metricsURL string) (map[string]opStat, error) {
	if metricsURL == "" {
		return nil, errors.New("no metrics")
	}
	raw, err := httpGet(ctx, metricsURL, 20)
	if err != nil {
		return nil, err
	}
	out := map[string]opStat{}
	for _, line := range strings.Split(string(raw), "\n") {
		m := persistenceLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		op := "?"
		if o := operationLabel.FindStringSubmatch(m[3]); o != nil {
			op = o[1]
		}
		v, err := strconv.ParseFloat(m[4], 64)
		if err != nil {
			continue
		}
		s := out[op]
		if m[2] == "count" {
			s.Calls += v
		} else {
			if m[1] == "_seconds" {
				v *= 1000
			}
			s.Ms += v
		}
		out[op] = s
	}
	if len(out) == 0 {
		return nil, errors.New("no persistence_latency in the metrics")
	}
	return out, nil
}

func httpGet(ctx context.Context, u string, timeoutSeconds int) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(timeoutSeconds)*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// profileCategories attribute a CPU sample to the first category one of
// whose patterns a frame of its stack contains.
var profileCategories = []struct {
	name     string
	patterns []string
}{
	{"GC", []string{"runtime.gcBgMarkWorker", "runtime.gcAssistAlloc", "runtime.bgsweep", "runtime.bgscavenge"}},
	{"SQL driver", []string{"github.com/lib/pq", "github.com/jackc/pgx", "database/sql"}},
	{"persistence layer", []string{"go.temporal.io/server/common/persistence"}},
	{"history", []string{"go.temporal.io/server/service/history"}},
	{"matching", []string{"go.temporal.io/server/service/matching"}},
	{"frontend", []string{"go.temporal.io/server/service/frontend"}},
	{"Temporal SDK (Cascade's worker, the server's system workers)", []string{"go.temporal.io/sdk", "cascade/"}},
	{"gRPC and protobuf", []string{"google.golang.org/grpc", "google.golang.org/protobuf", "golang.org/x/net/http2"}},
}

// profileBreakdown reads a CPU profile with `go tool pprof -traces` and says
// what share of the samples each category took.
func profileBreakdown(ctx context.Context, bin, file string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-traces", bin, file).Output()
	if err != nil {
		return "", fmt.Errorf("go tool pprof -traces: %w", err)
	}
	shares := map[string]time.Duration{}
	var total time.Duration
	var value time.Duration
	var frames []string
	flush := func() {
		defer func() { value, frames = 0, nil }()
		if value <= 0 {
			return
		}
		cat := "other (scheduler, syscalls, runtime)"
	find:
		for _, c := range profileCategories {
			for _, f := range frames {
				for _, p := range c.patterns {
					if strings.Contains(f, p) {
						cat = c.name
						break find
					}
				}
			}
		}
		shares[cat] += value
		total += value
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "-----------+") {
			flush()
			continue
		}
		fs := strings.Fields(line)
		if len(fs) == 0 {
			continue
		}
		if len(fs) >= 2 && !strings.HasPrefix(line, "            ") {
			if d, err := time.ParseDuration(fs[0]); err == nil {
				value = d
				frames = append(frames, fs[1])
				continue
			}
		}
		frames = append(frames, fs[0])
	}
	flush()
	if total == 0 {
		return "no samples", nil
	}
	type kv struct {
		k string
		v time.Duration
	}
	var list []kv
	for k, v := range shares {
		list = append(list, kv{k, v})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].v > list[j].v })
	var parts []string
	for _, e := range list {
		parts = append(parts, fmt.Sprintf("%s %.0f%%", e.k, 100*float64(e.v)/float64(total)))
	}
	return fmt.Sprintf("%.1f CPU s sampled: %s", total.Seconds(), strings.Join(parts, ", ")), nil
}

// targetRatioA is issue 15's target for the embedded server against the
// official server on the same PostgreSQL.
const targetRatioA = 1.0

// runOfficialPGEmpty runs (a) on the official server on PostgreSQL with its
// default settings, and prints the ratio of the embedded run to it.
func (h *Harness) runOfficialPGEmpty(ctx context.Context, embedded emptyResult) error {
	o := h.Opts
	n, err := h.StartTemporalNode(ctx, "-defaults", "-shards", "4", "-max-conns", "20")
	if err != nil {
		return err
	}
	cpu := startCPU(n.PID())
	watch := h.watchServer(ctx, n.PID(), n.Bin, n.MetricsURL, n.PprofURL, dbNames(n)...)
	res, err := runEmpty(ctx, n.HostPort, "default", o.Workflows, o.Callers, o.Pollers)
	if err != nil {
		return fmt.Errorf("%w; log:\n%s", err, tail(n.log.String(), 10))
	}
	h.Results["a.officialpg.rate"] = res.Rate()
	verdict := "MET"
	if embedded.Rate()/res.Rate() < targetRatioA {
		verdict = "NOT MET"
	}
	h.Row("a", "foundation (a) empty workflows, official server %s on PostgreSQL (default config: 4 shards, 4 task queue partitions, 20 connections): %d in %s = %.0f/s; embedded/official-on-PostgreSQL = %.2f (target >= %.1f: %s)",
		h.temporalServerVersion(), res.N, secs(res.Completed), res.Rate(), embedded.Rate()/res.Rate(), targetRatioA, verdict)
	h.Row("a", "  %s", cpu)
	watch.report(ctx, "a", "official-on-PostgreSQL", res.N)
	if res.Tail != "" {
		h.Row("a", "  stall: %s", res.Tail)
	}
	if rss, peak, err := procMemory(n.PID()); err == nil {
		h.Row("a", "rss official server on PostgreSQL: after (a) %s (peak %s)", mib(rss), mib(peak))
	}
	return nil
}

// dbNames are the databases a node's PostgreSQL backends serve, read back
// from its command line.
func dbNames(n *TemporalNode) []string {
	for i, a := range n.cmd.Args {
		if a == "-db" && i+1 < len(n.cmd.Args) {
			if u, err := url.Parse(n.cmd.Args[i+1]); err == nil {
				d := strings.TrimPrefix(u.Path, "/")
				return []string{d, d + "_visibility"}
			}
		}
	}
	return nil
}

// temporalServerVersion is the server module's version go.mod pins.
func (h *Harness) temporalServerVersion() string {
	raw, _ := os.ReadFile(filepath.Join(h.Root, "go.mod"))
	for _, l := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "go.temporal.io/server" {
			return f[1]
		}
	}
	return "(pinned)"
}
