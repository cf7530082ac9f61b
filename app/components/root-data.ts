import { useRouteLoaderData } from "@remix-run/react";
import type { Locale, Role } from "../../db/schema/identity";

/** What the root loader gives every page. */
export interface RootData {
  locale: Locale;
  timeZone: string;
  user: { id: number; displayName: string; handle: string; role: Role; emailVerified: boolean } | null;
  /** Unread notifications for the header bell (capped, see UNREAD_COUNT_CAP); 0 when signed out. */
  unreadNotifications: number;
  /** Whether the header links to the flag review queue (moderators, or members with PRIVILEGES.reviewQueue). */
  mayReview: boolean;
}

export function useRootData(): RootData | undefined {
  return useRouteLoaderData("root") as RootData | undefined;
}
