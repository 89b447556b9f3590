package auth_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/auth"
)

func TestNewToken_PrefixedRandomAndHashed(t *testing.T) {
	t.Parallel()
	plain, hash := auth.NewToken(auth.APITokenPrefix)
	require.True(t, strings.HasPrefix(plain, "csk_"))
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(plain, "csk_"))
	require.NoError(t, err)
	require.Len(t, raw, 32)
	require.Len(t, hash, 32)
	require.Equal(t, hash, auth.HashToken(plain))

	other, otherHash := auth.NewToken(auth.APITokenPrefix)
	require.NotEqual(t, plain, other)
	require.NotEqual(t, hash, otherHash)
}

func TestNewToken_WithoutPrefixIsURLSafe(t *testing.T) {
	t.Parallel()
	plain, _ := auth.NewToken("")
	require.Len(t, plain, 43)
	require.False(t, strings.ContainsAny(plain, "+/="))
}

func TestTokensEqual(t *testing.T) {
	t.Parallel()
	require.True(t, auth.TokensEqual("abc", "abc"))
	require.False(t, auth.TokensEqual("abc", "abd"))
	require.False(t, auth.TokensEqual("abc", "ab"))
	require.False(t, auth.TokensEqual("abc", ""))
}
