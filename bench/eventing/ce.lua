-- wrk script for bench/eventing: POST binary-mode CloudEvents 1.0 with a unique ce-id per request.
local counter = 0
local body = '{"bench":true,"pad":"' .. string.rep("x", 64) .. '"}'
function setup(thread)
  thread:set("tid", tostring(math.random(1, 1000000000)))
end
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, {
    ["ce-specversion"] = "1.0",
    ["ce-id"] = tid .. "-" .. counter,
    ["ce-source"] = "/bench",
    ["ce-type"] = "bench.event",
    ["Content-Type"] = "application/json",
  }, body)
end
