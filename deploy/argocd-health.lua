-- Argo CD health check for Vexil resources (FeatureFlag, Segment, Experiment in flags.vexil.dev).
-- Install it under resource.customizations.health.flags.vexil.dev_FeatureFlag (and _Segment,
-- _Experiment) in the argocd-cm ConfigMap; see docs/operator.md.
--   Healthy      Ready=True and the operator has seen the latest generation
--   Degraded     Stalled=True for the latest generation (the spec needs a fix; message says what)
--   Progressing  anything else (not reconciled yet, retrying a failed snapshot write)
local hs = {}

-- "Reason: message", or whichever of the two the condition has.
local function describe(condition, fallback)
  if condition == nil then
    return fallback
  end
  local reason, message = condition.reason, condition.message
  if message == "" then
    message = nil
  end
  if reason ~= nil and message ~= nil then
    return reason .. ": " .. message
  end
  return message or reason or fallback
end

local generation = obj.metadata.generation
local status = obj.status

if status == nil or status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Vexil operator to reconcile"
  return hs
end

if generation ~= nil and status.observedGeneration ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Vexil operator to reconcile generation " .. tostring(generation)
  return hs
end

local ready = nil
local stalled = nil
for _, condition in ipairs(status.conditions) do
  if condition.type == "Ready" then
    ready = condition
  elseif condition.type == "Stalled" then
    stalled = condition
  end
end

if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
  return hs
end

hs.status = "Progressing"
hs.message = describe(ready, "Reconciling")
return hs
