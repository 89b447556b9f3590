package store

import (
	"context"
	"errors"
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
	// SendingAt is when the last attempt took the row, just before its SMTP
	// transaction (see ClaimNotification).
	SendingAt *time.Time `db:"sending_at" json:"-"`
	// Batch names the rows one activity delivers together (a leader's
	// reminder); nil for an email sent on its own.
	Batch *string `db:"batch" json:"-"`
}

const notificationColumns = `id, idempotency_key, plan_id, unit_id, recipient, template, subject, body_text, body_html,
status, attempts, last_error, created_at, sent_at, sending_at, batch`

// SendingStaleAfter is how long a row may stay 'sending' before another
// attempt takes it again: longer than one SMTP transaction can last (each
// command has 20 s), so a row 'sending' for less is in flight elsewhere (an
// attempt whose worker the server gave up on but which still runs) and is
// left to it; one older was left by a crashed worker and is sent again.
const SendingStaleAfter = time.Minute

// ErrNotificationDone is ClaimNotification's answer for a row already sent,
// or held (it has no recipient): there is nothing to send.
var ErrNotificationDone = errors.New("notification already sent or held")

// ErrNotificationInFlight is ClaimNotification's answer for a row another
// attempt took less than SendingStaleAfter ago.
var ErrNotificationInFlight = errors.New("notification being sent by another attempt")

