-- Admits one request against the limits of every scope it names (a client and one of its keys), atomically: all
-- limits are checked first, then the request is counted in every scope, or in none.
--
-- KEYS, four per scope: the 60-second window (hash r = requests, t = tokens), the leases (sorted set of request ids
-- by deadline: requests in flight), the held reservations (hash of request id -> cost, plus total) and the spend of
-- the billing period (string, seeded from the rated ledger; absent = must be seeded).
-- ARGV: request id, now (ms), window TTL (ms), lease deadline (ms), lease TTL (ms), tokens, cost, then four per
-- scope: requests per minute, tokens per minute, max in flight, budget (-1 = no limit).
-- Amounts stay strings when written, so Lua's doubles never round them; they are compared as doubles, exact
-- below 2^53.
-- Returns: status (1 admitted, 0 refused, 2 spend must be seeded first), refusing scope (1-based, 0 = none),
-- refusing limit (1 requests, 2 tokens, 3 in flight, 4 budget), scope count, five counts per scope (requests,
-- tokens, in flight, spent (-1 = unseeded), held), then the 1-based indexes of the scopes to seed.
local scopes = #KEYS / 4
local request_id = ARGV[1]
local now = tonumber(ARGV[2])
local tokens = tonumber(ARGV[6])
local cost = tonumber(ARGV[7])
local result = {1, 0, 0, scopes}
local unseeded = {}

for i = 1, scopes do
    local window, leases, held, spend = KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]
    local base = 7 + 4 * (i - 1)
    local rpm, tpm = tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2])
    local max_in_flight, budget = tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])

    -- Leases that ran out belong to requests never settled (a replica died): release their reservations.
    local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now)
    for _, id in ipairs(expired) do
        local amount = redis.call('HGET', held, id)
        if amount then
            redis.call('HDEL', held, id)
            if amount ~= '0' then
                redis.call('HINCRBY', held, 'total', '-' .. amount)
            end
        end
    end
    if #expired > 0 then
        redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
    end

    local requests = tonumber(redis.call('HGET', window, 'r') or '0')
    local window_tokens = tonumber(redis.call('HGET', window, 't') or '0')
    local in_flight = redis.call('ZCARD', leases)
    local held_total = tonumber(redis.call('HGET', held, 'total') or '0')
    local spent = -1
    if budget >= 0 then
        local value = redis.call('GET', spend)
        if value then
            spent = tonumber(value)
        else
            unseeded[#unseeded + 1] = i
        end
    end
    local counts = {requests, window_tokens, in_flight, spent, held_total}
    for _, count in ipairs(counts) do
        result[#result + 1] = count
    end

    if result[2] == 0 then
        local refused = 0
        if rpm >= 0 and requests + 1 > rpm then
            refused = 1
        elseif tpm >= 0 and window_tokens + tokens > tpm then
            refused = 2
        elseif max_in_flight >= 0 and in_flight + 1 > max_in_flight then
            refused = 3
        elseif budget >= 0 and spent >= 0 and spent + held_total + cost > budget then
            refused = 4
        end
        if refused > 0 then
            result[1], result[2], result[3] = 0, i, refused
        end
    end
end

if result[1] == 0 then
    return result
end
if #unseeded > 0 then
    result[1] = 2
    for _, i in ipairs(unseeded) do
        result[#result + 1] = i
    end
    return result
end

for i = 1, scopes do
    local window, leases, held = KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1]
    local base = 7 + 4 * (i - 1)
    local max_in_flight, budget = tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])
    redis.call('HINCRBY', window, 'r', 1)
    redis.call('HINCRBY', window, 't', ARGV[6])
    redis.call('PEXPIRE', window, ARGV[3])
    if max_in_flight >= 0 or budget >= 0 then
        redis.call('ZADD', leases, ARGV[4], request_id)
        redis.call('PEXPIRE', leases, ARGV[5])
    end
    if budget >= 0 and ARGV[7] ~= '0' then
        redis.call('HSET', held, request_id, ARGV[7])
        redis.call('HINCRBY', held, 'total', ARGV[7])
        redis.call('PEXPIRE', held, ARGV[5])
    end
end
return result
