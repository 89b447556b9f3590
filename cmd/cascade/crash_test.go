package main_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/mail/mailtest"
	"cascade/store"
	"cascade/store/storetest"
)

// crashServe is a `cascade serve` child on the test database, with its
// mailpit, and the root unit's admin signed in for post.
type crashServe struct {
	bin, base    string
	env          []string
	temporalPort int
	p            *process
	mp           *mailtest.Mailpit
	root         store.Unit
	s            *store.Store
}

func newCrashServe(t *testing.T, env ...string) *crashServe {
	t.Helper()
	c := &crashServe{bin: buildCascade(t), mp: mailtest.Start(t)}
	c.env, c.base, c.temporalPort = serveEnv(t, storetest.URL(t), c.mp.SMTPURL, env...)
	c.p = startProcess(t, c.bin, c.env, c.base)
	sdb := storetest.Open(t)
	c.root = storetest.Root(t, sdb)
	_, token = storetest.SignedIn(t, sdb, c.root.ID, "admin")
	c.s = store.New(sdb)
	return c
}

// planToUnits creates n communes under the root and a draft plan with one
// report cycle due on due to all of them; it returns the plan and the
// units' emails.
func (c *crashServe) planToUnits(t *testing.T, n int, due time.Time) (testPlan, []string) {
	t.Helper()
	prefix := "crash-" + storetest.Unique()
	ids := make([]int64, n)
	emails := make([]string, n)
	for i := range ids {
		u, err := c.s.CreateUnit(context.Background(), store.Unit{ParentID: &c.root.ID, Kind: "commune", Code: fmt.Sprintf("%s-%03d", prefix, i),
			Name: fmt.Sprintf("Hội LHPN xã %03d", i), Email: fmt.Sprintf("%s-%03d@example.org", prefix, i)})
		require.NoError(t, err)
		ids[i], emails[i] = u.ID, u.Email
	}
	var plan testPlan
	require.Equal(t, http.StatusCreated, post(t, c.base+"/api/v1/plans", map[string]any{
		"title": "Kế hoạch kiểm thử sự cố", "term_start_year": 2026, "term_end_year": 2027, "issuer_unit_id": c.root.ID,
		"unit_ids": ids,
		"cycles":   []map[string]any{{"kind": "annual", "year": 2026, "due_on": due.Format(time.DateOnly)}},
	}, &plan))
	return plan, emails
}

// TestServe_KilledMidDispatchOfASmallPlan is killMidDispatch with a plan to
// 100 units: make test's guard of a fan-out killed midway (make crash runs
// it at 500 units, and a cancel killed midway).
func TestServe_KilledMidDispatchOfASmallPlan(t *testing.T) {
	killMidDispatch(t, 100)
}

// killMidDispatch issues a plan to crashUnits units whose report is due in
// three days, so that opening each unit's report mails it the
// 7-days-before reminder at once. The process (API, worker and embedded
// Temporal together) is killed with SIGKILL while the reports are being
// dispatched, and a new one is started on the same database: the fan-out
// moves again within 15 seconds. Afterwards every unit has exactly one task
// and exactly one email.
func killMidDispatch(t *testing.T, crashUnits int) {
	t.Helper()
	c := newCrashServe(t)
	bin, env, base, p, mp := c.bin, c.env, c.base, c.p, c.mp
	plan, emails := c.planToUnits(t, crashUnits, time.Now().AddDate(0, 0, 3))

	_, count := openCounter(t, storetest.URL(t))
	tasks := func() int { return count(`SELECT count(*) FROM unit_tasks WHERE plan_id = $1`, plan.ID) }

	require.Equal(t, http.StatusOK, post(t, fmt.Sprintf("%s/api/v1/plans/%d/issue", base, plan.ID), nil, nil))
	// Kill it once some units have their task and others do not yet.
	deadline := time.Now().Add(2 * time.Minute)
	for tasks() < crashUnits/10 {
		require.True(t, time.Now().Before(deadline), "dispatch did not start; log:\n%s", p.log)
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
	_ = p.wait()
	atKill := tasks()
	t.Logf("killed with %d of %d unit tasks written and %d emails received", atKill, crashUnits, len(mp.Messages(t)))
	require.Less(t, atKill, crashUnits, "the dispatch finished before the kill; the test proves nothing")

	restarted := time.Now()
	p = startProcess(t, bin, env, base)
	ready := time.Now()
	// The batch the kill cut short is retried once its heartbeat times out
	// (10 s after the last one, counted while the process was down too),
	// a second later, from where its heartbeat said it was: the fan-out is
	// moving again within 15 s of the restart (it stalled for up to its
	// one-minute heartbeat timeout before).
	require.Eventually(t, func() bool { return tasks() > atKill }, time.Minute, 50*time.Millisecond, "the fan-out did not move again")
	moving := time.Since(ready)
	t.Logf("restarted in %s; the fan-out moved again %s after it was ready", ready.Sub(restarted).Round(time.Millisecond), moving.Round(time.Millisecond))
	require.Less(t, moving, 15*time.Second, "the fan-out must be moving again within 15 s of the restart")
	require.Eventually(t, func() bool { return tasks() == crashUnits }, 3*time.Minute, 200*time.Millisecond,
		"unit tasks after restart: %d", tasks())
	require.Eventually(t, func() bool { return len(mp.Messages(t)) >= crashUnits }, 3*time.Minute, 500*time.Millisecond)
	t.Logf("after the restart every unit had its task and email within %s", time.Since(restarted).Round(time.Millisecond))
	// Anything sent twice would arrive soon after; give it the time to.
	time.Sleep(3 * time.Second)

	received := map[string]int{}
	for _, m := range mp.Messages(t) {
		require.Contains(t, m.Subject, "Nhắc nộp")
		for _, to := range m.To {
			received[strings.ToLower(to.Address)]++
		}
	}
	for _, e := range emails {
		require.Equal(t, 1, received[e], "emails to %s", e)
	}
	require.Len(t, received, crashUnits, "no email to anyone else")
	require.Equal(t, crashUnits, tasks())
	require.Equal(t, crashUnits, count(`SELECT count(DISTINCT unit_id) FROM unit_tasks WHERE plan_id = $1`, plan.ID))
	require.Equal(t, crashUnits, count(`SELECT count(*) FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1`, plan.ID))
	require.Equal(t, crashUnits, count(`SELECT count(*) FROM notifications WHERE plan_id = $1 AND status = 'sent'`, plan.ID))
	require.Equal(t, crashUnits, count(`SELECT count(*) FROM notifications WHERE plan_id = $1`, plan.ID))
}
