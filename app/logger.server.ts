import pino from "pino";
import { getEnv } from "./env.server";

let logger: pino.Logger | undefined;

/** Structured JSON logs; one logger for the process, children carry a request id. */
export function getLogger(): pino.Logger {
  logger ??= pino({ level: getEnv().LOG_LEVEL, base: { app: "hearth" } });
  return logger;
}
