package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"sync"
	"testing"

	_ "github.com/lib/pq"
	"github.com/stretchr/testify/require"

	"cascade/store"
	"cascade/store/storetest"
)

// TestMigrate_ReplicasStartingTogetherApplyEachMigrationOnce runs the
// migrations from four processes' worth of connections at once on a new
// database: the advisory lock lets one apply them, the others find them done.
func TestMigrate_ReplicasStartingTogetherApplyEachMigrationOnce(t *testing.T) {
	u, err := url.Parse(storetest.BaseURL())
	require.NoError(t, err)
	name := "cascade_test_migrate_" + storetest.Unique()
	u.Path = "/" + name
	t.Cleanup(func() {
		admin, err := sql.Open("postgres", storetest.BaseURL())
		if err == nil {
			_, _ = admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`)
			admin.Close()
		}
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(ctx, u.String(), 4)
			if err == nil {
				err = db.Migrate(ctx)
				db.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "replica %d", i)
	}
	db, err := sql.Open("postgres", u.String())
	require.NoError(t, err)
	defer db.Close()
	var applied, distinct int
	require.NoError(t, db.QueryRow(`SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&applied, &distinct))
	require.Equal(t, distinct, applied, "a migration was applied twice")
	require.GreaterOrEqual(t, applied, 2)
	var tables int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_name IN ('org_units', 'sessions', 'audit_log')`).Scan(&tables))
	require.Equal(t, 3, tables, fmt.Sprint("tables of every migration exist"))
}
