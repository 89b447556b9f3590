package activities_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"cascade/activities"
	"cascade/calendar"
	"cascade/mail"
	"cascade/mail/mailtest"
	"cascade/store"
	"cascade/store/storetest"
)

// manyUnits is a plan issued to n districts, each with its own address and
// its report for the plan's cycle open (pending).
type manyUnits struct {
	planID int64
	emails []string
}

func newManyUnits(t *testing.T, db *store.DB, n int) manyUnits {
	t.Helper()
	ctx := context.Background()
	u := storetest.Unique()
	var m manyUnits
	var cycleID int64
	var unitIDs []int64
	due := store.DateOf(time.Now().In(calendar.Vietnam).AddDate(0, 0, 10))
	err := db.WithTx(ctx, func(s *store.Store) error {
		province, err := s.CreateUnit(ctx, store.Unit{Kind: "province", Code: "P-" + u, Name: "Hội LHPN tỉnh"})
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			email := fmt.Sprintf("xa%d-%s@example.org", i, u)
			d, err := s.CreateUnit(ctx, store.Unit{ParentID: &province.ID, Kind: "district", Code: fmt.Sprintf("D%d-%s", i, u),
				Name: fmt.Sprintf("Hội LHPN xã %d", i), Email: email})
			if err != nil {
				return err
			}
			unitIDs = append(unitIDs, d.ID)
			m.emails = append(m.emails, email)
		}
		if m.planID, err = s.CreatePlan(ctx, store.NewPlan{
			Plan:    store.Plan{Code: "7/KH-" + u, Title: "Kế hoạch", TermStartYear: 2026, TermEndYear: 2030},
			UnitIDs: unitIDs,
			Cycles:  []store.ReportCycle{{Kind: "annual", Year: 2026, DueOn: due}},
		}); err != nil {
			return err
		}
		if err := s.MarkPlanIssued(ctx, m.planID, nil, store.DateOf(time.Now().In(calendar.Vietnam))); err != nil {
			return err
		}
		cs, err := s.ReportCycles(ctx, m.planID)
		cycleID = cs[0].ID
		return err
	})
	require.NoError(t, err)
	a := &activities.Activities{DB: db}
	for _, id := range unitIDs {
		_, err := a.OpenUnitReport(ctx, activities.OpenUnitReportInput{PlanID: m.planID, CycleID: cycleID, UnitID: id,
			DueOn: due.String(), Title: "Báo cáo năm 2026"})
		require.NoError(t, err)
	}
	return m
}

// onceEach checks that mailpit holds exactly one message for each address
// and nothing else, each with its own Message-ID.
func onceEach(t *testing.T, mp *mailtest.Mailpit, emails []string) {
	t.Helper()
	msgs := mp.Messages(t)
	got := map[string]int{}
	ids := map[string]bool{}
	for _, m := range msgs {
		for _, to := range m.To {
			got[strings.ToLower(to.Address)]++
		}
		ids[m.MessageID] = true
	}
	var twice []string
	for _, e := range emails {
		if got[e] != 1 {
			twice = append(twice, fmt.Sprintf("%s×%d", e, got[e]))
		}
	}
	require.Empty(t, twice, "every unit mailed exactly once")
	require.Len(t, msgs, len(emails))
	require.Len(t, ids, len(emails))
}

// flaky is a Sender that passes the first ok messages to the real mailer,
// then fails every other as a server closing the connection would (a 4xx,
// for the retry).
type flaky struct {
	*mail.Mailer
	ok    int64
	calls atomic.Int64
}

func (f *flaky) Send(ctx context.Context, msg mail.Message) error {
	if f.calls.Add(1) > f.ok {
		if msg.Claim != nil {
			if err := msg.Claim(ctx); err != nil {
				return err
			}
		}
		return errors.New("421 4.3.0 service shutting down")
	}
	return f.Mailer.Send(ctx, msg)
}

// counting is a Sender counting what it was given.
type counting struct {
	*mail.Mailer
	calls atomic.Int64
}

