package app

import (
	"context"
	"log/slog"
	"time"

	"cascade/activities"
	"cascade/store"
)

// reconcileLockKey is the advisory lock one process holds while it
// reconciles: with several workers on a cluster, one pass at a time.
const reconcileLockKey = 727276

// reconcile runs the reconciler once at start (a full pass: every plan's
// running workflows listed) and then every interval (0: never again) until
// ctx ends, one process at a time.
func reconcile(ctx context.Context, db *store.DB, r *activities.Reconciler, interval time.Duration, log *slog.Logger) {
	full := true
	for {
		pass(ctx, db, r, full, log)
		full = false
		if interval <= 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

func pass(ctx context.Context, db *store.DB, r *activities.Reconciler, full bool, log *slog.Logger) {
	release, ok, err := db.TryLock(ctx, reconcileLockKey)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("reconcile: lock", "error", err)
		}
		return
	}
	if !ok {
		log.Debug("reconcile: another process is reconciling")
		return
	}
	defer release()
	began := time.Now()
	res, err := r.Run(ctx, full)
	if err != nil && ctx.Err() == nil {
		log.Error("reconcile", "error", err)
	}
	level := slog.LevelDebug
	if res.Missing() > 0 || res.Ended > 0 {
		level = slog.LevelWarn
	}
	log.Log(ctx, level, "reconciled", "full", full, "issued_plans", res.IssuedPlans, "plans_started", res.PlansStarted,
		"reports_started", res.ReportsStarted, "tasks_started", res.TasksStarted, "ended", res.Ended,
		"took_ms", time.Since(began).Milliseconds())
}
