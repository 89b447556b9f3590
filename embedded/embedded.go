// Package embedded runs a Temporal server inside the Cascade process, persisted
// to PostgreSQL, so that one binary is enough for a province.
//
// The server keeps its state in two databases of its own beside Cascade's
// (e.g. cascade_temporal and cascade_temporal_visibility), created and
// schema-migrated on first start from the schema that go.temporal.io/server
// embeds. Nothing is kept in memory only: a restart resumes every workflow and
// every pending timer.
package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	mrand "math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"
	"github.com/prometheus/client_golang/prometheus"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	otelmetric "go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/serviceerror"
	taskqueuepb "go.temporal.io/api/taskqueue/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	persistencespb "go.temporal.io/server/api/persistence/v1"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql" // registers the postgres12 plugin
	"go.temporal.io/server/temporal"
	schematool "go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
)

// NumHistoryShards is the default shard count (TEMPORAL_HISTORY_SHARDS). It
// is fixed for the life of a Temporal database: the server keeps the count it
// was first started with, so Start refuses a different one rather than run
// with a number the operator did not choose. Four shards let a two-core
// machine keep both cores busy without the overhead a cluster-sized count
// (512 and up) brings; a shard is the unit of history work a host owns.
const NumHistoryShards = 4

// MaxPort is the highest frontend port: the membership ports (Port+4 … +7)
// are stored in a PostgreSQL smallint column (cluster_membership.rpc_port).
const MaxPort = 32767 - 7

// Config says where the embedded server keeps its data and where it listens.
type Config struct {
	// DatabaseURL is Cascade's own PostgreSQL URL; the server's databases are
	// named after it with the suffixes _temporal and _temporal_visibility.
	DatabaseURL string
	// Namespace is registered on start if it does not exist.
	Namespace string
	// Port is the frontend gRPC port on 127.0.0.1; the history, matching and
	// worker services use the next three, and membership the four after.
	// 0 picks free ports (tests).
	Port int
	// Retention of closed workflow histories; applied to the namespace at
	// every start, also when it exists already. Default 30 days.
	Retention time.Duration
	// HistoryShards is the history shard count; 0 is NumHistoryShards. A
	// database first started with another count is refused.
	HistoryShards int32
	// Metrics receives the server's own metrics (requests, latencies,
	// persistence, task queues), named temporal_server_*; nil drops them.
	Metrics prometheus.Registerer
	// MaxConns bounds each service's pool to the main store (the server
	// runs four services, each with its own pools). Default 20.
	MaxConns int
	// VisibilityMaxConns bounds each service's pool to the visibility
	// store; 0 is a quarter of MaxConns, at least 2.
	VisibilityMaxConns int
	// LogLevel of the server's own logs (JSON on stderr, without stack
	// traces); default "error": the server is chatty at lower levels.
	LogLevel string
	// LockLost is called when the single-server lock was lost and could
	// not be taken again (guard.go); nil stops the process at once.
	LockLost func(error)
}

// Server is a running embedded Temporal server.
type Server struct {
	srv      temporal.Server
	hostPort string
	// owner holds and watches the advisory lock that makes this process
	// the only embedded server on its databases.
	owner *guard
	level zap.AtomicLevel
}

// HostPort is the frontend address a client dials.
func (s *Server) HostPort() string { return s.hostPort }

// Stop stops every service of the server. Once they have stopped, and
// while it still holds the lock, it clears the server's membership rows: the
// next server on the databases then knows that this one has stopped and
// starts without waiting guardHandover (a restart, or the next test).
func (s *Server) Stop(ctx context.Context) error {
	s.level.SetLevel(zapcore.FatalLevel)
	err := s.srv.Stop()
	if err == nil && s.owner != nil {
		s.owner.stopped(ctx)
	}
	s.release()
	return err
}

func (s *Server) release() {
	if s.owner != nil {
		s.owner.close()
	}
}

// clusterName is the embedded server's cluster, as stored in its metadata.
const clusterName = "active"

// ownerLockKey is the advisory lock an embedded server holds while it runs.
const ownerLockKey = 727275

