import { ensureBuild } from "./build-if-needed";

// `npm start`: a fresh clone needs nothing else. Builds when needed, then serves.
ensureBuild();
const { startServer } = await import("./server");
await startServer().catch((error: unknown) => {
  process.stderr.write(`Hearth could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
