-- Settles one finished request in every scope it was counted in, atomically: its lease and reservation are
-- released, its window's tokens corrected to what it used, and its charge added to the period's spend.
--
-- KEYS, four per scope, as for reserve.lua: window, leases, held reservations, spend of the period.
-- ARGV: request id, token delta (metered minus reserved, may be negative), charge.
-- An expired window or spend is left alone: the window has passed, and the spend will be seeded again from the
-- ledger, which will hold this request's charge.
local request_id = ARGV[1]
for i = 1, #KEYS / 4 do
    local window, leases, held, spend = KEYS[4 * i - 3], KEYS[4 * i - 2], KEYS[4 * i - 1], KEYS[4 * i]
    if ARGV[2] ~= '0' and redis.call('EXISTS', window) == 1 then
        redis.call('HINCRBY', window, 't', ARGV[2])
    end
    redis.call('ZREM', leases, request_id)
    local amount = redis.call('HGET', held, request_id)
    if amount then
        redis.call('HDEL', held, request_id)
        if amount ~= '0' then
            redis.call('HINCRBY', held, 'total', '-' .. amount)
        end
    end
    if ARGV[3] ~= '0' and redis.call('EXISTS', spend) == 1 then
        redis.call('INCRBY', spend, ARGV[3])
    end
end
return 1
