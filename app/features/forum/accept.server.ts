import type { Db } from "../../../db/client";
import { refuse, type ForumActor, type ForumResult } from "./result";

/** CONTRACT (filled in by the votes/reputation work): the asker, a moderator or staff accepts one answer (replacing any other). */
export async function acceptAnswer(_db: Db, _actor: ForumActor, _answerId: number): Promise<ForumResult<{ changed: boolean }>> {
  return refuse("forbidden");
}

/** CONTRACT: withdraws the accepted answer of a question. */
export async function unacceptAnswer(_db: Db, _actor: ForumActor, _questionId: number): Promise<ForumResult<{ changed: boolean }>> {
  return refuse("forbidden");
}