// claim takes the lock that makes this process the only embedded server on
// the database, then clears the membership rows a previous run left: with
// a single node they only make a restarted server wait for hosts that are gone.
// When a server heartbeated its membership recently, it may be a process
// whose lock connection dropped and that has not stopped yet (guard.go):
// claim waits guardHandover so that it has. A server that stopped in order
// cleared its rows (Server.Stop): no wait then.
func claim(ctx context.Context, databaseURL, mainDB string) (*guard, error) {
	db, err := sql.Open("postgres", withApplicationName(databaseURL, "cascade-guard"))
	if err != nil {
		return nil, err
	}
	db.SetMaxIdleConns(1)
	conn, err := takeLock(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	u, _ := url.Parse(databaseURL)
	u.Path = "/" + mainDB
	g := &guard{db: db, conn: conn, membershipURL: u.String()}
	mdb, err := sql.Open("postgres", g.membershipURL)
	if err == nil {
		var last sql.NullTime
		err = mdb.QueryRowContext(ctx, `SELECT max(last_heartbeat) FROM cluster_membership`).Scan(&last)
		if err == nil && last.Valid && time.Since(last.Time) < recentHeartbeat {
			err = sleep(ctx, guardHandover)
		}
		if err == nil {
			_, err = mdb.ExecContext(ctx, `DELETE FROM cluster_membership`)
		}
		mdb.Close()
	}
	if err != nil {
		g.close()
		return nil, fmt.Errorf("clear stale membership: %w", err)
	}
	return g, nil
}

// Start creates and migrates the server's databases if needed, starts the
// server and registers the namespace. It returns once the namespace answers.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.LogLevel == "" {
		cfg.LogLevel = "error"
	}
	if cfg.MaxConns == 0 {
		cfg.MaxConns = 20
	}
	if cfg.VisibilityMaxConns == 0 {
		cfg.VisibilityMaxConns = max(2, cfg.MaxConns/4)
	}
	if cfg.Retention == 0 {
		cfg.Retention = 30 * 24 * time.Hour
	}
	if cfg.HistoryShards == 0 {
		cfg.HistoryShards = NumHistoryShards
	}
	if cfg.Port < 0 || cfg.Port > MaxPort {
		return nil, fmt.Errorf("temporal port %d: want 0 or at most %d (the server uses it and the next seven; "+
			"it stores the last four, its membership ports, as a smallint, at most 32767)", cfg.Port, MaxPort)
	}
	level, err := zapcore.ParseLevel(cfg.LogLevel)
	if err != nil {
		return nil, fmt.Errorf("temporal log level %q: %w", cfg.LogLevel, err)
	}
	// The server logs errors while its services find each other at start
	// and lose each other at stop; those are expected, so the level is
	// raised to fatal until it is up, and again when it stops.
	atomic := zap.NewAtomicLevelAt(zapcore.FatalLevel)
	logger, err := newLogger(atomic)
	if err != nil {
		return nil, err
	}

	conn, err := parseDatabaseURL(cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	mainDB := conn.DatabaseName + "_temporal"
	visDB := conn.DatabaseName + "_temporal_visibility"
	if err := setupSchema(cfg.DatabaseURL, conn, mainDB, "postgresql/v12/temporal", logger); err != nil {
		return nil, fmt.Errorf("temporal schema: %w", err)
	}
	if err := setupSchema(cfg.DatabaseURL, conn, visDB, "postgresql/v12/visibility", logger); err != nil {
		return nil, fmt.Errorf("temporal visibility schema: %w", err)
	}

	owner, err := claim(ctx, cfg.DatabaseURL, mainDB)
	if err != nil {
		return nil, err
	}
	if err := checkShards(ctx, cfg.DatabaseURL, mainDB, cfg.HistoryShards); err != nil {
		owner.close()
		return nil, err
	}
	owner.watch(cfg.LockLost)
	started := false
	defer func() {
		if !started {
			owner.close()
		}
	}()

	ports, err := pickPorts(cfg.Port)
	if err != nil {
		return nil, err
	}
	hostPort := net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0]))

	store := func(db, applicationName string, maxConns int) config.DataStore {
		c := conn
		c.DatabaseName = db
		c.ConnectAttributes = maps.Clone(conn.ConnectAttributes)
		if c.ConnectAttributes["application_name"] == "" {
			c.ConnectAttributes["application_name"] = applicationName
		}
		c.MaxConns = maxConns
		// Every connection may stay open idle, as in the server's own
		// development-postgres12.yaml: the budget counts them all anyway,
		// and with half of them idle a pool under load closed and reopened
		// connections (a PostgreSQL backend started each time).
		c.MaxIdleConns = maxConns
		c.MaxConnLifetime = time.Hour
		return config.DataStore{SQL: &c}
	}
	svc := func(i int) config.Service {
		return config.Service{RPC: config.RPC{
			GRPCPort:       ports[i],
			MembershipPort: ports[4+i],
			BindOnIP:       "127.0.0.1",
		}}
	}
	serverCfg := &config.Config{
		Global: config.Global{
			Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: "127.0.0.1"},
		},
		Persistence: config.Persistence{
			DefaultStore:     "default",
			VisibilityStore:  "visibility",
			NumHistoryShards: cfg.HistoryShards,
			DataStores: map[string]config.DataStore{
				"default":    store(mainDB, "cascade-temporal", cfg.MaxConns),
				"visibility": store(visDB, "cascade-temporal-visibility", cfg.VisibilityMaxConns),
			},
		},
		ClusterMetadata: &cluster.Config{
			EnableGlobalNamespace:    false,
			FailoverVersionIncrement: 10,
			MasterClusterName:        clusterName,
			CurrentClusterName:       clusterName,
			ClusterInformation: map[string]cluster.ClusterInformation{
				clusterName: {Enabled: true, InitialFailoverVersion: 1, RPCAddress: hostPort},
			},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services: map[string]config.Service{
			"frontend": svc(0),
			"history":  svc(1),
			"matching": svc(2),
			"worker":   svc(3),
		},
		Archival: config.Archival{
			History:    config.HistoryArchival{State: "disabled"},
			Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		PublicClient: config.PublicClient{HostPort: hostPort},
	}

	dyn := dynamicconfig.StaticClient{
		// A namespace registered at start is usable within a second, not ten.
		dynamicconfig.NamespaceCacheRefreshInterval.Key(): time.Second,
		// The server shares the machine with Cascade: keep its persistence
		// rate limits high enough for a province's fan-out.
		dynamicconfig.FrontendPersistenceMaxQPS.Key(): 10000,
		dynamicconfig.HistoryPersistenceMaxQPS.Key():  20000,
		dynamicconfig.MatchingPersistenceMaxQPS.Key(): 10000,
		dynamicconfig.FrontendRPS.Key():               10000,
		// One host: a task queue needs no partitions, and with the default
		// four a task could wait on an unpolled partition for a minute
		// (measured in make bench).
		dynamicconfig.MatchingNumTaskqueueReadPartitions.Key():  1,
		dynamicconfig.MatchingNumTaskqueueWritePartitions.Key(): 1,
		// Runs a workflow's tasks in its own queue, so one busy workflow
		// (a plan fanning out) does not hold up the others.
		dynamicconfig.TaskSchedulerEnableExecutionQueueScheduler.Key(): true,
		// Workflows the history service keeps in memory between their
		// tasks (default 128,000): a unit's report wakes days apart and
		// reloads cheaply. With it, RSS after a plan to 10,000 units fell
		// from 1.5–1.6 to 1.4 GiB (make bench); the rest is not found yet.
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key(): 4000,
	}

	mh, err := metricsHandler(logger, cfg.Metrics)
	if err != nil {
		return nil, err
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(serverCfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(logger),
		temporal.WithDynamicConfigClient(dyn),
		temporal.WithCustomMetricsHandler(mh),
	)
	if err != nil {
		return nil, fmt.Errorf("create temporal server: %w", err)
	}
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("start temporal server: %w", err)
	}
	s := &Server{srv: srv, hostPort: hostPort, level: atomic}
	if err := s.registerNamespace(ctx, cfg.Namespace, cfg.Retention); err != nil {
		_ = srv.Stop()
		return nil, err
	}
	atomic.SetLevel(level)
	s.owner, started = owner, true
	return s, nil
}

