import 'server-only';
/** A request the SSRF rules refuse before it is sent (SECURITY.md rule 9); route handlers answer 400 path_not_allowed. */
export class OutboundPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundPolicyError';
  }
}
