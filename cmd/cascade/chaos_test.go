//go:build chaos

package main_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"cascade/mail/mailtest"
	"cascade/store"
	"cascade/store/storetest"
)

// The chaos test's organisation: a province, chaosDistricts district unions
// and chaosCommunes commune unions under each; the plan goes to all of them.
const (
	chaosDistricts = 10
	chaosCommunes  = 50
	chaosUnits     = chaosDistricts * (1 + chaosCommunes) // 510
	// The slow SMTP server holds each message's acknowledgement this long
	// (uniformly between the two).
	chaosAckMin = 300 * time.Millisecond
	chaosAckMax = 1000 * time.Millisecond
)

// TestChaos_KillsConnectionDropsAndSlowSMTP issues a plan to 510 units of a
// demo-like organisation through one `cascade serve` (API, worker, embedded
// Temporal) whose SMTP server holds every acknowledgement 0.3–1 s, and
// while it works: kills it with SIGKILL at random moments (a seeded RNG,
// CHAOS_SEED to replay) of the fan-out and its emails, of reports submitted,
// accepted, returned and submitted again, and of a leader's reminder to
// every pending unit, restarting it on the same databases each time; and
// ends every PostgreSQL connection it holds once (pg_terminate_backend).
// Then, once everything has settled: every unit has one task, one report,
// one UnitReport workflow; every decision one review row; no workflow
// failed, timed out or was terminated; every outbox row was sent, and every
// email arrived once per outbox key (Message-ID), except a key whose first
// copy arrived before a fault and whose row was marked sent after it — the
// documented at-least-once window, counted and logged.
func TestChaos_KillsConnectionDropsAndSlowSMTP(t *testing.T) {
	began := time.Now()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("CHAOS_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err, "CHAOS_SEED")
		seed = v
	}
	t.Logf("chaos seed %d (CHAOS_SEED=%d replays the same choices)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))

	bin := buildCascade(t)
	mp := mailtest.Start(t)
	smtpURL, acks := slowSMTP(t, mp.SMTPURL, chaosAckMin, chaosAckMax, seed)
	dbURL := storetest.URL(t)
	const publicURL = "http://cascade-chaos.test"
	env, base, temporalPort := serveEnv(t, dbURL, smtpURL, "PUBLIC_URL="+publicURL)

	// srv is the running serve; every process it was keeps its log.
	var (
		srvMu  sync.Mutex
		srv    *process
		logs   []*bytes.Buffer
		faults []fault
	)
	start := func() {
		p := startProcess(t, bin, env, base)
		srvMu.Lock()
		srv = p
		logs = append(logs, p.log)
		srvMu.Unlock()
	}
	dumpLogs := func() {
		if !t.Failed() {
			return
		}
		srvMu.Lock()
		defer srvMu.Unlock()
		for i, l := range logs {
			t.Logf("serve #%d log (last 60 lines):\n%s", i, tail(l.String(), 60))
		}
	}
	t.Cleanup(dumpLogs)
	kill := func(phase string) {
		t.Helper()
		srvMu.Lock()
		p := srv
		srvMu.Unlock()
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
		_ = p.wait()
		faults = append(faults, fault{at: time.Now(), what: "kill -9", phase: phase})
		t.Logf("kill -9 #%d during %s", len(faults), phase)
		restarted := time.Now()
		start()
		t.Logf("  restarted and ready in %s", time.Since(restarted).Round(time.Millisecond))
	}

	start()
	sdb := storetest.Open(t)
	root := storetest.Root(t, sdb)
	_, tok := storetest.SignedIn(t, sdb, root.ID, "admin")
	api := &chaosAPI{base: base, token: tok}

	// A demo-like organisation: districts with their communes, each with
	// its own address.
	ctx := context.Background()
	s := store.New(sdb)
	prefix := "chaos-" + storetest.Unique()
	var unitIDs []int64
	emails := map[string]int64{}
	for d := 0; d < chaosDistricts; d++ {
		district, err := s.CreateUnit(ctx, store.Unit{ParentID: &root.ID, Kind: "district", Code: fmt.Sprintf("%s-D%02d", prefix, d),
			Name: fmt.Sprintf("Hội LHPN huyện %02d", d), Email: fmt.Sprintf("%s-d%02d@example.org", prefix, d)})
		require.NoError(t, err)
		unitIDs = append(unitIDs, district.ID)
		emails[district.Email] = district.ID
		for c := 0; c < chaosCommunes; c++ {
			u, err := s.CreateUnit(ctx, store.Unit{ParentID: &district.ID, Kind: "commune", Code: fmt.Sprintf("%s-D%02d-C%02d", prefix, d, c),
				Name: fmt.Sprintf("Hội LHPN xã %02d-%02d", d, c), Email: fmt.Sprintf("%s-d%02d-c%02d@example.org", prefix, d, c)})
			require.NoError(t, err)
			unitIDs = append(unitIDs, u.ID)
			emails[u.Email] = u.ID
		}
	}
	require.Len(t, unitIDs, chaosUnits)

	var plan struct {
		ID      int64 `json:"id"`
		Targets []struct {
			ID int64 `json:"id"`
		} `json:"targets"`
	}
	api.must(t, "POST", "/api/v1/plans", map[string]any{
		"title": "Kế hoạch kiểm thử hỗn loạn", "term_start_year": 2026, "term_end_year": 2027, "issuer_unit_id": root.ID,
		"unit_ids": unitIDs,
		"targets":  []map[string]any{{"text": "Hộ phụ nữ thoát nghèo", "value": 2700, "unit": "hộ"}},
		// Due in three days: opening each report mails the unit its
		// 7-days-before reminder at once, so the fan-out sends 510 emails.
		"cycles": []map[string]any{{"kind": "annual", "year": 2026, "due_on": time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}},
	}, &plan, http.StatusCreated)
	require.Len(t, plan.Targets, 1)

	sep := "?"
	if strings.Contains(dbURL, "?") {
		sep = "&"
	}
	db, err := sql.Open("postgres", dbURL+sep+"application_name=cascade-chaos-test")
	require.NoError(t, err)
	defer db.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		for attempt := 0; ; attempt++ {
			err := db.QueryRow(q, args...).Scan(&n)
			if err == nil {
				return n
			}
			require.Less(t, attempt, 20, "%s: %v", q, err)
			time.Sleep(100 * time.Millisecond)
		}
	}
	planArg := plan.ID
	tasks := func() int { return count(`SELECT count(*) FROM unit_tasks WHERE plan_id = $1`, planArg) }
	sentLike := func(pattern string) int {
		return count(`SELECT count(*) FROM notifications WHERE plan_id = $1 AND status = 'sent' AND idempotency_key LIKE $2`, planArg, pattern)
	}
	fanoutKeys := fmt.Sprintf("plan/%d/unit/%%/cycle/%%/reminder/T-7/to/%%", plan.ID)

	// 1. The fan-out and its 510 emails, killed five times at random
	// points of its progress (tasks written plus emails sent, 0–1020).
	const fanoutKills = 5
	thresholds := randomThresholds(rng, fanoutKills, 20, 2*chaosUnits-40)
	t.Logf("fan-out kill points (tasks + emails sent): %v", thresholds)
	issued := time.Now()
	api.must(t, "POST", fmt.Sprintf("/api/v1/plans/%d/issue", plan.ID), nil, nil, http.StatusOK)
	for _, th := range thresholds {
		deadline := time.Now().Add(4 * time.Minute)
		for {
			progress := tasks() + sentLike(fanoutKeys)
			if progress >= th {
				break
			}
			require.True(t, time.Now().Before(deadline), "the fan-out is stuck at %d (waiting for %d)", progress, th)
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		kill(fmt.Sprintf("the fan-out (%d tasks, %d emails sent)", tasks(), sentLike(fanoutKeys)))
	}
	require.Eventually(t, func() bool { return tasks() == chaosUnits && sentLike(fanoutKeys) == chaosUnits }, 8*time.Minute, 200*time.Millisecond,
		"fan-out: %d tasks, %d emails sent", tasks(), sentLike(fanoutKeys))
	t.Logf("fan-out done %s after the issue: %d tasks, %d emails sent", time.Since(issued).Round(time.Second), tasks(), sentLike(fanoutKeys))

	// 2. Reports submitted, accepted, returned and submitted again through
	// the API, four at a time, killed twice during the submissions and
	// twice during the decisions.
	reportOf := map[int64]int64{} // unit → report
	rows, err := db.Query(`SELECT r.unit_id, r.id FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1`, plan.ID)
	require.NoError(t, err)
	for rows.Next() {
		var u, r int64
		require.NoError(t, rows.Scan(&u, &r))
		reportOf[u] = r
	}
	require.NoError(t, rows.Err())
	require.Len(t, reportOf, chaosUnits)
	order := rng.Perm(chaosUnits)
	pick := func(from, to int) []int64 {
		var out []int64
		for _, i := range order[from:to] {
			out = append(out, reportOf[unitIDs[i]])
		}
		return out
	}
	submitted, accepted, returned := pick(0, 90), pick(0, 40), pick(40, 70)
	resubmitted := returned[:15]
	want := map[int64]string{} // report → status at the end
	for _, r := range submitted {
		want[r] = "submitted"
	}
	for _, r := range accepted {
		want[r] = "accepted"
	}
	for _, r := range returned {
		want[r] = "returned"
	}
	for _, r := range resubmitted {
		want[r] = "submitted"
	}
	submit := func(r int64) chaosOp {
		return chaosOp{path: fmt.Sprintf("/api/v1/reports/%d/submit", r), report: r, after: "submitted",
			body: map[string]any{"values": []map[string]any{{"target_id": plan.Targets[0].ID, "value": 1 + r%7}}}}
	}
	var ops1, ops2, ops3 []chaosOp
	for _, r := range submitted {
		ops1 = append(ops1, submit(r))
	}
	for _, r := range accepted {
		ops2 = append(ops2, chaosOp{path: fmt.Sprintf("/api/v1/reports/%d/accept", r), report: r, after: "accepted",
			body: map[string]any{"comment": "Đạt yêu cầu"}})
	}
	returnBy := time.Now().AddDate(0, 0, 10).Format(time.DateOnly)
	for _, r := range returned {
		ops2 = append(ops2, chaosOp{path: fmt.Sprintf("/api/v1/reports/%d/return", r), report: r, after: "returned",
			body: map[string]any{"comment": "Bổ sung số liệu", "due_on": returnBy}})
	}
	for _, r := range resubmitted {
		ops3 = append(ops3, submit(r))
	}
	reportStatus := func(r int64) (string, error) {
		var st string
		err := db.QueryRow(`SELECT status FROM reports WHERE id = $1`, r).Scan(&st)
		return st, err
	}
	apiCalls := 0
	for i, phase := range []struct {
		name  string
		ops   []chaosOp
		kills int
	}{{"submissions", ops1, 2}, {"accepts and returns", ops2, 2}, {"second submissions", ops3, 0}} {
		rng.Shuffle(len(phase.ops), func(a, b int) { phase.ops[a], phase.ops[b] = phase.ops[b], phase.ops[a] })
		var done atomic.Int64
		errs := make(chan error, len(phase.ops))
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			api.run(phase.ops, 4, &done, errs, reportStatus)
		}()
		for _, th := range randomThresholds(rng, phase.kills, 3, len(phase.ops)-5) {
			deadline := time.Now().Add(5 * time.Minute)
			for done.Load() < int64(th) {
				require.True(t, time.Now().Before(deadline), "%s: stuck at %d answered", phase.name, done.Load())
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(time.Duration(rng.IntN(200)) * time.Millisecond)
			kill(fmt.Sprintf("the %s (%d of %d answered)", phase.name, done.Load(), len(phase.ops)))
		}
		select {
		case <-finished:
		case <-time.After(8 * time.Minute):
			t.Fatalf("phase %d (%s): %d of %d requests answered within 8 min", i, phase.name, done.Load(), len(phase.ops))
		}
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("%s: %v", phase.name, err)
			}
		}
		apiCalls += len(phase.ops)
		require.False(t, t.Failed())
	}
	for r, st := range want {
		got, err := reportStatus(r)
		require.NoError(t, err)
		require.Equal(t, st, got, "report %d", r)
	}
	pending := chaosUnits - len(submitted) + len(returned) - len(resubmitted)

	// 3. A leader's reminder to the pending units, killed twice while it
	// sends; PostgreSQL ends every connection of the process once.
	remindKey := fmt.Sprintf("chaos-remind-%d", seed)
	remindKeys := fmt.Sprintf("plan/%d/reminder/%s/%%", plan.ID, remindKey)
	api.mustWithID(t, "POST", fmt.Sprintf("/api/v1/plans/%d/remind", plan.ID), remindKey, nil, nil, http.StatusAccepted)
	remindStarted := time.Now()
	points := randomThresholds(rng, 3, 10, pending-60)
	dropAt := rng.IntN(3) // which of the three points is the connection drop
	t.Logf("reminder fault points (emails sent of %d): %v, the connection drop at the %s", pending, points, []string{"first", "second", "third"}[dropAt])
	for i, th := range points {
		deadline := time.Now().Add(10 * time.Minute)
		for sentLike(remindKeys) < th {
			require.True(t, time.Now().Before(deadline), "the reminder is stuck at %d emails (waiting for %d)", sentLike(remindKeys), th)
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		phase := fmt.Sprintf("the reminder (%d of %d emails sent)", sentLike(remindKeys), pending)
		if i != dropAt {
			kill(phase)
			continue
		}
		ended := dropConnections(t, db)
		faults = append(faults, fault{at: time.Now(), what: "pg_terminate_backend", phase: phase})
		t.Logf("ended the serve's %d PostgreSQL connections during %s", ended, phase)
		// The serve either takes its single-server lock again or stops at
		// once; a stopped one is started again.
		time.Sleep(6 * time.Second)
		srvMu.Lock()
		p := srv
		srvMu.Unlock()
		select {
		case <-p.done:
			t.Logf("  the serve stopped after losing its lock (%v); starting it again", p.err)
			start()
		default:
			resp, err := http.Get(base + "/readyz")
			require.NoError(t, err)
			resp.Body.Close()
			t.Logf("  the serve kept running; /readyz %d", resp.StatusCode)
		}
	}
	require.Eventually(t, func() bool { return sentLike(remindKeys) >= pending }, 10*time.Minute, time.Second,
		"reminder: %d of %d emails sent", sentLike(remindKeys), pending)
	t.Logf("the reminder's %d emails were sent %s after it was asked for", pending, time.Since(remindStarted).Round(time.Second))

	// Quiescence: the outbox empty, the mail server's count steady.
	require.Eventually(t, func() bool {
		return count(`SELECT count(*) FROM notifications WHERE plan_id = $1 AND status <> 'sent'`, planArg) == 0
	}, 5*time.Minute, time.Second, "outbox rows not sent: %d", count(`SELECT count(*) FROM notifications WHERE plan_id = $1 AND status <> 'sent'`, planArg))
	steady, last := 0, -1
	for steady < 5 {
		n := len(mp.Messages(t))
		if n == last {
			steady++
		} else {
			steady, last = 0, n
		}
		time.Sleep(time.Second)
	}

	kills := 0
	for _, f := range faults {
		if f.what == "kill -9" {
			kills++
		}
	}
	require.GreaterOrEqual(t, kills, 10)

	// Rows: one task, one report per unit; one review row per decision;
	// one value per submitted report; the reminder's rows once per unit.
	require.Equal(t, chaosUnits, tasks())
	require.Equal(t, chaosUnits, count(`SELECT count(DISTINCT unit_id) FROM unit_tasks WHERE plan_id = $1`, planArg))
	require.Equal(t, chaosUnits, count(`SELECT count(*) FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1`, planArg))
	require.Equal(t, chaosUnits, count(`SELECT count(DISTINCT r.unit_id) FROM reports r JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1`, planArg))
	for r, st := range want {
		got, err := reportStatus(r)
		require.NoError(t, err)
		require.Equal(t, st, got, "report %d", r)
		require.Equal(t, 1, count(`SELECT count(*) FROM report_values WHERE report_id = $1`, r), "values of report %d", r)
	}
	for _, r := range accepted {
		require.Equal(t, 1, count(`SELECT count(*) FROM report_reviews WHERE report_id = $1`, r), "reviews of accepted report %d", r)
		require.Equal(t, 1, count(`SELECT count(*) FROM report_reviews WHERE report_id = $1 AND action = 'accept'`, r))
	}
	for _, r := range returned {
		require.Equal(t, 1, count(`SELECT count(*) FROM report_reviews WHERE report_id = $1`, r), "reviews of returned report %d", r)
		require.Equal(t, 1, count(`SELECT count(*) FROM report_reviews WHERE report_id = $1 AND action = 'return'`, r))
	}
	require.Equal(t, len(accepted)+len(returned), count(`SELECT count(*) FROM report_reviews v JOIN reports r ON r.id = v.report_id
JOIN report_cycles c ON c.id = r.cycle_id WHERE c.plan_id = $1`, planArg))
	require.Equal(t, chaosUnits, sentLike(fanoutKeys), "the fan-out's emails")
	require.Equal(t, chaosUnits, count(`SELECT count(DISTINCT unit_id) FROM notifications WHERE plan_id = $1 AND idempotency_key LIKE $2`, planArg, fanoutKeys))
	require.Equal(t, pending, sentLike(remindKeys), "the reminder's emails")
	require.Equal(t, pending, count(`SELECT count(DISTINCT unit_id) FROM notifications WHERE plan_id = $1 AND idempotency_key LIKE $2`, planArg, remindKeys))

	// Workflows: one UnitReport workflow per unit, one reminder, none
	// failed, timed out or terminated.
	tc := temporalAt(t, temporalPort)
	type run struct {
		id     string
		status enumspb.WorkflowExecutionStatus
	}
	list := func(query string) []run {
		var out []run
		for _, e := range listWorkflows(t, tc, query) {
			out = append(out, run{e.Execution.WorkflowId, e.Status})
		}
		return out
	}
	for _, bad := range []string{"Failed", "TimedOut", "Terminated"} {
		require.Empty(t, list(fmt.Sprintf("ExecutionStatus = '%s'", bad)), "%s workflows", bad)
	}
	var cycleID int64
	require.NoError(t, db.QueryRow(`SELECT id FROM report_cycles WHERE plan_id = $1`, plan.ID).Scan(&cycleID))
	runs := map[string]int{}
	var remindRuns []run
	for _, r := range list(fmt.Sprintf("PlanID = %d", plan.ID)) {
		if r.status != enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW {
			runs[r.id]++
		}
		if strings.Contains(r.id, "/reminder/") {
			remindRuns = append(remindRuns, r)
		}
	}
	for id, n := range runs {
		require.Equal(t, 1, n, "runs of workflow %s", id)
	}
	for _, u := range unitIDs {
		id := fmt.Sprintf("plan/%d/cycle/%d/unit/%d", plan.ID, cycleID, u)
		require.Equal(t, 1, runs[id], "workflow %s", id)
	}
	require.Len(t, remindRuns, 1, "reminder workflows")
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, remindRuns[0].status)

	// Mail: every outbox row's Message-ID arrived, and nothing else; a
	// Message-ID more than once only inside the at-least-once window.
	type outRow struct {
		key, to  string
		attempts int
		sentAt   time.Time
	}
	byMessageID := map[string]outRow{}
	nrows, err := db.Query(`SELECT idempotency_key, recipient, attempts, sent_at FROM notifications WHERE plan_id = $1`, plan.ID)
	require.NoError(t, err)
	for nrows.Next() {
		var o outRow
		var sentAt sql.NullTime
		require.NoError(t, nrows.Scan(&o.key, &o.to, &o.attempts, &sentAt))
		o.sentAt = sentAt.Time
		byMessageID[chaosMessageID(o.key, publicURL)] = o
	}
	require.NoError(t, nrows.Err())
	received := map[string][]time.Time{}
	for _, m := range mp.Messages(t) {
		received[strings.Trim(m.MessageID, "<>")] = append(received[strings.Trim(m.MessageID, "<>")], m.Created)
	}
	for id, o := range byMessageID {
		require.NotEmpty(t, received[id], "outbox row %s (to %s) never arrived", o.key, o.to)
	}
	duplicates, extra := 0, 0
	for id, at := range received {
		o, ok := byMessageID[id]
		require.True(t, ok, "an email no outbox row of the plan stands for: %s", id)
		if len(at) == 1 {
			continue
		}
		sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
		inWindow := false
		for _, f := range faults {
			// The first copy was in before the fault (mailpit records
			// receipt to the millisecond, another clock: a second's
			// slack), the row marked sent after it.
			if !at[0].After(f.at.Add(time.Second)) && o.sentAt.After(f.at) {
				inWindow = true
			}
		}
		require.True(t, inWindow, "%s arrived %d times (%v) and its row was marked sent at %s, not across a fault: %v",
			id, len(at), at, o.sentAt, faults)
		require.GreaterOrEqual(t, o.attempts, len(at), "%s arrived %d times but was claimed %d times", id, len(at), o.attempts)
		duplicates++
		extra += len(at) - 1
	}
	t.Logf("mail: %d outbox rows, %d emails received, %d Message-IDs arrived more than once (%d extra copies), each across a fault; the proxy held %d acknowledgements",
		len(byMessageID), len(mp.Messages(t)), duplicates, extra, acks.Load())
	t.Logf("chaos: seed %d, %d units, %d kill -9 and one connection drop (%v), %d API decisions, whole test %s",
		seed, chaosUnits, kills, summarise(faults), apiCalls, time.Since(began).Round(time.Second))
}

