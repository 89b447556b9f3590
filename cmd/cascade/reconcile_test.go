package main_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"cascade/mail/mailtest"
	"cascade/store"
	"cascade/store/storetest"
	"cascade/workflows"
)

// ownDatabase is a database of the test's own (dropped with its embedded
// Temporal server's databases when the test ends): this test drops
// Temporal's databases, which the package's other tests share.
func ownDatabase(t *testing.T) (dbURL string, dropSuffixed func(suffixes ...string)) {
	t.Helper()
	name := "cascade_test_reconcile_" + storetest.Unique()
	u, err := url.Parse(storetest.BaseURL())
	require.NoError(t, err)
	admin, err := sql.Open("postgres", u.String())
	require.NoError(t, err)
	drop := func(names ...string) {
		for _, n := range names {
			_, err := admin.Exec(`DROP DATABASE IF EXISTS ` + pq.QuoteIdentifier(n) + ` WITH (FORCE)`)
			require.NoError(t, err)
		}
	}
	t.Cleanup(func() { drop(name, name+"_temporal", name+"_temporal_visibility"); admin.Close() })
	u.Path = "/" + name
	return u.String(), func(suffixes ...string) {
		for i := range suffixes {
			suffixes[i] = name + suffixes[i]
		}
		drop(suffixes...)
	}
}

// TestServe_TemporalsDatabasesLostEverythingRunsAgainAndNothingIsMailedTwice
// issues a plan to five units whose report is due in three days (each gets
// its 7-days-before reminder as its report opens) and assigns an ad-hoc
// task (its assignment is mailed). Then cascade serve stops, Temporal's two
// databases are dropped, and it starts again: the reconciler re-creates the
// plan's workflow, every report's and the task's from PostgreSQL, each at
// its step (the reminders already sent are keyed in the outbox), and no
// email goes out twice. Then a report's and the task's workflows are
// terminated: the next periodic pass starts them again.
func TestServe_TemporalsDatabasesLostEverythingRunsAgainAndNothingIsMailedTwice(t *testing.T) {
	bin := buildCascade(t)
	mp := mailtest.Start(t)
	dbURL, dropOwn := ownDatabase(t)
	env, base, temporalPort := serveEnv(t, dbURL, mp.SMTPURL, "RECONCILE_INTERVAL=2s")
	p := startProcess(t, bin, env, base)
	ctx := context.Background()
	sdb, err := store.Open(ctx, dbURL, 4)
	require.NoError(t, err)
	defer sdb.Close()
	root := storetest.Root(t, sdb)
	_, token = storetest.SignedIn(t, sdb, root.ID, "admin")

	suffix := storetest.Unique()
	var units []testUnit
	for i := range 5 {
		var u testUnit
		require.Equal(t, http.StatusCreated, post(t, base+"/api/v1/units", map[string]any{"parent_id": root.ID, "kind": "district",
			"code": fmt.Sprintf("R%d-%s", i, suffix), "name": fmt.Sprintf("Hội LHPN huyện %d", i),
			"email": fmt.Sprintf("r%d-%s@example.org", i, suffix)}, &u))
		units = append(units, u)
	}
	ids := []int64{}
	for _, u := range units {
		ids = append(ids, u.ID)
	}
	var plan struct {
		ID     int64 `json:"id"`
		Cycles []struct {
			ID int64 `json:"id"`
		} `json:"cycles"`
	}
	require.Equal(t, http.StatusCreated, post(t, base+"/api/v1/plans", map[string]any{
		"title": "Kế hoạch dựng lại từ PostgreSQL", "term_start_year": 2026, "term_end_year": 2027, "issuer_unit_id": root.ID,
		"unit_ids": ids,
		"cycles":   []map[string]any{{"kind": "annual", "year": 2026, "due_on": time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}},
	}, &plan))
	require.Len(t, plan.Cycles, 1)
	require.Equal(t, http.StatusOK, post(t, fmt.Sprintf("%s/api/v1/plans/%d/issue", base, plan.ID), nil, nil))
	var task struct {
		ID int64 `json:"id"`
	}
	require.Equal(t, http.StatusCreated, post(t, base+"/api/v1/tasks", map[string]any{"unit_id": units[0].ID,
		"title": "Báo cáo nhanh số hội viên", "due_on": time.Now().AddDate(0, 0, 20).Format(time.DateOnly)}, &task))

	// Five reminders and the task's assignment.
	began := time.Now()
	require.Eventually(t, func() bool { return len(mp.Messages(t)) >= 6 }, 2*time.Minute, 200*time.Millisecond)
	t.Logf("six emails in %s", time.Since(began).Round(time.Millisecond))
	time.Sleep(2 * time.Second)
	before := len(mp.Messages(t))
	require.Equal(t, 6, before)

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	_ = p.wait()
	dropOwn("_temporal", "_temporal_visibility")
	restarted := time.Now()
	p = startProcess(t, bin, env, base)
	t.Logf("Temporal's databases dropped; ready again in %s", time.Since(restarted).Round(time.Millisecond))

	tc := temporalAt(t, temporalPort)
	status := func(id string) enumspb.WorkflowExecutionStatus {
		d, err := tc.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			return enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED
		}
		return d.GetWorkflowExecutionInfo().GetStatus()
	}
	wanted := []string{workflows.PlanWorkflowID(plan.ID), workflows.AdHocTaskID(task.ID)}
	for _, u := range units {
		wanted = append(wanted, workflows.UnitReportID(plan.ID, plan.Cycles[0].ID, u.ID))
	}
	allRunning := func() bool {
		for _, id := range wanted {
			if status(id) != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
				return false
			}
		}
		return true
	}
	require.Eventually(t, allRunning, time.Minute, 200*time.Millisecond, "every workflow runs again; log:\n%s", p.log)
	t.Logf("every workflow ran again %s after the restart", time.Since(restarted).Round(time.Millisecond))
	time.Sleep(3 * time.Second)
	require.Len(t, mp.Messages(t), before, "nothing mailed twice")

	// Terminated behind Cascade's back: the periodic pass starts them again.
	report := workflows.UnitReportID(plan.ID, plan.Cycles[0].ID, units[2].ID)
	for _, id := range []string{report, workflows.AdHocTaskID(task.ID)} {
		require.NoError(t, tc.TerminateWorkflow(ctx, id, "", "test"))
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED, status(id))
	}
	terminated := time.Now()
	require.Eventually(t, allRunning, 30*time.Second, 200*time.Millisecond, "terminated workflows run again; log:\n%s", p.log)
	t.Logf("terminated workflows ran again within %s", time.Since(terminated).Round(time.Millisecond))
	time.Sleep(3 * time.Second)
	require.Len(t, mp.Messages(t), before, "nothing mailed twice")
	var sent int
	require.NoError(t, sdb.QueryRow(`SELECT count(*) FROM notifications`).Scan(&sent))
	require.Equal(t, before, sent)
	require.True(t, strings.Contains(p.log.String(), "reconcile"), "the reconciler said what it started; log:\n%s", p.log)
}
