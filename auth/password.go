// Package auth holds the rules of signing in and of access: password hashing
// and policy, opaque tokens, login throttling, session lifetime, and the one
// place that decides what a role may do where in the organisation tree. It is
// plain Go: the store keeps users, sessions and failures, the API asks here.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"cascade/org"
)

// Params are the argon2id cost parameters of a password hash. They are stored
// in every hash, so raising them later leaves old hashes verifiable (see
// NeedsRehash).
type Params struct {
	// Memory in KiB.
	Memory uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the degree of parallelism.
	Threads uint8
	// SaltLen and KeyLen are in bytes.
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams are the server's parameters: 64 MiB, one pass, two lanes,
// above the OWASP minimum for argon2id (46 MiB, t=1, p=1) and roughly 50–100 ms
// on one server core. Each concurrent verification holds 64 MiB, so the API
// should bound how many run at once.
var DefaultParams = Params{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read from a stored hash, so a corrupt or hostile row
// cannot make one login allocate gigabytes or run for minutes.
const (
	maxMemory  = 1 << 20 // 1 GiB
	maxTime    = 16
	minSaltLen = 8
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

// ErrMalformedHash is returned by VerifyPassword for a stored hash that is
// not an argon2id PHC string this package can verify.
var ErrMalformedHash = errors.New("malformed password hash")

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// HashPassword hashes pw with DefaultParams into a PHC string:
// $argon2id$v=19$m=65536,t=1,p=2$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	return DefaultParams.Hash(pw)
}

// Hash hashes pw with p and a fresh random salt into a PHC string. The
// password is NFC-normalised first, so the same Vietnamese password typed on
// systems that compose diacritics differently still matches.
func (p Params) Hash(pw string) (string, error) {
	if p.Threads == 0 || p.Time == 0 || p.Memory < 8*uint32(p.Threads) || p.SaltLen < minSaltLen || p.KeyLen < minKeyLen {
		return "", fmt.Errorf("hash password: unusable parameters %+v", p)
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails; it crashes the program instead
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the PHC string encoded, comparing
// in constant time. The error is non-nil only when encoded cannot be read
// (ErrMalformedHash); a wrong password is (false, nil).
func VerifyPassword(encoded, pw string) (ok bool, err error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(norm.NFC.String(pw)), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than p,
// so the API can store a fresh hash after a successful login. A malformed
// hash needs one too.
func NeedsRehash(encoded string, p Params) bool {
	got, salt, key, err := decodeHash(encoded)
	if err != nil {
		return true
	}
	return got.Memory != p.Memory || got.Time != p.Time || got.Threads != p.Threads ||
		uint32(len(salt)) != p.SaltLen || uint32(len(key)) != p.KeyLen
}

// dummySalt salts DummyVerify's work; the result is thrown away.
var dummySalt = make([]byte, 16)

// DummyVerify spends the time VerifyPassword spends on a hash made with
// DefaultParams, and finds nothing. Call it when the account is unknown or
// has no password, so that the answer time does not tell which accounts
// exist.
func DummyVerify(pw string) {
	DefaultParams.DummyVerify(pw)
}

// DummyVerify spends the time VerifyPassword spends on a hash made with p.
func (p Params) DummyVerify(pw string) {
	key := argon2.IDKey([]byte(norm.NFC.String(pw)), dummySalt, p.Time, p.Memory, p.Threads, p.KeyLen)
	subtle.ConstantTimeCompare(key, key)
}

func decodeHash(encoded string) (p Params, salt, key []byte, err error) {
	malformed := func(why string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, why)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return malformed("not a PHC string")
	}
	if parts[1] != "argon2id" {
		return malformed("algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return malformed("unsupported argon2 version")
	}
	var m, t, threads uint64
	for i, kv := range strings.Split(parts[3], ",") {
		name, val, _ := strings.Cut(kv, "=")
		var dst *uint64
		switch {
		case i == 0 && name == "m":
			dst = &m
		case i == 1 && name == "t":
			dst = &t
		case i == 2 && name == "p":
			dst = &threads
		default:
			return malformed("parameters are not m=,t=,p=")
		}
		if *dst, err = strconv.ParseUint(val, 10, 32); err != nil {
			return malformed("parameter " + name + " is not a number")
		}
	}
	if t < 1 || t > maxTime || threads < 1 || threads > 255 || m < 8*threads || m > maxMemory {
		return malformed("parameters out of range")
	}
	if salt, err = b64.Strict().DecodeString(parts[4]); err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return malformed("bad salt")
	}
	if key, err = b64.Strict().DecodeString(parts[5]); err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return malformed("bad key")
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(threads), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}

// Password policy limits, in characters (runes, after NFC).
const (
	MinPasswordLen = 10
	// MaxPasswordLen bounds the work a login request can ask for.
	MaxPasswordLen = 256
)

// ValidatePassword checks a new password against the policy: at least
// MinPasswordLen characters, at most MaxPasswordLen, not one character
// repeated. It returns org.ValidationErrors on field "password", with
// Vietnamese and English messages, or nil.
func ValidatePassword(pw string) error {
	pw = norm.NFC.String(pw)
	var errs org.ValidationErrors
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		errs = append(errs, org.FieldError{Field: "password",
			Message:   fmt.Sprintf("Mật khẩu phải có ít nhất %d ký tự.", MinPasswordLen),
			MessageEn: fmt.Sprintf("The password must be at least %d characters long.", MinPasswordLen)})
	case n > MaxPasswordLen:
		errs = append(errs, org.FieldError{Field: "password",
			Message:   fmt.Sprintf("Mật khẩu không được dài quá %d ký tự.", MaxPasswordLen),
			MessageEn: fmt.Sprintf("The password must be at most %d characters long.", MaxPasswordLen)})
	}
	if first, _ := utf8.DecodeRuneInString(pw); n > 0 && strings.Count(pw, string(first)) == n {
		errs = append(errs, org.FieldError{Field: "password",
			Message:   "Mật khẩu không được chỉ gồm một ký tự lặp lại.",
			MessageEn: "The password must not be a single character repeated."})
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
