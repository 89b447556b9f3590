// Package mail sends Cascade's email over SMTP.
package mail

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email ready to send.
type Message struct {
	// ID becomes the Message-ID, derived from the outbox row's idempotency
	// key, so a client that ever sees a resend can fold it into the first.
	ID      string
	To      string
	Subject string
	Text    string
	HTML    string
}

// Mailer sends messages through one SMTP server.
type Mailer struct {
	from string
	host string
	opts []gomail.Option
}

// New returns a Mailer for smtpURL:
//
//	smtp://user:pass@host:587         STARTTLS when the server offers it
//	smtp://host:1025?tls=none         plain (a local relay, mailpit)
//	smtp://host:587?tls=required      STARTTLS or fail
//	smtps://user:pass@host:465        TLS from the first byte
//
// An empty smtpURL returns nil: mail then stays in the outbox.
func New(smtpURL, from string) (*Mailer, error) {
	if smtpURL == "" {
		return nil, nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
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
		return nil, fmt.Errorf("SMTP_URL: scheme must be smtp or smtps")
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("SMTP_URL: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if user := u.User.Username(); user != "" {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(user), gomail.WithPassword(pw))
	}
	return &Mailer{from: from, host: u.Hostname(), opts: opts}, nil
}

// Send delivers one message.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	em := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := em.From(m.from); err != nil {
		return fmt.Errorf("from %q: %w", m.from, err)
	}
	if err := em.To(msg.To); err != nil {
		return fmt.Errorf("to %q: %w", msg.To, err)
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
	c, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, em); err != nil {
		return fmt.Errorf("send to %s: %w", msg.To, err)
	}
	return nil
}
