-- wrk script of the bench: every request is a distinct, correctly signed GitHub delivery.
-- The Java side pre-computes "delivery-id comment-id signature" lines (HMAC needs no Lua crypto);
-- the body is the template with the comment id filled in, byte for byte what was signed.
-- args: <requests file> <template file> <threads>
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local reqs = {}
local parts = {}
local idx = 0
wraps = 0

function init(args)
  local reqfile, tplfile, nthreads = args[1], args[2], tonumber(args[3])
  local f = assert(io.open(tplfile, "rb"))
  local tpl = f:read("*a")
  f:close()
  local start = 1
  while true do
    local s, e = string.find(tpl, "@@CID@@", start, true)
    if not s then
      table.insert(parts, string.sub(tpl, start))
      break
    end
    table.insert(parts, string.sub(tpl, start, s - 1))
    start = e + 1
  end
  local n = 0
  for line in io.lines(reqfile) do
    if n % nthreads == id then
      local d, c, s = string.match(line, "^(%S+) (%S+) (%S+)$")
      table.insert(reqs, { d, c, s })
    end
    n = n + 1
  end
end

function request()
  idx = idx + 1
  if idx > #reqs then
    -- ran out of unique deliveries: reuse (the gateway answers duplicates); reported as wraps
    idx = 1
    wraps = wraps + 1
  end
  local r = reqs[idx]
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["User-Agent"] = "GitHub-Hookshot/bench"
  headers["X-GitHub-Event"] = "issue_comment"
  headers["X-GitHub-Delivery"] = r[1]
  headers["X-GitHub-Hook-ID"] = "292430182"
  headers["X-Hub-Signature-256"] = "sha256=" .. r[3]
  return wrk.format("POST", "/webhooks/github", headers, table.concat(parts, r[2]))
end

function done(summary, latency, requests)
  local w = 0
  for _, t in ipairs(threads) do
    w = w + (t:get("wraps") or 0)
  end
  io.write(string.format("BENCH requests=%d duration_us=%d status_errors=%d connect=%d read=%d write=%d timeout=%d wraps=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, w, latency:percentile(50), latency:percentile(99)))
end
