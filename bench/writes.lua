-- wrk script for the write routes of bench/load.sh: `booking` (POST /api/v1/bookings) or `application`
-- (POST /care/applications), each request from one of the residents listed in FILE (lines: session csrf child).
-- Bookings ask for a different slot every time (space, hour, then day); applications ask for a different Saturday
-- for each resident's child every time. Answers are counted by status, so refusals (409 taken, 422 a rule) are told
-- apart from failures. Usage: wrk -tT -s bench/writes.lua URL -- booking|application FILE T [space-id ...]

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  kind = args[1]
  residents = {}
  for line in io.lines(args[2]) do
    local session, csrf, child = line:match("(%S+) (%S+) (%S+)")
    table.insert(residents, { session = session, csrf = csrf, child = child })
  end
  thread_count = tonumber(args[3])
  spaces = {}
  for i = 4, #args do table.insert(spaces, args[i]) end
  n = 0
  created, refused, failed = 0, 0, 0
end

local function day_after(days)
  return os.date("!%Y-%m-%d", os.time() + 9 * 3600 + days * 86400)
end

-- The first Saturday at least two days ahead (Seoul), then `weeks` weeks on.
local function saturday(weeks)
  local offset = 2
  while os.date("!%w", os.time() + 9 * 3600 + offset * 86400) ~= "6" do offset = offset + 1 end
  return day_after(offset + 7 * weeks)
end

local function booking(slot, r)
  local space = spaces[slot % #spaces + 1]
  local hour = 9 + math.floor(slot / #spaces) % 8
  local day = day_after(2 + math.floor(slot / (#spaces * 8)))
  local body = string.format(
    '{"space_id":"%s","day":"%s","start":"%02d:00","end":"%02d:00","use_purpose":"아이들 모임","attendees":4,' ..
    '"request_key":"load-%d"}', space, day, hour, hour + 1, slot)
  local headers = { ["Content-Type"] = "application/json", ["Cookie"] = "dolbom_session=" .. r.session }
  return wrk.format("POST", "/api/v1/bookings", headers, body)
end

local function application(round, r)
  local body = "csrf=" .. r.csrf .. "&child_id=" .. r.child .. "&service=elementary_emergency&first_day=" ..
    saturday(round) .. "&days=1&start=10%3A00&end=14%3A00&reason=work&dong=1135056000&address=load"
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "dolbom_session=" .. r.session }
  return wrk.format("POST", "/care/applications", headers, body)
end

function request()
  local slot = n * thread_count + id
  n = n + 1
  local r = residents[slot % #residents + 1]
  if kind == "booking" then return booking(slot, r) end
  return application(math.floor(slot / #residents), r)
end

function response(status)
  if status == 201 or status == 303 then
    created = created + 1
  elseif status == 409 or status == 422 then
    refused = refused + 1
  else
    failed = failed + 1
  end
end

function done()
  local c, r, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c, r, f = c + t:get("created"), r + t:get("refused"), f + t:get("failed")
  end
  io.write(string.format("answers: %d written, %d refused (409/422), %d failed\n", c, r, f))
end
