import type { Role } from '../db/schema.ts';

/** The signed-in person as every page and policy sees them. */
export type Viewer = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Reading settings saved on the account (a serialized preferences cookie), '' when none are. */
  preferences?: string;
  /** Whether they mute any tag or author: their lists are then their own, never the shared cached ones. */
  muting?: boolean;
  /** The query string of the filters their lists start with ('' for none); such lists are theirs alone too. */
  defaultFilter?: string;
  /** Set while a moderator's suspension lasts: the account may read, not write. */
  suspendedUntil?: number | null;
  /** Unread notifications (counted to 100), for the header; looked up for pages, not for writes. */
  unread?: number;
};
