package main_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/store/storetest"
)

// TestServe_LockConnectionDroppedNeverTwoEmbeddedServers ends the PostgreSQL
// connection that holds the single-server lock of a running serve, then
// starts a second serve on the same databases. Either the first takes its
// lock again and the second refuses to start, or the first stops before the
// second's embedded server starts: never two embedded servers at once (the
// second used to start its own beside the first).
func TestServe_LockConnectionDroppedNeverTwoEmbeddedServers(t *testing.T) {
	bin := buildCascade(t)
	dbURL := storetest.URL(t)
	env := func() ([]string, string) {
		port := freeBlock(t, 1)
		return []string{
			"DATABASE_URL=" + dbURL,
			fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", port),
			fmt.Sprintf("TEMPORAL_PORT=%d", freeBlock(t, 8)),
			"DATA_DIR=" + t.TempDir(),
			"DATABASE_MAX_CONNS=40",
			"LOG_LEVEL=warn",
		}, fmt.Sprintf("http://127.0.0.1:%d", port)
	}
	envA, baseA := env()
	a := startProcess(t, bin, envA, baseA)
	aExited := make(chan time.Time, 1)
	go func() { _ = a.wait(); aExited <- time.Now() }()

	db, err := sql.Open("postgres", dbURL)
	require.NoError(t, err)
	defer db.Close()
	holder := func() (pid int, ok bool) {
		err := db.QueryRow(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
AND classid = 0 AND objid = 727275`).Scan(&pid)
		return pid, err == nil
	}

rounds:
	for round := 0; round < 2; round++ {
		pid, ok := holder()
		require.True(t, ok, "round %d: no process holds the single-server lock", round)
		_, err = db.Exec(`SELECT pg_terminate_backend($1)`, pid)
		require.NoError(t, err)

		envB, baseB := env()
		b := startRole(t, bin, "serve", envB, "")
		bExited := make(chan error, 1)
		go func() { bExited <- b.wait() }()
		deadline := time.Now().Add(90 * time.Second)
		bReady := false
		for !bReady {
			select {
			case err := <-bExited:
				// The second refused: the first holds its lock again
				// and still serves.
				require.Error(t, err, "the second serve ended without an error; log:\n%s", b.log)
				require.Contains(t, b.log.String(), "another cascade serve already runs", "log:\n%s", b.log)
				select {
				case <-aExited:
					t.Fatalf("both stopped; first log:\n%s", a.log)
				default:
				}
				resp, err := http.Get(baseA + "/readyz")
				require.NoError(t, err)
				resp.Body.Close()
				require.Equal(t, http.StatusOK, resp.StatusCode)
				_, ok := holder()
				require.True(t, ok, "the first serve holds its lock again")
				t.Logf("round %d: the first serve took its lock again; the second refused", round)
				continue rounds
			default:
			}
			if resp, err := http.Get(baseB + "/readyz"); err == nil {
				resp.Body.Close()
				bReady = resp.StatusCode == http.StatusOK
			}
			require.True(t, time.Now().Before(deadline), "second serve neither refused nor became ready; log:\n%s", b.log)
			time.Sleep(50 * time.Millisecond)
		}
		// The second serves: the first must have stopped before it.
		select {
		case at := <-aExited:
			t.Logf("round %d: the first serve stopped %s before the second was ready", round, time.Since(at).Round(time.Millisecond))
		default:
			t.Fatalf("two embedded servers run on the same databases; first log:\n%s\nsecond log:\n%s", a.log, b.log)
		}
		return
	}
}