// registerNamespace creates the namespace if missing and waits until the
// frontend serves it.
func (s *Server) registerNamespace(ctx context.Context, ns string, retention time.Duration) error {
	nc, err := client.NewNamespaceClient(client.Options{HostPort: s.hostPort, Logger: quietLogger{}})
	if err != nil {
		return fmt.Errorf("namespace client: %w", err)
	}
	defer nc.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace:                        ns,
			WorkflowExecutionRetentionPeriod: durationpb.New(retention),
		})
		var exists *serviceerror.NamespaceAlreadyExists
		if err == nil {
			break
		}
		if errors.As(err, &exists) {
			if err := updateRetention(ctx, nc, ns, retention); err != nil {
				return err
			}
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("register namespace %q: %w", ns, err)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
	for {
		resp, err := nc.Describe(ctx, ns)
		if err == nil && resp.GetNamespaceInfo().GetState() == enumspb.NAMESPACE_STATE_REGISTERED {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("namespace %q not ready: %v", ns, err)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
	return s.waitForServices(ctx, ns, deadline)
}

// waitForServices returns once the history and matching services have
// joined the membership ring and answer through the frontend: before that,
// calls fail with "Not enough hosts to serve the request".
func (s *Server) waitForServices(ctx context.Context, ns string, deadline time.Time) error {
	c, err := client.Dial(client.Options{HostPort: s.hostPort, Namespace: ns, Logger: quietLogger{}})
	if err != nil {
		return fmt.Errorf("dial embedded server: %w", err)
	}
	defer c.Close()
	svc := c.WorkflowService()
	for {
		_, err := svc.GetWorkflowExecutionHistory(ctx, &workflowservice.GetWorkflowExecutionHistoryRequest{
			Namespace: ns, Execution: &commonpb.WorkflowExecution{WorkflowId: "cascade-readiness-probe"},
		})
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			_, err = svc.DescribeTaskQueue(ctx, &workflowservice.DescribeTaskQueueRequest{
				Namespace: ns, TaskQueue: &taskqueuepb.TaskQueue{Name: "cascade-readiness-probe"},
			})
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("embedded temporal services not ready: %v", err)
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
}

// updateRetention sets an existing namespace's retention to the configured
// one, so that a changed TEMPORAL_RETENTION holds from the next start.
func updateRetention(ctx context.Context, nc client.NamespaceClient, ns string, retention time.Duration) error {
	resp, err := nc.Describe(ctx, ns)
	if err != nil {
		return fmt.Errorf("describe namespace %q: %w", ns, err)
	}
	if resp.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration() == retention {
		return nil
	}
	err = nc.Update(ctx, &workflowservice.UpdateNamespaceRequest{
		Namespace: ns,
		Config:    &namespacepb.NamespaceConfig{WorkflowExecutionRetentionTtl: durationpb.New(retention)},
	})
	if err != nil {
		return fmt.Errorf("set namespace %q retention to %s: %w", ns, retention, err)
	}
	return nil
}

// checkShards refuses a shard count other than the one the database was
// first started with (the server would silently keep the stored one).
func checkShards(ctx context.Context, databaseURL, mainDB string, want int32) error {
	u, _ := url.Parse(databaseURL)
	u.Path = "/" + mainDB
	db, err := sql.Open("postgres", u.String())
	if err != nil {
		return err
	}
	defer db.Close()
	var data []byte
	var encoding string
	err = db.QueryRowContext(ctx, `SELECT data, data_encoding FROM cluster_metadata_info WHERE metadata_partition = 0 AND cluster_name = $1`,
		clusterName).Scan(&data, &encoding)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // first start
	}
	if err != nil {
		return fmt.Errorf("read temporal cluster metadata: %w", err)
	}
	if encoding != enumspb.ENCODING_TYPE_PROTO3.String() {
		return fmt.Errorf("temporal cluster metadata: unexpected encoding %q", encoding)
	}
	var md persistencespb.ClusterMetadata
	if err := proto.Unmarshal(data, &md); err != nil {
		return fmt.Errorf("temporal cluster metadata: %w", err)
	}
	if got := md.GetHistoryShardCount(); got != want {
		return fmt.Errorf("TEMPORAL_HISTORY_SHARDS=%d, but the Temporal database %s was created with %d shards: "+
			"the count cannot change after the first start (set it back to %d, or move to new Temporal databases, see the README)",
			want, mainDB, got, got)
	}
	return nil
}

// metricsHandler is the server's metrics handler: OpenTelemetry instruments
// exported to reg with the prefix temporal_server_, the histogram buckets
// the server uses by default (its timers in milliseconds).
func metricsHandler(logger log.Logger, reg prometheus.Registerer) (metrics.Handler, error) {
	if reg == nil {
		return metrics.NoopMetricsHandler, nil
	}
	exp, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithNamespace("temporal_server"),
		otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("temporal metrics: %w", err)
	}
	ms := []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000}
	buckets := map[string][]float64{
		metrics.Dimensionless: {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000},
		metrics.Milliseconds:  ms,
		metrics.Bytes:         {1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216},
	}
	var views []sdkmetric.View
	for unit, b := range buckets {
		views = append(views, sdkmetric.NewView(
			sdkmetric.Instrument{Kind: sdkmetric.InstrumentKindHistogram, Unit: unit},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: b}},
		))
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp), sdkmetric.WithView(views...))
	return metrics.NewOtelMetricsHandler(logger, otelProvider{provider}, metrics.ClientConfig{PerUnitHistogramBoundaries: buckets}, false)
}

