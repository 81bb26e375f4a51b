-- mq-redis zset mode: commit one transaction in one atomic step: its sends, as zset-send.lua sends (a new entry id
-- each, into the due set and body hash of every group registered for the topic, queue.max-length checked for all
-- of the transaction's messages to that topic), and its acks, as zset-settle.lua acks, or nothing. Every check
-- runs before the first write (a script that fails after a write keeps that write): every group has room, and
-- every ack would settle its entry: it is still that delivery (the member ENTRY:COUNT in flight), or its ack deadline
-- passed and it waits due again under that name; an entry delivered again since (ENTRY:COUNT+1) refuses the whole
-- transaction. The sends write the due member as the bare entry id and nothing else: no deliveries hash (the layout
-- is described in zset-take.lua).
-- KEYS: per topic sent to, its group registry and its entry counter; per consumer whose deliveries are acked, its
--       group's six keys as zset-settle.lua takes them
-- ARGV: 1 the most messages a group may hold waiting (0 = no limit), 2 number of topics sent to,
--       then per topic: the index of its registry in KEYS (its counter is the next key), its key prefix, the number
--       n of messages, then per message its due time in epoch ms ('' = now) and its envelope, in send order;
--       then per ack three: the index of its group's first key in KEYS, entry id, delivery count
-- Returns {1, the entry ids of each topic's messages, topic after topic} when committed; {0, 'moved', n} when the
-- n-th ack's entry was delivered again, with nothing written; an error reply 'FULL ...' when a group has no room.
local cap = tonumber(ARGV[1])
local topics = {}
local a = 3
for t = 1, tonumber(ARGV[2]) do
  local key, prefix, n = tonumber(ARGV[a]), ARGV[a + 1], tonumber(ARGV[a + 2])
  local groups, full = groupsWithRoom(KEYS[key], prefix, n, cap, 'ZCARD', ':due')
  if not groups then
    return full
  end
  topics[t] = {groups, prefix, KEYS[key + 1], a + 3, a + 2 + 2 * n}
  a = a + 3 + 2 * n
end
local acks = {}
for b = a, #ARGV, 3 do
  local first = tonumber(ARGV[b])
  local k = {KEYS[first], KEYS[first + 1], KEYS[first + 2], KEYS[first + 3], KEYS[first + 4], KEYS[first + 5]}
  if not zsetAckApplies(k, ARGV[b + 1], ARGV[b + 2]) then
    return {0, 'moved', #acks + 1}
  end
  acks[#acks + 1] = {k, ARGV[b + 1], ARGV[b + 2]}
end
local now = nowMs()
local out = {1}
for _, t in ipairs(topics) do
  zsetAdd(t[1], t[2], t[3], now, ARGV, t[4], t[5], out)
  zsetWake(t[1], t[2])
end
for _, ack in ipairs(acks) do
  zsetSettleOne(ack[1], 'ack', ack[2], ack[3], '0')
end
return out
