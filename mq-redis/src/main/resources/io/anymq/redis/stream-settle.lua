-- mq-redis stream mode: settle deliveries, one or many (the driver gathers the settlements that come while a
-- call runs into the next call), each only while it is still that delivery: the entry is pending under this
-- member with that delivery's count. After the ack timeout another member (or this one) may have claimed the
-- entry, which moved it or raised its count: then the settlement must not touch it (an XACK would settle the
-- newer delivery, and the message would be lost if that one failed), and its result is 0.
-- The checks read this member's pending entries between the batch's lowest and highest id in one XPENDING (when
-- they are more than ARGV[5], one XPENDING per entry instead), and the acks go in one XACK of all their ids.
-- KEYS: 1 stream
-- ARGV: 1 group, 2 consumer, 3 the batch's lowest entry id, 4 its highest, 5 how many pending entries one range
--       read returns at most, then per settlement four values: op ('ack', also for reject; or 'nack', also for
--       release), entry id, delivery count, for nack the entry's new last-delivery time in ms (it becomes
--       claimable one ack wait later), else empty
-- Returns per settlement 1 when it was still this member's delivery and is settled, else 0.
local limit = tonumber(ARGV[5])
local rows = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[4], limit, ARGV[2])
local counts = nil
if #rows < limit then
  counts = {}
  for _, p in ipairs(rows) do
    counts[p[1]] = tonumber(p[4])
  end
end
-- the delivery count of the entry pending under this member, or nil
local function pendingCount(id)
  if counts then
    return counts[id]
  end
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1, ARGV[2])[1]
  return p and tonumber(p[4]) or nil
end
local out, acks, settled = {}, {}, {}
for i = 6, #ARGV, 4 do
  local id = ARGV[i + 1]
  if settled[id] or pendingCount(id) ~= tonumber(ARGV[i + 2]) then
    out[#out + 1] = 0
  else
    settled[id] = true
    if ARGV[i] == 'ack' then
      acks[#acks + 1] = id
    else
      redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id, 'TIME', ARGV[i + 3], 'JUSTID')
    end
    out[#out + 1] = 1
  end
end
if #acks > 0 then
  redis.call('XACK', KEYS[1], ARGV[1], unpack(acks))
end
return out
