import 'server-only';
import type { SandboxState } from '../shared/state';
import type { Contact } from './contact';
import { seedContacts } from './synthetic-contacts';

/** The most contacts the sandbox keeps per agent, so a loop of create requests cannot exhaust memory. */
export const maxContactsPerAgent = 500;

/** How long an agent's contacts are kept after their last change (then the seeded ones come back). */
export const contactsKeptSeconds = 90 * 86_400;

/**
 * Contacts per agent, on the sandbox's {@link SandboxState}: `contacts:<agent id>` → the agent's list, one record,
 * written when a contact is added. An agent who never added one reads the seeded list, made again on each read
 * (it is deterministic, so nothing needs storing).
 */
export function createContactStore(state: SandboxState) {
  const contactsOf = async (agentId: string): Promise<Contact[]> =>
    (await state.get<Contact[]>(`contacts:${agentId}`)) ?? seedContacts(agentId);
  return {
    /** The agent's contacts, oldest first. */
    list(agentId: string): Promise<readonly Contact[]> {
      return contactsOf(agentId);
    },
    async find(agentId: string, id: string): Promise<Contact | undefined> {
      return (await contactsOf(agentId)).find((contact) => contact.id === id);
    },
    /**
     * Adds a contact; false when the agent already has the most the sandbox keeps. Two adds for one agent at the
     * same moment on two instances may keep only one (the list is read, then written back whole).
     */
    async add(agentId: string, contact: Contact): Promise<boolean> {
      const contacts = await contactsOf(agentId);
      if (contacts.length >= maxContactsPerAgent) return false;
      contacts.push(contact);
      await state.set(`contacts:${agentId}`, contacts, contactsKeptSeconds * 1000);
      return true;
    },
  };
}

export type ContactStore = ReturnType<typeof createContactStore>;