// otelProvider is metrics.OpenTelemetryProvider over a meter provider whose
// reader is a Prometheus registry Cascade serves.
type otelProvider struct{ p *sdkmetric.MeterProvider }

func (o otelProvider) GetMeter() otelmetric.Meter { return o.p.Meter("temporal") }
func (o otelProvider) Stop(log.Logger)            { _ = o.p.Shutdown(context.Background()) }

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// setupSchema creates database db if it is missing and brings its schema to
// the newest version the server embeds. A PostgreSQL advisory lock keeps two
// processes starting together from migrating at once.
func setupSchema(databaseURL string, conn config.SQL, db, schemaName string, logger log.Logger) error {
	admin, err := sql.Open("postgres", databaseURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	ctx := context.Background()
	c, err := admin.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer c.Close()
	const lockKey = 727274 // arbitrary, shared by every Cascade process
	if _, err := c.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return fmt.Errorf("advisory lock: %w", err)
	}
	defer c.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, lockKey) //nolint:errcheck

	var exists bool
	if err := c.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, db).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", db, err)
	}
	if !exists {
		if _, err := c.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(db)); err != nil {
			return fmt.Errorf("create database %s: %w", db, err)
		}
	}
	conn.DatabaseName = db
	tc, err := sqltool.NewConnection(&conn, logger)
	if err != nil {
		return fmt.Errorf("connect %s: %w", db, err)
	}
	defer tc.Close()
	if err := schematool.NewSetupSchemaTask(tc, &schematool.SetupConfig{InitialVersion: "0.0"}, logger).Run(); err != nil {
		return fmt.Errorf("set up version tables: %w", err)
	}
	if err := schematool.NewUpdateSchemaTask(tc, &schematool.UpdateConfig{DBName: db, SchemaName: schemaName}, logger).Run(); err != nil {
		return fmt.Errorf("update schema: %w", err)
	}
	return nil
}

