// Everything the scripting commands share on one server: the Lua module
// (loaded on the first script), each tenant's EVAL scripts, and the scripts
// running now.
import { type LuaModule, loadLua, loadedLua } from "../../scripting/lua_runtime.ts";
import { FunctionLibraries } from "./function_libraries.ts";
import { RunningScripts } from "./running_scripts.ts";
import { ScriptCache } from "./script_cache.ts";

export class ScriptingService {
  readonly running = new RunningScripts();
  readonly cache = new ScriptCache(() => this.lua());
  /** Each tenant's function libraries (FUNCTION LOAD, FCALL), kept in the engine. */
  readonly functions = new FunctionLibraries(() => this.lua(), () => Date.now(), (level, message) => {
    if (level >= 2) console.error(`materia: ${message}`);
  });

  /** Resolves once the Lua module is loaded (at once after the first time). */
  ready(): Promise<LuaModule> | undefined {
    return loadedLua() === undefined ? loadLua() : undefined;
  }

  private lua(): LuaModule {
    const lua = loadedLua();
    if (lua === undefined) throw new Error("the Lua virtual machine is not loaded yet (ScriptingService.ready first)");
    return lua;
  }
}
