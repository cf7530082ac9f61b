import { sql } from "drizzle-orm";
import { getDbHandle } from "../../db.server";

/** Database reachability for /healthz; a slow or failing database reports down within two seconds. */
export async function checkHealth(): Promise<{ ok: boolean; database: "up" | "down"; kind?: string; latencyMs?: number }> {
  const started = performance.now();
  try {
    const handle = await getDbHandle();
    await Promise.race([
      handle.db.execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000)),
    ]);
    return { ok: true, database: "up", kind: handle.kind, latencyMs: Math.round(performance.now() - started) };
  } catch {
    return { ok: false, database: "down" };
  }
}
