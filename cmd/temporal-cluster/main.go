// Command temporal-cluster runs one node of a real multi-node Temporal
// cluster, built from the server module at the version Cascade pins, as the
// server's own cmd/server does: every service (frontend, history, matching,
// worker) in one process, membership over loopback, persistence and
// visibility on PostgreSQL. scripts/cluster.sh starts two of them, a small TCP
// load balancer in front of their frontends, and Cascade's roles against it.
//
//	temporal-cluster sql-tool ARGS…        the server's temporal-sql-tool (schema setup)
//	temporal-cluster node -db URL -port P  one node: gRPC ports P…P+3, membership P+4…P+7
//	temporal-cluster namespace -address A  register a namespace (idempotent; retention updated)
//	temporal-cluster lb -listen A -backends B1,B2  TCP balancer over the frontends
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql" // registers the postgres12 plugin
	"go.temporal.io/server/temporal"
	sqltool "go.temporal.io/server/tools/sql"
	"google.golang.org/protobuf/types/known/durationpb"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: temporal-cluster sql-tool|node|namespace|lb …")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "sql-tool":
		err = sqltool.RunTool(append([]string{"temporal-sql-tool"}, os.Args[2:]...))
	case "node":
		err = node(os.Args[2:])
	case "namespace":
		err = registerNamespace(os.Args[2:])
	case "lb":
		err = balance(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "temporal-cluster:", err)
		os.Exit(1)
	}
}

func node(args []string) error {
	fs := flag.NewFlagSet("node", flag.ExitOnError)
	dbURL := fs.String("db", "postgres://postgres@127.0.0.1:5432/cascade_cluster_temporal?sslmode=disable", "main store; visibility is <db>_visibility")
	port := fs.Int("port", 27233, "frontend gRPC port; history, matching, worker take the next three, membership the four after")
	shards := fs.Int("shards", 4, "history shards (fixed at the cluster's first start)")
	maxConns := fs.Int("max-conns", 6, "connections of the main store's pool (visibility: half)")
	seedAddr := fs.String("rpc-address", "", "frontend address recorded in the cluster metadata (default: this node's)")
	logLevel := fs.String("log-level", "warn", "server log level")
	defaults := fs.Bool("defaults", false, "run as the server's own development-postgres12.yaml does, to compare with: no dynamic config "+
		"(default persistence rate limits, 4 task queue partitions, host cache of 128,000 workflows), the visibility store's pool 2 connections")
	pprofPort := fs.Int("pprof", 0, "serve Go's pprof on 127.0.0.1:<port> (0: none)")
	metricsAddr := fs.String("metrics", "", "serve the server's Prometheus metrics on this host:port (empty: none)")
	_ = fs.Parse(args)
	if *port < 1024 || *port > 32767-7 {
		return fmt.Errorf("-port %d: membership ports are a smallint, want 1024…32760", *port)
	}
	u, err := url.Parse(*dbURL)
	if err != nil {
		return err
	}
	pw, _ := u.User.Password()
	db := strings.TrimPrefix(u.Path, "/")
	store := func(name string, conns int) config.DataStore {
		return config.DataStore{SQL: &config.SQL{
			PluginName: "postgres12", User: u.User.Username(), Password: pw, DatabaseName: name,
			ConnectAddr: u.Host, ConnectProtocol: "tcp", ConnectAttributes: map[string]string{"sslmode": "disable"},
			MaxConns: conns, MaxIdleConns: conns, MaxConnLifetime: time.Hour,
		}}
	}
	svc := func(i int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: *port + i, MembershipPort: *port + 4 + i, BindOnIP: "127.0.0.1"}}
	}
	self := net.JoinHostPort("127.0.0.1", strconv.Itoa(*port))
	if *seedAddr == "" {
		*seedAddr = self
	}
	visConns := max(2, *maxConns/2)
	if *defaults {
		visConns = 2
	}
	global := config.Global{Membership: config.Membership{MaxJoinDuration: 30 * time.Second, BroadcastAddress: "127.0.0.1"}}
	global.PProf.Port, global.PProf.Host = *pprofPort, "127.0.0.1"
	if *metricsAddr != "" {
		global.Metrics = &metrics.Config{Prometheus: &metrics.PrometheusConfig{Framework: metrics.FrameworkOpentelemetry, ListenAddress: *metricsAddr}}
	}
	cfg := &config.Config{
		Global: global,
		Persistence: config.Persistence{
			DefaultStore: "default", VisibilityStore: "visibility", NumHistoryShards: int32(*shards),
			DataStores: map[string]config.DataStore{
				"default":    store(db, *maxConns),
				"visibility": store(db+"_visibility", visConns),
			},
		},
		ClusterMetadata: &cluster.Config{
			FailoverVersionIncrement: 10, MasterClusterName: "active", CurrentClusterName: "active",
			ClusterInformation: map[string]cluster.ClusterInformation{"active": {Enabled: true, InitialFailoverVersion: 1, RPCAddress: *seedAddr}},
		},
		DCRedirectionPolicy: config.DCRedirectionPolicy{Policy: "noop"},
		Services:            map[string]config.Service{"frontend": svc(0), "history": svc(1), "matching": svc(2), "worker": svc(3)},
		Archival: config.Archival{
			History: config.HistoryArchival{State: "disabled"}, Visibility: config.VisibilityArchival{State: "disabled"},
		},
		NamespaceDefaults: config.NamespaceDefaults{Archival: config.ArchivalNamespaceDefaults{
			History:    config.HistoryArchivalNamespaceDefaults{State: "disabled"},
			Visibility: config.VisibilityArchivalNamespaceDefaults{State: "disabled"},
		}},
		PublicClient: config.PublicClient{HostPort: self},
		Log:          log.Config{Stdout: true, Level: *logLevel, Format: "json"},
	}
	dyn := dynamicconfig.StaticClient{
		dynamicconfig.NamespaceCacheRefreshInterval.Key(): time.Second,
		dynamicconfig.FrontendPersistenceMaxQPS.Key():     5000,
		dynamicconfig.HistoryPersistenceMaxQPS.Key():      10000,
		dynamicconfig.MatchingPersistenceMaxQPS.Key():     5000,
	}
	if *defaults {
		dyn = dynamicconfig.StaticClient{}
	}
	srv, err := temporal.NewServer(
		temporal.WithConfig(cfg),
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithLogger(log.NewZapLogger(log.BuildZapLogger(cfg.Log))),
		temporal.WithDynamicConfigClient(dyn),
		temporal.InterruptOn(temporal.InterruptCh()),
	)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "temporal-cluster node: frontend %s, %d shards\n", self, *shards)
	return srv.Start() // blocks until SIGINT/SIGTERM (InterruptOn)
}

