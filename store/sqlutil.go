package store

import (
	"context"

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