// parseDatabaseURL turns a postgres:// URL into the server's SQL config.
func parseDatabaseURL(raw string) (config.SQL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return config.SQL{}, fmt.Errorf("DATABASE_URL: want postgres://user@host:port/db, got %q", raw)
	}
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "5432"
	}
	pw, _ := u.User.Password()
	attrs := map[string]string{}
	for k, v := range u.Query() {
		if len(v) > 0 {
			attrs[k] = v[0]
		}
	}
	if _, ok := attrs["sslmode"]; !ok {
		attrs["sslmode"] = "disable"
	}
	return config.SQL{
		PluginName:        "postgres12",
		User:              u.User.Username(),
		Password:          pw,
		DatabaseName:      strings.TrimPrefix(u.Path, "/"),
		ConnectAddr:       net.JoinHostPort(host, port),
		ConnectProtocol:   "tcp",
		ConnectAttributes: attrs,
	}, nil
}

// pickPorts returns eight consecutive ports from base: four gRPC (frontend,
// history, matching, worker) then four membership ports in the same order. A
// fixed base keeps the addresses stable across restarts, so the server finds
// itself again in its membership table. Base 0 picks a free block below 32768:
// the server stores membership ports as a PostgreSQL smallint.
func pickPorts(base int) ([]int, error) {
	block := func(b int) []int {
		ports := make([]int, 8)
		for i := range ports {
			ports[i] = b + i
		}
		return ports
	}
	if base != 0 {
		return block(base), nil
	}
	for try := 0; try < 50; try++ {
		ports := block(20000 + mrand.IntN(12000))
		if allFree(ports) {
			return ports, nil
		}
	}
	return nil, fmt.Errorf("no free block of eight ports between 20000 and 32000")
}

func allFree(ports []int) bool {
	for _, p := range ports {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}

// newLogger is the server's zap logger: JSON on stderr, no stack traces
// (the server logs expected errors during start and stop with them).
func newLogger(level zap.AtomicLevel) (log.Logger, error) {
	zc := zap.NewProductionConfig()
	zc.Level = level
	zc.DisableStacktrace = true
	zc.Sampling = nil
	zc.EncoderConfig.TimeKey = "time"
	zc.EncoderConfig.EncodeTime = zapcore.ISO8601TimeEncoder
	zl, err := zc.Build()
	if err != nil {
		return nil, err
	}
	return log.NewZapLogger(zl.With(zap.String("component", "temporal-server"))), nil
}

// quietLogger drops the SDK client's logs during namespace registration.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}

// withApplicationName names the connections of databaseURL in
// pg_stat_activity, unless the URL names them already.
func withApplicationName(databaseURL, name string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return databaseURL
	}
	q := u.Query()
	if q.Get("application_name") == "" {
		q.Set("application_name", name)
		u.RawQuery = q.Encode()
	}
	return u.String()
}
