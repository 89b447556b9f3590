package config

import "fmt"

// TemporalServices is how many services the embedded Temporal server runs
// in one process (frontend, history, matching, worker). Each opens its own
// pools to the main and to the visibility store, so a per-store limit counts
// four times.
const TemporalServices = 4

// GuardConns is what the embedded server's single-server guard holds: the
// advisory lock's connection and one for its membership check.
const GuardConns = 2

// MinServeConns is the smallest DATABASE_MAX_CONNS `cascade serve` runs
// with: Cascade's pool 4, the guard, and two connections to each of the two
// stores of each Temporal service.
const MinServeConns = 4 + GuardConns + TemporalServices*(2+2)

// Budget is DATABASE_MAX_CONNS split among one process's pools, so that the
// process never holds more connections to PostgreSQL than the setting says.
type Budget struct {
	App                int // Cascade's own pool
	TemporalMain       int // each Temporal service's pool to <db>_temporal
	TemporalVisibility int // each Temporal service's pool to <db>_temporal_visibility
	Guard              int // the embedded server's single-server lock
}

// Total is the most connections the pools of the budget can hold at once.
func (b Budget) Total() int {
	return b.App + TemporalServices*(b.TemporalMain+b.TemporalVisibility) + b.Guard
}

// SplitBudget divides total among the pools of a process. Without the
// embedded server (cascade api, cascade worker, the admin commands) all of
// it is Cascade's. With it: the guard's two, a quarter of the rest (at least
// 4) for Cascade, and the remainder shared by the Temporal services, each
// giving a quarter of its share (at least 2) to visibility.
func SplitBudget(total int, embedded bool) (Budget, error) {
	if !embedded {
		if total < 2 {
			return Budget{}, fmt.Errorf("DATABASE_MAX_CONNS=%d: want at least 2", total)
		}
		return Budget{App: total}, nil
	}
	if total < MinServeConns {
		return Budget{}, fmt.Errorf("DATABASE_MAX_CONNS=%d is too small for cascade serve: its pools need at least %d "+
			"(Cascade 4, the single-server guard %d, and %d Temporal services × 2 stores × 2)",
			total, MinServeConns, GuardConns, TemporalServices)
	}
	rest := total - GuardConns
	app := min(max(4, rest/4), rest-TemporalServices*4)
	per := (rest - app) / TemporalServices
	vis := max(2, per/4)
	return Budget{App: app, TemporalMain: per - vis, TemporalVisibility: vis, Guard: GuardConns}, nil
}
