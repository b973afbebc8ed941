package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

var _ Store = (*Redis)(nil)

// Redis is a Store shared by several reference instances. Each session is a
// hash at <prefix>s:<token>; each client IP has a hash <prefix>ip:<ip>
// mapping its tokens to user IDs for the per-IP rules. Every operation is
// one Lua script, so it costs a single round trip (EVALSHA) and is atomic.
//
// Keys carry a Redis TTL so that Redis itself bounds memory, and the Lua
// side also compares against the caller's clock (milliseconds, which Lua
// numbers hold exactly), because the reference server's test clock may run
// ahead of real time. Key names are built inside the scripts, so Redis
// Cluster is not supported.
type Redis struct {
	c      *redis.Client
	prefix string
	create *redis.Script
	lookup *redis.Script
	del    *redis.Script
	purge  *redis.Script
}

// NewRedis returns a Store on client whose keys all start with prefix
// (e.g. "conform:"). The caller owns and closes client.
func NewRedis(client *redis.Client, prefix string) *Redis {
	return &Redis{
		c:      client,
		prefix: prefix,
		create: redis.NewScript(createLua),
		lookup: redis.NewScript(lookupLua),
		del:    redis.NewScript(deleteLua),
		purge:  redis.NewScript(purgeLua),
	}
}

func (r *Redis) sessionKey(token string) string { return r.prefix + "s:" + token }
func (r *Redis) ipKey(ip string) string         { return r.prefix + "ip:" + ip }

// createLua: KEYS session, ip index; ARGV token, user, ip, service,
// created ms, ttl ms, absolute, rule, prefix.
const createLua = `
local rule = tonumber(ARGV[8])
local ttl = tonumber(ARGV[6])
if ARGV[3] ~= '' and (rule == 1 or rule == 2) then
  local idx = redis.call('HGETALL', KEYS[2])
  for i = 1, #idx, 2 do
    if rule == 2 or idx[i+1] ~= ARGV[2] then
      redis.call('DEL', ARGV[9] .. 's:' .. idx[i])
      redis.call('HDEL', KEYS[2], idx[i])
    end
  end
end
redis.call('HSET', KEYS[1], 'user', ARGV[2], 'ip', ARGV[3], 'svc', ARGV[4],
  'created', ARGV[5], 'seen', ARGV[5], 'ttl', ARGV[6], 'abs', ARGV[7])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
if ARGV[3] ~= '' then
  local pt = redis.call('PTTL', KEYS[2])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
  if ttl == 0 then
    redis.call('PERSIST', KEYS[2])
  elseif pt == -2 or (pt >= 0 and pt < ttl) then
    redis.call('PEXPIRE', KEYS[2], ttl)
  end
end
return 1
`

// lookupLua: KEYS session; ARGV now ms, prefix, token.
const lookupLua = `
local v = redis.call('HMGET', KEYS[1], 'user', 'ip', 'svc', 'created', 'seen', 'ttl', 'abs')
if not v[1] then return false end
local now = tonumber(ARGV[1])
local ttl = tonumber(v[6])
local abs = v[7] == '1'
local base = tonumber(v[5])
if abs then base = tonumber(v[4]) end
if ttl > 0 and now - base >= ttl then
  redis.call('DEL', KEYS[1])
  if v[2] ~= '' then redis.call('HDEL', ARGV[2] .. 'ip:' .. v[2], ARGV[3]) end
  return false
end
if ttl > 0 and not abs then
  if now > tonumber(v[5]) then
    redis.call('HSET', KEYS[1], 'seen', ARGV[1])
    v[5] = ARGV[1]
  end
  redis.call('PEXPIRE', KEYS[1], ttl)
  if v[2] ~= '' then
    local ik = ARGV[2] .. 'ip:' .. v[2]
    local pt = redis.call('PTTL', ik)
    if pt >= 0 and pt < ttl then redis.call('PEXPIRE', ik, ttl) end
  end
end
return v
`

// deleteLua: KEYS session; ARGV prefix, token.
const deleteLua = `
local ip = redis.call('HGET', KEYS[1], 'ip')
if not ip then return 0 end
redis.call('DEL', KEYS[1])
if ip ~= '' then redis.call('HDEL', ARGV[1] .. 'ip:' .. ip, ARGV[2]) end
return 1
`

