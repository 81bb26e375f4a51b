-- mq-redis zset mode: settle one delivery.
-- KEYS: 1 due, 2 inflight, 3 body, 4 deliveries, 5 wake, 6 invalid (LIST of values that are no valid envelope)
-- ARGV: 1 op, 2 entry id, 3 the delivery count of this delivery, 4 delay ms (nack)
--   ack, reject: the entry is done for the group, wherever it is (in flight, or due again after its ack
--                deadline passed): removed with its body and count
--   nack:        due again after the delay; only the current delivery may do it (its count still matches)
--   invalid:     as reject, and the value is kept in the invalid list
-- Returns 1 when the entry was found, else 0.
local op, e = ARGV[1], ARGV[2]
if op == 'nack' then
  if tonumber(redis.call('HGET', KEYS[4], e) or '0') ~= tonumber(ARGV[3]) then
    return 0
  end
  if redis.call('ZREM', KEYS[2], e) == 0 then
    return 0
  end
  local delay = tonumber(ARGV[4])
  redis.call('ZADD', KEYS[1], nowMs() + delay, e)
  redis.call('LPUSH', KEYS[5], '1')
  redis.call('LTRIM', KEYS[5], 0, 0)
  return 1
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
