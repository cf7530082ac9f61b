import { defineMessages } from "../define";

// Staff pages for webinars and events (/admin/webinars): the event form, registrations, attendance import.
export const adminEvents = defineMessages(
  {
    "adminEvents.title": "Webinars and events",
    "adminEvents.nav": "Webinars & events",
  },
  {
    "adminEvents.title": "ウェビナーとイベント",
    "adminEvents.nav": "ウェビナーとイベント",
  },
);
