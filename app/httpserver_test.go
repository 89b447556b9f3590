package app_test

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/app"
	"cascade/config"
)

func TestHTTPServer_ASlowBodyDoesNotHoldTheConnection(t *testing.T) {
	cfg, err := config.Load(func(string) string { return "" })
	require.NoError(t, err)
	srv := app.HTTPServer(cfg, http.NotFoundHandler())
	require.Equal(t, cfg.HTTPReadTimeout, srv.ReadTimeout)
	require.Equal(t, cfg.HTTPWriteTimeout, srv.WriteTimeout)
	require.Equal(t, cfg.HTTPIdleTimeout, srv.IdleTimeout)
	require.Positive(t, srv.ReadTimeout)

	cfg.HTTPReadTimeout = 300 * time.Millisecond
	srv = app.HTTPServer(cfg, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"))
	require.NoError(t, err)
	start := time.Now()
	// A byte every 100 ms: the connection is closed once the read timeout
	// has passed, not held for as long as the client trickles.
	for i := 0; i < 50; i++ {
		if _, err := conn.Write([]byte("a")); err != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
		_ = conn.SetReadDeadline(time.Now().Add(time.Millisecond))
		if _, err := conn.Read(make([]byte, 1)); err == io.EOF {
			break
		}
	}
	require.Less(t, time.Since(start), 3*time.Second, "the server closed the connection")
}
