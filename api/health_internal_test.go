package api

import (
	"errors"
	"fmt"
	"testing"

	"github.com/lib/pq"
	"github.com/stretchr/testify/require"
)

// An operator reading /readyz learns that PostgreSQL is full (the processes'
// DATABASE_MAX_CONNS add up to more than its max_connections), not only that
// it is "unavailable".
func TestReadyz_PostgresRefusingClientsIsNamed(t *testing.T) {
	full := fmt.Errorf("ping: %w", &pq.Error{Code: "53300", Message: "sorry, too many clients already"})
	require.Equal(t, "too_many_clients", postgresCheck(full))
	require.Equal(t, "unavailable", postgresCheck(errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")))
}
