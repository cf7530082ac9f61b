import { defineMessages } from "../define";

// Member profiles, reputation, badges, champions and leaderboards.
export const members = defineMessages(
  {
    "members.placeholder": "",
  },
  {
    "members.placeholder": "",
  },
);
