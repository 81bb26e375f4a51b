-- mq-redis zset mode: send. Gives each message a new entry id (a 16-digit hex sequence of the topic, so
-- that entries due at the same millisecond keep their send order) and adds it, in one atomic step, to
-- the due set of every group registered for the topic, scored by its due time, with its envelope in
-- the group's body hash; then wakes the group's waiting members.
-- KEYS[1] the topic's group registry (SET anymq:{T}:zset:groups), KEYS[2] the topic's entry counter
-- ARGV[1] the topic's key prefix (anymq:{T}:zset:), then per message: due time in epoch ms ('' = now), envelope;
-- last, the most messages a group may hold waiting (0 = no limit): over it nothing is added, an error says which group is full
-- Returns {number of groups, entry id 1, entry id 2, ...}
local groups = redis.call('SMEMBERS', KEYS[1])
local now = nowMs()
local out = {#groups}
local n = (#ARGV - 2) / 2
local cap = tonumber(ARGV[#ARGV])
if cap > 0 then
  for _, g in ipairs(groups) do
    local waiting = redis.call('ZCARD', ARGV[1] .. g .. ':due')
    if waiting + n > cap then
      return redis.error_reply('FULL group ' .. g .. ' holds ' .. waiting .. ' waiting messages, the limit is ' .. cap)
    end
  end
end
for i = 1, n do
  local id = string.format('%016x', redis.call('INCR', KEYS[2]))
  out[#out + 1] = id
  local due = now
  if ARGV[2 * i] ~= '' then
    due = tonumber(ARGV[2 * i])
  end
  for _, g in ipairs(groups) do
    redis.call('ZADD', ARGV[1] .. g .. ':due', due, id)
    redis.call('HSET', ARGV[1] .. g .. ':body', id, ARGV[2 * i + 1])
  end
end
for _, g in ipairs(groups) do
  local wake = ARGV[1] .. g .. ':wake'
  redis.call('LPUSH', wake, '1')
  redis.call('LTRIM', wake, 0, 0)
end
return out
