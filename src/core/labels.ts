/**
 * A new connection's label when the caller gave none: what the provider calls the account (a bot's
 * label, the email, else the profile's display name, e.g. a Slack workspace's), the provider's name
 * last. Two accounts of one provider then read differently.
 */
export function defaultLabel(
  account: { label?: string | null; accountEmail?: string | null; displayName?: string | null },
  providerName: string,
): string {
  return account.label ?? account.accountEmail ?? account.displayName ?? providerName
}
