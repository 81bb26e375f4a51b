-- mq-redis list mode: send. LPUSHes every envelope onto the list of every group registered for the
-- topic, in one atomic step: each group that existed when the message was sent receives it.
-- KEYS[1] the topic's group registry (SET anymq:{T}:list:groups)
-- ARGV[1] the topic's key prefix (anymq:{T}:list:), ARGV[2..n-1] the envelopes, in send order,
-- ARGV[n] the most messages a group may hold waiting (0 = no limit): over it nothing is added, an error says which group is full
-- Returns the number of groups.
local groups, full = groupsWithRoom(KEYS[1], ARGV[1], #ARGV - 2, tonumber(ARGV[#ARGV]), 'LLEN', ':ready')
if not groups then
  return full
end
listPush(groups, ARGV[1], ARGV, 2, #ARGV - 1)
return #groups
