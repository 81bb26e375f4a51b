-- mq-redis list mode: commit one transaction in one atomic step: its sends, as list-send.lua sends (LPUSH onto the
-- list of every group registered for the topic, queue.max-length checked for all of the transaction's messages to
-- that topic), and its acks, as list-settle.lua acks, or nothing. Every check runs before the first write (a
-- script that fails after a write keeps that write): every group has room, and every acked delivery is still in
-- flight under its tag. One that is not (its ack timeout gave it back) refuses the whole transaction: the
-- settle script's late path (take the value back out of the list) is not taken inside a transaction.
-- KEYS: per topic sent to, its group registry; per consumer whose deliveries are acked, its group's six keys as
--       list-settle.lua takes them
-- ARGV: 1 the most messages a group may hold waiting (0 = no limit), 2 number of topics sent to,
--       then per topic: the index of its registry in KEYS, its key prefix, the number n of envelopes, the n
--       envelopes in send order; then per ack two: the index of its group's first key in KEYS, delivery tag
-- Returns {1, the number of groups of each topic in order} when committed; {0, 'moved', n} when the n-th ack's
-- delivery is no longer in flight, with nothing written; an error reply 'FULL ...' when a group has no room.
local cap = tonumber(ARGV[1])
local topics = {}
local a = 3
for t = 1, tonumber(ARGV[2]) do
  local prefix, n = ARGV[a + 1], tonumber(ARGV[a + 2])
  local groups, full = groupsWithRoom(KEYS[tonumber(ARGV[a])], prefix, n, cap, 'LLEN', ':ready')
  if not groups then
    return full
  end
  topics[t] = {groups, prefix, a + 3, a + 2 + n}
  a = a + 3 + n
end
local acks = {}
for b = a, #ARGV, 2 do
  local first = tonumber(ARGV[b])
  local k = {KEYS[first], KEYS[first + 1], KEYS[first + 2], KEYS[first + 3], KEYS[first + 4], KEYS[first + 5]}
  if not redis.call('ZSCORE', k[2], ARGV[b + 1]) then
    return {0, 'moved', #acks + 1}
  end
  acks[#acks + 1] = {k, ARGV[b + 1]}
end
local out = {1}
for _, t in ipairs(topics) do
  listPush(t[1], t[2], ARGV, t[3], t[4])
  out[#out + 1] = #t[1]
end
for _, ack in ipairs(acks) do
  listSettleOne(ack[1], 'ack', ack[2], '0', '')
end
return out
