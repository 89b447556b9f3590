package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// The single-server guard is a session advisory lock held on one PostgreSQL
// connection. A dropped connection (pg_terminate_backend, a network blip, a
// PostgreSQL restart) releases it without telling the process, so a guard
// watches it:
//
//   - every guardInterval it pings the lock's connection (guardPingTimeout);
//   - when the ping fails or is slow it takes the lock again on a new
//     connection, trying for up to guardRetake; a slow ping that answers
//     meanwhile, or PostgreSQL showing the lock still held by the old
//     connection's backend, proves the lock is still this process's (a
//     session's advisory lock lasts as long as the session): a loaded
//     database is not a lost lock;
//   - if another process took the lock meanwhile, or the lock cannot be taken
//     again in time, the process stops at once (os.Exit), without waiting for
//     the server's orderly stop.
//
// So a process that lost its lock at t0 has stopped by
// t0 + guardInterval + guardPingTimeout + guardRetake + guardCheck (5.5 s). A process that
// takes the lock while a server may still be running on the databases (its
// membership heartbeat is recent) waits guardHandover (6 s) before starting
// its own server: by then the previous holder has either stopped or was
// never there. Two embedded servers never run on the same databases at once.
const (
	guardInterval    = 500 * time.Millisecond
	guardPingTimeout = 1500 * time.Millisecond
	guardRetake      = 2 * time.Second
	guardCheck       = 1500 * time.Millisecond
	guardHandover    = 6 * time.Second
	// recentHeartbeat: the server upserts its membership row every 10–15 s.
	recentHeartbeat = 30 * time.Second
)

// errLockTaken says another process holds the owner lock.
var errLockTaken = errors.New("another cascade serve already runs an embedded Temporal server on this database; " +
	"to run several replicas, point them at a Temporal cluster with TEMPORAL_ADDRESS")

// guard holds the owner lock and watches it.
type guard struct {
	db     *sql.DB
	mu     sync.Mutex
	conn   *sql.Conn
	pid    int // the lock connection's backend
	lost   func(error)
	stop   chan struct{}
	done   chan struct{}
	closed sync.Once
	// membershipURL: the Temporal database whose cluster_membership rows
	// say when a server last ran on it
	membershipURL string
}

// takeLock opens a connection from db and takes the owner lock on it.
func takeLock(ctx context.Context, db *sql.DB) (*sql.Conn, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	var got bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, ownerLockKey).Scan(&got); err != nil {
		conn.Close()
		return nil, fmt.Errorf("owner lock: %w", err)
	}
	if !got {
		conn.Close()
		return nil, errLockTaken
	}
	return conn, nil
}

// backendPID is the PostgreSQL backend of a connection; 0 when it cannot be
// read (then a slow ping cannot be told from a lost lock).
func backendPID(conn *sql.Conn) int {
	ctx, cancel := context.WithTimeout(context.Background(), guardCheck)
	defer cancel()
	var pid int
	if err := conn.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		return 0
	}
	return pid
}

