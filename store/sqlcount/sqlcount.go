// Package sqlcount counts the SQL statements a piece of work sends to
// PostgreSQL: a database/sql driver wrapping lib/pq counts every statement
// whose context carries a Counter, so a test can hold a route to the
// statements it needs (a reload that creeps back in is seen) while work on
// other contexts — a workflow's activities, the sign-in cache's refills on
// another request — is not counted.
//
//	sqlcount.Register()                       // once; open with DriverName
//	ctx, n := sqlcount.With(ctx)
//	... queries on ctx ...
//	n.Count()
package sqlcount

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/http"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// DriverName is the name the counting driver is registered under.
const DriverName = "postgres+sqlcount"

var once sync.Once

// Register makes DriverName available to sql.Open; safe to call again.
func Register() {
	once.Do(func() {
		sql.Register(DriverName, countingDriver{})
		sqlx.BindDriver(DriverName, sqlx.DOLLAR)
	})
}

// Counter holds the statements sent on the contexts it was attached to.
type Counter struct {
	mu         sync.Mutex
	statements []string
}

type counterKey struct{}

// With returns ctx carrying a fresh Counter.
func With(ctx context.Context) (context.Context, *Counter) {
	c := &Counter{}
	return context.WithValue(ctx, counterKey{}, c), c
}

// Count is the number of statements sent so far.
func (c *Counter) Count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.statements)
}

// Statements are the statements sent so far, in order.
func (c *Counter) Statements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.statements...)
}

func record(ctx context.Context, query string) {
	if c, ok := ctx.Value(counterKey{}).(*Counter); ok {
		c.mu.Lock()
		c.statements = append(c.statements, query)
		c.mu.Unlock()
	}
}

// Handler counts the statements of each request h serves: it hands each
// request's counter to started before h runs (a client may hold the whole
// answer before the handler has returned).
func Handler(h http.Handler, started func(r *http.Request, c *Counter)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, c := With(r.Context())
		r = r.WithContext(ctx)
		started(r, c)
		h.ServeHTTP(w, r)
	})
}

type countingDriver struct{}

func (countingDriver) Open(name string) (driver.Conn, error) {
	cn, err := pq.Driver{}.Open(name)
	if err != nil {
		return nil, err
	}
	return &conn{cn}, nil
}

// conn forwards to lib/pq's connection, counting what it sends.
type conn struct{ driver.Conn }

// The interfaces lib/pq's connection implements.
type pqConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
	driver.NamedValueChecker
}

func (c *conn) pq() pqConn { return c.Conn.(pqConn) }

// BeginTx counts BEGIN, and the transaction's COMMIT or ROLLBACK: each is
// a round trip too.
func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	record(ctx, "BEGIN")
	t, err := c.pq().BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &tx{Tx: t, ctx: ctx}, nil
}

type tx struct {
	driver.Tx
	ctx context.Context
}

func (t *tx) Commit() error {
	record(t.ctx, "COMMIT")
	return t.Tx.Commit()
}

func (t *tx) Rollback() error {
	record(t.ctx, "ROLLBACK")
	return t.Tx.Rollback()
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.pq().PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &stmt{Stmt: st, query: query}, nil
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.pq().QueryContext(ctx, query, args)
	if err != driver.ErrSkip {
		record(ctx, query)
	}
	return rows, err
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.pq().ExecContext(ctx, query, args)
	if err != driver.ErrSkip {
		record(ctx, query)
	}
	return res, err
}

func (c *conn) Ping(ctx context.Context) error              { return c.pq().Ping(ctx) }
func (c *conn) ResetSession(ctx context.Context) error      { return c.pq().ResetSession(ctx) }
func (c *conn) IsValid() bool                               { return c.pq().IsValid() }
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error { return c.pq().CheckNamedValue(nv) }

// stmt is a prepared statement; each execution counts.
type stmt struct {
	driver.Stmt
	query string
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	record(ctx, s.query)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	record(ctx, s.query)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}