func (c *counting) Send(ctx context.Context, msg mail.Message) error {
	c.calls.Add(1)
	return c.Mailer.Send(ctx, msg)
}

// TestRemindPending_SlowServerGetsEveryUnitOnceOverFourConnections: a
// leader's reminder to 400 units through an SMTP server that holds each
// acknowledgement for 50 ms reaches every unit once, over at most
// SMTP_CONCURRENCY (4) connections at once, reused from one message to the
// next (before, one connection per email, one after another).
func TestRemindPending_SlowServerGetsEveryUnitOnceOverFourConnections(t *testing.T) {
	db := storetest.Open(t)
	mp := mailtest.Start(t)
	proxy, err := mailtest.StartProxy(mp.SMTPURL, 50*time.Millisecond)
	require.NoError(t, err)
	t.Cleanup(proxy.Close)
	mailer, err := mail.New(proxy.SMTPURL, "Cascade <cascade@example.org>", mail.WithConcurrency(4))
	require.NoError(t, err)
	t.Cleanup(mailer.Close)
	units := newManyUnits(t, db, 400)
	a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "https://cascade.example.org"}

	var env testsuite.WorkflowTestSuite
	aenv := env.NewTestActivityEnvironment()
	aenv.RegisterActivity(a)
	beats := atomic.Int64{}
	aenv.SetOnActivityHeartbeatListener(func(*activity.Info, converter.EncodedValues) { beats.Add(1) })
	key := storetest.Unique()
	val, err := aenv.ExecuteActivity(a.RemindPending, activities.RemindPendingInput{PlanID: units.planID, Key: key})
	require.NoError(t, err)
	var res activities.RemindResult
	require.NoError(t, val.Get(&res))
	require.Equal(t, 400, res.Notifications)

	onceEach(t, mp, units.emails)
	require.EqualValues(t, 400, proxy.Acks())
	require.LessOrEqual(t, proxy.MaxOpen(), int64(4), "more connections at once than SMTP_CONCURRENCY")
	require.LessOrEqual(t, proxy.Connections(), int64(4), "a connection per email instead of reusing them")
	require.Positive(t, beats.Load(), "the delivery heartbeats its progress")
	require.Equal(t, 400, count(t, db, `SELECT count(*) FROM notifications WHERE batch = $1 AND status = 'sent' AND attempts = 1
AND sending_at IS NOT NULL AND sent_at >= sending_at`, activities.ReminderBatch(units.planID, key)))
}

