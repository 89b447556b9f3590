package store_test

import (
	"encoding/json"
	"testing"

	"cascade/store"
)

// FuzzDateUnmarshal: a date in a request body is read or refused with a
// type error (which names the field), never a panic, and what is read
// writes back the same.
func FuzzDateUnmarshal(f *testing.F) {
	for _, seed := range []string{`"2026-11-15"`, `"2026-02-30"`, `"15/11/2026"`, `""`, `null`, `7`, `"\u0000"`, "\"\xff\"", `"99999-01-01"`, `"2026-1-5"`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d store.Date
		if err := json.Unmarshal(b, &d); err != nil {
			return
		}
		if d.IsZero() {
			return
		}
		again, err := store.ParseDate(d.String())
		if err != nil || again != d {
			t.Fatalf("%q read as %v, which does not read back (%v)", b, d, err)
		}
	})
}
