-- mq-redis list mode: settle deliveries, one or many (the driver gathers the settlements that come while
-- a call runs into the next call).
-- KEYS: 1 ready, 2 inflight, 3 pending, 4 delayed, 5 deliveries, 6 invalid (LIST of values that are no valid envelope)
-- ARGV: per settlement four values: op, delivery tag, delay ms (nack), the value (late only, else empty)
--   ack, reject: the message is done for the group (its count is forgotten)
--   nack:        back to the consuming end of the list (delay 0), or into the delayed set until due
--   release:     back to the consuming end of the list, its delivery not counted (taken ahead, never handed out)
--   invalid:     moved to the invalid list (a value with the envelope's magic that does not decode)
--   late:        an ack or reject that came after the entry was given back: if the value still waits among
--                the 1,000 values at the consuming end of the list (where given-back values go), it is taken
--                out; the search is bounded so that a late ack never scans a long backlog
-- Returns per settlement 1 when the delivery was still in flight (late: how many values were taken out), else 0.
local function settleOne(op, tag, delayArg, value)
  if op == 'late' then
    local v = value
    if not redis.call('LPOS', KEYS[1], v, 'RANK', -1, 'MAXLEN', 1000) then
      return 0
    end
    local n = redis.call('LREM', KEYS[1], -1, v)
    if n > 0 then
      redis.call('HDEL', KEYS[5], countKey(v))
    end
    return n
  end
  if redis.call('ZREM', KEYS[2], tag) == 0 then
    return 0
  end
  local v = redis.call('HGET', KEYS[3], tag)
  if op == 'release' then
    if v then
      redis.call('RPUSH', KEYS[1], v)
    end
    redis.call('HDEL', KEYS[3], tag)
    return 1
  end
  if op == 'nack' then
    if v then
      redis.call('HINCRBY', KEYS[5], countKey(v), 1) -- one more ended delivery
    end
    local delay = tonumber(delayArg)
    if delay > 0 then
      redis.call('ZADD', KEYS[4], nowMs() + delay, tag)
      return 1
    end
    if v then
      redis.call('RPUSH', KEYS[1], v)
    end
    redis.call('HDEL', KEYS[3], tag)
    return 1
  end
  redis.call('HDEL', KEYS[3], tag)
  if v then
    redis.call('HDEL', KEYS[5], countKey(v))
    if op == 'invalid' then
      redis.call('LPUSH', KEYS[6], v)
    end
  end
  return 1
end

local out = {}
for i = 1, #ARGV, 4 do
  out[#out + 1] = settleOne(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
return out
