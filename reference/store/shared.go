package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Shared is the state besides sessions that reference instances sharing one Redis keep
// there, so that a request may reach any of them: the test clock's offset and the pending 2FA
// codes. (Sessions, the per-IP index and newapikey keys are sessions: Redis holds them.)
// Keys start with the store's prefix: <prefix>clock and <prefix>2fa:<book>:<user>.
type Shared struct {
	c      *redis.Client
	prefix string
}

// Shared returns the shared state of r's Redis.
func (r *Redis) Shared() *Shared { return &Shared{c: r.c, prefix: r.prefix} }

// ClockOffset returns the test clock's offset that every instance adds to real time.
func (s *Shared) ClockOffset(ctx context.Context) (time.Duration, error) {
	n, err := s.c.Get(ctx, s.prefix+"clock").Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("redis read clock offset: %w", err)
	}
	return time.Duration(n), nil
}

// AdvanceClock moves the shared offset forward by d and returns the new offset.
func (s *Shared) AdvanceClock(ctx context.Context, d time.Duration) (time.Duration, error) {
	n, err := s.c.IncrBy(ctx, s.prefix+"clock", int64(d)).Result()
	if err != nil {
		return 0, fmt.Errorf("redis advance clock: %w", err)
	}
	return time.Duration(n), nil
}

// maxUpdateTries bounds the optimistic retries of Update: each failed try means another
// instance changed the value between its read and write.
const maxUpdateTries = 50

// Update reads the value of one code book entry (nil when absent), lets fn compute the new
// one, and writes it, atomically against other instances (WATCH, then MULTI/EXEC, retried
// when another instance wrote in between). A nil result deletes the entry; ttl bounds it.
func (s *Shared) Update(ctx context.Context, book string, user int, ttl time.Duration, fn func([]byte) []byte) error {
	key := fmt.Sprintf("%s2fa:%s:%d", s.prefix, book, user)
	for range maxUpdateTries {
		err := s.c.Watch(ctx, func(tx *redis.Tx) error {
			old, err := tx.Get(ctx, key).Bytes()
			if err != nil && !errors.Is(err, redis.Nil) {
				return err
			}
			next := fn(old)
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				if next == nil {
					p.Del(ctx, key)
				} else {
					p.Set(ctx, key, next, ttl)
				}
				return nil
			})
			return err
		}, key)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if err != nil {
			return fmt.Errorf("redis update 2FA codes: %w", err)
		}
		return nil
	}
	return fmt.Errorf("redis update 2FA codes of user %d: still contended after %d tries", user, maxUpdateTries)
}

// Users lists the users that have an entry in a code book.
func (s *Shared) Users(ctx context.Context, book string) ([]int, error) {
	var out []int
	pattern := fmt.Sprintf("%s2fa:%s:", s.prefix, book)
	iter := s.c.Scan(ctx, 0, pattern+"*", 256).Iterator()
	for iter.Next(ctx) {
		var id int
		if _, err := fmt.Sscanf(iter.Val()[len(pattern):], "%d", &id); err == nil {
			out = append(out, id)
		}
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("redis scan 2FA codes: %w", err)
	}
	return out, nil
}
