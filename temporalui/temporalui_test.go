package temporalui_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/embedded"
	"cascade/store/storetest"
	"cascade/temporalui"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// The UI's page loads, and its API reaches the embedded server's frontend:
// the namespace it registered is listed.
func TestUI_ServesThePageAndTheEmbeddedServersNamespaces(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := embedded.Start(ctx, embedded.Config{DatabaseURL: storetest.URL(t), Namespace: "cascade-ui"})
	require.NoError(t, err)
	defer srv.Stop(ctx)

	ui, err := temporalui.Start("127.0.0.1:0", srv.HostPort(), "cascade-ui")
	require.NoError(t, err)
	defer ui.Stop(ctx)
	base := "http://" + ui.Addr()

	code, body := get(t, base+"/")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "<html")
	require.Contains(t, body, `id="svelte"`) // the UI's SvelteKit app

	code, body = get(t, base+"/api/v1/settings")
	require.Equal(t, http.StatusOK, code, body)
	var settings struct{ DefaultNamespace string }
	require.NoError(t, json.Unmarshal([]byte(body), &settings))
	require.Equal(t, "cascade-ui", settings.DefaultNamespace)

	code, body = get(t, base+"/api/v1/namespaces")
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"cascade-ui"`)

	// A second UI on the same address is an error, not an exit.
	_, err = temporalui.Start(ui.Addr(), srv.HostPort(), "cascade-ui")
	require.ErrorContains(t, err, "TEMPORAL_UI_ADDR")
}
