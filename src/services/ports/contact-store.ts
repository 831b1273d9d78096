/**
 * Where people's own phone numbers are kept (issue 19: `/oncall phone`), for the escalation's phone steps:
 * someone on a schedule need not be on the flat list to be called. src/store/contacts-repository.ts.
 */
export interface Contact {
  /** Slack user id. */
  userId: string;
  /** E.164; shown only masked. */
  phone: string;
  updatedAt: number;
}

export interface ContactStore {
  get(userId: string): Promise<Contact | undefined>;
  /** The contacts of those users that have one. */
  getMany(userIds: readonly string[]): Promise<Map<string, Contact>>;
  put(contact: Contact): Promise<void>;
}
