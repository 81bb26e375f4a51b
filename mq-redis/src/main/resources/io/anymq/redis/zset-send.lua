-- mq-redis zset mode: send. Gives each message a new entry id (a 16-digit hex sequence of the topic, so
-- that entries due at the same millisecond keep their send order) and adds it, in one atomic step, to
-- the due set of every group registered for the topic, scored by its due time, with its envelope in
-- the group's body hash (the due set's member is the bare entry id: no delivery ended yet); then wakes the
-- group's waiting members. One INCRBY of the counter per call.
-- KEYS[1] the topic's group registry (SET anymq:{T}:zset:groups), KEYS[2] the topic's entry counter
-- ARGV[1] the topic's key prefix (anymq:{T}:zset:), then per message: due time in epoch ms ('' = now), envelope;
-- last, the most messages a group may hold waiting (0 = no limit): over it nothing is added, an error says which group is full
-- Returns {number of groups, entry id 1, entry id 2, ...}
local groups, full = groupsWithRoom(KEYS[1], ARGV[1], (#ARGV - 2) / 2, tonumber(ARGV[#ARGV]), 'ZCARD', ':due')
if not groups then
  return full
end
local out = {#groups}
zsetAdd(groups, ARGV[1], KEYS[2], nowMs(), ARGV, 2, #ARGV - 1, out)
zsetWake(groups, ARGV[1])
return out
