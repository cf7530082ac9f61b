import { defineMessages } from "../define";

// Moderation: flags, review queue, staff queue, audit log, suspensions, posting limits.
export const moderation = defineMessages(
  {
    "moderation.placeholder": "",
  },
  {
    "moderation.placeholder": "",
  },
);
