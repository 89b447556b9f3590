package main_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"github.com/stretchr/testify/require"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"cascade/mail/mailtest"
	"cascade/store/storetest"
)

func TestMain(m *testing.M) {
	code := storetest.Main(m)
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// built is this command, built once for the package's tests (each link
// of the binary, the embedded Temporal server in it, takes seconds of CPU).
var built struct {
	once     sync.Once
	dir, bin string
	out      []byte
	err      error
}

// buildCascade builds this command into a temporary folder, once per test
// run, and answers the binary's path.
func buildCascade(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "cascade-test-bin-"); built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "cascade")
		built.out, built.err = exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput()
	})
	require.NoError(t, built.err, "go build: %s", built.out)
	return built.bin
}

// process is a `cascade serve` child process. One goroutine waits for it
// (exec.Cmd.Wait must be called once: a second, concurrent Wait blocks for
// ever on the output copiers the first one drained); wait and the cleanup
// read its result.
type process struct {
	cmd  *exec.Cmd
	log  *bytes.Buffer
	done chan struct{}
	err  error
}

// wait blocks until the process has ended and returns how it ended.
func (p *process) wait() error {
	<-p.done
	return p.err
}

func startProcess(t *testing.T, bin string, env []string, url string) *process {
	t.Helper()
	return startRole(t, bin, "serve", env, url)
}

// startRole starts `cascade <role>` and, when url is given, waits until its
// /readyz answers 200.
func startRole(t *testing.T, bin, role string, env []string, url string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(bin, role), log: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	// A child that inherited the output pipes must not hold Wait for ever.
	p.cmd.WaitDelay = 10 * time.Second
	require.NoError(t, p.cmd.Start())
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	})
	if url == "" {
		return p
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		resp, err := http.Get(url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("cascade serve not ready within 90s; log:\n%s", p.log)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// token signs post's requests.
var token string

func post(t *testing.T, url string, body any, out any) int {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest("POST", url, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		require.NoError(t, json.Unmarshal(raw, out), "%s", raw)
	}
	return resp.StatusCode
}

// freeBlock returns the first of n consecutive free ports. It draws from
// 10000–19999, below the block an embedded server with TEMPORAL_PORT=0
// picks (20000–32000, embedded.pickPorts): the other packages' tests start
// such servers while these run, and a block found free here, or left free
// while a killed serve restarts on it, must not be theirs to take.
func freeBlock(t *testing.T, n int) int {
	t.Helper()
	for try := 0; try < 100; try++ {
		base := 10000 + int(time.Now().UnixNano()%(10000-int64(n)))
		free := true
		for i := 0; i < n && free; i++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+i))
			if err != nil {
				free = false
				continue
			}
			l.Close()
		}
		if free {
			return base
		}
	}
	t.Fatal("no free port block")
	return 0
}

// serveEnv is the environment of a `cascade serve` child on databaseURL
// that mails through smtpURL, on ports of its own, with extra after it (the
// last value of a variable wins); base is its API's address, temporalPort
// its embedded Temporal's frontend.
func serveEnv(t *testing.T, databaseURL, smtpURL string, extra ...string) (env []string, base string, temporalPort int) {
	t.Helper()
	httpPort := freeBlock(t, 1)
	temporalPort = freeBlock(t, 8)
	env = append([]string{
		"DATABASE_URL=" + databaseURL,
		fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", httpPort),
		fmt.Sprintf("TEMPORAL_PORT=%d", temporalPort),
		"SMTP_URL=" + smtpURL,
		"DATA_DIR=" + t.TempDir(),
		"DATABASE_MAX_CONNS=40",
		"LOG_LEVEL=warn",
	}, extra...)
	return env, fmt.Sprintf("http://127.0.0.1:%d", httpPort), temporalPort
}

// openCounter opens databaseURL for the test (closed when it ends) and
// answers a count(*) query's number.
func openCounter(t *testing.T, databaseURL string) (*sql.DB, func(q string, args ...any) int) {
	t.Helper()
	db, err := sql.Open("postgres", databaseURL)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, func(q string, args ...any) int {
		t.Helper()
		var n int
		require.NoError(t, db.QueryRow(q, args...).Scan(&n))
		return n
	}
}

// temporalAt is a client of the Temporal frontend on port (namespace
// default), closed when the test ends.
func temporalAt(t *testing.T, port int) client.Client {
	t.Helper()
	tc, err := client.Dial(client.Options{HostPort: fmt.Sprintf("127.0.0.1:%d", port), Namespace: "default"})
	require.NoError(t, err)
	t.Cleanup(tc.Close)
	return tc
}

