package mail_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cascade/mail"
	"cascade/mail/mailtest"
)

// TestMailer_SlowServerIsSentToOverConcurrencyConnections sends 24 messages
// from 24 goroutines through a server that takes 150 ms per message: with
// four connections it takes about six acknowledgements' time, never fewer
// (the bound holds), and every message arrives once.
func TestMailer_SlowServerIsSentToOverConcurrencyConnections(t *testing.T) {
	mp := mailtest.Start(t)
	proxy, err := mailtest.StartProxy(mp.SMTPURL, 150*time.Millisecond)
	require.NoError(t, err)
	t.Cleanup(proxy.Close)
	m, err := mail.New(proxy.SMTPURL, "Cascade <cascade@example.org>", mail.WithConcurrency(4))
	require.NoError(t, err)
	t.Cleanup(m.Close)
	require.Equal(t, 4, m.Concurrency())

	const n = 24
	began := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- m.Send(context.Background(), mail.Message{ID: fmt.Sprintf("m%d@example.org", i), To: fmt.Sprintf("u%d@example.org", i),
				Subject: "Nhắc nộp báo cáo", Text: "Kính gửi"})
		}()
	}
	wg.Wait()
	took := time.Since(began)
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.GreaterOrEqual(t, took, n/4*150*time.Millisecond, "more than four connections at once")
	require.Less(t, took, n/2*150*time.Millisecond, "the connections did not send side by side")
	require.EqualValues(t, n, proxy.Acks())
	msgs := mp.Messages(t)
	require.Len(t, msgs, n)
	ids := map[string]bool{}
	for _, msg := range msgs {
		ids[msg.MessageID] = true
	}
	require.Len(t, ids, n)
}

// TestMailer_ARefusedRecipientIsPermanentAServerDownIsNot tells the two
// failures apart: retrying cures the second, never the first.
func TestMailer_ARefusedRecipientIsPermanentAServerDownIsNot(t *testing.T) {
	down, err := mail.New("smtp://127.0.0.1:1?tls=none", "cascade@example.org")
	require.NoError(t, err)
	err = down.Send(context.Background(), mail.Message{To: "a@example.org", Subject: "x", Text: "x"})
	require.Error(t, err)
	require.False(t, mail.IsPermanent(err))

	mp := mailtest.Start(t)
	m, err := mail.New(mp.SMTPURL, "cascade@example.org")
	require.NoError(t, err)
	err = m.Send(context.Background(), mail.Message{To: "not an address", Subject: "x", Text: "x"})
	require.Error(t, err)
	require.True(t, mail.IsPermanent(err))
}
