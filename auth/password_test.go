package auth_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"cascade/auth"
	"cascade/org"
)

// cheap keeps tests fast; the server uses auth.DefaultParams.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPassword_VerifiesOnlyTheRightPassword(t *testing.T) {
	t.Parallel()
	encoded, err := cheap.Hash("Hội LHPN Khánh Hòa 2021")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(encoded, "$argon2id$v=19$m=64,t=1,p=1$"), encoded)

	ok, err := auth.VerifyPassword(encoded, "Hội LHPN Khánh Hòa 2021")
	require.NoError(t, err)
	require.True(t, ok)

	ok, err = auth.VerifyPassword(encoded, "Hội LHPN Khánh Hòa 2020")
	require.NoError(t, err)
	require.False(t, ok)
}

func TestHashPassword_SaltsEveryHash(t *testing.T) {
	t.Parallel()
	a, err := cheap.Hash("mật khẩu dài")
	require.NoError(t, err)
	b, err := cheap.Hash("mật khẩu dài")
	require.NoError(t, err)
	require.NotEqual(t, a, b)
}

func TestHashPassword_DefaultParamsInThePHCString(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("64 MiB hash")
	}
	encoded, err := auth.HashPassword("correct horse battery")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(encoded, "$argon2id$v=19$m=65536,t=1,p=2$"), encoded)
	ok, err := auth.VerifyPassword(encoded, "correct horse battery")
	require.NoError(t, err)
	require.True(t, ok)
	require.False(t, auth.NeedsRehash(encoded, auth.DefaultParams))
	auth.DummyVerify("correct horse battery")
}

func TestVerifyPassword_MatchesAcrossUnicodeForms(t *testing.T) {
	t.Parallel()
	// "Khánh Hòa" precomposed (Windows) and decomposed (macOS).
	encoded, err := cheap.Hash("Kh\u00e1nh H\u00f2a 2021")
	require.NoError(t, err)
	ok, err := auth.VerifyPassword(encoded, "Kha\u0301nh Ho\u0300a 2021")
	require.NoError(t, err)
	require.True(t, ok)
}

func TestVerifyPassword_RejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	good, err := cheap.Hash("mật khẩu dài")
	require.NoError(t, err)
	parts := strings.Split(good, "$")
	salt, key := parts[4], parts[5]
	for name, encoded := range map[string]string{
		"empty":             "",
		"bcrypt":            "$2a$10$abcdefghijklmnopqrstuu5Yf3D5E6m0dV9ZzQF0a7a0ZDoe3Ea6",
		"argon2i":           "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key,
		"old version":       "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key,
		"params reordered":  "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key,
		"params missing":    "$argon2id$v=19$m=64,t=1$" + salt + "$" + key,
		"huge memory":       "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key,
		"many passes":       "$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + key,
		"zero threads":      "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key,
		"padded salt":       "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key,
		"short key":         "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$AAAA",
		"extra field":       good + "$x",
		"negative memory":   "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key,
		"non-numeric param": "$argon2id$v=19$m=6x,t=1,p=1$" + salt + "$" + key,
	} {
		ok, err := auth.VerifyPassword(encoded, "mật khẩu dài")
		require.ErrorIs(t, err, auth.ErrMalformedHash, name)
		require.False(t, ok, name)
	}
}

func TestNeedsRehash_WhenParamsChange(t *testing.T) {
	t.Parallel()
	encoded, err := cheap.Hash("mật khẩu dài")
	require.NoError(t, err)
	require.False(t, auth.NeedsRehash(encoded, cheap))
	stronger := cheap
	stronger.Time = 2
	require.True(t, auth.NeedsRehash(encoded, stronger))
	require.True(t, auth.NeedsRehash("garbage", cheap))
}

func TestParamsHash_RefusesUnusableParams(t *testing.T) {
	t.Parallel()
	_, err := auth.Params{}.Hash("mật khẩu dài")
	require.Error(t, err)
}

func TestDummyVerify_DoesTheSameWork(t *testing.T) {
	t.Parallel()
	// Only that it runs; the time is the same by construction (one IDKey
	// call with the same parameters).
	cheap.DummyVerify("anything at all")
}

func TestValidatePassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pw    string
		valid bool
		rules int
	}{
		{"Khanh Hoa 2021", true, 0},
		{"mậtkhẩu#10", true, 0}, // ten characters, more bytes
		{"short", false, 1},
		{"123456789", false, 1},
		{"", false, 1},
		{"aaaaaaaaaaaa", false, 1},
		{"ưưưưưưưưưưưư", false, 1},
		{"aaaa", false, 2},
		{strings.Repeat("ab", 129), false, 1},
		{"a" + strings.Repeat("b", 255), true, 0},
	}
	for _, tt := range tests {
		err := auth.ValidatePassword(tt.pw)
		if tt.valid {
			require.NoError(t, err, tt.pw)
			continue
		}
		var errs org.ValidationErrors
		require.ErrorAs(t, err, &errs, tt.pw)
		require.Len(t, errs, tt.rules, tt.pw)
		for _, e := range errs {
			require.Equal(t, "password", e.Field)
			require.NotEmpty(t, e.Message)
			require.NotEmpty(t, e.MessageEn)
		}
	}
}