// listWorkflows is every execution query finds in the namespace default,
// page after page.
func listWorkflows(t *testing.T, tc client.Client, query string) []*workflowpb.WorkflowExecutionInfo {
	t.Helper()
	var out []*workflowpb.WorkflowExecutionInfo
	var next []byte
	for {
		resp, err := tc.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: "default", Query: query, NextPageToken: next, PageSize: 1000})
		require.NoError(t, err)
		out = append(out, resp.Executions...)
		if next = resp.NextPageToken; len(next) == 0 {
			return out
		}
	}
}

// TestServe_SIGKILLDuringATimerLosesNothingAndDuplicatesNothing schedules a
// reminder a few seconds out, kills the process with SIGKILL before it fires,
// starts it again, and checks that the reminder is written and mailed once.
// Then SIGTERM stops the process gracefully within 10 seconds.
func TestServe_SIGKILLDuringATimerLosesNothingAndDuplicatesNothing(t *testing.T) {
	bin := buildCascade(t)
	mp := mailtest.Start(t)
	env, base, _ := serveEnv(t, storetest.URL(t), mp.SMTPURL, "LOG_LEVEL=info")
	p := startProcess(t, bin, env, base)
	root := storetest.Root(t, storetest.Open(t))
	_, token = storetest.SignedIn(t, storetest.Open(t), root.ID, "admin")

	unit, plan := issueToOneUnit(t, base, root.ID, "district", "VN", "Hội LHPN huyện Vạn Ninh")

	_, count := openCounter(t, storetest.URL(t))
	require.Eventually(t, func() bool {
		return count(`SELECT count(*) FROM unit_tasks WHERE plan_id = $1`, plan.ID) == 1
	}, time.Minute, 100*time.Millisecond)

	at := time.Now().Add(5 * time.Second)
	require.Equal(t, http.StatusAccepted, post(t, fmt.Sprintf("%s/api/v1/plans/%d/remind", base, plan.ID), map[string]any{"at": at}, nil))

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGKILL))
	_ = p.wait()
	require.Empty(t, mp.To(t, unit.Email), "the reminder must not have gone out before its time")

	restarted := time.Now()
	p = startProcess(t, bin, env, base)
	t.Logf("restarted and ready in %s", time.Since(restarted).Round(time.Millisecond))

	msgs := mp.WaitFor(t, unit.Email, 1, 2*time.Minute)
	require.Len(t, msgs, 1)
	require.False(t, msgs[0].Created.Before(at.Add(-time.Second)), "sent at %s, scheduled for %s", msgs[0].Created, at)
	time.Sleep(3 * time.Second)
	require.Len(t, mp.To(t, unit.Email), 1, "the reminder was mailed twice")
	require.Equal(t, 1, count(`SELECT count(*) FROM notifications WHERE plan_id = $1 AND idempotency_key LIKE '%/reminder/%' AND status = 'sent'`, plan.ID))
	require.Equal(t, 1, count(`SELECT count(*) FROM notifications WHERE plan_id = $1`, plan.ID))
	require.Equal(t, 1, count(`SELECT count(*) FROM unit_tasks WHERE plan_id = $1`, plan.ID))

	stopping := time.Now()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	done := make(chan error, 1)
	go func() { done <- p.wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "log:\n%s", p.log)
		t.Logf("graceful stop took %s", time.Since(stopping).Round(time.Millisecond))
	case <-time.After(10 * time.Second):
		t.Fatalf("cascade serve did not stop within 10s of SIGTERM; log:\n%s", p.log)
	}
	require.True(t, strings.Contains(p.log.String(), `"msg":"shutting down"`), "log:\n%s", p.log)
}

// testUnit is a unit as the API answers it.
type testUnit struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
}

// testPlan is a plan as the API answers it.
type testPlan struct {
	ID int64 `json:"id"`
}

// issueToOneUnit creates a unit with an email under root and issues a plan
// to it whose report is due in 12 days, through the API at base.
func issueToOneUnit(t *testing.T, base string, root int64, kind, code, name string) (testUnit, testPlan) {
	t.Helper()
	var unit testUnit
	suffix := storetest.Unique()
	require.Equal(t, http.StatusCreated, post(t, base+"/api/v1/units", map[string]any{"parent_id": root,
		"kind": kind, "code": code + "-" + suffix, "name": name, "email": strings.ToLower(code) + "-" + suffix + "@example.org"}, &unit))
	var plan testPlan
	require.Equal(t, http.StatusCreated, post(t, base+"/api/v1/plans", map[string]any{
		"title": "Kế hoạch kiểm thử", "term_start_year": 2026, "term_end_year": 2027, "issuer_unit_id": root,
		"unit_ids": []int64{unit.ID},
		"cycles":   []map[string]any{{"kind": "annual", "year": 2026, "due_on": time.Now().AddDate(0, 0, 12).Format(time.DateOnly)}},
	}, &plan))
	require.Equal(t, http.StatusOK, post(t, fmt.Sprintf("%s/api/v1/plans/%d/issue", base, plan.ID), nil, nil))
	return unit, plan
}
