-- mq-redis stream mode: commit one transaction in one atomic step: every XADD of its sends and the XACK of every
-- delivery it acked, or nothing. Every check runs before the first write (a script that fails after a write keeps
-- that write): each key holds a stream or nothing, each send's field list fits one XADD, and each acked entry is
-- still that delivery, as in stream-settle.lua: pending under the member that received it with that delivery's
-- count. An ack whose entry moved on (claimed by another member, or this one again, after the ack timeout) refuses
-- the whole transaction.
-- KEYS: the streams the transaction sends to or acks on, each once
-- ARGV: 1 MAXLEN of every stream the sends append to (0: no trimming; else approximate, as the producer's XADD),
--       2 number of sends, 3 number of acks,
--       then per send: the index of its stream in KEYS, the number n of field and value arguments, the n of them;
--       then per ack five: the index of its stream in KEYS, group, consumer, entry id, delivery count
-- Returns {1, the entry id of each send in order} when committed; when refused, with nothing written:
--   {0, 'type', i, type} KEYS[i] holds another type than a stream, {0, 'moved', n} the n-th ack's entry moved on,
--   {0, 'fields', s} the s-th send has more fields than one XADD of a script takes.
local sends, acks = tonumber(ARGV[2]), tonumber(ARGV[3])
local sendAt = {}
local a = 4
for s = 1, sends do
  sendAt[s] = a
  local n = tonumber(ARGV[a + 1])
  if n > 7000 then
    return {0, 'fields', s}
  end
  a = a + 2 + n
end
local ackAt = a
for i = 1, #KEYS do
  local t = redis.call('TYPE', KEYS[i])['ok']
  if t ~= 'stream' and t ~= 'none' then
    return {0, 'type', i, t}
  end
end
for n = 1, acks do
  local b = ackAt + (n - 1) * 5
  local id = ARGV[b + 3]
  local p = redis.call('XPENDING', KEYS[tonumber(ARGV[b])], ARGV[b + 1], id, id, 1)[1]
  if not p or p[2] ~= ARGV[b + 2] or tonumber(p[4]) ~= tonumber(ARGV[b + 4]) then
    return {0, 'moved', n}
  end
end
local out = {1}
for s = 1, sends do
  local b = sendAt[s]
  local key, last = KEYS[tonumber(ARGV[b])], b + 1 + tonumber(ARGV[b + 1])
  if tonumber(ARGV[1]) > 0 then
    out[#out + 1] = redis.call('XADD', key, 'MAXLEN', '~', ARGV[1], '*', unpack(ARGV, b + 2, last))
  else
    out[#out + 1] = redis.call('XADD', key, '*', unpack(ARGV, b + 2, last))
  end
end
for n = 1, acks do
  local b = ackAt + (n - 1) * 5
  redis.call('XACK', KEYS[tonumber(ARGV[b])], ARGV[b + 1], ARGV[b + 3])
end
return out
