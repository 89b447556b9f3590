package importer

import (
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestFindHang(t *testing.T) {
	if os.Getenv("HANG") == "" {
		t.Skip()
	}
	var seeds [][]byte
	for _, n := range []string{"plan-321-KH-BTV.txt", "ke-hoach-ninh-hoa.md", "ke-hoach-cam-lam-chi-tieu.md"} {
		b, _ := os.ReadFile(filepath.Join("testdata", n))
		seeds = append(seeds, b)
	}
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 3000; iter++ {
		in := append([]byte(nil), seeds[rng.Intn(len(seeds))]...)
		for k := rng.Intn(8) + 1; k > 0; k-- {
			p := rng.Intn(len(in))
			switch rng.Intn(4) {
			case 0:
				in = append(in[:p], in[min(len(in), p+rng.Intn(50)):]...)
			case 1:
				q := rng.Intn(len(in))
				in = append(in[:p], append(append([]byte(nil), in[q:min(len(in), q+rng.Intn(50))]...), in[p:]...)...)
			case 2:
				in[p] = byte(rng.Intn(256))
			case 3:
				in = append(in[:p], append([]byte{"\n|-+#*1.;\t"[rng.Intn(10)]}, in[p:]...)...)
			}
			if len(in) == 0 {
				in = []byte("x")
			}
		}
		done := make(chan struct{})
		go func() {
			Import("a.md", in)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.in", in, 0o644)
			t.Fatalf("hang at iter %d", iter)
		}
	}
}
