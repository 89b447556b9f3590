package main

import (
	"context"
	"fmt"

	"cascade/auth"
	"cascade/store"
)

// Principal is a unit with a signed-in user on it: the API token of a user
// holding role on the unit, made directly in the database (the API has no
// door for the first administrator).
type Principal struct {
	Unit  store.Unit
	Token string
}

// NewProvince creates a province unit in db (migrated by a running
// `cascade serve`) and an API token of a user holding role on it.
func NewProvince(ctx context.Context, db *Database, role string) (*Principal, error) {
	sdb, err := store.Open(ctx, db.URL, 20)
	if err != nil {
		return nil, err
	}
	defer sdb.Close()
	plain, hash := auth.NewToken(auth.APITokenPrefix)
	var p Principal
	err = sdb.WithTx(ctx, func(s *store.Store) error {
		var err error
		p.Unit, err = s.CreateUnit(ctx, store.Unit{Kind: "province", Code: "BENCH-KH", Name: "Hội LHPN tỉnh (bench)", Email: "province@bench.example"})
		if err != nil {
			return err
		}
		u, err := s.CreateUser(ctx, store.User{Email: "bench-" + role + "@bench.example", Name: "Bench " + role, Active: true})
		if err != nil {
			return err
		}
		if err := s.AddMembership(ctx, u.ID, p.Unit.ID, role); err != nil {
			return err
		}
		_, err = s.CreateAPIToken(ctx, store.APIToken{UserID: u.ID, Name: "bench", TokenHash: hash})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("province and %s token: %w", role, err)
	}
	p.Token = plain
	return &p, nil
}
