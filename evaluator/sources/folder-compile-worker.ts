// The compile thread's entry point: one FolderCompiler for the folder named in workerData,
// one reload per "run" message, the result posted back with the snapshot packed for a
// stall-free hand-over (./snapshot-transfer.ts).
import { parentPort, workerData } from "node:worker_threads";
import { FolderCompiler, type FolderTarget } from "./folder-compiler.ts";
import { packSnapshot } from "./snapshot-transfer.ts";

const compiler = new FolderCompiler(workerData as FolderTarget);

parentPort?.on("message", (message: { id: number }) => {
  void compiler.run().then((result) => {
    if (!result.ok) return parentPort?.postMessage({ id: message.id, result });
    const { snapshot, ...rest } = result;
    const packed = packSnapshot(snapshot);
    parentPort?.postMessage({ id: message.id, result: rest, packed }, [packed.body]);
  });
});