// EnqueueNotification writes n to the outbox unless its idempotency key is
// there already, and returns the stored row either way.
func (s *Store) EnqueueNotification(ctx context.Context, n Notification) (Notification, error) {
	const q = `
WITH ins AS (
    INSERT INTO notifications (idempotency_key, plan_id, unit_id, recipient, template, subject, body_text, body_html, batch)
    VALUES (:idempotency_key, :plan_id, :unit_id, :recipient, :template, :subject, :body_text, :body_html, :batch)
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

// ClaimNotification takes an unsent row for one delivery attempt, just
// before its SMTP transaction: status 'sending', sending_at now, attempts + 1.
// A row left 'sending' by a crashed worker (for SendingStaleAfter) is taken
// again: mail is never lost, at worst resent with the same Message-ID. It
// answers ErrNotificationDone for a row sent or held and
// ErrNotificationInFlight for one another attempt is sending.
func (s *Store) ClaimNotification(ctx context.Context, id int64) (Notification, error) {
	const q = `UPDATE notifications SET status = 'sending', attempts = attempts + 1, sending_at = now()
WHERE id = $1 AND (status IN ('queued', 'failed') OR (status = 'sending' AND (sending_at IS NULL OR sending_at < now() - $2::interval)))
RETURNING ` + notificationColumns
	var n Notification
	err := getContext(ctx, s, &n, q, id, fmt.Sprintf("%d milliseconds", SendingStaleAfter.Milliseconds()))
	if err == nil {
		return n, nil
	}
	if err = translate(err); !errors.Is(err, ErrNotFound) {
		return Notification{}, fmt.Errorf("claim notification %d: %w", id, err)
	}
	var status string
	if err := getContext(ctx, s, &status, `SELECT status FROM notifications WHERE id = $1`, id); err != nil {
		return Notification{}, fmt.Errorf("claim notification %d: %w", id, translate(err))
	}
	if status == "sending" {
		return Notification{}, fmt.Errorf("claim notification %d: %w", id, ErrNotificationInFlight)
	}
	return Notification{}, fmt.Errorf("claim notification %d: %w", id, ErrNotificationDone)
}

// EnqueueNotifications writes rows to the outbox in a few statements, each
// unless its idempotency key is there already, all in batch; a row without a
// recipient is held with why. It answers how many of ns have a recipient.
// Written again after a crash it adds only what is missing.
func (s *Store) EnqueueNotifications(ctx context.Context, batch string, ns []Notification, why string) (int, error) {
	const q = `
INSERT INTO notifications (idempotency_key, plan_id, unit_id, recipient, template, subject, body_text, body_html, batch, status, last_error)
SELECT x.k, NULLIF(x.p, 0), NULLIF(x.u, 0), x.r, x.t, x.s, x.bt, x.bh, $9,
       CASE WHEN x.r = '' THEN 'held' ELSE 'queued' END, CASE WHEN x.r = '' THEN $10 ELSE '' END
FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
     AS x(k, p, u, r, t, s, bt, bh)
ON CONFLICT (idempotency_key) DO UPDATE SET batch = EXCLUDED.batch WHERE notifications.batch IS NULL`
	const chunk = 500
	for i := 0; i < len(ns); i += chunk {
		part := ns[i:min(i+chunk, len(ns))]
		keys, plans, units := make([]string, len(part)), make([]int64, len(part)), make([]int64, len(part))
		rcpts, tmpls, subjects, texts, htmls := make([]string, len(part)), make([]string, len(part)), make([]string, len(part)),
			make([]string, len(part)), make([]string, len(part))
		for j, n := range part {
			keys[j], rcpts[j], tmpls[j], subjects[j], texts[j], htmls[j] = n.IdempotencyKey, n.Recipient, n.Template, n.Subject, n.BodyText, n.BodyHTML
			if n.PlanID != nil {
				plans[j] = *n.PlanID
			}
			if n.UnitID != nil {
				units[j] = *n.UnitID
			}
		}
		if _, err := s.db.ExecContext(ctx, q, textArray(keys), int64Array(plans), int64Array(units), textArray(rcpts), textArray(tmpls),
			textArray(subjects), textArray(texts), textArray(htmls), batch, why); err != nil {
			return 0, fmt.Errorf("enqueue notifications: %w", translate(err))
		}
	}
	queued := 0
	for _, n := range ns {
		if n.Recipient != "" {
			queued++
		}
	}
	return queued, nil
}

// UnsentNotifications lists up to limit rows of batch not yet sent (queued,
// failed or sending) after id after, in id order.
func (s *Store) UnsentNotifications(ctx context.Context, batch string, after int64, limit int) ([]Notification, error) {
	const q = `SELECT ` + notificationColumns + ` FROM notifications
WHERE batch = $1 AND status IN ('queued', 'sending', 'failed') AND id > $2
ORDER BY id LIMIT $3`
	var ns []Notification
	if err := selectContext(ctx, s, &ns, q, batch, after, limit); err != nil {
		return nil, fmt.Errorf("list unsent notifications: %w", translate(err))
	}
	return ns, nil
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
	const q = `UPDATE notifications SET status = 'failed', last_error = $2 WHERE id = $1 AND status <> 'sent'`
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

// PendingReminder is one report a leader's reminder chases, with what its
// email needs: the unit's name and address and the report's cycle.
type PendingReminder struct {
	ReportID  int64  `db:"report_id"`
	CycleID   int64  `db:"cycle_id"`
	UnitID    int64  `db:"unit_id"`
	DueOn     Date   `db:"due_on"`
	Kind      string `db:"kind"`
	Year      int    `db:"year"`
	UnitName  string `db:"unit_name"`
	UnitEmail string `db:"unit_email"`
}

// PendingReminders lists the reports of an issued plan not yet in (pending,
// draft, returned) with their units and cycles, in one statement: a
// reminder to 10,000 units reads them at once instead of three queries each.
func (s *Store) PendingReminders(ctx context.Context, planID int64) ([]PendingReminder, error) {
	const q = `SELECT r.id AS report_id, r.cycle_id, r.unit_id, r.due_on, c.kind, c.year, u.name AS unit_name, u.email AS unit_email
FROM reports r JOIN report_cycles c ON c.id = r.cycle_id
JOIN plans p ON p.id = c.plan_id
JOIN org_units u ON u.id = r.unit_id
WHERE c.plan_id = $1 AND p.status = 'issued' AND r.status IN ('pending', 'draft', 'returned')
ORDER BY r.due_on, r.unit_id`
	var rs []PendingReminder
	if err := selectContext(ctx, s, &rs, q, planID); err != nil {
		return nil, fmt.Errorf("list pending reminders: %w", translate(err))
	}
	return rs, nil
}
