package main_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/mail/mailtest"
	"cascade/store/storetest"
)

// TestAPIAndWorker_RunAgainstAnExternalTemporal runs the two stateless
// roles as separate processes against a Temporal server they do not embed
// (here the frontend of a `cascade serve`, standing in for a cluster), on a
// task queue only they use: a plan issued through `cascade api` is carried
// out by `cascade worker`.
func TestAPIAndWorker_RunAgainstAnExternalTemporal(t *testing.T) {
	bin := buildCascade(t)
	mp := mailtest.Start(t)
	temporalPort := freeBlock(t, 8)
	serveHTTP, apiHTTP := freeBlock(t, 1), freeBlock(t, 1)
	for apiHTTP == serveHTTP {
		apiHTTP = freeBlock(t, 1)
	}
	common := []string{"DATABASE_URL=" + storetest.URL(t), "DATA_DIR=" + t.TempDir(), "LOG_LEVEL=warn", "DATABASE_MAX_CONNS=40", "SMTP_URL=" + mp.SMTPURL}
	startRole(t, bin, "serve", append(common, fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", serveHTTP),
		fmt.Sprintf("TEMPORAL_PORT=%d", temporalPort), "TASK_QUEUE=cluster-own"), fmt.Sprintf("http://127.0.0.1:%d", serveHTTP))

	external := append(common, fmt.Sprintf("TEMPORAL_ADDRESS=127.0.0.1:%d", temporalPort), "TASK_QUEUE=split")
	worker := startRole(t, bin, "worker", external, "")
	base := fmt.Sprintf("http://127.0.0.1:%d", apiHTTP)
	apiProc := startRole(t, bin, "api", append(external, fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", apiHTTP)), base)

	root := storetest.Root(t, storetest.Open(t))
	_, token = storetest.SignedIn(t, storetest.Open(t), root.ID, "admin")
	unit, plan := issueToOneUnit(t, base, root.ID, "affiliate", "CA", "Hội Phụ nữ Công an tỉnh")

	db, err := sql.Open("postgres", storetest.URL(t))
	require.NoError(t, err)
	defer db.Close()
	require.Eventually(t, func() bool {
		var wf string
		err := db.QueryRow(`SELECT workflow_id FROM unit_tasks WHERE plan_id = $1`, plan.ID).Scan(&wf)
		return err == nil && wf != ""
	}, time.Minute, 100*time.Millisecond, "the separate worker opened the unit's report")
	require.Equal(t, http.StatusAccepted, post(t, fmt.Sprintf("%s/api/v1/plans/%d/remind", base, plan.ID), nil, nil))
	mp.WaitFor(t, unit.Email, 1, time.Minute)

	for _, p := range []*process{apiProc, worker} {
		require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
		done := make(chan error, 1)
		go func() { done <- p.wait() }()
		select {
		case err := <-done:
			require.NoError(t, err, "log:\n%s", p.log)
		case <-time.After(10 * time.Second):
			t.Fatalf("did not stop within 10s of SIGTERM; log:\n%s", p.log)
		}
	}
}
