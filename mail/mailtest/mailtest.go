// Package mailtest starts a real SMTP server for tests, mailpit, and reads
// what it received through its HTTP API.
package mailtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Mailpit is a running mailpit.
type Mailpit struct {
	// SMTPURL is what Cascade's SMTP_URL should be to send to it.
	SMTPURL string
	// APIURL is the base of its HTTP API and web UI.
	APIURL string
}

// Address is a sender or recipient.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Message is a received message's summary.
type Message struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Snippet   string    `json:"Snippet"`
	Created   time.Time `json:"Created"`
}

// Binary finds mailpit: MAILPIT, then PATH, then $GOPATH/bin (where
// `go install github.com/axllent/mailpit@v1.33.1` puts it).
func Binary() (string, error) {
	if b := os.Getenv("MAILPIT"); b != "" {
		return b, nil
	}
	if b, err := exec.LookPath("mailpit"); err == nil {
		return b, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	b := filepath.Join(gopath, "bin", "mailpit")
	if _, err := os.Stat(b); err != nil {
		return "", fmt.Errorf("mailpit not found: run `make deps` (go install github.com/axllent/mailpit@v1.33.1)")
	}
	return b, nil
}

// Start runs a fresh mailpit for the test and stops it at the end.
func Start(t testing.TB) *Mailpit {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatal(err)
	}
	smtpPort, httpPort := freePort(t), freePort(t)
	cmd := exec.Command(bin, "--quiet",
		"--smtp", "127.0.0.1:"+strconv.Itoa(smtpPort),
		"--listen", "127.0.0.1:"+strconv.Itoa(httpPort),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
		"--max", "20000",
		"--database", filepath.Join(t.TempDir(), "mailpit.db"))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	m := &Mailpit{
		SMTPURL: fmt.Sprintf("smtp://127.0.0.1:%d?tls=none", smtpPort),
		APIURL:  fmt.Sprintf("http://127.0.0.1:%d", httpPort),
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(m.APIURL + "/api/v1/messages")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", smtpPort))
		if err == nil {
			c.Close()
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit SMTP did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Messages lists every message received, newest first.
func (m *Mailpit) Messages(t testing.TB) []Message {
	t.Helper()
	var all []Message
	for start := 0; ; start += 500 {
		resp, err := http.Get(fmt.Sprintf("%s/api/v1/messages?start=%d&limit=500", m.APIURL, start))
		if err != nil {
			t.Fatalf("mailpit messages: %v", err)
		}
		var page struct {
			Total    int       `json:"total"`
			Messages []Message `json:"messages"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("mailpit messages: %v", err)
		}
		all = append(all, page.Messages...)
		if len(page.Messages) == 0 || len(all) >= page.Total {
			return all
		}
	}
}

// To lists the messages sent to address.
func (m *Mailpit) To(t testing.TB, address string) []Message {
	t.Helper()
	var out []Message
	for _, msg := range m.Messages(t) {
		for _, to := range msg.To {
			if strings.EqualFold(to.Address, address) {
				out = append(out, msg)
			}
		}
	}
	return out
}

// WaitFor polls until at least n messages were sent to address, or fails
// the test after timeout.
func (m *Mailpit) WaitFor(t testing.TB, address string, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := m.To(t, address)
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("want %d messages to %s within %s, got %d", n, address, timeout, len(got))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Text returns a message's plain-text body.
func (m *Mailpit) Text(t testing.TB, id string) string {
	t.Helper()
	resp, err := http.Get(m.APIURL + "/api/v1/message/" + id)
	if err != nil {
		t.Fatalf("mailpit message: %v", err)
	}
	defer resp.Body.Close()
	var msg struct {
		Text string `json:"Text"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&msg); err != nil {
		t.Fatalf("mailpit message: %v", err)
	}
	return msg.Text
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
