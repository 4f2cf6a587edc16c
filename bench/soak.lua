-- wrk script for bench/soak.py: mixed anonymous traffic in which every
-- `search_every`-th request of a connection searches for a word never asked
-- before (so no cache can answer it); the others cycle through the page paths.
-- One JSON line at the end, with how many requests took over one second.
--
-- Arguments (after `--`): "search_every=N", "nonce=LETTERS" (makes this run's
-- words its own), "Name: value" headers, and the paths to cycle through.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  search_every = 5
  nonce = "soak"
  for _, arg in ipairs(args) do
    local every = arg:match("^search_every=(%d+)$")
    local word = arg:match("^nonce=(%a+)$")
    local name, value = arg:match("^([%w-]+):%s*(.*)$")
    if every then
      search_every = tonumber(every)
    elseif word then
      nonce = word
    elseif name then
      wrk.headers[name] = value
    else
      table.insert(paths, arg)
    end
  end
  counter = 0
  searches = 0
  statuses = {}
end

-- A number written in letters (a word needs no digits to be searched).
local function letters(n)
  local text = ""
  repeat
    text = string.char(97 + n % 26) .. text
    n = math.floor(n / 26)
  until n == 0
  return text
end

function request()
  counter = counter + 1
  if counter % search_every == 0 then
    searches = searches + 1
    -- "z" separates the thread's letters from the counter's: never repeated.
    local word = nonce .. letters(id) .. "z" .. letters(counter)
    return wrk.format(nil, "/search/?q=" .. word)
  end
  return wrk.format(nil, paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local wrong, total_searches, kinds = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_searches = total_searches + thread:get("searches")
    for status, n in pairs(thread:get("statuses")) do
      if status ~= 200 then
        wrong = wrong + n
        table.insert(kinds, string.format('"HTTP %d"', status))
      end
    end
  end
  local e = summary.errors
  for _, kind in ipairs({"connect", "read", "write", "timeout"}) do
    if e[kind] > 0 then table.insert(kinds, string.format('"%s"', kind)) end
  end
  -- latency(i) is the i-th distinct latency recorded (microseconds, in
  -- ascending order) and how many requests took it; #latency is how many
  -- distinct ones there are. Each call scans the histogram, so walk down from
  -- the slowest, and stop after MAX_SLOW distinct values ("at least").
  local over, at_least, i = 0, false, #latency
  while i >= 1 do
    local us, n = latency(i)
    if us <= 1000000 then break end
    over = over + n
    i = i - 1
    if #latency - i >= 500 then
      at_least = i >= 1
      break
    end
  end
  io.write(string.format(
    '{"requests": %d, "searches": %d, "seconds": %.3f, "errors": %d, '
      .. '"error_kinds": [%s], "p50": %.2f, "p95": %.2f, "p99": %.2f, '
      .. '"max": %.2f, "over_1s": %d, "over_1s_at_least": %s}\n',
    summary.requests, total_searches, summary.duration / 1e6,
    wrong + e.connect + e.read + e.write + e.timeout, table.concat(kinds, ", "),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, over,
    tostring(at_least)))
end
