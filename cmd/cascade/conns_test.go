package main_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"cascade/calendar"
	"cascade/store/storetest"
)

// A `cascade serve` fanning a plan out to 300 units holds no more
// connections to PostgreSQL than DATABASE_MAX_CONNS, all its pools together
// (Cascade's, the embedded Temporal server's four services' main and
// visibility pools, the single-server lock), and names each pool in
// pg_stat_activity. Before the budget, each pool took the setting for
// itself, so one serve could open about six times it.
func TestServe_HoldsNoMoreConnectionsThanItsBudget(t *testing.T) {
	const budget, units = 24, 300
	c := newCrashServe(t, fmt.Sprintf("DATABASE_MAX_CONNS=%d", budget))
	plan, _ := c.planToUnits(t, units, time.Now().In(calendar.Vietnam).AddDate(0, 0, 3))

	u, err := url.Parse(storetest.URL(t))
	require.NoError(t, err)
	name := strings.TrimPrefix(u.Path, "/")
	q := u.Query()
	q.Set("application_name", "budget-probe")
	u.RawQuery = q.Encode()
	probe, err := sql.Open("postgres", u.String())
	require.NoError(t, err)
	defer probe.Close()
	probe.SetMaxOpenConns(1)
	dbs := pq.Array([]string{name, name + "_temporal", name + "_temporal_visibility"})
	// The test's own pool (storetest's, named "cascade" like the serve's) is
	// idle while it samples: its open connections are subtracted.
	own := storetest.Open(t)

	var most int
	pools := map[string]int{}
	sample := func() {
		rows, err := probe.Query(`SELECT coalesce(application_name, ''), count(*) FROM pg_stat_activity
			WHERE datname = ANY($1) AND application_name <> 'budget-probe' GROUP BY 1`, dbs)
		require.NoError(t, err)
		defer rows.Close()
		total := -own.Stats().OpenConnections
		for rows.Next() {
			var app string
			var n int
			require.NoError(t, rows.Scan(&app, &n))
			total += n
			pools[app] = max(pools[app], n)
		}
		require.NoError(t, rows.Err())
		most = max(most, total)
	}
	tasks := func() int {
		var n int
		require.NoError(t, probe.QueryRow(`SELECT count(*) FROM unit_tasks WHERE plan_id = $1`, plan.ID).Scan(&n))
		return n
	}

	require.Equal(t, http.StatusOK, post(t, fmt.Sprintf("%s/api/v1/plans/%d/issue", c.base, plan.ID), nil, nil))
	deadline := time.Now().Add(3 * time.Minute)
	for tasks() < units {
		require.True(t, time.Now().Before(deadline), "the fan-out did not finish: %d of %d tasks", tasks(), units)
		sample()
		time.Sleep(25 * time.Millisecond)
	}
	sample()
	t.Logf("most connections held at once: %d (budget %d); most per pool: %v", most, budget, pools)
	require.LessOrEqual(t, most, budget, "connections per pool at their most: %v", pools)
	for _, pool := range []string{"cascade", "cascade-temporal", "cascade-temporal-visibility", "cascade-guard"} {
		require.Contains(t, pools, pool, "every pool is named in pg_stat_activity")
	}
	// Every unit's reminder delivered, so that the serves of the next tests
	// on this package's databases (which take over its workflows) have
	// nothing of this plan left to send into their own mailpit.
	require.Eventually(t, func() bool { return len(c.mp.Messages(t)) >= units }, 3*time.Minute, 500*time.Millisecond,
		"the plan's reminders were not all delivered")
}
