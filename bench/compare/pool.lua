-- wrk script of bench/compare.sh: every request POSTs the next line of a pool file (a form body), so that
-- single-use credentials (codes, refresh tokens) are each sent once. Loaded with dofile() by a small
-- per-case script that first sets:
--
--   pool_file     the file, one form body per line (made by bench/compare/pool.mjs)
--   pool_path     the path to POST to;  pool_headers  a table of headers (client authentication)
--   pool_threads  wrk's -t: thread i takes lines i, i + pool_threads, ...
--   pool_cycle    true: start again at the first line when all were sent (introspection, not single use);
--                 false: a thread that has sent all its lines stops (wrk then counts no more requests for it)
--   pool_check_active  true: count answers without "active":true (an inactive introspection is cheaper)
--
-- done() prints one line, "pool: size=.. used=.. exhausted_threads=.. first_exhausted_after_s=.. inactive=..",
-- which bench/compare.sh reads: an exhausted pool makes the run too short to count, so it is made again, larger.

local now
do
  local ok, ffi = pcall(require, "ffi")
  if ok then
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
      int clock_gettime(int clk_id, bench_timespec *tp);
    ]]
    local ts = ffi.new("bench_timespec")
    now = function()
      ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
      return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
    end
  else
    now = os.time
  end
end

-- Main state: one entry per thread, read in done().
local threads = {}
function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

-- Thread state.
local bodies = {}
local next_body = 1
pool_size = 0
pool_used = 0
pool_exhausted_after = -1
pool_inactive = 0
local started

function init(args)
  local line_number = 0
  for line in io.lines(pool_file) do
    if line ~= "" then
      if line_number % pool_threads == thread_index then
        bodies[#bodies + 1] = line
      end
      line_number = line_number + 1
    end
  end
  pool_size = #bodies
  if not pool_headers["Content-Type"] then
    pool_headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function request()
  started = started or now()
  if next_body > #bodies then
    if pool_cycle and #bodies > 0 then
      next_body = 1
    else
      if pool_exhausted_after < 0 then
        pool_exhausted_after = now() - started
      end
      wrk.thread:stop()
      -- Sent at most once per connection while the thread stops: a path no server serves.
      return wrk.format("GET", "/bench-pool-exhausted")
    end
  end
  local body = bodies[next_body]
  next_body = next_body + 1
  pool_used = pool_used + 1
  return wrk.format("POST", pool_path, pool_headers, body)
end

if pool_check_active then
  function response(status, headers, body)
    if status ~= 200 or not body or not body:find('"active"%s*:%s*true') then
      pool_inactive = pool_inactive + 1
    end
  end
end

function done(summary, latency, requests)
  local size, used, exhausted, first, inactive = 0, 0, 0, -1, 0
  for _, thread in ipairs(threads) do
    size = size + thread:get("pool_size")
    used = used + thread:get("pool_used")
    inactive = inactive + thread:get("pool_inactive")
    local after = thread:get("pool_exhausted_after")
    if after >= 0 then
      exhausted = exhausted + 1
      if first < 0 or after < first then first = after end
    end
  end
  io.write(string.format("pool: size=%d used=%d exhausted_threads=%d first_exhausted_after_s=%.2f inactive=%d\n",
    size, used, exhausted, first, inactive))
end
