// Package apptest runs `cascade serve` inside a test: the API, the worker and
// an embedded Temporal server on the test package's database (see
// store/storetest), with a fresh mailpit for its email.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"cascade/api/spectest"
	"cascade/app"
	"cascade/config"
	"cascade/mail/mailtest"
	"cascade/store/storetest"
)

// Cascade is a running `cascade serve`.
type Cascade struct {
	URL      string
	Mail     *mailtest.Mailpit
	Temporal client.Client
	// Token signs requests (an API token) when set.
	Token string
}

// Serve starts the serve role until the test ends; it fails the test if the
// process does not start within two minutes or stop within 30 seconds.
func Serve(t *testing.T) *Cascade {
	t.Helper()
	mp := mailtest.Start(t)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{
			"DATABASE_URL":  storetest.URL(t),
			"HTTP_ADDR":     "127.0.0.1:0",
			"TEMPORAL_PORT": "0",
			// temporalui has its own test; serves here run side by side.
			"TEMPORAL_UI_ADDR": "off",
			"SMTP_URL":         mp.SMTPURL,
			"DATA_DIR":         t.TempDir(),
			"LOG_LEVEL":        "warn",
			// Test packages run two at a time against one PostgreSQL (100
			// connections): a serve here holds at most 10+10+2.
			"DATABASE_MAX_CONNS": "40",
		}[k]
	})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	type addrs struct{ http, temporal string }
	ready := make(chan addrs, 1)
	done := make(chan error, 1)
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	began := time.Now()
	go func() {
		done <- app.Run(ctx, cfg, app.RoleServe, log, func(httpAddr, hostPort string) { ready <- addrs{httpAddr, hostPort} })
	}()
	select {
	case got := <-ready:
		t.Logf("cascade serve ready in %s", time.Since(began).Round(time.Millisecond))
		t.Cleanup(func() {
			stopping := time.Now()
			cancel()
			select {
			case err := <-done:
				require.NoError(t, err)
				t.Logf("cascade serve stopped in %s", time.Since(stopping).Round(time.Millisecond))
			case <-time.After(30 * time.Second):
				t.Error("cascade serve did not stop within 30s")
			}
		})
		tc, err := client.Dial(client.Options{HostPort: got.temporal, Namespace: cfg.TemporalNamespace})
		require.NoError(t, err)
		t.Cleanup(tc.Close)
		return &Cascade{URL: "http://" + got.http, Mail: mp, Temporal: tc}
	case err := <-done:
		cancel()
		t.Fatalf("cascade serve stopped: %v", err)
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatal("cascade serve did not start within 2 minutes")
	}
	return nil
}

// checked is a client whose every exchange is validated against
// api/openapi.yaml; a mismatch fails t.
func checked(t *testing.T) *http.Client {
	return &http.Client{Transport: spectest.Transport(t, nil)}
}

// As returns a copy of c that signs its requests with token.
func (c *Cascade) As(token string) *Cascade {
	cp := *c
	cp.Token = token
	return &cp
}

// Call sends a JSON request, decodes the JSON answer into out (if not nil)
// and returns the status; answers of 400 and above are logged.
func (c *Cascade) Call(t *testing.T, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.URL+path, rd)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	return c.send(t, req, out)
}

// send sends req with c's token, logs an answer of 400 or more, decodes a
// JSON answer into out (if not nil) and returns the status.
func (c *Cascade) send(t *testing.T, req *http.Request, out any) int {
	t.Helper()
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := checked(t).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode >= 400 {
		t.Logf("%s %s → %d %s", req.Method, req.URL.RequestURI(), resp.StatusCode, raw)
	}
	if out != nil && len(raw) > 0 {
		require.NoError(t, json.Unmarshal(raw, out), "body: %s", raw)
	}
	return resp.StatusCode
}

// Upload sends a multipart form with one file (field "file") and the given
// fields, decodes the JSON answer into out (if not nil) and returns the
// status.
func (c *Cascade) Upload(t *testing.T, path string, fields map[string]string, name string, data []byte, out any) int {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest("POST", c.URL+path, &buf)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(t, req, out)
}

// Together runs the calls at the same instant, each in its own goroutine,
// and returns once all have returned: requests a test sends at once.
func Together(calls ...func()) {
	var start, done sync.WaitGroup
	start.Add(1)
	for _, call := range calls {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			call()
		}()
	}
	start.Done()
	done.Wait()
}
