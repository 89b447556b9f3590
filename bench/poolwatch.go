package main

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

// poolWatch samples, while a server runs (a), the connections its
// databases hold in pg_stat_activity (by application_name, or by database
// when the server names none) and how many of the server's goroutines wait
// in database/sql for a connection from a full pool (from its goroutine
// dump): whether the server waits on its pools.
type poolWatch struct {
	stop chan struct{}
	done chan struct{}

	mu       sync.Mutex
	samples  int
	peak     map[string]int // connections by pool, most at once
	active   map[string]int // of which running a query, most at once
	peakAll  int
	waitSum  int
	waitPeak int
	waitN    int
	waitErr  error
	backends map[string]bool // every backend seen (pid and start), for churn
}

func (h *Harness) watchPools(ctx context.Context, pprofURL string, databases []string) *poolWatch {
	p := &poolWatch{stop: make(chan struct{}), done: make(chan struct{}), peak: map[string]int{}, active: map[string]int{}}
	db, err := sql.Open("postgres", h.Opts.PostgresURL)
	if err != nil {
		close(p.done)
		return p
	}
	db.SetMaxOpenConns(1)
	p.backends = map[string]bool{}
	go func() {
		defer close(p.done)
		defer db.Close()
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			p.sampleConns(ctx, db, databases)
			if pprofURL != "" && i%4 == 0 {
				p.sampleWaiters(ctx, pprofURL)
			}
			select {
			case <-p.stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *poolWatch) sampleConns(ctx context.Context, db *sql.DB, databases []string) {
	rows, err := db.QueryContext(ctx, `SELECT CASE WHEN application_name = '' THEN datname::text ELSE application_name END,
		count(*), count(*) FILTER (WHERE state = 'active'), string_agg(pid::text || '@' || backend_start::text, ',')
		FROM pg_stat_activity WHERE datname::text = ANY(string_to_array($1, ',')) GROUP BY 1`, strings.Join(databases, ","))
	if err != nil {
		return
	}
	defer rows.Close()
	all := 0
	p.mu.Lock()
	defer p.mu.Unlock()
	for rows.Next() {
		var name string
		var n, a int
		var pids string
		if rows.Scan(&name, &n, &a, &pids) != nil {
			continue
		}
		for _, b := range strings.Split(pids, ",") {
			p.backends[b] = true
		}
		all += n
		p.peak[name] = max(p.peak[name], n)
		p.active[name] = max(p.active[name], a)
	}
	p.peakAll = max(p.peakAll, all)
	p.samples++
}

// sampleWaiters counts the goroutines parked in database/sql.(*DB).conn's
// select: asking for a connection while the pool is at its limit.
func (p *poolWatch) sampleWaiters(ctx context.Context, pprofURL string) {
	// debug=1: stacks counted together, taken without stopping the world
	// for the whole dump (debug=2 would, and slow the server measured).
	raw, err := httpGet(ctx, pprofURL+"/debug/pprof/goroutine?debug=1", 10)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.waitErr = err
		return
	}
	n := poolWaiters(string(raw))
	p.waitSum += n
	p.waitN++
	p.waitPeak = max(p.waitPeak, n)
}

// report stops the sampling and says what it saw.
func (p *poolWatch) report() string {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.samples == 0 {
		return "connections: no samples"
	}
	names := make([]string, 0, len(p.peak))
	for n := range p.peak {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %d (%d active)", n, p.peak[n], p.active[n]))
	}
	out := fmt.Sprintf("connections to its Temporal databases at most %d at once (pg_stat_activity, %d samples; by pool, most at once: %s)",
		p.peakAll, p.samples, strings.Join(parts, ", "))
	out += fmt.Sprintf("; %d different backends seen (connections opened and closed show as more than at once)", len(p.backends))
	switch {
	case p.waitN > 0:
		out += fmt.Sprintf("; goroutines waiting for a pool connection (database/sql.(*DB).conn): mean %.1f, most %d (%d goroutine dumps)",
			float64(p.waitSum)/float64(p.waitN), p.waitPeak, p.waitN)
	case p.waitErr != nil:
		out += fmt.Sprintf("; goroutine dumps: %v", p.waitErr)
	}
	return out
}

// poolWaiters counts, in a goroutine profile (debug=1), the goroutines
// waiting in database/sql for a connection from a full pool.
func poolWaiters(text string) int {
	n := 0
	if strings.HasPrefix(text, "goroutine profile:") {
		_, text, _ = strings.Cut(text, "\n")
	}
	for _, g := range strings.Split(text, "\n\n") {
		lines := strings.Split(g, "\n")
		var count int
		if _, err := fmt.Sscanf(lines[0], "%d @", &count); err != nil {
			continue
		}
		// The runtime's frames are left out: a goroutine parked in
		// (*DB).conn's select has (*DB).conn as its first frame (one
		// opening a connection has the driver's frames above it).
		if len(lines) > 1 && strings.Contains(lines[1], "database/sql.(*DB).conn+") {
			n += count
		}
	}
	return n
}
