-- mq-redis list mode: the steps the send, settle and commit scripts share (prepended to each of them, after
-- common.lua).

-- LPUSHes the envelopes args[from..to], in order, onto the list of every group.
local function listPush(groups, prefix, args, from, to)
  for _, g in ipairs(groups) do
    local ready = prefix .. g .. ':ready'
    for i = from, to do
      redis.call('LPUSH', ready, args[i])
    end
  end
end

-- One settlement of a group's delivery (list-settle.lua describes the ops and the result).
-- k: the group's keys: 1 ready, 2 inflight, 3 pending, 4 delayed, 5 deliveries, 6 invalid
local function listSettleOne(k, op, tag, delayArg, value)
  if op == 'late' then
    local v = value
    if not redis.call('LPOS', k[1], v, 'RANK', -1, 'MAXLEN', 1000) then
      return 0
    end
    local n = redis.call('LREM', k[1], -1, v)
    if n > 0 then
      redis.call('HDEL', k[5], countKey(v))
    end
    return n
  end
  if redis.call('ZREM', k[2], tag) == 0 then
    return 0
  end
  local v = redis.call('HGET', k[3], tag)
  if op == 'nack' then
    if v then
      redis.call('HINCRBY', k[5], countKey(v), 1) -- one more ended delivery
    end
    local delay = tonumber(delayArg)
    if delay > 0 then
      redis.call('ZADD', k[4], nowMs() + delay, tag)
      return 1
    end
  end
  if op == 'release' or op == 'nack' then -- back to the list now (a release, or a nack without delay)
    if v then
      redis.call('RPUSH', k[1], v)
    end
    redis.call('HDEL', k[3], tag)
    return 1
  end
  redis.call('HDEL', k[3], tag)
  if v then
    redis.call('HDEL', k[5], countKey(v))
    if op == 'invalid' then
      redis.call('LPUSH', k[6], v)
    end
  end
  return 1
end
