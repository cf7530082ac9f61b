import { defineMessages } from "../define";

// Q\&A pages: questions, answers, comments, asking and editing.
export const forum = defineMessages(
  {
    "forum.placeholder": "",
  },
  {
    "forum.placeholder": "",
  },
);
