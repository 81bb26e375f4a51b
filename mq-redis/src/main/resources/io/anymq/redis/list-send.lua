-- mq-redis list mode: send. LPUSHes every envelope onto the list of every group registered for the
-- topic, in one atomic step: each group that existed when the message was sent receives it.
-- KEYS[1] the topic's group registry (SET anymq:{T}:list:groups)
-- ARGV[1] the topic's key prefix (anymq:{T}:list:), ARGV[2..n-1] the envelopes, in send order,
-- ARGV[n] the most messages a group may hold waiting (0 = no limit): over it nothing is added, an error says which group is full
-- Returns the number of groups.
local groups = redis.call('SMEMBERS', KEYS[1])
local cap = tonumber(ARGV[#ARGV])
if cap > 0 then
  for _, g in ipairs(groups) do
    local waiting = redis.call('LLEN', ARGV[1] .. g .. ':ready')
    if waiting + #ARGV - 2 > cap then
      return redis.error_reply('FULL group ' .. g .. ' holds ' .. waiting .. ' waiting messages, the limit is ' .. cap)
    end
  end
end
for _, g in ipairs(groups) do
  local ready = ARGV[1] .. g .. ':ready'
  for i = 2, #ARGV - 1 do
    redis.call('LPUSH', ready, ARGV[i])
  end
end
return #groups
