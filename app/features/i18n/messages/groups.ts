import { defineMessages } from "../define";

// User groups: the directory, group pages, joining, leaders' pages, staff group admin and door check-in.
export const groups = defineMessages(
  {
    "groups.title": "User groups",
    "groups.admin.nav": "Groups",
  },
  {
    "groups.title": "ユーザー会",
    "groups.admin.nav": "ユーザー会",
  },
);
