-- Argo CD health check for vguest.io/VirtualGuest, read from the guest's Ready condition.
--   Healthy      Ready is True: the domain matches the spec and is in the state runStrategy asks for.
--   Progressing  the node agent has not reported this generation yet, or is on its way there
--                (defining, stamping, starting or stopping the guest).
--   Suspended    waiting for a person: a change waits for the guest to stop, or the guest is paused.
--   Degraded     the agent cannot reach the wanted state; the message says why and what to do.
--   Unknown      the agent could not read the domain's state.
local hs = {status = "Progressing", message = "Waiting for the vguest node agent to report this guest"}

if obj.status == nil or obj.status.conditions == nil then
  return hs
end

local ready = nil
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    ready = condition
  end
end
if ready == nil then
  return hs
end

local generation = obj.metadata.generation
local observed = ready.observedGeneration or obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.message = "The node agent has not reported generation " .. generation .. " yet"
  return hs
end

hs.message = ready.message or ""
if ready.status == "True" then
  hs.status = "Healthy"
  return hs
end

local progressing = {Defining = true, NotStamped = true, Stopping = true, Running = true, Stopped = true,
  Moved = true, Evacuated = true, WaitingForPreviousNode = true}
local suspended = {ChangesPending = true, Paused = true, MovePending = true}
if progressing[ready.reason] then
  hs.status = "Progressing"
elseif suspended[ready.reason] then
  hs.status = "Suspended"
elseif ready.reason == "Unknown" then
  hs.status = "Unknown"
else
  hs.status = "Degraded"
end
return hs
