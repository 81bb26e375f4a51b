-- mq-redis list mode: settle deliveries, one or many (the driver gathers the settlements that come while
-- a call runs into the next call).
-- KEYS: 1 ready, 2 inflight, 3 pending, 4 delayed, 5 deliveries, 6 invalid (LIST of values that are no valid envelope)
-- ARGV: per settlement four values: op, delivery tag, delay ms (nack), the value (late only, else empty)
--   ack, reject: the message is done for the group (its count is forgotten)
--   nack:        back to the consuming end of the list (delay 0), or into the delayed set until due
--   release:     back to the consuming end of the list, its delivery not counted (taken ahead, never handed out)
--   invalid:     moved to the invalid list (a value with the envelope's magic that does not decode)
--   late:        an ack or reject that came after the entry was given back: if the value still waits among
--                the 1,000 values at the consuming end of the list (where given-back values go), it is taken
--                out; the search is bounded so that a late ack never scans a long backlog
-- Returns per settlement 1 when the delivery was still in flight (late: how many values were taken out), else 0.
local out = {}
for i = 1, #ARGV, 4 do
  out[#out + 1] = listSettleOne(KEYS, ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3])
end
return out
