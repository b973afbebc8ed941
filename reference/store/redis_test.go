package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/conformhq/conform/reference/store/redistest"
)

func startRedis(t *testing.T) *redis.Client { return redistest.Start(t) }

func TestRedisContract(t *testing.T) {
	c := startRedis(t)
	var n atomic.Int64
	// Each subtest gets its own prefix, so they never see each other's keys.
	runStoreContract(t, func(*testing.T) Store {
		return NewRedis(c, fmt.Sprintf("t%d:", n.Add(1)))
	})
}

func TestRedisSharedBetweenInstances(t *testing.T) {
	c := startRedis(t)
	ctx := context.Background()
	a, b := NewRedis(c, "shared:"), NewRedis(c, "shared:")
	if err := a.Create(ctx, sess("tok", 1, "10.0.0.1", time.Hour), RuleOneUserPerIP); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := b.Lookup(ctx, "tok", t0); !ok || err != nil {
		t.Fatalf("second instance lookup: ok=%v err=%v", ok, err)
	}
	if err := b.Create(ctx, sess("tok2", 2, "10.0.0.1", time.Hour), RuleOneUserPerIP); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.Lookup(ctx, "tok", t0); ok {
		t.Fatal("per-IP rule not shared between instances")
	}
}

func TestRedisKeysExpire(t *testing.T) {
	c := startRedis(t)
	ctx := context.Background()
	r := NewRedis(c, "exp:")
	if err := r.Create(ctx, sess("tok", 1, "10.0.0.1", 5*time.Second), RuleOneUserPerIP); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"exp:s:tok", "exp:ip:10.0.0.1"} {
		ttl, err := c.PTTL(ctx, k).Result()
		if err != nil || ttl <= 0 || ttl > 5*time.Second {
			t.Errorf("key %s pttl %v err %v; want a TTL of at most 5s", k, ttl, err)
		}
	}
}

func TestRedisUnavailable(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 100 * time.Millisecond})
	defer c.Close()
	r := NewRedis(c, "x:")
	if _, _, err := r.Lookup(context.Background(), "t", t0); err == nil {
		t.Fatal("lookup against a closed port returned no error")
	}
}
