// Package activities holds the side effects of Cascade's workflows: every
// write to PostgreSQL and every email. Each activity is idempotent, keyed by a
// natural idempotency key enforced by a unique constraint, so a retry or a
// crashed worker never writes a second row or sends a second email.
package activities

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"go.temporal.io/sdk/client"

	"cascade/mail"
	"cascade/store"
)

// Sender delivers one email; *mail.Mailer in production.
type Sender interface {
	Send(ctx context.Context, msg mail.Message) error
}

// Activities is the receiver of every activity. Workflows reference its
// methods through a nil pointer; the worker registers a filled one.
type Activities struct {
	DB *store.DB
	// Mailer is nil when SMTP_URL is empty: mail then stays in the outbox.
	Mailer Sender
	// Temporal starts the workflows of a fan-out (StartWorkflows).
	Temporal  client.Client
	PublicURL string
	Now       func() time.Time
	Log       *slog.Logger

	// calls bounds the starts and cancels this worker has in flight with
	// Temporal, over every batch at once (see StartWorkflows).
	callsOnce sync.Once
	calls     chan struct{}
}

// callSlots is the bound on this worker's starts and cancels in flight.
func (a *Activities) callSlots() chan struct{} {
	a.callsOnce.Do(func() { a.calls = make(chan struct{}, callsInFlight) })
	return a.calls
}

func (a *Activities) store() *store.Store { return store.New(a.DB) }

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Activities) log() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}
