package auth

import "time"

// Session lifetime: a session ends after SessionIdleTimeout without a request
// and in any case SessionMaxAge after sign-in.
const (
	SessionIdleTimeout = 8 * time.Hour
	SessionMaxAge      = 7 * 24 * time.Hour
)

// SessionExpiresAt returns when a session created at createdAt and last used
// at lastSeen ends, whichever of the idle and absolute limits comes first.
func SessionExpiresAt(createdAt, lastSeen time.Time) time.Time {
	idle := lastSeen.Add(SessionIdleTimeout)
	absolute := createdAt.Add(SessionMaxAge)
	if idle.Before(absolute) {
		return idle
	}
	return absolute
}

// SessionValid reports whether a session created at createdAt and last used
// at lastSeen may still be used at now.
func SessionValid(createdAt, lastSeen, now time.Time) bool {
	return now.Before(SessionExpiresAt(createdAt, lastSeen))
}
