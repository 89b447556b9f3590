// Package config reads Cascade's configuration from the environment.
package config

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Config is every setting of a Cascade process. Load fills it from the
// environment with defaults that work on a developer's machine.
type Config struct {
	DatabaseURL       string
	DatabaseMaxConns  int
	HTTPAddr          string
	TemporalAddress   string // empty: run the embedded server
	TemporalNamespace string
	TemporalPort      int // embedded server's frontend port; 0 picks free ports
	TaskQueue         string
	SMTPURL           string // empty: mail stays in the outbox
	MailFrom          string
	PublicURL         string
	DataDir           string
	LogLevel          string
	ShutdownTimeout   time.Duration
	DebugAddr         string // empty: no pprof listener
}

// Var describes one environment variable: its name, default and meaning.
type Var struct {
	Name, Default, Help string
	set                 func(c *Config, v string) error
}

// Vars lists every variable Cascade reads, in the order --help shows them.
var Vars = []Var{
	{"DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cascade?sslmode=disable",
		"PostgreSQL for business data; the database is created if missing. The embedded Temporal server uses <db>_temporal and <db>_temporal_visibility beside it.",
		func(c *Config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || strings.TrimPrefix(u.Path, "/") == "" {
				return fmt.Errorf("want postgres://user@host:port/dbname")
			}
			c.DatabaseURL = v
			return nil
		}},
	{"DATABASE_MAX_CONNS", "20", "Most connections each pool opens to PostgreSQL: Cascade's own, and the embedded Temporal server's (its visibility store gets a quarter). Mind PostgreSQL's max_connections (100 by default).",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 2 || n > 1000 {
				return fmt.Errorf("want a number from 2 to 1000")
			}
			c.DatabaseMaxConns = n
			return nil
		}},
	{"HTTP_ADDR", ":8080", "Address the HTTP API and web app listen on.",
		func(c *Config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return fmt.Errorf("want host:port such as :8080")
			}
			c.HTTPAddr = v
			return nil
		}},
	{"TEMPORAL_ADDRESS", "", "host:port of an external Temporal cluster; empty runs the embedded server (serve only).",
		func(c *Config, v string) error {
			if v != "" {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("want host:port such as temporal:7233")
				}
			}
			c.TemporalAddress = v
			return nil
		}},
	{"TEMPORAL_NAMESPACE", "default", "Temporal namespace; registered on start by the embedded server.",
		func(c *Config, v string) error {
			if v == "" {
				return fmt.Errorf("must not be empty")
			}
			c.TemporalNamespace = v
			return nil
		}},
	{"TEMPORAL_PORT", "7233", "Frontend port of the embedded Temporal server on 127.0.0.1 (the next seven ports are used too); 0 picks free ports.",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 65527 {
				return fmt.Errorf("want a port number from 0 to 65527")
			}
			c.TemporalPort = n
			return nil
		}},
	{"TASK_QUEUE", "cascade", "Temporal task queue of Cascade's workflows and activities.",
		func(c *Config, v string) error {
			if v == "" {
				return fmt.Errorf("must not be empty")
			}
			c.TaskQueue = v
			return nil
		}},
	{"SMTP_URL", "", "smtp://user:pass@host:587 (STARTTLS when offered), smtps://…:465 (TLS), or smtp://host:1025?tls=none; empty keeps mail in the outbox.",
		func(c *Config, v string) error {
			if v != "" {
				u, err := url.Parse(v)
				if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
					return fmt.Errorf("want smtp://[user:pass@]host[:port] or smtps://…")
				}
			}
			c.SMTPURL = v
			return nil
		}},
	{"MAIL_FROM", "Cascade <cascade@localhost>", "Sender address of every email.",
		func(c *Config, v string) error {
			if !strings.Contains(v, "@") {
				return fmt.Errorf("want an email address")
			}
			c.MailFrom = v
			return nil
		}},
	{"PUBLIC_URL", "http://localhost:8080", "Address users reach Cascade at; used in email links, and https turns on Secure cookies.",
		func(c *Config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("want http(s)://host[:port]")
			}
			c.PublicURL = strings.TrimRight(v, "/")
			return nil
		}},
	{"DATA_DIR", "./data", "Folder for uploaded files (attachments, evidence).",
		func(c *Config, v string) error {
			if v == "" {
				return fmt.Errorf("must not be empty")
			}
			c.DataDir = v
			return nil
		}},
	{"LOG_LEVEL", "info", "debug, info, warn or error.",
		func(c *Config, v string) error {
			switch v {
			case "debug", "info", "warn", "error":
				c.LogLevel = v
				return nil
			}
			return fmt.Errorf("want debug, info, warn or error")
		}},
	{"SHUTDOWN_TIMEOUT", "10s", "How long a graceful stop may take after SIGTERM.",
		func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("want a duration such as 10s")
			}
			c.ShutdownTimeout = d
			return nil
		}},
	{"DEBUG_ADDR", "", "host:port where Go's pprof profiles are served (/debug/pprof/); empty serves none. Keep it on 127.0.0.1: it is not signed in.",
		func(c *Config, v string) error {
			if v != "" {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("want host:port such as 127.0.0.1:6060")
				}
			}
			c.DebugAddr = v
			return nil
		}},
}

// Load reads the configuration through getenv (os.Getenv in production).
// The first bad value stops it with an error naming the variable.
func Load(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var c Config
	for _, v := range Vars {
		val := getenv(v.Name)
		if val == "" {
			val = v.Default
		}
		if err := v.set(&c, val); err != nil {
			return Config{}, fmt.Errorf("%s=%q: %w", v.Name, val, err)
		}
	}
	return c, nil
}

// Help returns the table of variables that --help prints.
func Help() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "VARIABLE\tDEFAULT\tMEANING")
	for _, v := range Vars {
		d := v.Default
		if d == "" {
			d = "(empty)"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", v.Name, d, v.Help)
	}
	w.Flush()
	return b.String()
}
