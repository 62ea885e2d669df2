-- wrk script for the gateway benchmark: POSTs the body in BENCH_BODY with the key in BENCH_KEY. When
-- BENCH_DELAY_MS is set, each connection waits that long between requests, which paces the load at
-- connections x 1000 / BENCH_DELAY_MS requests per second. At the end it prints one line:
-- "p50_us p99_us requests non_2xx errors".
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")

local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

function delay()
  return pause
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d\n", latency:percentile(50), latency:percentile(99),
    summary.requests, summary.errors.status, errors))
end