// fault is a kill or a connection drop, and when.
type fault struct {
	at    time.Time
	what  string
	phase string
}

func (f fault) String() string { return f.at.Format("15:04:05.000") + " " + f.what }

func summarise(fs []fault) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.String())
	}
	return strings.Join(parts, ", ")
}

// randomThresholds returns n sorted values drawn from [lo, hi].
func randomThresholds(rng *rand.Rand, n, lo, hi int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = lo + rng.IntN(hi-lo+1)
	}
	sort.Ints(out)
	return out
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// chaosMessageID is the Message-ID the outbox gives a key (activities'
// messageID): the key with '/' and '@' as '.', at PUBLIC_URL's host.
func chaosMessageID(key, publicURL string) string {
	host := strings.Split(strings.Split(strings.SplitN(publicURL, "://", 2)[1], "/")[0], ":")[0]
	return strings.NewReplacer("/", ".", "@", ".", " ", "", "<", "", ">", "").Replace(key) + "@" + host
}

// dropConnections ends every PostgreSQL connection to the test's database
// and the embedded Temporal server's two, except the test's own, and says
// how many it ended.
func dropConnections(t *testing.T, db *sql.DB) int {
	t.Helper()
	var name string
	require.NoError(t, db.QueryRow(`SELECT current_database()`).Scan(&name))
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = ANY($1) AND pid <> pg_backend_pid() AND application_name <> 'cascade-chaos-test') ended`,
		pq.Array([]string{name, name + "_temporal", name + "_temporal_visibility"})).Scan(&n))
	require.Positive(t, n, "no connection of the serve to end")
	return n
}

// chaosAPI calls the API as the signed-in admin, retrying while the serve
// is down or restarting.
type chaosAPI struct {
	base, token string
}

// do sends one request; err is a transport error (the process was killed).
func (a *chaosAPI) do(method, path, requestID string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	if requestID != "" {
		req.Header.Set("X-Request-ID", requestID)
	}
	httpc := &http.Client{Timeout: 2 * time.Minute}
	resp, err := httpc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// mustWithID sends a request until it gets an answer other than a
// transport error or a 5xx (a restarting serve), for at most three minutes,
// and requires want.
func (a *chaosAPI) mustWithID(t *testing.T, method, path, requestID string, body, out any, want int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		status, raw, err := a.do(method, path, requestID, body)
		if err == nil && status < 500 {
			require.Equal(t, want, status, "%s %s: %s", method, path, raw)
			if out != nil {
				require.NoError(t, json.Unmarshal(raw, out), "%s", raw)
			}
			return
		}
		require.True(t, time.Now().Before(deadline), "%s %s: %d %s %v", method, path, status, raw, err)
		time.Sleep(300 * time.Millisecond)
	}
}

func (a *chaosAPI) must(t *testing.T, method, path string, body, out any, want int) {
	t.Helper()
	a.mustWithID(t, method, path, "", body, out, want)
}

// chaosOp is one decision on a report: after is the report's status once
// it is recorded.
type chaosOp struct {
	path   string
	body   any
	report int64
	after  string
}

// run sends ops with workers at a time, counting each answered in done and
// reporting each that went wrong in errs. An op whose answer a kill cut
// short is sent again; a 409 to that second try is right when the report
// already has the status the first try gave it.
func (a *chaosAPI) run(ops []chaosOp, workers int, done *atomic.Int64, errs chan<- error, status func(int64) (string, error)) {
	queue := make(chan chaosOp)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for op := range queue {
				errs <- a.one(op, status)
				done.Add(1)
			}
		}()
	}
	for _, op := range ops {
		queue <- op
	}
	close(queue)
	wg.Wait()
}

func (a *chaosAPI) one(op chaosOp, status func(int64) (string, error)) error {
	deadline := time.Now().Add(5 * time.Minute)
	interrupted := 0
	for {
		code, raw, err := a.do("POST", op.path, "", op.body)
		switch {
		case err == nil && code == http.StatusOK:
			return nil
		case err == nil && code == http.StatusConflict && interrupted > 0:
			// The interrupted try went through: the workflow took it
			// (and refuses this one) and records it, retrying its
			// activity after the kill if need be; the row follows.
			var st string
			var serr error
			for wait := time.Now().Add(3 * time.Minute); time.Now().Before(wait); time.Sleep(500 * time.Millisecond) {
				if st, serr = status(op.report); serr == nil && st == op.after {
					return nil
				}
			}
			return fmt.Errorf("POST %s: 409 after %d interrupted tries, and the report is still %s 3 min later: %s", op.path, interrupted, st, raw)
		case err == nil && code == http.StatusConflict && strings.Contains(string(raw), `"busy"`):
			// The workflow is taking another update: try again.
		case err == nil && code < 500:
			return fmt.Errorf("POST %s: %d %s", op.path, code, raw)
		default:
			interrupted++
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("POST %s: no answer within 5 min (last %d %s %v)", op.path, code, raw, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// slowSMTP starts a TCP proxy in front of the SMTP server at target (an
// SMTP_URL) that holds the server's reply to each message's end of data —
// its acknowledgement that it took the message — between min and max, and
// returns the SMTP_URL to send through it and a count of the replies held.
func slowSMTP(t *testing.T, target string, min, max time.Duration, seed uint64) (string, *atomic.Int64) {
	t.Helper()
	hostPort := strings.SplitN(strings.SplitN(target, "://", 2)[1], "?", 2)[0]
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	var rmu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, 7))
	delay := func() time.Duration {
		rmu.Lock()
		defer rmu.Unlock()
		return min + time.Duration(rng.Int64N(int64(max-min)+1))
	}
	held := &atomic.Int64{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := net.Dial("tcp", hostPort)
				if err != nil {
					return
				}
				defer s.Close()
				ends := make(chan struct{}, 64) // one per end of data seen
				go func() {
					// client → server, watching for "\r\n.\r\n"
					var last []byte
					buf := make([]byte, 32<<10)
					for {
						n, err := c.Read(buf)
						if n > 0 {
							window := append(last, buf[:n]...)
							for i := 0; i+5 <= len(window); i++ {
								if i+5 > len(last) && bytes.Equal(window[i:i+5], []byte("\r\n.\r\n")) {
									ends <- struct{}{}
								}
							}
							if len(window) > 4 {
								last = append([]byte(nil), window[len(window)-4:]...)
							} else {
								last = window
							}
							if _, err := s.Write(buf[:n]); err != nil {
								return
							}
						}
						if err != nil {
							s.(*net.TCPConn).CloseWrite()
							return
						}
					}
				}()
				// server → client, holding the reply after an end of data
				r := bufio.NewReader(s)
				for {
					line, err := r.ReadString('\n')
					if len(line) > 0 {
						final := len(line) >= 4 && line[3] == ' '
						if final {
							select {
							case <-ends:
								held.Add(1)
								time.Sleep(delay())
							default:
							}
						}
						if _, werr := c.Write([]byte(line)); werr != nil {
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	rest := ""
	if i := strings.Index(target, "?"); i >= 0 {
		rest = target[i:]
	}
	return "smtp://" + l.Addr().String() + rest, held
}
