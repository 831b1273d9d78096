/**
 * Responders store port: the seed's flat list of responders (`Responders` table, one group per `groupId`),
 * written with a version so two edits at once cannot overwrite each other. Implemented by
 * store/responders-repository.ts.
 */
export interface Responder {
  userId: string;
  /** E.164, e.g. `+819012340001`. */
  phone: string;
  /** Lower is called first. */
  priority: number;
  name?: string;
}

export interface RespondersGroup {
  responders: Responder[];
  /** 0 when the group has never been saved. */
  version: number;
}

export interface RespondersStore {
  /** The group's responders, lowest priority number first; empty for an unknown group. */
  list(groupId: string): Promise<Responder[]>;
  get(groupId: string): Promise<RespondersGroup>;
  /**
   * Replaces the group's list and returns the new version. With `expectedVersion` the write only happens if
   * the stored version still matches (0 = the group must not exist yet), else `AppError(Conflict)`. Without
   * it the write is unconditional (still bumping the version).
   */
  save(groupId: string, responders: readonly Responder[], expectedVersion?: number): Promise<number>;
}
