import { parseArgs, type ParseArgsConfig } from "node:util";
import type { z } from "zod";

/**
 * Parses `--name value` flags for an operator script and validates them with zod. Unknown flags and
 * bad values throw an Error that names each flag and ends with the script's usage line.
 */
export function parseCliArgs<S extends z.ZodType>(argv: string[], options: NonNullable<ParseArgsConfig["options"]>, schema: S, usage: string): z.output<S> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${usage}`);
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  --${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Invalid arguments:\n${lines.join("\n")}\n${usage}`);
  }
  return parsed.data;
}
