-- mq-redis zset mode: settle deliveries, one or many (the driver gathers the settlements that come while
-- a call runs into the next call).
-- KEYS: 1 due, 2 inflight, 3 body, 4 deliveries, 5 wake, 6 invalid (LIST of values that are no valid envelope)
-- ARGV: per settlement four values: op, entry id, the delivery count of this delivery, delay ms (nack)
--   ack, reject: the entry is done for the group: removed with its body and count, if it is this delivery (in
--                flight with this count) or waits due again after its ack deadline passed; not if it was
--                delivered again after the ack deadline (in flight with a higher count): that delivery is
--                another member's (or a later one of this member), and settling it here could lose the message
--   nack:        due again after the delay; only the current delivery may do it (its count still matches)
--   release:     due again at once, its delivery not counted (taken ahead, never handed out)
--   invalid:     as reject, and the value is kept in the invalid list
-- Returns per settlement 1 when the entry was found (and settled), else 0.
local function settleOne(op, e, countArg, delayArg)
  local current = tonumber(redis.call('HGET', KEYS[4], e) or '0') + 1 == tonumber(countArg)
  if op == 'nack' or op == 'release' then
    if not current then
      return 0
    end
    if redis.call('ZREM', KEYS[2], e) == 0 then
      return 0
    end
    local delay = tonumber(delayArg)
    redis.call('ZADD', KEYS[1], nowMs() + delay, e)
    if op == 'nack' then
      redis.call('HINCRBY', KEYS[4], e, 1) -- one more ended delivery (a release was never handed out: not counted)
    end
    redis.call('LPUSH', KEYS[5], '1')
    redis.call('LTRIM', KEYS[5], 0, 0)
    return 1
  end
  if not current and redis.call('ZSCORE', KEYS[2], e) then
    return 0
  end
  local n = redis.call('ZREM', KEYS[2], e) + redis.call('ZREM', KEYS[1], e)
  if op == 'invalid' and n > 0 then
    redis.call('LPUSH', KEYS[6], redis.call('HGET', KEYS[3], e) or e)
  end
  redis.call('HDEL', KEYS[3], e)
  redis.call('HDEL', KEYS[4], e)
  if n > 0 then
    return 1
  end
  return 0
end

local out = {}
for i = 1, #ARGV, 4 do
  out[#out + 1] = settleOne(ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
return out
