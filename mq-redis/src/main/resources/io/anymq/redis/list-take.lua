-- mq-redis list mode: take. First gives back what is due (in-flight entries past their ack deadline,
-- nacked entries past their delay) to the consuming end of the group's list; then moves up to ARGV[1]
-- values from the list into the in-flight set, each under a new delivery tag.
-- KEYS: 1 ready (LIST of values), 2 inflight (ZSET tag -> ack deadline ms), 3 pending (HASH tag -> value,
--       for in-flight and delayed tags), 4 delayed (ZSET tag -> due ms), 5 deliveries (HASH count key -> how many
--       deliveries of the message ended unfinished: given back at the ack deadline, or nacked; a delivery's
--       count is that + 1, so a first delivery writes nothing),
--       6 seq (counter of delivery tags)
-- ARGV: 1 how many to take, 2 ack wait ms, 3 how many due entries to give back at most,
--       4 how many value bytes to take at most (at least one value is taken, whatever its size)
-- Returns {ms until the next deadline or due time (-1: none), entries given back, tag1, count1, value1, ...}
local now = nowMs()
local limit = tonumber(ARGV[3])

local function giveBack(zkey, expired)
  local tags = redis.call('ZRANGEBYSCORE', zkey, '-inf', now, 'LIMIT', 0, limit)
  -- the earliest ends up at the very end of the list, where it is taken first
  for i = #tags, 1, -1 do
    local tag = tags[i]
    local v = redis.call('HGET', KEYS[3], tag)
    if v then
      redis.call('RPUSH', KEYS[1], v)
      if expired then
        redis.call('HINCRBY', KEYS[5], countKey(v), 1) -- a delivery ended at its ack deadline (a nack counted itself)
      end
    end
    redis.call('HDEL', KEYS[3], tag)
    redis.call('ZREM', zkey, tag)
  end
  return #tags
end

local returned = giveBack(KEYS[2], true) + giveBack(KEYS[4], false)
local out = {0, returned}
local deadline = now + tonumber(ARGV[2])
local budget = tonumber(ARGV[4])
for i = 1, tonumber(ARGV[1]) do
  local v = redis.call('RPOP', KEYS[1])
  if not v then
    break
  end
  if i > 1 and string.len(v) > budget then
    redis.call('RPUSH', KEYS[1], v) -- back where it was: the next take starts with it
    break
  end
  budget = budget - string.len(v)
  local tag = string.format('%x', redis.call('INCR', KEYS[6]))
  redis.call('ZADD', KEYS[2], deadline, tag)
  redis.call('HSET', KEYS[3], tag, v)
  out[#out + 1] = tag
  out[#out + 1] = tonumber(redis.call('HGET', KEYS[5], countKey(v)) or '0') + 1
  out[#out + 1] = v
end
out[1] = nextIn(now, {KEYS[2], KEYS[4]})
return out
