// Package store is Cascade's access to PostgreSQL: every SQL statement of the
// project lives here, beside the method that runs it, and the schema is a set
// of goose migrations embedded in the binary.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Errors the store returns for the driver's; callers map them to HTTP statuses.
var (
	ErrNotFound   = errors.New("not found")
	ErrConflict   = errors.New("conflict")
	ErrReferenced = errors.New("referenced")
)

// Store runs Cascade's queries against a database or inside a transaction.
type Store struct {
	db sqlx.ExtContext
}

// DB is the connection pool a Store was opened with; it can begin transactions.
type DB struct {
	*sqlx.DB
}

// Driver is the database/sql driver Open connects with: lib/pq's
// "postgres", or in tests store/sqlcount's, which counts the statements a
// request sends.
var Driver = "postgres"

// Open connects to databaseURL with at most maxConns connections, creating
// the database if it does not exist.
func Open(ctx context.Context, databaseURL string, maxConns int) (*DB, error) {
	if err := ensureDatabase(ctx, databaseURL); err != nil {
		return nil, err
	}
	sqlDB, err := sql.Open(Driver, withOneRoundTrip(databaseURL))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db := sqlx.NewDb(sqlDB, "postgres")
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(max(1, maxConns/2))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("ping database: %w", err)
	}
	return &DB{db}, nil
}

// New returns a Store that runs each statement on its own.
func New(db *DB) *Store { return &Store{db: db.DB} }

// NewWithTx returns a Store whose statements run in tx.
func NewWithTx(tx *sqlx.Tx) *Store { return &Store{db: tx} }

// WithTx runs fn in a transaction: committed when fn returns nil, rolled back
// otherwise (and on panic).
func (db *DB) WithTx(ctx context.Context, fn func(s *Store) error) (err error) {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(NewWithTx(tx)); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Migrate applies every pending migration under a PostgreSQL advisory lock,
// so replicas starting together apply each one once.
func (db *DB) Migrate(ctx context.Context) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db.DB.DB, fsys, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// withOneRoundTrip asks lib/pq to send a query with parameters in one
// round trip (binary_parameters) instead of preparing it first (half the
// latency of every query, which a request of a few queries feels), and
// names its connections "cascade" in pg_stat_activity.
func withOneRoundTrip(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return databaseURL
	}
	q := u.Query()
	if q.Get("binary_parameters") == "" {
		q.Set("binary_parameters", "yes")
	}
	if q.Get("application_name") == "" {
		q.Set("application_name", "cascade") // who holds what, in pg_stat_activity
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// ensureDatabase creates the database named in databaseURL if it is missing,
// connecting to the server's "postgres" database to do it.
func ensureDatabase(ctx context.Context, databaseURL string) error {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return fmt.Errorf("parse database url: %w", err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin := *u
	admin.Path = "/postgres"
	db, err := sql.Open("postgres", admin.String())
	if err != nil {
		return err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = db.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name))
	var pqErr *pq.Error
	// Created meanwhile by another process starting at the same moment:
	// PostgreSQL says so with 42P04, or with 23505 when both raced in.
	if errors.As(err, &pqErr) && (pqErr.Code == "42P04" || pqErr.Code == "23505") {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", name, err)
	}
	return nil
}

// translate maps driver errors to the store's: no rows → ErrNotFound, unique
// violation → ErrConflict, foreign key violation → ErrReferenced.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505":
			return fmt.Errorf("%w: %s", ErrConflict, pqErr.Constraint)
		case "23503":
			return fmt.Errorf("%w: %s", ErrReferenced, pqErr.Constraint)
		}
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.PingContext(ctx) }
