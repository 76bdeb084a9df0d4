// A compile thread's entry point: one reload of the folder in workerData, with the folder's
// memory; the result is posted back with the snapshot packed for a stall-free hand-over
// (./snapshot-transfer.ts). The thread then ends, returning all its memory.
import { parentPort, workerData } from "node:worker_threads";
import { compileFolder, type FolderTarget } from "./folder-compiler.ts";
import type { FolderMemory } from "./last-good-files.ts";
import { packSnapshot } from "./snapshot-transfer.ts";

const { target, memory } = workerData as { target: FolderTarget; memory: FolderMemory };
const { result, memory: next } = await compileFolder(target, memory);
if (!result.ok) parentPort?.postMessage({ result, memory: next });
else {
  const { snapshot, ...rest } = result;
  const packed = packSnapshot(snapshot);
  parentPort?.postMessage({ result: rest, memory: next, packed }, [packed.body]);
}