func registerNamespace(args []string) error {
	fs := flag.NewFlagSet("namespace", flag.ExitOnError)
	addr := fs.String("address", "127.0.0.1:27233", "a frontend")
	ns := fs.String("ns", "default", "namespace")
	retention := fs.Duration("retention", 30*24*time.Hour, "retention of closed workflows")
	wait := fs.Duration("wait", 90*time.Second, "how long to wait for the cluster")
	_ = fs.Parse(args)
	ctx := context.Background()
	deadline := time.Now().Add(*wait)
	for {
		err := func() error {
			nc, err := client.NewNamespaceClient(client.Options{HostPort: *addr})
			if err != nil {
				return err
			}
			defer nc.Close()
			err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: *ns, WorkflowExecutionRetentionPeriod: durationpb.New(*retention)})
			var exists *serviceerror.NamespaceAlreadyExists
			if errors.As(err, &exists) {
				err = nc.Update(ctx, &workflowservice.UpdateNamespaceRequest{Namespace: *ns,
					Config: &namespacepb.NamespaceConfig{WorkflowExecutionRetentionTtl: durationpb.New(*retention)}})
			}
			if err != nil {
				return err
			}
			_, err = nc.Describe(ctx, *ns)
			return err
		}()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("namespace %s at %s: %w", *ns, *addr, err)
		}
		time.Sleep(time.Second)
	}
}

// balance is a TCP load balancer: each connection goes to the next backend
// that accepts it, as a cloud load balancer in front of the frontends would.
func balance(args []string) error {
	fs := flag.NewFlagSet("lb", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:27200", "address clients dial (TEMPORAL_ADDRESS)")
	backends := fs.String("backends", "127.0.0.1:27233,127.0.0.1:27243", "frontends, comma-separated")
	_ = fs.Parse(args)
	targets := strings.Split(*backends, ",")
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		ln.Close()
	}()
	var next atomic.Uint64
	for {
		c, err := ln.Accept()
		if err != nil {
			return nil
		}
		go func() {
			defer c.Close()
			var b net.Conn
			for i := 0; i < len(targets) && b == nil; i++ {
				t := targets[int(next.Add(1))%len(targets)]
				b, _ = net.DialTimeout("tcp", t, time.Second)
			}
			if b == nil {
				return
			}
			defer b.Close()
			done := make(chan struct{}, 2)
			go func() { _, _ = io.Copy(b, c); done <- struct{}{} }()
			go func() { _, _ = io.Copy(c, b); done <- struct{}{} }()
			<-done
		}()
	}
}
