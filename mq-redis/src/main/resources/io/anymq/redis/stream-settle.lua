-- mq-redis stream mode: settle one delivery, but only while it is still this delivery: the entry is pending
-- under this member with this delivery count. After the ack timeout another member (or this one) may have
-- claimed the entry, which moved it or raised its count: then this settlement must not touch it (an XACK
-- would settle the newer delivery, and the message would be lost if that one failed). Nothing is done then,
-- and 0 is returned.
-- KEYS: 1 stream
-- ARGV: 1 group, 2 entry id, 3 consumer, 4 delivery count of this delivery, 5 op: 'ack' (and reject), or 'nack'
--       (and release), 6 for nack: the entry's new last-delivery time in ms (it becomes claimable one ack wait later)
-- Returns 1 when the delivery was still this member's, else 0.
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)[1]
if not p or p[2] ~= ARGV[3] or tonumber(p[4]) ~= tonumber(ARGV[4]) then
  return 0
end
if ARGV[5] == 'ack' then
  return redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'TIME', ARGV[6], 'JUSTID')
return 1
