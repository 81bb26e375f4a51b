-- mq-redis zset mode: the steps the send, settle and commit scripts share (prepended to each of them, after
-- common.lua).

-- Calls redis.call(command, key, ...) with the values of list, at most 7,000 per call (Lua's stack bound on unpack).
local function zsetVariadic(command, key, list)
  for i = 1, #list, 7000 do
    redis.call(command, key, unpack(list, i, math.min(#list, i + 6999)))
  end
end

-- Adds the messages args[from..to] (pairs: due time in epoch ms, '' = now; envelope) to the due set and body hash
-- of every group, each under a new entry id of the topic's counter (one INCRBY for all of them); appends the ids to
-- out. The due member is the bare entry id: no delivery of it ended yet (zset-take.lua describes the layout).
-- One ZADD and one HSET per group for all the messages (a command inside a script costs its own time and the
-- script's call overhead: one call per message and command was most of the script's time).
local function zsetAdd(groups, prefix, counter, now, args, from, to, out)
  local n = (to - from + 1) / 2
  local base = redis.call('INCRBY', counter, n) - n
  local scored, bodies = {}, {}
  for i = from, to, 2 do
    local id = string.format('%016x', base + (i - from) / 2 + 1)
    out[#out + 1] = id
    local due = now
    if args[i] ~= '' then
      due = tonumber(args[i])
    end
    scored[#scored + 1] = due
    scored[#scored + 1] = id
    bodies[#bodies + 1] = id
    bodies[#bodies + 1] = args[i + 1]
  end
  for _, g in ipairs(groups) do
    zsetVariadic('ZADD', prefix .. g .. ':due', scored)
    zsetVariadic('HSET', prefix .. g .. ':body', bodies)
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

-- A delivery is the member ENTRY:COUNT (zset-take.lua): in flight while it is under way, due under the same name
-- after its ack deadline passed (until it is taken again, as ENTRY:COUNT+1). The old layout's deliveries hash (k[4])
-- is never read or written here.
-- k: the group's keys: 1 due, 2 inflight, 3 body, 4 the old layout's deliveries, 5 wake, 6 invalid

-- Whether an ack of the delivery settles the entry (zset-settle.lua): it is in flight as this delivery, or its ack
-- deadline passed and it waits due again under the same name; not when it was delivered again (ENTRY:COUNT+1).
local function zsetAckApplies(k, e, count)
  local m = e .. ':' .. count
  return redis.call('ZSCORE', k[2], m) ~= false or redis.call('ZSCORE', k[1], m) ~= false
end

-- One settlement of a group's delivery (zset-settle.lua describes the ops and the result).
local function zsetSettleOne(k, op, e, count, delayArg)
  local m = e .. ':' .. count
  if op == 'nack' or op == 'release' then
    if redis.call('ZREM', k[2], m) == 0 then
      return 0
    end
    if op == 'release' then
      local ended = tonumber(count) - 1 -- never handed out: not counted
      m = ended > 0 and (e .. ':' .. ended) or e
    end
    redis.call('ZADD', k[1], nowMs() + tonumber(delayArg), m)
    redis.call('LPUSH', k[5], '1')
    redis.call('LTRIM', k[5], 0, 0)
    return 1
  end
  if redis.call('ZREM', k[2], m) == 0 and redis.call('ZREM', k[1], m) == 0 then
    return 0
  end
  if op == 'invalid' then
    redis.call('LPUSH', k[6], redis.call('HGET', k[3], e) or e)
  end
  redis.call('HDEL', k[3], e)
  return 1
end
