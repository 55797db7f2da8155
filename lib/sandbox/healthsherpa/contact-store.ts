import 'server-only';
import type { Contact } from './contact';
import { seedContacts } from './synthetic-contacts';

/** The most contacts the sandbox keeps per agent, so a loop of create requests cannot exhaust memory. */
export const maxContactsPerAgent = 500;

/** Contacts per agent, seeded on first use. */
export function createContactStore() {
  const byAgent = new Map<string, Contact[]>();
  const contactsOf = (agentId: string): Contact[] => {
    let contacts = byAgent.get(agentId);
    if (!contacts) {
      contacts = seedContacts(agentId);
      byAgent.set(agentId, contacts);
    }
    return contacts;
  };
  return {
    /** The agent's contacts, oldest first. */
    list(agentId: string): readonly Contact[] {
      return contactsOf(agentId);
    },
    find(agentId: string, id: string): Contact | undefined {
      return contactsOf(agentId).find((contact) => contact.id === id);
    },
    /** Adds a contact; false when the agent already has the most the sandbox keeps. */
    add(agentId: string, contact: Contact): boolean {
      const contacts = contactsOf(agentId);
      if (contacts.length >= maxContactsPerAgent) return false;
      contacts.push(contact);
      return true;
    },
  };
}

export type ContactStore = ReturnType<typeof createContactStore>;
