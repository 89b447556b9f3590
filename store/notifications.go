package store

import (
	"context"
	"fmt"
	"time"
)

// Notification is an email in the outbox.
type Notification struct {
	ID             int64      `db:"id" json:"id"`
	IdempotencyKey string     `db:"idempotency_key" json:"idempotency_key"`
	PlanID         *int64     `db:"plan_id" json:"plan_id"`
	UnitID         *int64     `db:"unit_id" json:"unit_id"`
	Recipient      string     `db:"recipient" json:"recipient"`
	Template       string     `db:"template" json:"template"`
	Subject        string     `db:"subject" json:"subject"`
	BodyText       string     `db:"body_text" json:"body_text"`
	BodyHTML       string     `db:"body_html" json:"-"`
	Status         string     `db:"status" json:"status"`
	Attempts       int        `db:"attempts" json:"attempts"`
	LastError      string     `db:"last_error" json:"last_error"`
	CreatedAt      time.Time  `db:"created_at" json:"created_at"`
	SentAt         *time.Time `db:"sent_at" json:"sent_at"`
}

const notificationColumns = `id, idempotency_key, plan_id, unit_id, recipient, template, subject, body_text, body_html,
status, attempts, last_error, created_at, sent_at`

// EnqueueNotification writes n to the outbox unless its idempotency key is
// there already, and returns the stored row either way.
func (s *Store) EnqueueNotification(ctx context.Context, n Notification) (Notification, error) {
	const q = `
WITH ins AS (
    INSERT INTO notifications (idempotency_key, plan_id, unit_id, recipient, template, subject, body_text, body_html)
    VALUES (:idempotency_key, :plan_id, :unit_id, :recipient, :template, :subject, :body_text, :body_html)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING ` + notificationColumns + `
)
SELECT * FROM ins
UNION ALL
SELECT ` + notificationColumns + ` FROM notifications WHERE idempotency_key = :idempotency_key
LIMIT 1`
	rows, err := namedQuery(ctx, s, q, n)
	if err != nil {
		return Notification{}, fmt.Errorf("enqueue notification: %w", translate(err))
	}
	return scanOne[Notification](rows)
}

// ClaimNotification marks an unsent notification as being sent and returns
// it; ErrNotFound when it was sent already. A row left 'sending' by a crashed
// worker is claimed again: mail is never lost, at worst resent with the same
// Message-ID.
func (s *Store) ClaimNotification(ctx context.Context, id int64) (Notification, error) {
	const q = `UPDATE notifications SET status = 'sending', attempts = attempts + 1
WHERE id = $1 AND status IN ('queued', 'failed', 'sending')
RETURNING ` + notificationColumns
	var n Notification
	if err := getContext(ctx, s, &n, q, id); err != nil {
		return Notification{}, fmt.Errorf("claim notification %d: %w", id, translate(err))
	}
	return n, nil
}

// MarkNotificationSent records a delivered notification.
func (s *Store) MarkNotificationSent(ctx context.Context, id int64, at time.Time) error {
	const q = `UPDATE notifications SET status = 'sent', sent_at = $2, last_error = '' WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, at); err != nil {
		return fmt.Errorf("mark notification sent: %w", translate(err))
	}
	return nil
}

// MarkNotificationFailed records a failed attempt and its error.
func (s *Store) MarkNotificationFailed(ctx context.Context, id int64, msg string) error {
	const q = `UPDATE notifications SET status = 'failed', last_error = $2 WHERE id = $1`
	if _, err := s.db.ExecContext(ctx, q, id, msg); err != nil {
		return fmt.Errorf("mark notification failed: %w", translate(err))
	}
	return nil
}

// HoldNotification marks a notification that cannot be sent, with why.
func (s *Store) HoldNotification(ctx context.Context, key, why string) error {
	const q = `UPDATE notifications SET status = 'held', last_error = $2 WHERE idempotency_key = $1 AND status = 'queued'`
	if _, err := s.db.ExecContext(ctx, q, key, why); err != nil {
		return fmt.Errorf("hold notification: %w", translate(err))
	}
	return nil
}

// NotificationsInScope lists the outbox rows of units in the subtrees at
// paths, newest first, optionally of one status.
func (s *Store) NotificationsInScope(ctx context.Context, paths []string, status string, limit int) ([]Notification, error) {
	const q = `SELECT ` + notificationColumns + ` FROM notifications n
WHERE ($2 = '' OR n.status = $2)
  AND EXISTS (SELECT 1 FROM org_units o WHERE o.id = n.unit_id AND o.path LIKE ANY (SELECT p || '%' FROM unnest($1::text[]) p))
ORDER BY n.created_at DESC, n.id DESC LIMIT $3`
	var ns []Notification
	if err := selectContext(ctx, s, &ns, q, textArray(paths), status, limit); err != nil {
		return nil, fmt.Errorf("list notifications: %w", translate(err))
	}
	return ns, nil
}

// NotificationByID returns one outbox row.
func (s *Store) NotificationByID(ctx context.Context, id int64) (Notification, error) {
	var n Notification
	if err := getContext(ctx, s, &n, `SELECT `+notificationColumns+` FROM notifications WHERE id = $1`, id); err != nil {
		return Notification{}, fmt.Errorf("get notification %d: %w", id, translate(err))
	}
	return n, nil
}
