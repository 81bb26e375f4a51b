-- mq-redis zset mode: settle deliveries, one or many (the driver gathers the settlements that come while
-- a call runs into the next call).
-- KEYS: 1 due, 2 inflight, 3 body, 4 deliveries, 5 wake, 6 invalid (LIST of values that are no valid envelope)
-- ARGV: per settlement four values: op, entry id, the delivery count of this delivery, delay ms (nack)
--   ack, reject: the entry is done for the group: removed with its body and count, if it is this delivery (in
--                flight with this count) or waits due again after its ack deadline passed; not if it was
--                delivered again after the ack deadline (in flight with a higher count): that delivery is
--                another member's (or a later one of this member), and settling it here could lose the message
--   nack:        due again after the delay; only the current delivery may do it (its count still matches)
--   release:     due again at once, its delivery not counted (taken ahead, never handed out)
--   invalid:     as reject, and the value is kept in the invalid list
-- Returns per settlement 1 when the entry was found (and settled), else 0.
local out = {}
for i = 1, #ARGV, 4 do
  out[#out + 1] = zsetSettleOne(KEYS, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
return out
