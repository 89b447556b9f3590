package store

import (
	"context"
	"fmt"
	"time"
)

// MailCounts is how the outbox stands: emails waiting, failed or held
// (no address), the oldest one waiting and the last one sent.
type MailCounts struct {
	Queued         int        `db:"queued" json:"queued"`
	Failed         int        `db:"failed" json:"failed"`
	Held           int        `db:"held" json:"held"`
	Sent           int        `db:"sent" json:"sent"`
	OldestQueuedAt *time.Time `db:"oldest_queued_at" json:"oldest_queued_at"`
	LastSentAt     *time.Time `db:"last_sent_at" json:"last_sent_at"`
}

// MailStatus counts the outbox's emails by status.
func (s *Store) MailStatus(ctx context.Context) (MailCounts, error) {
	const q = `SELECT
    count(*) FILTER (WHERE status IN ('queued', 'sending')) AS queued,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    count(*) FILTER (WHERE status = 'held') AS held,
    count(*) FILTER (WHERE status = 'sent') AS sent,
    min(created_at) FILTER (WHERE status IN ('queued', 'sending')) AS oldest_queued_at,
    max(sent_at) AS last_sent_at
FROM notifications`
	var m MailCounts
	if err := getContext(ctx, s, &m, q); err != nil {
		return MailCounts{}, fmt.Errorf("mail status: %w", translate(err))
	}
	return m, nil
}
