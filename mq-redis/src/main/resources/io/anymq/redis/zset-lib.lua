-- mq-redis zset mode: the steps the send, settle and commit scripts share (prepended to each of them, after
-- common.lua).

-- Adds the messages args[from..to] (pairs: due time in epoch ms, '' = now; envelope) to the due set and body hash
-- of every group, each under a new entry id of the topic's counter; appends the ids to out.
local function zsetAdd(groups, prefix, counter, now, args, from, to, out)
  for i = from, to, 2 do
    local id = string.format('%016x', redis.call('INCR', counter))
    out[#out + 1] = id
    local due = now
    if args[i] ~= '' then
      due = tonumber(args[i])
    end
    for _, g in ipairs(groups) do
      redis.call('ZADD', prefix .. g .. ':due', due, id)
      redis.call('HSET', prefix .. g .. ':body', id, args[i + 1])
    end
  end
end

-- Wakes the waiting members of every group.
local function zsetWake(groups, prefix)
  for _, g in ipairs(groups) do
    local wake = prefix .. g .. ':wake'
    redis.call('LPUSH', wake, '1')
    redis.call('LTRIM', wake, 0, 0)
  end
end

-- Whether the delivery with that count is the entry's current one.
-- k: the group's keys: 1 due, 2 inflight, 3 body, 4 deliveries, 5 wake, 6 invalid
local function zsetCurrent(k, e, countArg)
  return tonumber(redis.call('HGET', k[4], e) or '0') + 1 == tonumber(countArg)
end

-- Whether an ack of the delivery settles the entry (zset-settle.lua): it is the current delivery, or its ack
-- deadline passed and it waits due again; not when it was delivered again (in flight with a higher count).
local function zsetAckApplies(k, e, countArg)
  local inflight = redis.call('ZSCORE', k[2], e)
  if inflight then
    return zsetCurrent(k, e, countArg)
  end
  return redis.call('ZSCORE', k[1], e) ~= false
end

-- One settlement of a group's delivery (zset-settle.lua describes the ops and the result).
local function zsetSettleOne(k, op, e, countArg, delayArg)
  local current = zsetCurrent(k, e, countArg)
  if op == 'nack' or op == 'release' then
    if not current then
      return 0
    end
    if redis.call('ZREM', k[2], e) == 0 then
      return 0
    end
    local delay = tonumber(delayArg)
    redis.call('ZADD', k[1], nowMs() + delay, e)
    if op == 'nack' then
      redis.call('HINCRBY', k[4], e, 1) -- one more ended delivery (a release was never handed out: not counted)
    end
    redis.call('LPUSH', k[5], '1')
    redis.call('LTRIM', k[5], 0, 0)
    return 1
  end
  if not current and redis.call('ZSCORE', k[2], e) then
    return 0
  end
  local n = redis.call('ZREM', k[2], e) + redis.call('ZREM', k[1], e)
  if op == 'invalid' and n > 0 then
    redis.call('LPUSH', k[6], redis.call('HGET', k[3], e) or e)
  end
  redis.call('HDEL', k[3], e)
  redis.call('HDEL', k[4], e)
  if n > 0 then
    return 1
  end
  return 0
end
