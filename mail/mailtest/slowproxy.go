package mailtest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Proxy is an SMTP server slower than the one behind it: it passes every
// connection through to its target and holds the server's acknowledgement
// of each message (its answer to the end of DATA, after which the message
// is the server's) for a delay. Plain SMTP only (no STARTTLS).
type Proxy struct {
	// SMTPURL is what SMTP_URL should be to send through the proxy.
	SMTPURL string
	target  string
	l       net.Listener
	delay   atomic.Int64
	acks    atomic.Int64
	dialed  atomic.Int64
	open    atomic.Int64
	maxOpen atomic.Int64
	wg      sync.WaitGroup
	mu      sync.Mutex
	conns   map[net.Conn]bool
	closed  bool
}

// SlowProxy starts a Proxy in front of target (an smtp:// URL such as
// Mailpit.SMTPURL, or host:port) holding each acknowledgement for delay,
// stops it at the end of the test, and returns its SMTP URL.
func SlowProxy(t testing.TB, target string, delay time.Duration) string {
	t.Helper()
	p, err := StartProxy(target, delay)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p.SMTPURL
}

// StartProxy starts a Proxy in front of target (see SlowProxy); Close stops it.
func StartProxy(target string, delay time.Duration) (*Proxy, error) {
	addr, query := target, "tls=none"
	if strings.Contains(target, "://") {
		u, err := url.Parse(target)
		if err != nil {
			return nil, fmt.Errorf("slow proxy target: %w", err)
		}
		addr = u.Host
		if u.RawQuery != "" {
			query = u.RawQuery
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{target: addr, l: l, conns: map[net.Conn]bool{},
		SMTPURL: fmt.Sprintf("smtp://%s?%s", l.Addr().String(), query)}
	p.delay.Store(int64(delay))
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// SetDelay changes how long the next acknowledgements are held.
func (p *Proxy) SetDelay(d time.Duration) { p.delay.Store(int64(d)) }

// Acks counts the acknowledgements the proxy passed on: the messages the
// server took.
func (p *Proxy) Acks() int64 { return p.acks.Load() }

// Connections counts the connections clients opened through the proxy.
func (p *Proxy) Connections() int64 { return p.dialed.Load() }

// MaxOpen is the most connections that were open through the proxy at once.
func (p *Proxy) MaxOpen() int64 { return p.maxOpen.Load() }

// Close stops accepting and cuts every connection.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	_ = p.l.Close()
	p.wg.Wait()
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	_ = c.Close()
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		client, err := p.l.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = client.Close()
			continue
		}
		if !p.track(client) || !p.track(server) {
			_ = client.Close()
			_ = server.Close()
			continue
		}
		p.dialed.Add(1)
		if n := p.open.Add(1); n > p.maxOpen.Load() {
			p.maxOpen.Store(n) // one goroutine accepts: no race on the maximum
		}
		// Each line the client sends outside a message's body is answered
		// once; a body is answered once, at its final ".". kinds carries,
		// in order, which answers are acknowledgements.
		kinds := make(chan bool, 4096)
		p.wg.Add(2)
		go func() {
			defer p.wg.Done()
			defer p.open.Add(-1)
			defer p.untrack(server)
			defer p.untrack(client)
			p.fromClient(client, server, kinds)
		}()
		go func() {
			defer p.wg.Done()
			defer p.untrack(client)
			defer p.untrack(server)
			p.fromServer(server, client, kinds)
		}()
	}
}

func (p *Proxy) fromClient(client, server net.Conn, kinds chan<- bool) {
	defer close(kinds)
	r, w := bufio.NewReader(client), bufio.NewWriter(server)
	inData := false
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			if inData {
				if line == ".\r\n" || line == ".\n" {
					inData = false
					kinds <- true
				}
			} else {
				kinds <- false
				if strings.EqualFold(strings.TrimSpace(line), "DATA") {
					inData = true
				}
			}
			if _, werr := w.WriteString(line); werr != nil {
				return
			}
			if r.Buffered() == 0 {
				if werr := w.Flush(); werr != nil {
					return
				}
			}
		}
		if err != nil {
			_ = w.Flush()
			return
		}
	}
}

func (p *Proxy) fromServer(server, client net.Conn, kinds <-chan bool) {
	r := bufio.NewReader(server)
	first := true
	for {
		var resp strings.Builder
		for {
			line, err := r.ReadString('\n')
			resp.WriteString(line)
			if err != nil {
				if resp.Len() > 0 {
					_, _ = io.WriteString(client, resp.String())
				}
				return
			}
			if len(line) < 4 || line[3] != '-' {
				break // the last line of a reply: "250 OK", not "250-…"
			}
		}
		if first {
			first = false // the greeting answers no command
		} else if ack := <-kinds; ack {
			time.Sleep(time.Duration(p.delay.Load()))
			p.acks.Add(1)
		}
		if _, err := io.WriteString(client, resp.String()); err != nil {
			return
		}
	}
}
