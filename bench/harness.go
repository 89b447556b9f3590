package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/lib/pq"
)

// Harness runs benches: it builds cascade once, makes and drops databases,
// starts and stops child processes, and collects the rows of the table.
type Harness struct {
	Opts Options
	// Root is the module's folder (where go.mod is); Tmp a scratch folder
	// removed at the end.
	Root, Tmp string
	// Results holds figures benches share, by "<bench>.<figure>" (e.g.
	// "a.rate", workflows per second): a later bench divides by them.
	Results map[string]float64

	rows     []row
	cleanups []func()
	buildMu  sync.Mutex
	bin      string
	tcBin    string
}

type row struct{ bench, text string }

func newHarness(opts Options) (*Harness, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "cascade-bench-")
	if err != nil {
		return nil, err
	}
	return &Harness{Opts: opts, Root: root, Tmp: tmp, Results: map[string]float64{}}, nil
}

// run runs one bench and then its cleanups, newest first.
func (h *Harness) run(ctx context.Context, b Bench) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
		h.runCleanups()
	}()
	return b.Run(ctx, h)
}

// runCleanups runs the cleanups registered so far, newest first: a bench
// calls it to stop its child and drop its database before it measures
// something else that should have the machine to itself.
func (h *Harness) runCleanups() {
	for i := len(h.cleanups) - 1; i >= 0; i-- {
		h.cleanups[i]()
	}
	h.cleanups = nil
}

// Cleanup runs fn when the current bench ends, even when it fails.
func (h *Harness) Cleanup(fn func()) { h.cleanups = append(h.cleanups, fn) }

func (h *Harness) close() { _ = os.RemoveAll(h.Tmp) }

// Row adds a line to the result table (and prints it at once).
func (h *Harness) Row(bench, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	h.rows = append(h.rows, row{bench, text})
	fmt.Fprintf(os.Stderr, "   %s\n", text)
}

// progress logs what the bench is doing, on stderr.
func (h *Harness) progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(format, args...))
}

func (h *Harness) printTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range h.rows {
		fmt.Fprintf(tw, "%s\t%s\n", r.bench, r.text)
	}
	tw.Flush()
}

// Cascade builds ./cmd/cascade (from Opts.Src when set) once per run and
// returns the binary's path.
func (h *Harness) Cascade(ctx context.Context) (string, error) {
	dir := h.Root
	if h.Opts.Src != "" {
		dir = h.Opts.Src
	}
	return h.build(ctx, &h.bin, "cascade", dir)
}

// build builds ./cmd/<name> of the module at dir into the run's folder,
// once per run (*bin keeps the path), and returns the binary's path.
func (h *Harness) build(ctx context.Context, bin *string, name, dir string) (string, error) {
	h.buildMu.Lock()
	defer h.buildMu.Unlock()
	if *bin != "" {
		return *bin, nil
	}
	path := filepath.Join(h.Tmp, name)
	t := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", path, "./cmd/"+name)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/%s: %v\n%s", name, err, out)
	}
	h.progress("built %s from %s in %s", name, dir, time.Since(t).Round(100*time.Millisecond))
	*bin = path
	return path, nil
}

func (h *Harness) goVersion() string { return runtime.Version() }

func numCPU() int { return runtime.NumCPU() }

// moduleRoot is the folder of the go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run bench inside the cascade module (no go.mod above the working directory)")
		}
		dir = parent
	}
}

// Database is a fresh, empty database for one bench; `cascade serve`
// migrates it and creates the Temporal databases named after it.
type Database struct {
	Name string
	URL  string
	// DB is a small pool on it for the bench's own queries.
	DB *sql.DB
}

// NewDatabase creates cascade_bench_<random>; when the bench ends it is
// dropped WITH (FORCE), with its _temporal and _temporal_visibility.
func (h *Harness) NewDatabase(ctx context.Context) (*Database, error) {
	var b [5]byte
	_, _ = rand.Read(b[:])
	name := "cascade_bench_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("postgres", h.Opts.PostgresURL)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name)); err != nil {
		return nil, fmt.Errorf("create database %s on %s: %w", name, redact(h.Opts.PostgresURL), err)
	}
	u, _ := url.Parse(h.Opts.PostgresURL)
	u.Path = "/" + name
	d := &Database{Name: name, URL: u.String()}
	h.Cleanup(func() {
		if d.DB != nil {
			d.DB.Close()
		}
		if h.Opts.Keep {
			h.progress("kept databases %s, %[1]s_temporal, %[1]s_temporal_visibility", name)
			return
		}
		if err := h.dropDatabases(name, name+"_temporal", name+"_temporal_visibility"); err != nil {
			h.progress("drop %s: %v", name, err)
		}
	})
	d.DB, err = sql.Open("postgres", d.URL)
	if err != nil {
		return nil, err
	}
	d.DB.SetMaxOpenConns(4)
	return d, nil
}

func (h *Harness) dropDatabases(names ...string) error {
	admin, err := sql.Open("postgres", h.Opts.PostgresURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	for _, n := range names {
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(n)+` WITH (FORCE)`); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(bad url)"
	}
	return p.Redacted()
}

// mib formats bytes as MiB.
func mib(b int64) string { return fmt.Sprintf("%d MiB", (b+512*1024)/(1024*1024)) }

// rate formats n events over d as a per-second figure.
func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// secs formats a duration for the table.
func secs(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// tail is the end of a log, for error messages.
func tail(s string, lines int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}

// Connections counts the server's connections to this database and its
// Temporal databases.
func (d *Database) Connections(ctx context.Context) (int, error) {
	var n int
	err := d.DB.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname::text IN ($1::text, $1::text || '_temporal', $1::text || '_temporal_visibility')`, d.Name).Scan(&n)
	return n, err
}

// Setting is a server setting (SHOW), or "?" when it cannot be read.
func (d *Database) Setting(ctx context.Context, name string) string {
	var v string
	if err := d.DB.QueryRowContext(ctx, `SELECT current_setting($1)`, name).Scan(&v); err != nil {
		return "?"
	}
	return v
}
