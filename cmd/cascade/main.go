// Command cascade runs Cascade: the API, the Temporal worker and, by default,
// an embedded Temporal server, in one process or one role per process.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"cascade/app"
	"cascade/config"
	"cascade/demo"
	"cascade/importer"
	"cascade/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cascade:", err)
		os.Exit(1)
	}
}

const usage = `Cascade — plans, reports and escalations for provincial mass organisations.

Usage: cascade <command> [flags]

Commands:
  serve     API, worker and (without TEMPORAL_ADDRESS) an embedded Temporal server, in one process
  api       the HTTP API alone, against TEMPORAL_ADDRESS
  worker    the Temporal worker alone, against TEMPORAL_ADDRESS
  migrate   apply database migrations and exit
  seed      load the demo data (Khánh Hòa provincial Women's Union)
  import    FILE --json: read a plan document (.docx .doc .odt .rtf .pdf .png .jpg .txt .md) and print the draft plan; saves nothing
  version   print the build

Run 'cascade <command> --help' for the environment variables a command reads.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet("cascade "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: cascade %s\n\nEnvironment:\n%s", cmd, config.Help())
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, buildVersion())
		return nil
	case "import":
		return importPlan(rest, stdout, stderr)
	case "serve", "api", "worker", "migrate", "seed":
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	slog.SetDefault(log)

	switch cmd {
	case "serve":
		return app.Run(ctx, cfg, app.RoleServe, log, nil)
	case "api":
		return app.Run(ctx, cfg, app.RoleAPI, log, nil)
	case "worker":
		return app.Run(ctx, cfg, app.RoleWorker, log, nil)
	case "migrate":
		db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DatabaseMaxConns)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		log.Info("migrations applied")
		return nil
	case "seed":
		db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DatabaseMaxConns)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		sum, err := demo.Seed(ctx, db, "demo.cascade.local", time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Demo data: %d units added, plan 321/KH-BTV is plan %d (draft).\nDemo accounts (for a demonstration only):\n", sum.Units, sum.PlanID)
		for _, u := range sum.Users {
			fmt.Fprintf(stdout, "  %-8s %-6s %-38s %s\n", u.Role, u.Unit, u.Email, u.Password)
		}
		return nil
	}
	return nil
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// buildVersion is the -ldflags version, the VCS revision the binary was
// built from, and the Go version.
func buildVersion() string {
	v := "cascade " + version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		v += " " + bi.GoVersion
	}
	return v
}

// importPlan reads a plan document and prints the draft the importer made
// of it, as JSON; nothing is saved.
func importPlan(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cascade import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the draft as JSON (the only output for now)")
	fs.Usage = func() {
		fmt.Fprintln(stdout, "Usage: cascade import FILE --json\n\nReads a plan document (.docx, .doc, .odt, .rtf, .pdf, .png, .jpg, .txt or .md) and prints the draft plan; nothing is saved.")
	}
	// Accept the flag before or after the file name.
	var files []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 || !*asJSON {
		fs.Usage()
		return errors.New("want exactly one FILE and --json")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return err
	}
	// One process, no Temporal: conversion and OCR run here, bounded by
	// importer.ReadTimeout; progress goes to stderr.
	draft, err := importer.ReadDocument(context.Background(), filepath.Base(files[0]), data, func(done, total int) {
		fmt.Fprintf(stderr, "read %d/%d pages\n", done, total)
	})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(draft)
}
