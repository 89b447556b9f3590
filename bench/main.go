// Command bench measures Cascade and prints its figures beside baselines
// measured in the same run, on the same machine: `make bench` runs it as
// `go run ./bench`. It is a program, not a timed test: nothing here fails
// because a machine is slow; it prints what it measured.
//
// Every bench gets a fresh PostgreSQL database (cascade_bench_<random>, and
// the embedded Temporal server's _temporal and _temporal_visibility beside
// it, all dropped WITH (FORCE) at the end) and runs `cascade serve` as a
// child process, built once per run from ./cmd/cascade, so that its resident
// memory can be read from /proc.
//
//	go run ./bench                      # every bench
//	go run ./bench -only a,b            # some of them, by name
//	go run ./bench -units 1000 -workflows 1000 -callers 32
//	go run ./bench -list                # the names
//
// A bench is a function registered by name (see registry.go); a new one goes
// in a file of its own in this folder.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	var opts Options
	flag.IntVar(&opts.Units, "units", 10000, "units a plan is issued to in (b); the lifecycle target is measured at 10,000 (issue 18 wants one run at -units 100000)")
	flag.DurationVar(&opts.FanOutTimeout, "fanout-timeout", 0, "how long (b) waits for every unit task (default: 15 minutes, or 30 ms a unit for a larger plan)")
	flag.IntVar(&opts.Workflows, "workflows", 1000, "empty workflows started in (a)")
	flag.IntVar(&opts.Emails, "emails", 10000, "units a leader's reminder goes to in the email bench (m), and bare sends to compare")
	flag.IntVar(&opts.Callers, "callers", 32, "parallel callers starting workflows in (a)")
	flag.IntVar(&opts.Pollers, "pollers", 8, "workflow task pollers of the bench's own worker in (a) (worker/worker.go uses 8)")
	flag.Func("a-conns", "also run (a) on cascade serve with these DATABASE_MAX_CONNS (comma-separated), e.g. 120: about the official server's connections", func(v string) error {
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				return fmt.Errorf("-a-conns %q: want numbers", v)
			}
			opts.AConns = append(opts.AConns, n)
		}
		return nil
	})
	only := flag.String("only", "", "comma-separated benches to run (default: all); see -list")
	list := flag.Bool("list", false, "list the benches and exit")
	makeCorpus := flag.Bool("make-corpus", false, "write the importer corpus's .docx and .pdf from its .txt (LibreOffice) and exit")
	flag.StringVar(&opts.PostgresURL, "pg", defaultPostgresURL(), "PostgreSQL server the bench databases are created on (BENCH_DATABASE_URL)")
	flag.BoolVar(&opts.Official, "official", true, "also run (a) against the official dev server when `temporal` is on PATH")
	flag.BoolVar(&opts.Verbose, "v", false, "copy the child processes' logs to stderr")
	flag.BoolVar(&opts.Explain, "explain", true, "after (b), read the recorded histories and say where the time went")
	flag.StringVar(&opts.Src, "src", "", "build cascade from this copy of the module instead of the working tree (to compare a variant)")
	flag.BoolVar(&opts.Keep, "keep", false, "keep the bench databases (for inspection) instead of dropping them")
	flag.Parse()

	if *makeCorpus {
		if err := makeImporterCorpus(); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *list {
		for _, b := range registry {
			fmt.Printf("%-10s %s\n", b.Name, b.Title)
		}
		return
	}
	selected, err := selectBenches(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if opts.Units < 1 || opts.Workflows < 1 || opts.Callers < 1 || opts.Pollers < 1 {
		fmt.Fprintln(os.Stderr, "bench: -units, -workflows, -callers and -pollers must be at least 1")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	h, err := newHarness(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	began := time.Now()
	failed := 0
	for _, b := range selected {
		if ctx.Err() != nil {
			break
		}
		h.progress("== %s: %s", b.Name, b.Title)
		t := time.Now()
		err := h.run(ctx, b)
		if err != nil {
			failed++
			h.Row(b.Name, "FAILED: %v", err)
		}
		h.progress("== %s done in %s", b.Name, time.Since(t).Round(100*time.Millisecond))
	}
	h.close()

	fmt.Println()
	fmt.Printf("cascade bench — %s, %d cores, %s\n", time.Now().Format("2006-01-02 15:04"), numCPU(), h.goVersion())
	h.printTable(os.Stdout)
	fmt.Printf("total run time %s\n", time.Since(began).Round(100*time.Millisecond))
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "bench: interrupted")
		os.Exit(130)
	}
	if failed > 0 {
		os.Exit(1)
	}
}

// Options are the command's flags; every bench reads them.
type Options struct {
	Units, Workflows, Callers, Pollers int
	Emails                             int
	AConns                             []int
	FanOutTimeout                      time.Duration
	PostgresURL                        string
	Src                                string
	Official, Verbose, Keep, Explain   bool
}

func defaultPostgresURL() string {
	for _, k := range []string{"BENCH_DATABASE_URL", "TEST_DATABASE_URL"} {
		if u := os.Getenv(k); u != "" {
			return u
		}
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

func selectBenches(only string) ([]Bench, error) {
	if strings.TrimSpace(only) == "" {
		return registry, nil
	}
	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			if _, ok := lookup(n); !ok {
				return nil, fmt.Errorf("no bench %q (have: %s)", n, strings.Join(names(), ", "))
			}
			want[n] = true
		}
	}
	var out []Bench
	for _, b := range registry {
		if want[b.Name] {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("-only selects nothing")
	}
	return out, nil
}
