package activities

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"

	"cascade/mail"
	"cascade/store"
)

// sendOutcome is what became of one outbox row handed to send.
type sendOutcome int

const (
	// outSent: the server accepted it and its row says so.
	outSent sendOutcome = iota
	// outDone: sent (or held) before; nothing was sent now.
	outDone
	// outRefused: the server refused it for good; the row is 'failed' with
	// the server's answer and is not retried.
	outRefused
	// outInFlight: another attempt took it moments ago and may be sending
	// it; it is looked at again once that attempt is over or stale.
	outInFlight
	// outRetry: not sent, for a reason time may cure (the server down, a
	// 4xx answer, the activity cancelled); the row is 'failed' with why
	// when the attempt had taken it.
	outRetry
)

// send delivers one outbox row. Once one of the server's connections is
// free the row is taken ('sending', sending_at, attempts + 1), and marked
// 'sent' the moment the server acknowledges the message, before anything
// else: a crash leaves a duplicate only between the server's acceptance and
// that UPDATE, and the resend carries the same Message-ID.
func (a *Activities) send(ctx context.Context, n store.Notification) (sendOutcome, error) {
	s := a.store()
	claimed := false
	err := a.Mailer.Send(ctx, mail.Message{
		ID: messageID(n.IdempotencyKey, a.PublicURL), To: n.Recipient, Subject: n.Subject, Text: n.BodyText, HTML: n.BodyHTML,
		Claim: func(ctx context.Context) error {
			if _, err := s.ClaimNotification(ctx, n.ID); err != nil {
				return err
			}
			claimed = true
			return nil
		},
	})
	// What follows the server's answer is recorded even when the activity
	// is being cancelled: the message is out either way.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	switch {
	case err == nil:
		var merr error
		for try := 0; try < 3; try++ {
			if merr = s.MarkNotificationSent(rec, n.ID, a.now()); merr == nil {
				return outSent, nil
			}
			time.Sleep(time.Duration(try+1) * 200 * time.Millisecond)
		}
		// The row stays 'sending': taken again once stale and resent with
		// the same Message-ID (the documented window).
		return outRetry, fmt.Errorf("notification %d sent, not recorded: %w", n.ID, merr)
	case errors.Is(err, store.ErrNotificationDone):
		return outDone, nil
	case errors.Is(err, store.ErrNotificationInFlight):
		return outInFlight, err
	case !claimed:
		return outRetry, fmt.Errorf("deliver notification %d: %w", n.ID, err)
	}
	if merr := s.MarkNotificationFailed(rec, n.ID, err.Error()); merr != nil {
		a.log().Error("mark notification failed", "id", n.ID, "error", merr)
	}
	if mail.IsPermanent(err) {
		a.log().Warn("email refused by the SMTP server", "id", n.ID, "to", n.Recipient, "error", err)
		return outRefused, err
	}
	return outRetry, fmt.Errorf("deliver notification %d: %w", n.ID, err)
}

