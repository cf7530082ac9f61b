import { defineMessages } from "../define";

// Staff area strings. Filled in by the admin screens.
export const admin = defineMessages(
  {
    "admin.title": "Staff area",
  },
  {
    "admin.title": "スタッフ用",
  },
);