// TestDeliverBatch_RetriedMidBatchResumesWithoutResending: the server fails
// every message after the first 120 (a crash would stop the same way); the
// attempt ends with an error and its last heartbeat says how far it got.
// The retry, given that heartbeat as Temporal gives it, sends only what was
// not sent, and every unit has its email once.
func TestDeliverBatch_RetriedMidBatchResumesWithoutResending(t *testing.T) {
	db := storetest.Open(t)
	mp := mailtest.Start(t)
	url := mailtest.SlowProxy(t, mp.SMTPURL, 20*time.Millisecond)
	mailer, err := mail.New(url, "Cascade <cascade@example.org>", mail.WithConcurrency(4))
	require.NoError(t, err)
	t.Cleanup(mailer.Close)
	units := newManyUnits(t, db, 300)
	a := &activities.Activities{DB: db, PublicURL: "https://cascade.example.org"}
	key := storetest.Unique()
	queued, err := a.QueueReminders(context.Background(), activities.RemindPendingInput{PlanID: units.planID, Key: key})
	require.NoError(t, err)
	require.Equal(t, 300, queued.Queued)
	again, err := a.QueueReminders(context.Background(), activities.RemindPendingInput{PlanID: units.planID, Key: key})
	require.NoError(t, err)
	require.Equal(t, *queued, *again)
	require.Equal(t, 300, count(t, db, `SELECT count(*) FROM notifications WHERE batch = $1`, queued.Batch), "the rows are written once")

	var suite testsuite.WorkflowTestSuite
	first := suite.NewTestActivityEnvironment()
	broken := &flaky{Mailer: mailer, ok: 120}
	a1 := &activities.Activities{DB: db, Mailer: broken, PublicURL: a.PublicURL}
	first.RegisterActivity(a1)
	// Every heartbeat reaches the listener (as the server would keep the last).
	first.SetWorkerOptions(worker.Options{DefaultHeartbeatThrottleInterval: time.Millisecond, MaxHeartbeatThrottleInterval: time.Millisecond})
	var mu sync.Mutex
	var last converter.EncodedValues
	first.SetOnActivityHeartbeatListener(func(_ *activity.Info, d converter.EncodedValues) {
		mu.Lock()
		last = d
		mu.Unlock()
	})
	_, err = first.ExecuteActivity(a1.DeliverBatch, activities.DeliverBatchInput{Batch: queued.Batch})
	require.ErrorContains(t, err, "421")
	sentFirst := count(t, db, `SELECT count(*) FROM notifications WHERE batch = $1 AND status = 'sent'`, queued.Batch)
	require.Equal(t, 120, sentFirst)
	failedFirst := count(t, db, `SELECT count(*) FROM notifications WHERE batch = $1 AND status = 'failed' AND last_error LIKE '%421%'`, queued.Batch)
	require.Positive(t, failedFirst, "the outbox shows why")
	require.NotNil(t, last, "no heartbeat")
	var progress struct{ After int64 }
	require.NoError(t, last.Get(&progress))
	require.Positive(t, progress.After)
	t.Logf("the first attempt's last heartbeat: after row %d", progress.After)
	require.Zero(t, count(t, db, `SELECT count(*) FROM notifications WHERE batch = $1 AND id <= $2 AND status <> 'sent'`,
		queued.Batch, progress.After), "the heartbeat is past a row not sent")

	second := suite.NewTestActivityEnvironment()
	healthy := &counting{Mailer: mailer}
	a2 := &activities.Activities{DB: db, Mailer: healthy, PublicURL: a.PublicURL}
	second.RegisterActivity(a2)
	second.SetHeartbeatDetails(progress)
	_, err = second.ExecuteActivity(a2.DeliverBatch, activities.DeliverBatchInput{Batch: queued.Batch})
	require.NoError(t, err)
	require.EqualValues(t, 300-120, healthy.calls.Load(), "the retry sent only what was not sent")

	onceEach(t, mp, units.emails)
	require.Equal(t, 300, count(t, db, `SELECT count(*) FROM notifications WHERE batch = $1 AND status = 'sent'`, queued.Batch))
	require.Equal(t, failedFirst, count(t, db, `SELECT count(*) FROM notifications WHERE batch = $1 AND attempts = 2`, queued.Batch),
		"only the rows the failing attempt took were taken twice")
	require.Zero(t, count(t, db, `SELECT count(*) FROM notifications WHERE batch = $1 AND attempts > 2`, queued.Batch))
}

// TestRemindPending_TwoAttemptsAtOnceMailEachUnitOnce: an attempt the
// server gave up on (its worker stalled past its timeout) may still be
// sending when its retry starts. A row the first took moments ago is left
// to it; before, the retry took every row 'sending' at once and sent it again.
func TestRemindPending_TwoAttemptsAtOnceMailEachUnitOnce(t *testing.T) {
	db := storetest.Open(t)
	mp := mailtest.Start(t)
	url := mailtest.SlowProxy(t, mp.SMTPURL, 100*time.Millisecond)
	units := newManyUnits(t, db, 60)
	key := storetest.Unique()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		mailer, err := mail.New(url, "Cascade <cascade@example.org>")
		require.NoError(t, err)
		t.Cleanup(mailer.Close)
		a := &activities.Activities{DB: db, Mailer: mailer, PublicURL: "https://cascade.example.org"}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = a.RemindPending(context.Background(), activities.RemindPendingInput{PlanID: units.planID, Key: key})
		}()
	}
	wg.Wait()
	require.NoError(t, errors.Join(errs...))
	onceEach(t, mp, units.emails)
}
