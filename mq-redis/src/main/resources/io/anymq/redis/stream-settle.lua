-- mq-redis stream mode: settle deliveries, one or many (the driver gathers the settlements that come while a
-- call runs into the next call), each only while it is still that delivery: the entry is pending under this
-- member with that delivery's count. After the ack timeout another member (or this one) may have claimed the
-- entry, which moved it or raised its count: then the settlement must not touch it (an XACK would settle the
-- newer delivery, and the message would be lost if that one failed), and its result is 0.
-- KEYS: 1 stream
-- ARGV: 1 group, 2 consumer, then per settlement four values: op ('ack', also for reject; or 'nack', also for
--       release), entry id, delivery count, for nack the entry's new last-delivery time in ms (it becomes
--       claimable one ack wait later), else empty
-- Returns per settlement 1 when it was still this member's delivery and is settled, else 0.
local out = {}
for i = 3, #ARGV, 4 do
  local id = ARGV[i + 1]
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)[1]
  if not p or p[2] ~= ARGV[2] or tonumber(p[4]) ~= tonumber(ARGV[i + 2]) then
    out[#out + 1] = 0
  elseif ARGV[i] == 'ack' then
    out[#out + 1] = redis.call('XACK', KEYS[1], ARGV[1], id)
  else
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'TIME', ARGV[i + 3], 'JUSTID')
    out[#out + 1] = 1
  end
end
return out
