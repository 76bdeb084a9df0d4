// Runs an Argo CD health-check script in a real Lua VM (fengari). Argo CD runs these scripts with
// gopher-lua: `obj` is a global table built from the resource's JSON and the script returns
// {status, message}. Fengari implements Lua 5.3; the script keeps to constructs that mean the
// same in gopher-lua's Lua 5.1 (no integer division, goto or bitwise operators).
import fengari from "fengari";

const { lua, lauxlib, lualib, to_luastring } = fengari;
type LuaState = ReturnType<typeof lauxlib.luaL_newstate>;

export interface HealthStatus {
  status: string | undefined;
  message: string | undefined;
}

/** Evaluates `script` with the global `obj` set to `resource`; throws with Lua's message on a runtime error. */
export function runHealthCheck(script: string, resource: unknown): HealthStatus {
  const L = lauxlib.luaL_newstate();
  // Only the libraries a sandboxed health script gets: no io, os or package.
  for (const [name, open] of [
    ['_G', lualib.luaopen_base],
    ['table', lualib.luaopen_table],
    ['string', lualib.luaopen_string],
    ['math', lualib.luaopen_math],
  ] as const) {
    lauxlib.luaL_requiref(L, to_luastring(name), open, 1);
    lua.lua_pop(L, 1);
  }
  pushValue(L, resource);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadbuffer(L, to_luastring(script), null, to_luastring('=argocd-health.lua')) !== lua.LUA_OK) {
    throw new Error(`Lua syntax error: ${lua.lua_tojsstring(L, -1)}`);
  }
  if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) {
    throw new Error(`Lua runtime error: ${lua.lua_tojsstring(L, -1)}`);
  }
  if (!lua.lua_istable(L, -1)) {
    throw new Error(`the health check returned a ${typeName(L, -1)}, not a table`);
  }
  return { status: stringField(L, 'status'), message: stringField(L, 'message') };
}

function typeName(L: LuaState, index: number): string {
  return new TextDecoder().decode(lua.lua_typename(L, lua.lua_type(L, index)));
}

function stringField(L: LuaState, key: string): string | undefined {
  const type = lua.lua_getfield(L, -1, to_luastring(key));
  const value = type === lua.LUA_TNIL ? undefined : lua.lua_tojsstring(L, -1);
  lua.lua_pop(L, 1);
  return value;
}

// JSON → Lua the way Argo CD hands a resource to the script: objects and arrays become tables
// (arrays 1-based), null becomes nil. Whole numbers are pushed as Lua integers so tostring() prints
// "3" as gopher-lua does, not Lua 5.3's "3.0".
function pushValue(L: LuaState, value: unknown): void {
  if (value === null || value === undefined) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      pushValue(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof value === 'object') {
    const entries = Object.entries(value);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      pushValue(L, item);
      lua.lua_setfield(L, -2, to_luastring(key));
    }
  } else throw new Error(`cannot convert a ${typeof value} to Lua`);
}