// heldBy says whether the backend pid holds the owner lock.
func heldBy(ctx context.Context, db *sql.DB, pid int) (bool, error) {
	var held bool
	err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND pid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND classid = ($2::bigint >> 32)::oid AND objid = ($2::bigint & 4294967295)::oid AND objsubid = 1)`, pid, ownerLockKey).Scan(&held)
	return held, err
}

// watch starts the guard's loop; lost is called (once) when the lock is gone
// for good. Nil lost stops the process.
func (g *guard) watch(lost func(error)) {
	if lost == nil {
		lost = func(err error) {
			fmt.Fprintf(os.Stderr, `{"level":"ERROR","msg":"embedded temporal server lost its single-server lock; stopping at once so that no second server runs on the same databases","error":%q}`+"\n", err.Error())
			os.Exit(75)
		}
	}
	g.lost = lost
	g.mu.Lock()
	g.pid = backendPID(g.conn)
	g.mu.Unlock()
	g.stop = make(chan struct{})
	g.done = make(chan struct{})
	go g.loop()
}

func (g *guard) loop() {
	defer close(g.done)
	t := time.NewTicker(guardInterval)
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case <-t.C:
		}
		ping := g.ping()
		if g.answered(ping) {
			continue
		}
		select {
		case <-g.stop: // closed while pinging
			return
		default:
		}
		if err := g.retake(ping); err != nil {
			g.lost(err)
			return
		}
	}
}

// ping pings the lock's connection; the answer arrives on the channel
// whenever it comes (a hung ping ends with its connection).
func (g *guard) ping() <-chan error {
	g.mu.Lock()
	conn := g.conn
	g.mu.Unlock()
	res := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), guardPingTimeout+guardRetake)
		defer cancel()
		res <- conn.PingContext(ctx)
	}()
	return res
}

// answered says whether the ping succeeded within guardPingTimeout; a slow
// ping may still answer on the channel later.
func (g *guard) answered(ping <-chan error) bool {
	select {
	case err := <-ping:
		return err == nil
	case <-time.After(guardPingTimeout):
		return false
	}
}

// stillHeld says whether the lock is still the old connection's: it is when
// the slow ping has answered meanwhile, or when PostgreSQL shows the old
// backend holding it.
func (g *guard) stillHeld(ctx context.Context, ping <-chan error) bool {
	select {
	case err := <-ping:
		return err == nil
	default:
	}
	g.mu.Lock()
	pid := g.pid
	g.mu.Unlock()
	if pid == 0 {
		return false
	}
	held, err := heldBy(ctx, g.db, pid)
	return err == nil && held
}

// retake takes the lock again on a new connection, for up to guardRetake,
// unless the old connection proves it still holds it (its ping answers late,
// or PostgreSQL shows its backend holding the lock). The old connection is
// closed only once the lock is taken on a new one.
func (g *guard) retake(ping <-chan error) error {
	g.mu.Lock()
	old := g.conn
	g.mu.Unlock()
	deadline := time.Now().Add(guardRetake)
	var err error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		res := make(chan struct{})
		var conn *sql.Conn
		go func() { conn, err = takeLock(ctx, g.db); close(res) }()
		select {
		case <-res:
		case perr := <-ping:
			if perr == nil {
				// The old connection answered: the database was slow, the
				// lock is still ours. The attempt on a new connection finds
				// the lock taken (by us) and closes its connection.
				cancel()
				fmt.Fprintln(os.Stderr, `{"level":"WARN","msg":"embedded temporal server: PostgreSQL answered the single-server lock's ping late; the lock is still held"}`)
				return nil
			}
			<-res
		case <-ctx.Done():
			cancel()
			return fmt.Errorf("owner lock connection lost and not taken again within %s", guardRetake)
		}
		if err == nil {
			cancel()
			g.mu.Lock()
			g.conn, g.pid = conn, backendPID(conn)
			g.mu.Unlock()
			go old.Close() // may hang on a dead socket
			fmt.Fprintln(os.Stderr, `{"level":"WARN","msg":"embedded temporal server took its single-server lock again after its connection was lost"}`)
			return nil
		}
		cancel()
		if errors.Is(err, errLockTaken) {
			cctx, ccancel := context.WithTimeout(context.Background(), guardCheck)
			held := g.stillHeld(cctx, ping)
			ccancel()
			if held {
				fmt.Fprintln(os.Stderr, `{"level":"WARN","msg":"embedded temporal server: the single-server lock's connection was slow to answer; PostgreSQL shows the lock still held by it"}`)
				return nil
			}
			go old.Close()
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	go old.Close()
	return fmt.Errorf("owner lock connection lost and not taken again: %w", err)
}

// stopped clears the membership rows of a server that has stopped in order
// (Server.Stop, after the server's Stop returned), while the lock is still
// this process's: its connection answers, so no other process holds the lock
// or can have written rows since. A process that takes the lock later finds
// no recent heartbeat and starts without waiting guardHandover. Only tried
// for guardCheck (well under guardHandover): a process that takes the lock
// after a drop right after the ping waits guardHandover for rows that by
// then are cleared or still ours, never its own. On any failure the rows
// stay and the next process waits, as before.
func (g *guard) stopped(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, guardCheck)
	defer cancel()
	g.mu.Lock()
	conn := g.conn
	g.mu.Unlock()
	if conn == nil || g.membershipURL == "" || conn.PingContext(ctx) != nil {
		return
	}
	mdb, err := sql.Open("postgres", g.membershipURL)
	if err != nil {
		return
	}
	defer mdb.Close()
	_, _ = mdb.ExecContext(ctx, `DELETE FROM cluster_membership`)
}

// close stops watching and releases the lock.
func (g *guard) close() {
	g.closed.Do(func() {
		if g.stop != nil {
			close(g.stop)
			<-g.done
		}
		g.mu.Lock()
		if g.conn != nil {
			_ = g.conn.Close()
		}
		g.mu.Unlock()
		_ = g.db.Close()
	})
}
