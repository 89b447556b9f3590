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
	// DebugAddrAllowPublic lets DEBUG_ADDR listen beyond loopback.
	DebugAddrAllowPublic bool
	// MetricsAddr is where /metrics listens on its own; empty: /metrics on
	// HTTP_ADDR answers loopback connections only.
	MetricsAddr string
	// TrustedProxies are the reverse proxies (IPs or CIDRs) whose
	// X-Forwarded-For is believed; empty: none.
	TrustedProxies []string
	// HTTP server timeouts: the whole request read (body included), the
	// answer written, a kept-alive connection left idle.
	HTTPReadTimeout  time.Duration
	HTTPWriteTimeout time.Duration
	HTTPIdleTimeout  time.Duration
	// ReconcileInterval is how often a worker compares PostgreSQL with the
	// workflows running and starts what is missing; 0: only at start.
	ReconcileInterval time.Duration
	Cluster           Cluster
	// SMTPConcurrency bounds the connections a process opens to the SMTP
	// server at once (SMTP_CONCURRENCY).
	SMTPConcurrency int
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
	{"DATABASE_MAX_CONNS", "40", "Most connections this process holds to PostgreSQL, all pools together: for serve, Cascade's own, the embedded Temporal server's (four services, each with a main and a visibility pool) and its single-server lock (at least 22); for api and worker, Cascade's pool. The sum over all processes must stay under PostgreSQL's max_connections (100 by default).",
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
	{"TEMPORAL_PORT", "7233", "Frontend port of the embedded Temporal server on 127.0.0.1 (the next seven ports are used too, the last four for membership, which the server stores as a smallint: at most 32760); 0 picks free ports.",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (n > 0 && n < 1024) || n > MaxTemporalPort {
				return fmt.Errorf("want 0 or a port from 1024 to %d: the embedded server uses it and the next seven, and stores the membership ports (the last four) as a PostgreSQL smallint (at most 32767)", MaxTemporalPort)
			}
			c.TemporalPort = n
			return nil
		}},
	// Cluster settings (Config.Cluster): the embedded server's UI, retention
	// and shards, then a secured cluster's TLS and API key.
	{"TEMPORAL_UI_ADDR", "127.0.0.1:8233", "Where cascade serve serves the Temporal Web UI, pointed at its embedded server; empty (set, but to nothing) or off serves none. Not signed in: keep it on 127.0.0.1.",
		func(c *Config, v string) error {
			if v == "off" {
				v = ""
			}
			if v != "" {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("want host:port such as 127.0.0.1:8233, or empty")
				}
			}
			c.Cluster.UIAddr = v
			return nil
		}},
	{"TEMPORAL_RETENTION", "30d", "How long the embedded server keeps a closed workflow's history (the namespace's retention, applied at every start, also to an existing namespace): 30d, 90d, 720h. At least 1d.",
		func(c *Config, v string) error {
			d, err := parseDays(v)
			if err != nil || d < 24*time.Hour || d > 3650*24*time.Hour {
				return fmt.Errorf("want a duration from 1d to 3650d such as 30d or 720h")
			}
			c.Cluster.Retention = d
			return nil
		}},
	{"TEMPORAL_HISTORY_SHARDS", "4", "History shards of the embedded server. Fixed at its first start: a different number later is refused (moving means new Temporal databases, see the README). 4 fits one machine; a cluster takes 512 or more.",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 16384 {
				return fmt.Errorf("want a number from 1 to 16384")
			}
			c.Cluster.HistoryShards = n
			return nil
		}},
	{"TEMPORAL_TLS_CA", "", "PEM file of the CA the Temporal cluster's certificate is checked against (api, worker); setting any TEMPORAL_TLS_* turns TLS on.",
		func(c *Config, v string) error { c.Cluster.TLSCA = v; return fileOrEmpty(v) }},
	{"TEMPORAL_TLS_CERT", "", "Client certificate (PEM file) for a cluster that asks for mutual TLS; with TEMPORAL_TLS_KEY.",
		func(c *Config, v string) error { c.Cluster.TLSCert = v; return fileOrEmpty(v) }},
	{"TEMPORAL_TLS_KEY", "", "Key (PEM file) of TEMPORAL_TLS_CERT.",
		func(c *Config, v string) error {
			c.Cluster.TLSKey = v
			if (v == "") != (c.Cluster.TLSCert == "") {
				return fmt.Errorf("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together")
			}
			return fileOrEmpty(v)
		}},
	{"TEMPORAL_TLS_SERVER_NAME", "", "Name the cluster's certificate is checked for, when it differs from TEMPORAL_ADDRESS's host; turns TLS on.",
		func(c *Config, v string) error { c.Cluster.TLSServerName = v; return nil }},
	{"TEMPORAL_API_KEY", "", "API key sent as a bearer token on every call to Temporal (Temporal Cloud, or a cluster behind an authorizing proxy); turns TLS on.",
		func(c *Config, v string) error {
			c.Cluster.APIKey = v
			if v != "" && (c.TemporalAddress == "") {
				return fmt.Errorf("needs TEMPORAL_ADDRESS: the embedded server takes no API key")
			}
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
	{"SMTP_CONCURRENCY", "4", "Most connections a worker process keeps open to the SMTP server at once, each sending one message after another; every email of the process waits its turn for one. Raise it for a server that takes long per message and allows more clients.",
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100 {
				return fmt.Errorf("want a number from 1 to 100")
			}
			c.SMTPConcurrency = n
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
	{"RECONCILE_INTERVAL", "5m", "How often a worker (serve, worker) compares PostgreSQL with the workflows running on Temporal and starts what is missing (issued plans, open reports and tasks); it always does once at start. 0: only at start.",
		func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("want a duration such as 5m, or 0")
			}
			c.ReconcileInterval = d
			return nil
		}},
	{"DEBUG_ADDR_ALLOW_PUBLIC", "0", "1 lets DEBUG_ADDR listen on an address other than loopback (pprof is not signed in: put something in front of it).",
		func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("want 0 or 1")
			}
			c.DebugAddrAllowPublic = b
			return nil
		}},
	{"DEBUG_ADDR", "", "host:port where Go's pprof profiles are served (/debug/pprof/); empty serves none. Only loopback (127.0.0.1:6060) unless DEBUG_ADDR_ALLOW_PUBLIC=1: it is not signed in.",
		func(c *Config, v string) error {
			if v != "" {
				host, _, err := net.SplitHostPort(v)
				if err != nil {
					return fmt.Errorf("want host:port such as 127.0.0.1:6060")
				}
				if !c.DebugAddrAllowPublic && !Loopback(host) {
					return fmt.Errorf("pprof is not signed in: listen on 127.0.0.1 or [::1], or set DEBUG_ADDR_ALLOW_PUBLIC=1")
				}
			}
			c.DebugAddr = v
			return nil
		}},
	{"METRICS_ADDR", "", "host:port where Prometheus metrics (/metrics) are served on their own listener, e.g. 127.0.0.1:9090; empty: /metrics on HTTP_ADDR answers only connections from loopback that came through no proxy.",
		func(c *Config, v string) error {
			if v != "" {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("want host:port such as 127.0.0.1:9090")
				}
			}
			c.MetricsAddr = v
			return nil
		}},
	{"TRUSTED_PROXIES", "", "Comma-separated IPs or CIDRs of the reverse proxies in front of Cascade whose X-Forwarded-For is believed (e.g. 127.0.0.1 for nginx on the same host); empty trusts none: the client address is the connection's.",
		func(c *Config, v string) error {
			c.TrustedProxies = nil
			for _, p := range strings.Split(v, ",") {
				p = strings.TrimSpace(p)
				if p == "" {
					continue
				}
				if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
					return fmt.Errorf("%q is not an IP address or CIDR", p)
				}
				c.TrustedProxies = append(c.TrustedProxies, p)
			}
			return nil
		}},
	{"HTTP_READ_TIMEOUT", "2m", "Longest time to read a whole request, body included (uploads of imports and attachments must fit).",
		durationVar(func(c *Config) *time.Duration { return &c.HTTPReadTimeout })},
	{"HTTP_WRITE_TIMEOUT", "5m", "Longest time to handle a request and write its answer (Excel exports and review documents must fit).",
		durationVar(func(c *Config) *time.Duration { return &c.HTTPWriteTimeout })},
	{"HTTP_IDLE_TIMEOUT", "2m", "How long a kept-alive connection may stay idle.",
		durationVar(func(c *Config) *time.Duration { return &c.HTTPIdleTimeout })},
}

func durationVar(field func(c *Config) *time.Duration) func(c *Config, v string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("want a duration such as 2m")
		}
		*field(c) = d
		return nil
	}
}

// Loopback reports whether host (an IP or "localhost") is only reachable
// from this machine.
func Loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
		if val == "" && !explicitlyEmpty(v.Name) {
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
