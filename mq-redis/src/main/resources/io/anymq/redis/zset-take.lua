-- mq-redis zset mode: take. In-flight entries past their ack deadline become due again (scored by that
-- deadline) and count one more ended delivery; then up to ARGV[1] due entries move into the in-flight set,
-- scored by their ack deadline. When nothing is due any more, the wake list is cleared so that members block.
-- KEYS: 1 due (ZSET entry -> due ms), 2 inflight (ZSET entry -> ack deadline ms), 3 body (HASH entry -> envelope),
--       4 deliveries (HASH entry -> how many of its deliveries ended without a settlement that finished it:
--         given back after the ack deadline, or nacked; absent for none), 5 wake (LIST, non-empty while entries may be due)
-- A delivery's count is that number + 1: a first delivery writes nothing (the common case costs a read).
-- ARGV: 1 how many to take, 2 ack wait ms, 3 how many expired entries to make due at most,
--       4 how many value bytes to take at most (at least one entry is taken, whatever its size)
-- Returns {ms until the next due time or deadline (-1: none), entries made due again, entry1, count1, value1, ...}
-- An entry without a body is its own value (a plain ZADD of an envelope by another program).
local now = nowMs()
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
for i = 1, #expired, 2 do
  redis.call('ZREM', KEYS[2], expired[i])
  redis.call('ZADD', KEYS[1], expired[i + 1], expired[i])
  redis.call('HINCRBY', KEYS[4], expired[i], 1)
end
local out = {0, #expired / 2}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local deadline = now + tonumber(ARGV[2])
local budget = tonumber(ARGV[4])
for i, e in ipairs(due) do
  local v = redis.call('HGET', KEYS[3], e) or e
  if i > 1 and string.len(v) > budget then
    break
  end
  budget = budget - string.len(v)
  redis.call('ZREM', KEYS[1], e)
  redis.call('ZADD', KEYS[2], deadline, e)
  out[#out + 1] = e
  out[#out + 1] = tonumber(redis.call('HGET', KEYS[4], e) or '0') + 1
  out[#out + 1] = v
end
if #redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1) == 0 then
  redis.call('DEL', KEYS[5])
end
out[1] = nextIn(now, {KEYS[1], KEYS[2]})
return out
