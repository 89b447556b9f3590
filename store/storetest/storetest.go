// Package storetest gives each test package a fresh PostgreSQL database of its
// own, migrated to the newest schema, and drops it when the package's tests end,
// so packages run in parallel without seeing each other's rows.
//
//	func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
//
// Tests then call storetest.Open(t) for a Store on that database.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/lib/pq"

	"cascade/auth"
	"cascade/store"
	"cascade/store/sqlcount"
)

// BaseURL is the server the test databases are made on: TEST_DATABASE_URL,
// or the local PostgreSQL every developer and CI machine runs.
func BaseURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

var (
	mu      sync.Mutex
	current string
	opened  *store.DB
)

// Main creates the package's database, runs the tests and drops the database
// (and the embedded Temporal server's databases named after it).
func Main(m *testing.M) int {
	name := databaseName()
	u, err := url.Parse(BaseURL())
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
		return 2
	}
	u.Path = "/" + name
	current = u.String()
	ctx := context.Background()
	// Statements are counted on the contexts that ask for it (sqlcount.With).
	sqlcount.Register()
	store.Driver = sqlcount.DriverName
	db, err := store.Open(ctx, current, 8)
	if err == nil {
		err = db.Migrate(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "storetest: prepare database:", err)
		return 2
	}
	opened = db
	code := m.Run()
	opened.Close()
	if err := drop(name, name+"_temporal", name+"_temporal_visibility"); err != nil {
		fmt.Fprintln(os.Stderr, "storetest: drop:", err)
	}
	return code
}

// URL is the database URL of the package's test database.
func URL(t testing.TB) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if current == "" {
		t.Fatal("storetest: call storetest.Main from TestMain")
	}
	return current
}

// Open returns the package's database handle, shared by its tests.
func Open(t testing.TB) *store.DB {
	t.Helper()
	URL(t)
	return opened
}

// Unique returns a short random suffix for codes and emails, so tests that
// share a database never collide on unique columns.
func Unique() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func databaseName() string {
	wd, _ := os.Getwd()
	pkg := strings.ToLower(filepath.Base(wd))
	pkg = regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(pkg, "_")
	return "cascade_test_" + pkg + "_" + Unique()
}

func drop(names ...string) error {
	db, err := sql.Open("postgres", BaseURL())
	if err != nil {
		return err
	}
	defer db.Close()
	for _, n := range names {
		if _, err := db.Exec(`DROP DATABASE IF EXISTS ` + pq.QuoteIdentifier(n) + ` WITH (FORCE)`); err != nil {
			return err
		}
	}
	return nil
}

// SignedIn creates a user with role in unit and returns the user's id and a
// personal API token to send as "Authorization: Bearer <token>".
func SignedIn(t testing.TB, db *store.DB, unitID int64, role string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	plain, hash := auth.NewToken(auth.APITokenPrefix)
	var id int64
	err := db.WithTx(ctx, func(s *store.Store) error {
		u, err := s.CreateUser(ctx, store.User{Email: role + "-" + Unique() + "@example.org", Name: "Người dùng " + role, Active: true})
		if err != nil {
			return err
		}
		id = u.ID
		if err := s.AddMembership(ctx, u.ID, unitID, role); err != nil {
			return err
		}
		_, err = s.CreateAPIToken(ctx, store.APIToken{UserID: u.ID, Name: "test", TokenHash: hash})
		return err
	})
	if err != nil {
		t.Fatalf("storetest: signed-in user: %v", err)
	}
	return id, plain
}

// Root creates a province unit to hang a test's units under.
func Root(t testing.TB, db *store.DB) store.Unit {
	t.Helper()
	u, err := store.New(db).CreateUnit(context.Background(), store.Unit{Kind: "province", Code: "ROOT-" + Unique(), Name: "Hội LHPN tỉnh (kiểm thử)"})
	if err != nil {
		t.Fatalf("storetest: root unit: %v", err)
	}
	return u
}
