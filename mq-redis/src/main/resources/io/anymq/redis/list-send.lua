-- mq-redis list mode: send. LPUSHes every envelope onto the list of every group registered for the
-- topic, in one atomic step: each group that existed when the message was sent receives it.
-- KEYS[1] the topic's group registry (SET anymq:{T}:list:groups)
-- ARGV[1] the topic's key prefix (anymq:{T}:list:), ARGV[2..] the envelopes, in send order
-- Returns the number of groups.
local groups = redis.call('SMEMBERS', KEYS[1])
for _, g in ipairs(groups) do
  local ready = ARGV[1] .. g .. ':ready'
  for i = 2, #ARGV do
    redis.call('LPUSH', ready, ARGV[i])
  end
end
return #groups
