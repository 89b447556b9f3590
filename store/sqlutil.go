package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

func getContext(ctx context.Context, s *Store, dest any, q string, args ...any) error {
	return sqlx.GetContext(ctx, s.db, dest, q, args...)
}

func selectContext(ctx context.Context, s *Store, dest any, q string, args ...any) error {
	return sqlx.SelectContext(ctx, s.db, dest, q, args...)
}

func namedQuery(ctx context.Context, s *Store, q string, arg any) (*sqlx.Rows, error) {
	return sqlx.NamedQueryContext(ctx, s.db, q, arg)
}

func namedExec(ctx context.Context, s *Store, q string, arg any) error {
	_, err := sqlx.NamedExecContext(ctx, s.db, q, arg)
	return err
}

// scanOne reads the single row a RETURNING clause gave back.
func scanOne[T any](rows *sqlx.Rows) (T, error) {
	defer rows.Close()
	var v T
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return v, translate(err)
		}
		return v, ErrNotFound
	}
	if err := rows.StructScan(&v); err != nil {
		return v, translate(err)
	}
	return v, translate(rows.Err())
}

func int64Array(ids []int64) any { return pq.Array(ids) }

func textArray(ss []string) any { return pq.Array(ss) }

// jsonColumn is a column a statement built as JSON (json_agg of a list,
// row_to_json of a row), to be read into a Go value.
type jsonColumn struct {
	name string
	raw  []byte
	into any
}

// decodeJSON reads each column into its value; a NULL column (a list with
// no rows, where the statement gives no default) leaves its value as it is.
func decodeJSON(owner string, cols ...jsonColumn) error {
	for _, c := range cols {
		if c.raw == nil {
			continue
		}
		if err := json.Unmarshal(c.raw, c.into); err != nil {
			return fmt.Errorf("%s's %s: %w", owner, c.name, err)
		}
	}
	return nil
}
