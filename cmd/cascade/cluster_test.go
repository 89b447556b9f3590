//go:build cluster

package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"cascade/mail/mailtest"
	"cascade/store"
	"cascade/store/storetest"
)

const clusterUnits = 500

// clusterCtl runs scripts/cluster.sh with the test's settings.
type clusterCtl struct {
	t   *testing.T
	env []string
}

func (c clusterCtl) run(args ...string) {
	c.t.Helper()
	cmd := exec.Command("../../scripts/cluster.sh", args...)
	cmd.Env = append(os.Environ(), c.env...)
	out, err := cmd.CombinedOutput()
	require.NoError(c.t, err, "cluster.sh %v:\n%s", args, out)
	c.t.Logf("cluster.sh %s: %s", strings.Join(args, " "), strings.TrimSpace(lastLine(string(out))))
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// apiCalls sends requests to the two `cascade api` processes in turn and
// keeps every answer's status, so that the test can say none was a 5xx
// once the cluster was whole again.
type apiCalls struct {
	t     *testing.T
	bases []string
	token string
	mu    sync.Mutex
	n     int
	log   []string // "<when> <status> <method> <path>"
	since time.Time
}

func (a *apiCalls) call(method, path string, body, out any, want int) {
	a.t.Helper()
	a.mu.Lock()
	base := a.bases[a.n%len(a.bases)]
	a.n++
	a.mu.Unlock()
	var raw []byte
	status := 0
	// Retries are allowed (a process may be restarting); the status of
	// each attempt is kept.
	for attempt := 0; attempt < 20; attempt++ {
		b, _ := json.Marshal(body)
		req, err := http.NewRequest(method, base+path, bytes.NewReader(b))
		require.NoError(a.t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+a.token)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			raw, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			status = resp.StatusCode
			a.mu.Lock()
			a.log = append(a.log, fmt.Sprintf("%s %d %s %s", time.Now().Format(time.RFC3339Nano), status, method, path))
			if status >= 500 && !a.since.IsZero() {
				a.t.Errorf("%s %s%s answered %d after the cluster was whole again: %s", method, base, path, status, raw)
			}
			a.mu.Unlock()
			if status < 500 {
				break
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	require.Equal(a.t, want, status, "%s %s%s: %s", method, base, path, raw)
	if out != nil {
		require.NoError(a.t, json.Unmarshal(raw, out), "%s", raw)
	}
}

// TestCluster_APIAndWorkersSurviveLosingANode runs Cascade on a real
// two-node Temporal cluster (scripts/cluster.sh: two server processes, a
// balancer, two `cascade api`, two `cascade worker`). A plan is issued to 500
// units through the API; while it fans out, one Cascade worker and one
// Temporal server process are killed with SIGKILL and started again. Reports
// are submitted through both API processes, a reminder is sent, the plan is
// cancelled. Every unit has one workflow, one task, one report; every email
// arrived once per outbox key; no workflow failed; no 5xx once the node was
// back.
func TestCluster_APIAndWorkersSurviveLosingANode(t *testing.T) {
	began := time.Now()
	mp := mailtest.Start(t)
	name := "cascade_cluster_test_" + storetest.Unique()
	base := freeBlock(t, 32)
	u, err := url.Parse(storetest.BaseURL())
	require.NoError(t, err)
	pgurl := u.Scheme + "://" + u.Host
	if u.User != nil {
		pgurl = u.Scheme + "://" + u.User.String() + "@" + u.Host
	}
	ctl := clusterCtl{t: t, env: []string{
		"CLUSTER_DIR=" + t.TempDir(), "CLUSTER_DB=" + name, fmt.Sprintf("CLUSTER_PORT=%d", base),
		"PGURL=" + pgurl, "SMTP_URL=" + mp.SMTPURL, "CASCADE_LOG_LEVEL=warn",
	}}
	t.Cleanup(func() { ctl.run("down") })
	ctl.run("up")
	t.Logf("cluster up in %s", time.Since(began).Round(time.Second))

	ctx := context.Background()
	dbURL := fmt.Sprintf("%s/%s?sslmode=disable", pgurl, name)
	sdb, err := store.Open(ctx, dbURL, 4)
	require.NoError(t, err)
	defer sdb.Close()
	root := storetest.Root(t, sdb)
	_, tok := storetest.SignedIn(t, sdb, root.ID, "admin")
	api := &apiCalls{t: t, token: tok, bases: []string{
		fmt.Sprintf("http://127.0.0.1:%d", base+30), fmt.Sprintf("http://127.0.0.1:%d", base+31)}}

	s := store.New(sdb)
	ids := make([]int64, clusterUnits)
	emails := map[string]bool{}
	for i := range ids {
		un, err := s.CreateUnit(ctx, store.Unit{ParentID: &root.ID, Kind: "commune", Code: fmt.Sprintf("CL-%03d", i),
			Name: fmt.Sprintf("Hội LHPN xã %03d", i), Email: fmt.Sprintf("cl-%03d@example.org", i)})
		require.NoError(t, err)
		ids[i] = un.ID
		emails[un.Email] = true
	}
	var plan struct {
		ID      int64 `json:"id"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
	}
	api.call("POST", "/api/v1/plans", map[string]any{
		"title": "Kế hoạch kiểm thử cụm", "term_start_year": 2026, "term_end_year": 2027, "issuer_unit_id": root.ID,
		"unit_ids": ids,
		"targets":  []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		"cycles":   []map[string]any{{"kind": "annual", "year": 2026, "due_on": time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}},
	}, &plan, http.StatusCreated)

	db, count := openCounter(t, dbURL)
	tasks := func() int { return count(`SELECT count(*) FROM unit_tasks WHERE plan_id = $1`, plan.ID) }

	issued := time.Now()
	api.call("POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil, http.StatusOK)
	deadline := time.Now().Add(3 * time.Minute)
	for tasks() < clusterUnits/10 {
		require.True(t, time.Now().Before(deadline), "the fan-out did not start")
		time.Sleep(50 * time.Millisecond)
	}
	ctl.run("kill", "worker0")
	ctl.run("kill", "temporal1")
	atKill := tasks()
	t.Logf("killed worker0 and temporal1 with %d of %d unit tasks written", atKill, clusterUnits)
	time.Sleep(2 * time.Second)
	ctl.run("start", "temporal1")
	ctl.run("start", "worker0")
	api.since = time.Now()

	require.Eventually(t, func() bool { return tasks() == clusterUnits }, 10*time.Minute, 500*time.Millisecond,
		"unit tasks: %d", tasks())
	fanout := time.Since(issued)
	t.Logf("every unit had its task %s after the issue", fanout.Round(time.Second))
	require.Eventually(t, func() bool { return len(mp.Messages(t)) >= clusterUnits }, 5*time.Minute, time.Second)

	// Ten units report, through both API processes in turn.
	rows, err := db.Query(`SELECT r.id FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1 ORDER BY r.id LIMIT 10`, plan.ID)
	require.NoError(t, err)
	var reportIDs []int64
	for rows.Next() {
		var id int64
		require.NoError(t, rows.Scan(&id))
		reportIDs = append(reportIDs, id)
	}
	require.NoError(t, rows.Err())
	require.Len(t, reportIDs, 10)
	for _, id := range reportIDs {
		api.call("POST", fmt.Sprintf("/api/v1/reports/%d/submit", id), map[string]any{
			"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 1}}}, nil, http.StatusOK)
	}
	require.Equal(t, 10, count(`SELECT count(*) FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1 AND r.status = 'submitted'`, plan.ID))

	// A leader's reminder to the 490 that have not.
	api.call("POST", fmt.Sprintf("/api/v1/plans/%d/remind", plan.ID), nil, nil, http.StatusAccepted)
	sent := func() int {
		return count(`SELECT count(*) FROM notifications WHERE plan_id = $1 AND status = 'sent'`, plan.ID)
	}
	require.Eventually(t, func() bool { return sent() >= 2*clusterUnits-10 }, 5*time.Minute, time.Second, "sent: %d", sent())

	api.call("POST", fmt.Sprintf("/api/v1/plans/%d/cancel", plan.ID), map[string]any{"reason": "kiểm thử"}, nil, http.StatusOK)

	// Temporal: one workflow per unit, none failed, all ended.
	tc := temporalAt(t, base)
	list := func(query string) []string {
		var ids []string
		for _, e := range listWorkflows(t, tc, query) {
			ids = append(ids, e.Execution.WorkflowId)
		}
		return ids
	}
	planQ := fmt.Sprintf("PlanID = %d", plan.ID)
	require.Eventually(t, func() bool {
		return len(list(planQ+" AND ExecutionStatus = 'Running'")) == 0
	}, 3*time.Minute, time.Second, "workflows of the cancelled plan still running")
	require.Empty(t, list(planQ+" AND ExecutionStatus = 'Failed'"), "failed workflows")
	require.Empty(t, list("ExecutionStatus = 'Failed'"), "failed workflows in the namespace")
	perUnit := map[string]int{}
	for _, id := range list(planQ + " AND UnitID IS NOT NULL") {
		perUnit[id]++
	}
	units := 0
	for id, n := range perUnit {
		if strings.Contains(id, "/unit/") && !strings.Contains(id, "remind") {
			units++
			require.Equal(t, 1, n, "runs of %s", id)
		}
	}
	require.Equal(t, clusterUnits, units, "unit workflows")

	// PostgreSQL: every unit once.
	require.Equal(t, clusterUnits, tasks())
	require.Equal(t, clusterUnits, count(`SELECT count(DISTINCT unit_id) FROM unit_tasks WHERE plan_id = $1`, plan.ID))
	require.Equal(t, clusterUnits, count(`SELECT count(*) FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1`, plan.ID))

	// Mail: once per outbox row.
	time.Sleep(3 * time.Second) // a duplicate would arrive by now
	want := map[string]int{}
	nrows, err := db.Query(`SELECT lower(recipient), count(*) FROM notifications WHERE plan_id = $1 AND status = 'sent' GROUP BY 1`, plan.ID)
	require.NoError(t, err)
	for nrows.Next() {
		var to string
		var n int
		require.NoError(t, nrows.Scan(&to, &n))
		want[to] = n
	}
	require.NoError(t, nrows.Err())
	got := map[string]int{}
	for _, m := range mp.Messages(t) {
		for _, to := range m.To {
			got[strings.ToLower(to.Address)]++
		}
	}
	for e := range emails {
		require.Equal(t, want[e], got[e], "emails to %s", e)
		require.GreaterOrEqual(t, got[e], 1, "emails to %s", e)
	}
	require.Equal(t, want, got, "every email once per outbox row")
	_ = enumspb.WORKFLOW_EXECUTION_STATUS_FAILED
	t.Logf("cluster test: %d units, fan-out %s (with a worker and a server node killed), %d API calls, %d emails; whole test %s",
		clusterUnits, fanout.Round(time.Second), len(api.log), len(mp.Messages(t)), time.Since(began).Round(time.Second))
}
