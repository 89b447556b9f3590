package embedded

import (
	"context"
	"database/sql"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"cascade/store/storetest"
)

// A loaded PostgreSQL answers the lock connection's ping late. That is not a
// lost lock: the guard must keep running (make bench's plan to 100,000 units
// was stopped twice by a guard that took a slow ping for a dropped
// connection, found the lock "taken" by its own old connection and exited).
// A connection really dropped is replaced, and a lock another process took
// still stops it.
func TestGuard_SlowLockConnectionIsNotALostLock(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := storetest.URL(t)
	open := func() *sql.DB {
		db, err := sql.Open("postgres", url)
		require.NoError(t, err)
		return db
	}
	db := open()
	conn, err := takeLock(ctx, db)
	require.NoError(t, err)
	g := &guard{db: db, conn: conn, pid: backendPID(conn)}
	defer g.close()
	pid := g.pid
	require.NotZero(t, pid)
	other := open()
	defer other.Close()

	// A ping that has not answered yet: PostgreSQL shows the lock still
	// held by the old connection's backend, so the guard keeps it.
	hung := make(chan error)
	require.NoError(t, g.retake(hung))
	require.Equal(t, pid, g.pid)
	require.NoError(t, g.conn.PingContext(ctx), "the lock's connection was closed")
	_, err = takeLock(ctx, other)
	require.ErrorIs(t, err, errLockTaken, "a second process could take the lock")

	// The connection really dropped: the lock is taken again on a new one.
	_, err = other.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, pid)
	require.NoError(t, err)
	ping := g.ping()
	require.False(t, g.answered(ping))
	require.NoError(t, g.retake(ping))
	require.NotEqual(t, pid, g.pid)
	_, err = takeLock(ctx, other)
	require.ErrorIs(t, err, errLockTaken)

	// Dropped, and another process took the lock first: the guard gives up.
	_, err = other.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, g.pid)
	require.NoError(t, err)
	// pg_terminate_backend returns before the backend has released its locks.
	var thief *sql.Conn
	require.Eventually(t, func() bool { thief, err = takeLock(ctx, other); return err == nil }, 10*time.Second, 50*time.Millisecond)
	defer thief.Close()
	ping = g.ping()
	require.False(t, g.answered(ping))
	require.ErrorIs(t, g.retake(ping), errLockTaken)
}
