-- mq-redis zset mode: settle deliveries, one or many (the driver gathers the settlements that come while
-- a call runs into the next call).
-- A delivery is the in-flight member ENTRY:COUNT (see zset-take.lua): it is still this delivery while that member is
-- in flight, or after its ack deadline passed while it waits due again as ENTRY:COUNT (not taken again yet). Taken
-- again, it is ENTRY:COUNT+1: the settlement does nothing.
-- KEYS: 1 due, 2 inflight, 3 body, 4 the old layout's deliveries (unused here), 5 wake, 6 invalid (LIST of values
--       that are no valid envelope)
-- ARGV: per settlement four values: op, entry id, the delivery count of this delivery, delay ms (nack)
--   ack, reject: the entry is done for the group: removed with its body; not if it was delivered again after the
--                ack deadline (in flight as ENTRY:COUNT+1): that delivery is another member's (or a later one of this
--                member), and settling it here could lose the message
--   nack:        due again after the delay, this delivery counted as ended; only while it is in flight
--   release:     due again at once, its delivery not counted (taken ahead, never handed out)
--   invalid:     as reject, and the value is kept in the invalid list
-- Returns per settlement 1 when it was still this delivery (and is settled), else 0.
-- A batch of acks and rejects only (the common case) reads which deliveries are still in flight with one ZMSCORE and
-- removes them with one ZREM and one HDEL; a delivery no longer in flight, and every other batch, settles one by one.
local out = {}
local acksOnly = true
for i = 1, #ARGV, 4 do
  if ARGV[i] ~= 'ack' and ARGV[i] ~= 'reject' then
    acksOnly = false
    break
  end
end
if acksOnly and #ARGV > 4 then
  local members, entries, seen = {}, {}, {}
  for i = 1, #ARGV, 4 do
    members[#members + 1] = ARGV[i + 1] .. ':' .. ARGV[i + 2]
  end
  local scores = redis.call('ZMSCORE', KEYS[2], unpack(members))
  local gone = {}
  for n, m in ipairs(members) do
    if scores[n] and not seen[m] then
      seen[m] = true
      gone[#gone + 1] = m
      entries[#entries + 1] = ARGV[4 * n - 2]
      out[n] = 1
    end
  end
  zsetVariadic('ZREM', KEYS[2], gone)
  zsetVariadic('HDEL', KEYS[3], entries)
  for n = 1, #members do
    if not out[n] then
      local i = 4 * n - 3
      out[n] = zsetSettleOne(KEYS, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
    end
  end
  return out
end
for i = 1, #ARGV, 4 do
  out[#out + 1] = zsetSettleOne(KEYS, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
return out
