/**
 * Who does something, and why: recorded in alias histories, approvals, deployment changes and
 * events. There is no authentication yet, so the user is what the caller says (X-Gyre-User over
 * HTTP, GYRE_USER or the OS user in the CLI) until governance lands.
 */
export interface Actor {
  user: string;
  reason?: string | null;
}
