-- mq-redis zset mode: take. In-flight entries past their ack deadline become due again (scored by that
-- deadline); then up to ARGV[1] due entries move into the in-flight set, scored by their ack deadline.
-- When nothing is due any more, the wake list is cleared so that members block.
-- The delivery count lives in the members' names, so it survives any crash at no extra command:
--   due:      ENTRY (no delivery ended yet) or ENTRY:N (N deliveries ended: given back after the ack deadline, or nacked)
--   inflight: ENTRY:C, C the count of the delivery under way
-- ENTRY is the 16-hex entry id of the body hash. A due member that is not ours (another program's entry name
-- with its envelope in the body hash, or an envelope as the member itself) is given an entry id of its own
-- when it is first taken. Data of the layout before (bare entry ids in flight, counts in a deliveries hash) is
-- taken over as it comes: its counts are read from that hash while it exists.
-- KEYS: 1 due (ZSET), 2 inflight (ZSET), 3 body (HASH entry -> envelope), 4 the old layout's deliveries
--       (HASH entry -> ended deliveries; only read), 5 wake (LIST, non-empty while entries may be due),
--       6 the topic's entry counter
-- ARGV: 1 how many to take, 2 ack wait ms, 3 how many expired entries to make due at most,
--       4 how many value bytes to take at most (at least one entry is taken, whatever its size)
-- Returns {ms until the next due time or deadline (-1: none), entries made due again, entry1, count1, value1, ...}
local now = nowMs()
local legacy = redis.call('EXISTS', KEYS[4]) == 1
-- the entry id and the ended deliveries of a member of the old layout (a bare entry id), read once from the old hash
local function oldCount(e)
  if not legacy then
    return 0
  end
  local n = redis.call('HGET', KEYS[4], e)
  if n then
    redis.call('HDEL', KEYS[4], e)
    return tonumber(n)
  end
  return 0
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
for i = 1, #expired, 2 do
  local m = expired[i]
  redis.call('ZREM', KEYS[2], m)
  if not string.find(m, ':', 1, true) then
    m = m .. ':' .. (oldCount(m) + 1) -- in flight in the old layout: its delivery ended now
  end
  redis.call('ZADD', KEYS[1], expired[i + 1], m)
end
local out = {0, #expired / 2}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local deadline = now + tonumber(ARGV[2])
local budget = tonumber(ARGV[4])
-- one HMGET of the bodies, one ZREM from due and one ZADD into inflight for all the entries taken
local names, parsed = {}, {}
for i, m in ipairs(due) do
  local e, ended = string.match(m, '^(%x+):(%d+)$')
  parsed[i] = {e or m, ended}
  names[i] = e or m
end
local bodies = {}
for j = 1, #names, 7000 do
  local part = redis.call('HMGET', KEYS[3], unpack(names, j, math.min(#names, j + 6999)))
  for k = 1, #part do
    bodies[j + k - 1] = part[k]
  end
end
local taken, moved = {}, {}
for i, m in ipairs(due) do
  local e, ended = parsed[i][1], parsed[i][2]
  local v = bodies[i]
  local value = v or m
  if i > 1 and string.len(value) > budget then
    break
  end
  budget = budget - string.len(value)
  if ended then
    ended = tonumber(ended)
  else
    ended = v and string.match(e, '^%x+$') and oldCount(e) or 0
  end
  taken[#taken + 1] = m
  if not v or not string.match(e, '^%x+$') then
    -- not ours: from now on an entry id of the topic, with the value in the body hash
    if v then
      redis.call('HDEL', KEYS[3], e)
    end
    e = string.format('%016x', redis.call('INCR', KEYS[6]))
    redis.call('HSET', KEYS[3], e, value)
  end
  moved[#moved + 1] = deadline
  moved[#moved + 1] = e .. ':' .. (ended + 1)
  out[#out + 1] = e
  out[#out + 1] = ended + 1
  out[#out + 1] = value
end
zsetVariadic('ZREM', KEYS[1], taken)
zsetVariadic('ZADD', KEYS[2], moved)
if #redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1) == 0 then
  redis.call('DEL', KEYS[5])
end
out[1] = nextIn(now, {KEYS[1], KEYS[2]})
return out
