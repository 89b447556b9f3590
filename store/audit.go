package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// AuditEntry records one write: who, what, on which entity, before and after.
type AuditEntry struct {
	ActorID   *int64
	Actor     string
	Action    string
	Entity    string
	EntityID  string
	Before    any
	After     any
	RequestID string
	// UnitID is the unit the entity belongs to, for reading the log by scope.
	UnitID *int64
}

// Audit appends e to the audit log; call it in the transaction of the write.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	before, err := jsonOrNull(e.Before)
	if err != nil {
		return err
	}
	after, err := jsonOrNull(e.After)
	if err != nil {
		return err
	}
	const q = `INSERT INTO audit_log (actor_id, actor, action, entity, entity_id, before, after, request_id, unit_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	if _, err := s.db.ExecContext(ctx, q, e.ActorID, e.Actor, e.Action, e.Entity, e.EntityID, before, after, e.RequestID, e.UnitID); err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Entity, translate(err))
	}
	return nil
}

func jsonOrNull(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit json: %w", err)
	}
	return string(b), nil
}

// AuditRecord is one row of the audit log as the API shows it.
type AuditRecord struct {
	ID        int64           `db:"id" json:"id"`
	At        time.Time       `db:"at" json:"at"`
	ActorID   *int64          `db:"actor_id" json:"actor_id"`
	Actor     string          `db:"actor" json:"actor"`
	Action    string          `db:"action" json:"action"`
	Entity    string          `db:"entity" json:"entity"`
	EntityID  string          `db:"entity_id" json:"entity_id"`
	UnitID    *int64          `db:"unit_id" json:"unit_id"`
	Before    json.RawMessage `db:"before" json:"before"`
	After     json.RawMessage `db:"after" json:"after"`
	RequestID string          `db:"request_id" json:"request_id"`
	// ActorName is the acting user's name; EntityName names the object
	// (a plan's code and title, a unit's or user's name, a file's name, a
	// report's unit and cycle), empty when it is gone or has none.
	ActorName  string `db:"actor_name" json:"actor_name"`
	EntityName string `db:"entity_name" json:"entity_name"`
}

// AuditFilter selects audit rows; zero fields do not filter. Paths limits
// the rows to units whose path starts with one of them.
type AuditFilter struct {
	Paths    []string
	Entity   string
	EntityID string
	ActorID  int64
	From, To time.Time
	Limit    int
}

// AuditLog lists audit rows newest first.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter) ([]AuditRecord, error) {
	const q = `SELECT a.id, a.at, a.actor_id, a.actor, a.action, a.entity, a.entity_id, a.unit_id,
       COALESCE(a.before, 'null') AS before, COALESCE(a.after, 'null') AS after, a.request_id,
       COALESCE(u.name, '') AS actor_name,
       COALESCE(CASE a.entity
           WHEN 'plan' THEN (SELECT concat_ws(' ', NULLIF(p.code, ''), p.title) FROM plans p WHERE p.id::text = a.entity_id)
           WHEN 'org_unit' THEN (SELECT x.name FROM org_units x WHERE x.id::text = a.entity_id)
           WHEN 'user' THEN (SELECT x.name FROM users x WHERE x.id::text = a.entity_id)
           WHEN 'attachment' THEN (SELECT x.filename FROM attachments x WHERE x.id::text = a.entity_id)
           WHEN 'unit_task' THEN (SELECT x.title FROM unit_tasks x WHERE x.id::text = a.entity_id)
           WHEN 'report' THEN (SELECT ru.name || ' · ' || rc.year FROM reports r
               JOIN org_units ru ON ru.id = r.unit_id JOIN report_cycles rc ON rc.id = r.cycle_id WHERE r.id::text = a.entity_id)
       END, '') AS entity_name
FROM audit_log a JOIN org_units o ON o.id = a.unit_id
LEFT JOIN users u ON u.id = a.actor_id
WHERE o.path LIKE ANY (SELECT p || '%' FROM unnest($1::text[]) p)
  AND ($2 = '' OR a.entity = $2)
  AND ($3 = '' OR a.entity_id = $3)
  AND ($4 = 0 OR a.actor_id = $4)
  AND ($5::timestamptz IS NULL OR a.at >= $5)
  AND ($6::timestamptz IS NULL OR a.at < $6)
ORDER BY a.at DESC, a.id DESC LIMIT $7`
	var from, to *time.Time
	if !f.From.IsZero() {
		from = &f.From
	}
	if !f.To.IsZero() {
		to = &f.To
	}
	var rs []AuditRecord
	if err := selectContext(ctx, s, &rs, q, textArray(f.Paths), f.Entity, f.EntityID, f.ActorID, from, to, f.Limit); err != nil {
		return nil, fmt.Errorf("list audit log: %w", translate(err))
	}
	return rs, nil
}
