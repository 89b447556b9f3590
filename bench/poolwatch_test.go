package main

import "testing"

// A goroutine profile as database/sql leaves it with a transaction holding
// the only connection and three pings waiting for it.
func TestPoolWaiters(t *testing.T) {
	const profile = `goroutine profile: total 7
3 @ 0x48a62e 0x4679c5 0x564255 0x5627ba 0x5653a2 0x5626d7 0x6769e5 0x4917e1
#	0x564254	database/sql.(*DB).conn+0x414			/usr/local/go/src/database/sql/sql.go:1369
#	0x5627b9	database/sql.(*DB).PingContext.func1+0x39	/usr/local/go/src/database/sql/sql.go:900

1 @ 0x449891 0x48945d 0x549e51 0x4917e1
#	0x549e50	net.(*conn).Read+0x30	/usr/local/go/src/net/net.go:194
#	0x564254	database/sql.(*DB).conn+0x414			/usr/local/go/src/database/sql/sql.go:1400

1 @ 0x48a62e 0x4679c5 0x563969 0x4917e1
#	0x563968	database/sql.(*DB).connectionOpener+0x88	/usr/local/go/src/database/sql/sql.go:1261
`
	if got := poolWaiters(profile); got != 3 {
		t.Fatalf("poolWaiters = %d, want 3", got)
	}
}
