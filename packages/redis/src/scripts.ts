/**
 * The Lua scripts: each runs atomically in Redis, so every worker sees one count. Times are Redis's
 * own clock (`TIME`) unless the caller passes one (tests with fake time).
 */

const NOW = `
local now
if ARGV[5] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
else
  now = tonumber(ARGV[5])
end
`;

/**
 * A weight budget per fixed window aligned on the clock, the way the venues count (Binance's
 * X-MBX-USED-WEIGHT-1M is the weight of the current minute).
 *
 * KEYS: budget hash (w = window start, u = used), pause key (until when everyone waits), the
 * store's marker hash (since, recoveredAt).
 * ARGV: op (acquire | observe | penalise | peek), amount, capacity, intervalMs, now or '', known
 * ('1' when this client has seen the marker before), observedAt or ''.
 * Returns: granted (0/1), wait ms, used, window start, paused until, now.
 *
 * A missing marker that a client has seen means the store lost its state (a restart without
 * persistence, a flush): whatever was spent in the window of that moment is unknown, so a budget
 * found missing in that window counts as full and waits for the next one.
 */
export const BUDGET_SCRIPT = `${NOW}
local capacity = tonumber(ARGV[3])
local interval = tonumber(ARGV[4])
local window = math.floor(now / interval) * interval
local recovered = 0
if redis.call('EXISTS', KEYS[3]) == 0 then
  if ARGV[6] == '1' then recovered = now end
  redis.call('HSET', KEYS[3], 'since', now, 'recoveredAt', recovered)
else
  recovered = tonumber(redis.call('HGET', KEYS[3], 'recoveredAt')) or 0
end
local w = tonumber(redis.call('HGET', KEYS[1], 'w'))
local used = tonumber(redis.call('HGET', KEYS[1], 'u')) or 0
if w == nil then
  used = 0
  if recovered > 0 and math.floor(recovered / interval) * interval == window then used = capacity end
  w = window
elseif w < window then
  used = 0
  w = window
end
local paused = tonumber(redis.call('GET', KEYS[2])) or 0
local op = ARGV[1]
local amount = tonumber(ARGV[2])
local granted = 0
local wait = 0
if op == 'acquire' then
  if now < paused then
    wait = paused - now
  elseif used + amount > capacity then
    wait = w + interval - now
  else
    used = used + amount
    granted = 1
  end
elseif op == 'observe' then
  local at = tonumber(ARGV[7])
  if (at == nil or math.floor(at / interval) * interval >= w) and amount > used then used = amount end
elseif op == 'penalise' then
  if now + amount > paused then
    paused = now + amount
    redis.call('SET', KEYS[2], paused, 'PX', math.max(1, math.ceil(amount)))
  end
end
redis.call('HSET', KEYS[1], 'w', w, 'u', used)
redis.call('PEXPIRE', KEYS[1], math.ceil(interval * 2))
return {granted, math.ceil(wait), used, w, paused, now}
`;

/**
 * A circuit breaker's state, one hash per breaker: s (state), g (generation), f (failures in a row),
 * k (successful trials), t (trials in flight), o (open until), a (last trial admitted at).
 * ARGV: op (admit | success | failure | neutral | isolate | reset | peek), generation of the call,
 * unused, unused, now or '', failureThreshold, openDurationMs, halfOpenMaxTrials, successThreshold,
 * ttl ms.
 * Returns: admitted (0/1), generation, state, retry-after ms.
 *
 * Every state change starts a new generation; a result from a call admitted in an earlier one does
 * not count, so a slow success from before an outage cannot close the breaker for anyone. A trial
 * slot whose worker never reported back (it died) is freed after the open duration.
 */
export const BREAKER_SCRIPT = `${NOW}
local op = ARGV[1]
local callGeneration = tonumber(ARGV[2])
local threshold = tonumber(ARGV[6])
local duration = tonumber(ARGV[7])
local maxTrials = tonumber(ARGV[8])
local successThreshold = tonumber(ARGV[9])
local h = redis.call('HMGET', KEYS[1], 's', 'g', 'f', 'k', 't', 'o', 'a')
local state = h[1] or 'closed'
local gen = tonumber(h[2]) or 0
local failures = tonumber(h[3]) or 0
local successes = tonumber(h[4]) or 0
local trials = tonumber(h[5]) or 0
local openUntil = tonumber(h[6]) or 0
local admittedAt = tonumber(h[7]) or 0
local function enter(to)
  state = to
  gen = gen + 1
  failures = 0
  successes = 0
  trials = 0
  if to == 'open' then openUntil = now + duration end
end
local admitted = 1
local retry = 0
if op == 'admit' then
  if state == 'open' then
    if now < openUntil then
      admitted = 0
      retry = openUntil - now
    else
      enter('half_open')
    end
  end
  if state == 'half_open' and admitted == 1 then
    if trials >= maxTrials and now - admittedAt >= duration then trials = 0 end
    if trials >= maxTrials then
      admitted = 0
    else
      trials = trials + 1
      admittedAt = now
    end
  elseif state == 'isolated' then
    admitted = 0
  end
elseif op == 'isolate' then
  if state ~= 'isolated' then enter('isolated') end
elseif op == 'reset' then
  if state == 'closed' then failures = 0 else enter('closed') end
elseif op ~= 'peek' and callGeneration == gen then
  if op == 'success' then
    if state == 'closed' then
      failures = 0
    elseif state == 'half_open' then
      trials = math.max(0, trials - 1)
      successes = successes + 1
      if successes >= successThreshold then enter('closed') end
    end
  elseif op == 'failure' then
    if state == 'closed' then
      failures = failures + 1
      if failures >= threshold then enter('open') end
    elseif state == 'half_open' then
      enter('open')
    end
  elseif op == 'neutral' and state == 'half_open' then
    trials = math.max(0, trials - 1)
  end
end
redis.call('HSET', KEYS[1], 's', state, 'g', gen, 'f', failures, 'k', successes, 't', trials, 'o', openUntil, 'a', admittedAt)
redis.call('PEXPIRE', KEYS[1], ARGV[10])
return {admitted, gen, state, math.ceil(retry)}
`;
