package workflows_test

import (
	"flag"
	"os"
	"testing"

	"cascade/store/storetest"
)

// record makes TestRecordHistories record testdata/*.json from a real
// cascade serve, for the replay tests. It needs PostgreSQL, mailpit and the
// record build tag:
//
//	go test -tags record ./workflows/ -run TestRecordHistories -record -count=1
var record = flag.Bool("record", false, "record workflow histories into testdata/ from a real cascade serve (needs -tags record, PostgreSQL and mailpit)")

// recordHistories is the recorder; record_serve_test.go sets it when built
// with -tags record.
var recordHistories func(t *testing.T)

// TestMain gives the package a database only when recording: the workflow
// and replay tests need none.
func TestMain(m *testing.M) {
	flag.Parse()
	if *record {
		os.Exit(storetest.Main(m))
	}
	os.Exit(m.Run())
}

// TestRecordHistories records the histories the replay tests replay (all of
// testdata but the runs of older versions, kept as they were recorded): a
// plan's first run, its review and its closing run, unit reports submitted
// and waiting, tasks, a leader's reminder, a cancelled plan's EndPlan and a
// password reset's SendEmail; then, on a serve of its own, two updates
// delivered in one workflow task (TestRecordHistories/updates-in-turn
// records that part alone). Commit only the histories a change needs.
func TestRecordHistories(t *testing.T) {
	if !*record {
		t.Skip("records testdata/*.json only with -record")
	}
	if recordHistories == nil {
		t.Fatal("the recorder is built only with -tags record: go test -tags record ./workflows/ -run TestRecordHistories -record -count=1")
	}
	recordHistories(t)
}
