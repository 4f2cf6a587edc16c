-- wrk script for bench/load.py: request headers and pacing from the arguments,
-- every response counted by status and Varnish's X-Cache (hit, miss, pass; none
-- straight from gunicorn), one JSON line at the end.
--
-- Arguments (after `--`): "pace=MS" (wait MS milliseconds before each request on
-- a connection: visitors who read, not a flood) and "Name: value" headers.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  cache = {}
  pace = 0
  for _, arg in ipairs(args) do
    local ms = arg:match("^pace=(%d+)$")
    local name, value = arg:match("^([%w-]+):%s*(.*)$")
    if ms then
      pace = tonumber(ms)
    elseif name then
      wrk.headers[name] = value
    end
  end
end

function delay()
  return pace
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local state = string.lower(headers["X-Cache"] or "none")
  cache[state] = (cache[state] or 0) + 1
end

function done(summary, latency, requests)
  local wrong, states, kinds = 0, {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      if status ~= 200 then
        wrong = wrong + n
        table.insert(kinds, string.format('"HTTP %d"', status))
      end
    end
    for state, n in pairs(thread:get("cache")) do
      states[state] = (states[state] or 0) + n
    end
  end
  local e = summary.errors
  for _, kind in ipairs({"connect", "read", "write", "timeout"}) do
    if e[kind] > 0 then table.insert(kinds, string.format('"%s"', kind)) end
  end
  local parts = {}
  for state, n in pairs(states) do
    table.insert(parts, string.format('"%s": %d', state, n))
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "error_kinds": [%s], '
      .. '"p50": %.2f, "p95": %.2f, "p99": %.2f, "cache": {%s}}\n',
    summary.requests, summary.duration / 1e6,
    wrong + e.connect + e.read + e.write + e.timeout, table.concat(kinds, ", "),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, table.concat(parts, ", ")))
end
