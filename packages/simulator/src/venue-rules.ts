/**
 * Venue rules no source settles, as simulator options. Each default is the reading the venue's own
 * pages support best; FIDELITY.md gives the sources, the alternatives and why the default was
 * chosen. Adapters are tested under every value, so none may depend on one.
 */
export interface VenueRules {
  /**
   * Bybit documents `orderLinkId` as "always unique" without saying whether spot and linear share
   * one id space: `account` (one space per UID, the literal reading) or `category`.
   */
  readonly bybitOrderLinkIdScope: 'account' | 'category';
  /**
   * Which order a lookup by client order id answers when several orders of the account carry that
   * id (possible where an id may be reused once its order has closed: Binance, Bitget).
   */
  readonly sharedClientOrderIdLookup: 'newest' | 'oldest';
  /**
   * Bitget spot `orderInfo` by `clientOid`: the current page finds only unfilled orders this way
   * (`unfilledOnly`), an earlier revision of the same page set no condition (`any`).
   */
  readonly bitgetSpotClientOidLookup: 'unfilledOnly' | 'any';
  /**
   * Bitget `clientOid` format: the Best Practices page's pattern, at most 32 of `[0-9A-Za-z_:#+-]`
   * and white space (`bestPractices`), or the error-code page's bound of 64 characters without
   * "Martian characters" (`errorCodes`).
   */
  readonly bitgetClientOidFormat: 'bestPractices' | 'errorCodes';
  /**
   * A reduce-only futures order larger than the position it reduces (in hedge mode: any order
   * closing a leg, reduce-only by its nature): `trim` fills the position's size and no more (the
   * simulator's behaviour before this was a rule; Bybit's 110017 text "cannot fix reduce-only order
   * qty" reads as a venue that fixes the quantity), or `refuse` answers the venue's reduce-only
   * refusal (Binance -2022, Bybit 110017, Bitget 22002). None of the three venues' pages says which.
   */
  readonly reduceOnlyAbovePosition: 'trim' | 'refuse';
}

export const DEFAULT_VENUE_RULES: VenueRules = {
  bybitOrderLinkIdScope: 'account',
  sharedClientOrderIdLookup: 'newest',
  bitgetSpotClientOidLookup: 'unfilledOnly',
  bitgetClientOidFormat: 'bestPractices',
  reduceOnlyAbovePosition: 'trim',
};

/** Every reading of every rule, the default first. */
export const VENUE_RULE_CHOICES: { readonly [K in keyof VenueRules]: readonly VenueRules[K][] } = {
  bybitOrderLinkIdScope: ['account', 'category'],
  sharedClientOrderIdLookup: ['newest', 'oldest'],
  bitgetSpotClientOidLookup: ['unfilledOnly', 'any'],
  bitgetClientOidFormat: ['bestPractices', 'errorCodes'],
  reduceOnlyAbovePosition: ['trim', 'refuse'],
};

/** The defaults overridden by `input`; an unknown name or value throws a TypeError naming it. */
export function resolveVenueRules(input: Partial<VenueRules> = {}): VenueRules {
  const resolved: Record<string, string> = { ...DEFAULT_VENUE_RULES };
  for (const [name, value] of Object.entries(input as Readonly<Record<string, string | undefined>>)) {
    if (value === undefined) continue;
    const allowed = (VENUE_RULE_CHOICES as Readonly<Record<string, readonly string[] | undefined>>)[name];
    if (allowed === undefined) throw new TypeError(`rules.${name} is not a venue rule; known: ${Object.keys(VENUE_RULE_CHOICES).join(', ')}`);
    if (!allowed.includes(value)) throw new TypeError(`rules.${name} must be one of ${allowed.join(', ')}`);
    resolved[name] = value;
  }
  return resolved as unknown as VenueRules;
}
