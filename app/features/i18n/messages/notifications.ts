import { defineMessages } from "../define";

// Notifications (bell, page), follows and email digests.
export const notifications = defineMessages(
  {
    "notifications.placeholder": "",
  },
  {
    "notifications.placeholder": "",
  },
);