// purgeLua ends the sessions of users other than ARGV[1] listed in the IP
// index KEYS[1]; ARGV[2] is the prefix.
const purgeLua = `
local idx = redis.call('HGETALL', KEYS[1])
for i = 1, #idx, 2 do
  if idx[i+1] ~= ARGV[1] then
    redis.call('DEL', ARGV[2] .. 's:' .. idx[i])
    redis.call('HDEL', KEYS[1], idx[i])
  end
end
return 1
`

// Create implements Store. RuleOneUserGlobal scans every IP index first;
// it exists only to break doc 003 on purpose, so it is not atomic.
func (r *Redis) Create(ctx context.Context, s Session, rule Rule) error {
	if rule == RuleOneUserGlobal {
		if err := r.purgeOthers(ctx, s.UserID); err != nil {
			return err
		}
		rule = RuleNone
	}
	abs := "0"
	if s.Absolute {
		abs = "1"
	}
	ttl := int64(0)
	if s.TTL > 0 {
		ttl = max(s.TTL.Milliseconds(), 1)
	}
	err := r.create.Run(ctx, r.c,
		[]string{r.sessionKey(s.Token), r.ipKey(s.IP)},
		s.Token, s.UserID, s.IP, s.Service, s.Created.UnixMilli(), ttl, abs, int(rule), r.prefix,
	).Err()
	if err != nil {
		return fmt.Errorf("redis create session: %w", err)
	}
	return nil
}

func (r *Redis) purgeOthers(ctx context.Context, userID int) error {
	iter := r.c.Scan(ctx, 0, r.prefix+"ip:*", 256).Iterator()
	for iter.Next(ctx) {
		if err := r.purge.Run(ctx, r.c, []string{iter.Val()}, userID, r.prefix).Err(); err != nil {
			return fmt.Errorf("redis purge %s: %w", iter.Val(), err)
		}
	}
	if err := iter.Err(); err != nil {
		return fmt.Errorf("redis scan ip indexes: %w", err)
	}
	return nil
}

// Lookup implements Store in one round trip.
func (r *Redis) Lookup(ctx context.Context, token string, now time.Time) (Session, bool, error) {
	res, err := r.lookup.Run(ctx, r.c, []string{r.sessionKey(token)}, now.UnixMilli(), r.prefix, token).Slice()
	if errors.Is(err, redis.Nil) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, fmt.Errorf("redis lookup session: %w", err)
	}
	s, err := decodeSession(token, res)
	if err != nil {
		return Session{}, false, fmt.Errorf("redis lookup session: %w", err)
	}
	return s, true, nil
}

// decodeSession turns the HMGET reply of lookupLua into a Session.
func decodeSession(token string, res []any) (Session, error) {
	if len(res) != 7 {
		return Session{}, fmt.Errorf("want 7 fields, got %d", len(res))
	}
	var f [7]string
	for i, v := range res {
		sv, ok := v.(string)
		if !ok {
			return Session{}, fmt.Errorf("field %d: want string, got %T", i, v)
		}
		f[i] = sv
	}
	var n [4]int64
	for i, idx := range []int{0, 3, 4, 5} {
		v, err := strconv.ParseInt(f[idx], 10, 64)
		if err != nil {
			return Session{}, fmt.Errorf("field %d: %w", idx, err)
		}
		n[i] = v
	}
	return Session{
		Token:    token,
		UserID:   int(n[0]),
		IP:       f[1],
		Service:  f[2],
		Created:  time.UnixMilli(n[1]),
		LastSeen: time.UnixMilli(n[2]),
		TTL:      time.Duration(n[3]) * time.Millisecond,
		Absolute: f[6] == "1",
	}, nil
}

// Delete implements Store.
func (r *Redis) Delete(ctx context.Context, token string) (bool, error) {
	n, err := r.del.Run(ctx, r.c, []string{r.sessionKey(token)}, r.prefix, token).Int()
	if err != nil {
		return false, fmt.Errorf("redis delete session: %w", err)
	}
	return n == 1, nil
}
