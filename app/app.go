// Package app wires Cascade's parts into the processes the cascade command
// runs: serve (API, worker and, without TEMPORAL_ADDRESS, an embedded Temporal
// server, in one process), api, and worker.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"cascade/activities"
	"cascade/api"
	"cascade/config"
	"cascade/embedded"
	"cascade/frontend"
	"cascade/mail"
	"cascade/metrics"
	"cascade/store"
	"cascade/temporalui"
	"cascade/worker"
	"cascade/workflows"
)

// Role is which parts a process runs.
type Role int

// The roles of the cascade command.
const (
	RoleServe Role = iota
	RoleAPI
	RoleWorker
)

func (r Role) String() string {
	return [...]string{"serve", "api", "worker"}[r]
}

// Ready is called once the process serves: with the HTTP address it listens
// on (empty for a worker) and the Temporal frontend it uses.
type Ready func(httpAddr, temporalHostPort string)

// Run starts the parts of role and blocks until ctx ends, then stops them in
// order (HTTP first, so no request starts work a stopped worker would miss;
// the embedded server last) within cfg.ShutdownTimeout.
func Run(ctx context.Context, cfg config.Config, role Role, log *slog.Logger, ready Ready) error {
	if role != RoleServe && cfg.TemporalAddress == "" {
		return fmt.Errorf("cascade %s needs TEMPORAL_ADDRESS: only serve embeds a Temporal server", role)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("DATA_DIR=%q: %w", cfg.DataDir, err)
	}
	budget, err := config.SplitBudget(cfg.DatabaseMaxConns, role == RoleServe && cfg.TemporalAddress == "")
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, budget.App)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}

	reg := metrics.New()
	hostPort := cfg.TemporalAddress
	var srv *embedded.Server
	if hostPort == "" {
		start := time.Now()
		serverLevel := "error"
		if cfg.LogLevel == "debug" {
			serverLevel = "info"
		}
		srv, err = embedded.Start(ctx, embedded.Config{DatabaseURL: cfg.DatabaseURL, Namespace: cfg.TemporalNamespace,
			Port: cfg.TemporalPort, LogLevel: serverLevel,
			MaxConns: budget.TemporalMain, VisibilityMaxConns: budget.TemporalVisibility,
			Retention: cfg.Cluster.Retention, HistoryShards: int32(cfg.Cluster.HistoryShards), Metrics: reg.Registry})
		if err != nil {
			return err
		}
		hostPort = srv.HostPort()
		log.Info("embedded temporal server started", "address", hostPort, "took_ms", time.Since(start).Milliseconds())
		defer func() {
			t := time.Now()
			if err := srv.Stop(context.Background()); err != nil {
				log.Error("stop embedded temporal server", "error", err)
			}
			log.Info("embedded temporal server stopped", "took_ms", time.Since(t).Milliseconds())
		}()
		if cfg.Cluster.UIAddr != "" {
			// The UI is an operator's aid: a busy port is worth a warning,
			// not a province without Cascade.
			if ui, err := temporalui.Start(cfg.Cluster.UIAddr, hostPort, cfg.TemporalNamespace); err != nil {
				log.Warn("temporal web ui not served", "error", err)
			} else {
				log.Info("temporal web ui listening", "address", "http://"+ui.Addr())
				defer ui.Stop(context.Background()) //nolint:errcheck // stops before the server
			}
		}
	}

	opts := client.Options{
		HostPort:       hostPort,
		Namespace:      cfg.TemporalNamespace,
		Logger:         sdklog.NewStructuredLogger(log.With("component", "temporal")),
		MetricsHandler: reg.TemporalHandler(),
	}
	if srv == nil {
		if err := secureClient(&opts, cfg.Cluster); err != nil {
			return err
		}
	}
	tc, err := client.Dial(opts)
	if err != nil {
		return fmt.Errorf("connect to temporal at %s: %w", hostPort, err)
	}
	defer tc.Close()
	// Every workflow of a plan carries these; the embedded server gets them
	// registered here, a cluster must have them (README).
	if err := workflows.EnsureSearchAttributes(ctx, tc, cfg.TemporalNamespace); err != nil {
		return err
	}

	var w sdkworker.Worker
	if role == RoleServe || role == RoleWorker {
		mailer, err := mail.New(cfg.SMTPURL, cfg.MailFrom, mail.WithConcurrency(cfg.SMTPConcurrency))
		if err != nil {
			return err
		}
		defer mailer.Close()
		acts := &activities.Activities{DB: db, Temporal: tc, PublicURL: cfg.PublicURL, Log: log}
		if mailer != nil {
			acts.Mailer = mailer
		} else {
			log.Warn("SMTP_URL is empty: email stays in the outbox (GET /api/v1/outbox)")
		}
		w = worker.New(tc, cfg.TaskQueue, acts, cfg.ShutdownTimeout)
		if err := w.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		defer func() {
			t := time.Now()
			w.Stop()
			log.Info("worker stopped", "took_ms", time.Since(t).Milliseconds())
		}()
		// The reconciler stops before the worker (deferred after it).
		rctx, stopReconciler := context.WithCancel(ctx)
		reconciled := make(chan struct{})
		go func() {
			defer close(reconciled)
			reconcile(rctx, db, &activities.Reconciler{Acts: acts, TaskQueue: cfg.TaskQueue, Log: log}, cfg.ReconcileInterval, log)
		}()
		defer func() { stopReconciler(); <-reconciled }()
	}

	if cfg.DebugAddr != "" {
		if err := serveDebug(ctx, cfg.DebugAddr, log); err != nil {
			return err
		}
	}

	var httpSrv *http.Server
	var apiSrv *api.Server
	httpErr := make(chan error, 1)
	addr := ""
	if role == RoleServe || role == RoleAPI {
		s := &api.Server{DB: db, Temporal: tc, TaskQueue: cfg.TaskQueue, Metrics: reg, Log: log, Web: frontend.Dist(), PublicURL: cfg.PublicURL, DataDir: cfg.DataDir,
			TrustedProxies: cfg.TrustedProxies, MetricsElsewhere: cfg.MetricsAddr != "", CallerCacheTTL: 5 * time.Second,
			MailConfigured: cfg.SMTPURL != ""}
		apiSrv = s
		if cfg.MetricsAddr != "" {
			if err := serveMetrics(ctx, cfg.MetricsAddr, s.MetricsHandler(), log); err != nil {
				return err
			}
		}
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("HTTP_ADDR=%q: %w", cfg.HTTPAddr, err)
		}
		addr = ln.Addr().String()
		httpSrv = HTTPServer(cfg, s.Handler())
		go func() { httpErr <- httpSrv.Serve(ln) }()
		log.Info("http listening", "address", addr)
	}
	log.Info("cascade started", "role", role.String(), "temporal", hostPort, "namespace", cfg.TemporalNamespace, "task_queue", cfg.TaskQueue)
	if ready != nil {
		ready(addr, hostPort)
	}

	select {
	case <-ctx.Done():
	case err := <-httpErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("http server: %w", err)
		}
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if httpSrv != nil {
		if err := httpSrv.Shutdown(stopCtx); err != nil {
			log.Error("http shutdown", "error", err)
		}
		// Work a request left running after its answer (a reset email
		// being queued) finishes before the database closes.
		apiSrv.Wait()
	}
	// The deferred calls stop the worker, close the client, stop the
	// embedded server and close the database, in that order.
	return nil
}

// HTTPServer is the main listener's server with its timeouts: a client that
// sends its request or reads its answer slowly cannot hold a connection.
func HTTPServer(cfg config.Config, h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: cfg.HTTPReadTimeout, WriteTimeout: cfg.HTTPWriteTimeout, IdleTimeout: cfg.HTTPIdleTimeout,
		MaxHeaderBytes: 64 << 10}
}

// serveMetrics serves the Prometheus metrics on addr until ctx ends.
func serveMetrics(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("METRICS_ADDR=%q: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute}
	go func() { _ = srv.Serve(ln) }()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	log.Info("metrics listening", "address", ln.Addr().String())
	return nil
}

// serveDebug serves Go's pprof profiles on addr until ctx ends: what holds
// memory or CPU in a running process (make bench reads them).
func serveDebug(ctx context.Context, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("DEBUG_ADDR=%q: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	log.Info("pprof listening", "address", ln.Addr().String())
	return nil
}
