import type { Role } from '../../db/schema.ts';

/** The signed-in person as every page and policy sees them. */
export type Viewer = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Reading settings saved on the account (a serialized preferences cookie), '' when none are. */
  preferences?: string;
};
