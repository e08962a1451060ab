export const INTERIM_SANDBOX_LUA = String.raw`
local setmetatable, error = setmetatable, error
local function refuse() error("Attempt to modify a readonly table", 2) end
local sandbox = {}
function sandbox.readonly(t)
  return setmetatable({}, { __index = t, __newindex = refuse, __metatable = false })
end
return sandbox
`;
