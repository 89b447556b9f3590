// Package mail sends Cascade's email over SMTP.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// DefaultConcurrency is how many connections a Mailer keeps to its SMTP
// server at most unless SMTP_CONCURRENCY says otherwise.
const DefaultConcurrency = 4

// idleFor is how long a connection may rest in the pool before it is closed
// rather than used again (servers drop idle clients after a minute or so).
const idleFor = 30 * time.Second

// Message is one email ready to send.
type Message struct {
	// ID becomes the Message-ID, derived from the outbox row's idempotency
	// key, so a client that ever sees a resend can fold it into the first.
	ID      string
	To      string
	Subject string
	Text    string
	HTML    string
	// Claim, when set, is called once the message has one of the server's
	// connections (SMTP_CONCURRENCY), just before its SMTP transaction: the
	// outbox marks its row 'sending' there. An error sends nothing and is
	// returned.
	Claim func(ctx context.Context) error
}

// Mailer sends messages through one SMTP server over at most Concurrency
// connections, each kept open for the next message (MAIL, RCPT, DATA,
// RSET on one connection instead of a dial, EHLO and AUTH per message).
type Mailer struct {
	from   string
	client *gomail.Client
	slots  chan struct{}

	mu   sync.Mutex
	idle []*pooled
}

// pooled is an open connection resting in the pool.
type pooled struct {
	c     *smtp.Client
	since time.Time
}

// Option changes a Mailer New returns.
type Option func(*Mailer)

// WithConcurrency bounds the connections to the server (SMTP_CONCURRENCY);
// n < 1 means DefaultConcurrency.
func WithConcurrency(n int) Option {
	return func(m *Mailer) {
		if n < 1 {
			n = DefaultConcurrency
		}
		m.slots = make(chan struct{}, n)
	}
}

// New returns a Mailer for smtpURL:
//
//	smtp://user:pass@host:587         STARTTLS when the server offers it
//	smtp://host:1025?tls=none         plain (a local relay, mailpit)
//	smtp://host:587?tls=required      STARTTLS or fail
//	smtps://user:pass@host:465        TLS from the first byte
//
// An empty smtpURL returns nil: mail then stays in the outbox.
func New(smtpURL, from string, options ...Option) (*Mailer, error) {
	if smtpURL == "" {
		return nil, nil
	}
	opts, host, err := ClientOptions(smtpURL)
	if err != nil {
		return nil, err
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	m := &Mailer{from: from, client: c, slots: make(chan struct{}, DefaultConcurrency)}
	for _, o := range options {
		o(m)
	}
	return m, nil
}

// ClientOptions are the go-mail options and host smtpURL names (see New).
func ClientOptions(smtpURL string) ([]gomail.Option, string, error) {
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, "", fmt.Errorf("SMTP_URL: %w", err)
	}
	opts := []gomail.Option{gomail.WithTimeout(20 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	case "smtp":
		switch u.Query().Get("tls") {
		case "none":
			opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		case "required":
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		default:
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		}
	default:
		return nil, "", fmt.Errorf("SMTP_URL: scheme must be smtp or smtps")
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil {
			return nil, "", fmt.Errorf("SMTP_URL: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if user := u.User.Username(); user != "" {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(user), gomail.WithPassword(pw))
	}
	return opts, u.Hostname(), nil
}

// Concurrency is the most connections the Mailer opens to its server.
func (m *Mailer) Concurrency() int { return cap(m.slots) }

// Build makes the go-mail message of msg, sent from from.
func Build(from string, msg Message) (*gomail.Msg, error) {
	em := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := em.From(from); err != nil {
		return nil, fmt.Errorf("from %q: %w", from, err)
	}
	if err := em.To(msg.To); err != nil {
		return nil, Permanent(fmt.Errorf("to %q: %w", msg.To, err))
	}
	em.Subject(msg.Subject)
	em.SetDate()
	if msg.ID != "" {
		em.SetMessageIDWithValue(msg.ID)
	}
	em.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		em.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	return em, nil
}

// Send delivers one message over one of the pool's connections, waiting
// for one while Concurrency are busy. It returns nil once the server
// accepted the message (its answer to the end of DATA), even if what
// follows on the connection fails.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	em, err := Build(m.from, msg)
	if err != nil {
		return err
	}
	select {
	case m.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-m.slots }()
	if msg.Claim != nil {
		if err := msg.Claim(ctx); err != nil {
			return err
		}
	}
	for try := 0; ; try++ {
		c, reused, err := m.take(ctx)
		if err != nil {
			return fmt.Errorf("send to %s: %w", msg.To, err)
		}
		err = m.client.SendWithSMTPClient(c, em)
		if err == nil {
			m.put(c)
			return nil
		}
		_ = c.Close()
		if em.IsDelivered() {
			return nil // accepted; only the RSET after it failed
		}
		var se *gomail.SendError
		if reused && try == 0 && errors.As(err, &se) && se.Reason == gomail.ErrConnCheck {
			continue // the server dropped the idle connection: nothing was sent
		}
		if isPermanent(err) {
			err = Permanent(err)
		}
		return fmt.Errorf("send to %s: %w", msg.To, err)
	}
}

// take returns an idle connection (reused true) or dials a new one.
func (m *Mailer) take(ctx context.Context) (*smtp.Client, bool, error) {
	m.mu.Lock()
	var stale []*pooled
	var got *pooled
	for len(m.idle) > 0 {
		p := m.idle[len(m.idle)-1]
		m.idle = m.idle[:len(m.idle)-1]
		if time.Since(p.since) > idleFor {
			stale = append(stale, p)
			continue
		}
		got = p
		break
	}
	m.mu.Unlock()
	for _, p := range stale {
		go func() { _ = p.c.Quit() }()
	}
	if got != nil {
		return got.c, true, nil
	}
	c, err := m.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return nil, false, err
	}
	return c, false, nil
}

func (m *Mailer) put(c *smtp.Client) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.idle = append(m.idle, &pooled{c: c, since: time.Now()})
}

// Close says QUIT on the connections resting in the pool.
func (m *Mailer) Close() {
	if m == nil {
		return
	}
	m.mu.Lock()
	idle := m.idle
	m.idle = nil
	m.mu.Unlock()
	for _, p := range idle {
		_ = p.c.Quit()
	}
}

// PermanentError is a message the server refused for good (a 5xx answer to
// its recipient or content, or an address that is not one): sending it
// again would fail the same way.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent marks err as a PermanentError.
func Permanent(err error) error { return &PermanentError{Err: err} }

// IsPermanent is true for an error retrying cannot cure.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// isPermanent is true for a 5xx answer to the recipient, DATA or the
// message: the server refused this message, not every message (a refused
// sender, an authentication or connection failure is retried).
func isPermanent(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Reason {
	case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		code := se.ErrorCode()
		return code >= 500 && code < 600
	case gomail.ErrGetRcpts:
		return true
	}
	return false
}
