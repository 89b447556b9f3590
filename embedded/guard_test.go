package embedded

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
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

// A server that stopped in order clears its membership rows while it still
// holds the lock, so the next server on the databases starts at once: each
// test of ./app starts a serve on the package's database after the previous
// one stopped, and each waited guardHandover (6 s) for it. A server still
// running whose lock was lost (its rows heartbeat) still makes it wait.
func TestClaim_NoHandoverWaitAfterAnOrderlyStop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dbURL := storetest.URL(t)
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	mainDB := strings.TrimPrefix(u.Path, "/") + "_temporal"
	claimed := func() time.Duration {
		began := time.Now()
		g, err := claim(ctx, dbURL, mainDB)
		require.NoError(t, err)
		g.close()
		return time.Since(began)
	}

	srv, err := Start(ctx, Config{DatabaseURL: dbURL, Namespace: "default"})
	require.NoError(t, err)
	require.NoError(t, srv.Stop(ctx))
	require.Less(t, claimed(), guardHandover, "the next server waited for one that had stopped")

	// A server whose lock is gone while it still runs: the next one waits.
	srv, err = Start(ctx, Config{DatabaseURL: dbURL, Namespace: "default"})
	require.NoError(t, err)
	srv.release()
	require.GreaterOrEqual(t, claimed(), guardHandover, "the next server did not wait for one still running")
	require.NoError(t, srv.Stop(ctx))
}