// heartbeatEvery records a heartbeat every interval (details from details,
// when set) until the returned stop is called; outside an activity it does
// nothing. The first comes after one interval, so a quick send costs none.
func heartbeatEvery(ctx context.Context, interval time.Duration, details func() any) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if details != nil {
					activity.RecordHeartbeat(ctx, details())
				} else {
					activity.RecordHeartbeat(ctx)
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// DeliverBatchInput names the outbox rows to deliver (QueuedBatch.Batch).
type DeliverBatchInput struct {
	Batch string
}

// DeliverBatchResult counts what this delivery did, over its attempts.
type DeliverBatchResult struct {
	Sent    int
	Refused int
}

// deliverProgress is DeliverBatch's heartbeat: where a retried attempt
// resumes.
type deliverProgress struct {
	// After: every row of the batch up to this id is sent or refused.
	After   int64
	Sent    int
	Refused int
}

// deliverPage is how many rows DeliverBatch reads at a time.
const deliverPage = 200

// DeliverBatch sends the rows of a batch not yet sent, in id order, over
// as many connections as the Mailer has (SMTP_CONCURRENCY). Each row is
// marked sent the moment the server takes it; the activity heartbeats the
// id up to which every row is done, and a retried attempt (a crashed
// worker, a server that was down) resumes after it, with only the rows
// still unsent. A row the server refuses for good is left 'failed' with its
// answer; a run of failures a retry may cure (the server down) stops the
// attempt with an error, for the retry policy's backoff.
func (a *Activities) DeliverBatch(ctx context.Context, in DeliverBatchInput) (*DeliverBatchResult, error) {
	if a.Mailer == nil {
		return &DeliverBatchResult{}, nil // mail stays in the outbox
	}
	var p deliverProgress
	if activity.IsActivity(ctx) && activity.HasHeartbeatDetails(ctx) {
		if err := activity.GetHeartbeatDetails(ctx, &p); err != nil {
			p = deliverProgress{}
		}
	}
	for {
		inFlight, err := a.deliverPass(ctx, in.Batch, &p)
		if err != nil {
			return nil, err
		}
		if inFlight == 0 {
			return &DeliverBatchResult{Sent: p.Sent, Refused: p.Refused}, nil
		}
		// Rows another attempt took moments ago: once it is over they are
		// sent, or stale and ours to send.
		wait := heartbeatEvery(ctx, 5*time.Second, func() any { return p })
		select {
		case <-ctx.Done():
			wait()
			return nil, ctx.Err()
		case <-time.After(5 * time.Second):
		}
		wait()
	}
}

// deliverPass sends what is unsent after p.After, advancing p as rows are
// done; it answers how many rows were left to another attempt.
func (a *Activities) deliverPass(ctx context.Context, batch string, p *deliverProgress) (int, error) {
	// Twice as many senders as connections: while one records what the
	// server said, another already holds its connection.
	workers := 2 * mail.DefaultConcurrency
	if c, ok := a.Mailer.(interface{ Concurrency() int }); ok && c.Concurrency() > 0 {
		workers = 2 * c.Concurrency()
	}
	feedCtx, stopFeed := context.WithCancel(ctx)
	defer stopFeed()
	var stopCh <-chan struct{}
	if activity.IsActivity(ctx) {
		stopCh = activity.GetWorkerStopChannel(ctx)
	}

	var (
		mu         sync.Mutex
		order      []int64 // ids handed out, in id order, not yet under the watermark
		finished   = map[int64]bool{}
		inFlight   int
		retryErr   error
		retries    int
		inARow     int
		stopReason error
	)
	progress := func() any {
		mu.Lock()
		defer mu.Unlock()
		return *p
	}
	beat := func() {
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, progress())
		}
	}
	stopBeats := heartbeatEvery(ctx, 5*time.Second, progress)
	defer stopBeats()

	jobs := make(chan store.Notification)
	var feedErr error
	go func() {
		defer close(jobs)
		after := p.After
		for {
			rows, err := a.store().UnsentNotifications(feedCtx, batch, after, deliverPage)
			if err != nil {
				if feedCtx.Err() == nil {
					feedErr = err
				}
				return
			}
			if len(rows) == 0 {
				return
			}
			for _, n := range rows {
				mu.Lock()
				order = append(order, n.ID)
				mu.Unlock()
				select {
				case jobs <- n:
				case <-feedCtx.Done():
					return
				case <-stopCh:
					mu.Lock()
					stopReason = errors.New("worker stopping: the delivery resumes on the next attempt")
					mu.Unlock()
					return
				}
			}
			after = rows[len(rows)-1].ID
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range jobs {
				out, err := a.send(ctx, n)
				mu.Lock()
				switch out {
				case outSent:
					p.Sent++
					finished[n.ID] = true
					inARow = 0
				case outDone:
					finished[n.ID] = true
					inARow = 0
				case outRefused:
					p.Refused++
					finished[n.ID] = true
					inARow = 0
				case outInFlight:
					inFlight++
				default:
					retries++
					inARow++
					if retryErr == nil {
						retryErr = err
					}
					// The server looks down (or the activity is over): stop
					// handing out rows and let the retry policy wait.
					if inARow >= 2*workers || ctx.Err() != nil {
						stopFeed()
					}
				}
				for len(order) > 0 && finished[order[0]] {
					p.After = order[0]
					delete(finished, order[0])
					order = order[1:]
				}
				mu.Unlock()
				beat()
			}
		}()
	}
	wg.Wait()
	beat()
	switch {
	case feedErr != nil:
		return 0, feedErr
	case retryErr != nil:
		return 0, fmt.Errorf("%d emails of %s not sent yet (%d sent): %w", retries, batch, p.Sent, retryErr)
	case stopReason != nil:
		return 0, stopReason
	case ctx.Err() != nil:
		return 0, ctx.Err()
	}
	return inFlight, nil
}
