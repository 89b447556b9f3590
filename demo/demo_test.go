package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"cascade/api"
	"cascade/demo"
	"cascade/store"
	"cascade/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func TestSeed_DemoUsersSignInAndSeeTheirScope(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	sum, err := demo.Seed(ctx, db, "demo.example.org", time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Equal(t, 25, sum.Units)
	again, err := demo.Seed(ctx, db, "demo.example.org", time.Now())
	require.NoError(t, err)
	require.Zero(t, again.Units, "seeding twice adds nothing")
	require.Equal(t, sum.PlanID, again.PlanID)

	doc, err := store.New(db).LoadPlanDoc(ctx, sum.PlanID)
	require.NoError(t, err)
	require.Equal(t, "321/KH-BTV", doc.Code)
	require.Len(t, doc.Targets, 25, "the real plan, read by the importer")
	require.Len(t, doc.UnitIDs, 12, "nine districts and three affiliates")
	require.NoError(t, doc.ValidateForIssue(), "the demo plan is ready to issue")

	var districts int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM org_units WHERE kind = 'district'`).Scan(&districts))
	require.Equal(t, 9, districts, "Khánh Hòa has nine district-level unions")

	tc, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"})
	require.NoError(t, err)
	defer tc.Close()
	srv := httptest.NewServer((&api.Server{DB: db, Temporal: tc, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))}).Handler())
	defer srv.Close()

	roles := map[string]bool{}
	for _, u := range sum.Users {
		roles[u.Role] = true
		body, _ := json.Marshal(map[string]string{"email": u.Email, "password": u.Password})
		resp, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		require.NoError(t, err)
		var me struct {
			User struct {
				Memberships []struct {
					Role string `json:"role"`
				} `json:"memberships"`
			} `json:"user"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&me))
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, u.Email)
		require.Equal(t, u.Role, me.User.Memberships[0].Role)
	}
	require.Len(t, roles, 4, "one demo user per role")
}
