package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// APITokenPrefix starts every API token, so that a leaked token is easy to
// recognise in logs and by secret scanners.
const APITokenPrefix = "csk_"

// tokenBytes is the entropy of a token: 256 bits.
const tokenBytes = 32

// NewToken returns a fresh opaque token, prefix followed by 32 random bytes in
// base64url, and its SHA-256 hash. The plain token goes to the user once (a
// session cookie, an API token, a password-reset link, a CSRF token); only
// the hash is stored, so a database leak reveals no usable token. Use
// APITokenPrefix for API tokens and "" where no prefix is wanted.
func NewToken(prefix string) (plain string, hash []byte) {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails; it crashes the program instead
	plain = prefix + base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain)
}

// HashToken returns the SHA-256 of a presented token, prefix included, to look
// the token up by its stored hash. A fast hash is enough: the token has 256
// bits of entropy, unlike a password.
func HashToken(plain string) []byte {
	h := sha256.Sum256([]byte(plain))
	return h[:]
}

// TokensEqual compares two secrets in time independent of where they differ,
// e.g. the CSRF token of the session against the one in a request header.
func TokensEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
