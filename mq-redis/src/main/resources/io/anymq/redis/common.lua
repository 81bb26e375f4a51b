-- mq-redis: helpers shared by the scripts (prepended to each of them).

-- The server's clock in milliseconds: every member compares deadlines with the same clock.
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Under which name a list value's delivery count is kept: 'id:' and the message id of an anymq
-- envelope (magic AE 4D 51, flag bit 0, the id as varint length + UTF-8 right after the flags),
-- else 'sha1:' and the SHA-1 of the value (a value written by another program).
local function countKey(v)
  local n = string.len(v)
  if n >= 6 and string.byte(v, 1) == 174 and string.byte(v, 2) == 77 and string.byte(v, 3) == 81
      and string.byte(v, 5) % 2 == 1 then
    local len, mul, pos = 0, 1, 6
    while true do
      local b = string.byte(v, pos)
      if b == nil or mul > 268435456 then
        return 'sha1:' .. redis.sha1hex(v)
      end
      pos = pos + 1
      len = len + (b % 128) * mul
      if b < 128 then
        break
      end
      mul = mul * 128
    end
    if pos + len - 1 <= n then
      return 'id:' .. string.sub(v, pos, pos + len - 1)
    end
  end
  return 'sha1:' .. redis.sha1hex(v)
end

-- Milliseconds from now until the earliest score of these sorted sets; -1 when all are empty.
local function nextIn(now, zsets)
  local earliest = nil
  for _, z in ipairs(zsets) do
    local first = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
    if first[2] then
      local s = tonumber(first[2])
      if earliest == nil or s < earliest then
        earliest = s
      end
    end
  end
  if earliest == nil then
    return -1
  end
  return math.max(0, earliest - now)
end


-- The groups registered for a topic (registry: its SET of group names, prefix: its key prefix), or nil and an
-- error reply when a group would hold more than cap (0 = no limit) waiting messages with n more; a group's waiting
-- messages are the length (command LLEN or ZCARD) of its key prefix .. group .. part.
local function groupsWithRoom(registry, prefix, n, cap, command, part)
  local groups = redis.call('SMEMBERS', registry)
  if cap > 0 then
    for _, g in ipairs(groups) do
      local waiting = redis.call(command, prefix .. g .. part)
      if waiting + n > cap then
        return nil, redis.error_reply('FULL group ' .. g .. ' holds ' .. waiting .. ' waiting messages, the limit is ' .. cap)
      end
    end
  end
  return groups
end
