package store

import (
	"context"
	"encoding/json"
	"fmt"
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
	const q = `INSERT INTO audit_log (actor_id, actor, action, entity, entity_id, before, after, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	if _, err := s.db.ExecContext(ctx, q, e.ActorID, e.Actor, e.Action, e.Entity, e.EntityID, before, after, e.RequestID); err != nil {
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
