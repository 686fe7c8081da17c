import { Decimal, isDecimal, MAX_SANE_LEVERAGE } from '@xport/core';
import { PASSPHRASE_VENUES, VENUE_NAMES } from '@xport/venues';
import { z } from 'zod';

import { objectError } from './config-issues';
import { VARIABLE_NAME } from './credential-variables';

/**
 * The followers file and a line of the signals file, as zod schemas: the CLI validates with them,
 * and `schema/*.schema.json` is generated from them (`z.toJSONSchema`, the input side: what the
 * file holds). Every error message is the expectation alone; `config-issues.ts` adds the path and
 * what was given.
 */

/** A positive decimal in a string, as decimal.js reads it: a digit other than 0 before any exponent. */
const POSITIVE_DECIMAL = /^\+?(?=[^eE]*[1-9])(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ID = /^[A-Za-z0-9._-]{1,64}$/;
const SYMBOL = /^[A-Za-z0-9]+(\/[A-Za-z0-9]+(:[A-Za-z0-9]+)?)?$/;

const POSITIVE = 'a positive decimal string';
const ID_EXPECTED = 'an id of 1 to 64 letters, digits, ".", "_" or "-"';

/** Money and quantities travel as strings (a JSON number may already have lost digits), parsed to Decimal. */
const positiveDecimal = (description: string) =>
  z
    .string({ error: POSITIVE })
    .regex(POSITIVE_DECIMAL, { error: POSITIVE })
    .refine((value) => !POSITIVE_DECIMAL.test(value) || new Decimal(value).isFinite(), { error: POSITIVE })
    .transform((value) => new Decimal(value))
    .meta({ description });

const integer = (min: number, max: number, description: string) => {
  const error = `an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error }).meta({ description });
};

const variableName = (expected: string, description: string) => z.string({ error: expected }).regex(VARIABLE_NAME, { error: expected }).meta({ description });

export const VARIABLE_EXPECTED = 'the name of an environment variable (letters, digits, _)';
const CREDENTIAL_KEYS = ['apiKey', 'apiSecret', 'passphrase'] as const;

const credentials = z
  .strictObject(
    {
      apiKey: variableName(VARIABLE_EXPECTED, 'the name of the environment variable holding the API key'),
      apiSecret: variableName(VARIABLE_EXPECTED, 'the name of the environment variable holding the API secret'),
      passphrase: variableName(VARIABLE_EXPECTED, `the name of the environment variable holding the API passphrase (${PASSPHRASE_VENUES.join(', ')})`).optional(),
    },
    objectError(`an object naming environment variables (apiKey, apiSecret, and passphrase for ${PASSPHRASE_VENUES.join(', ')})`, CREDENTIAL_KEYS),
  )
  .meta({ description: 'The names of the environment variables that hold the credentials: the file never holds a secret.' });

/** A cross-field rule runs on any object, even one with bad fields, so one pass reports every problem. */
function isObjectPayload(payload: { readonly value: unknown }): boolean {
  return typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);
}

const SIZING_RULES = ['ratio', 'fixedNotional', 'equity'] as const;
export const SIZING_EXPECTED = `exactly one of ${SIZING_RULES.join(', ')} (e.g. { "ratio": "0.5" })`;

const sizing = z
  .strictObject(
    {
      ratio: positiveDecimal("the master's quantity × ratio").optional(),
      fixedNotional: positiveDecimal("this many USDT at the signal's price, whatever the master traded").optional(),
      equity: positiveDecimal("the master's quantity × follower equity ÷ master equity × this multiplier").optional(),
    },
    objectError('an object', SIZING_RULES),
  )
  .superRefine(
    (value, context) => {
      // Run on any object, even one whose values failed: how many rules it names is its own problem.
      if (SIZING_RULES.filter((rule) => rule in value).length !== 1) context.addIssue({ code: 'custom', message: SIZING_EXPECTED, input: value });
    },
    { when: isObjectPayload },
  )
  // In JSON Schema, "exactly one" is one property of the three allowed.
  .meta({ description: "How the follower's quantity is derived from the master's: exactly one of ratio, fixedNotional, equity.", minProperties: 1, maxProperties: 1 });

const FOLLOWER_KEYS = ['id', 'exchange', 'credentials', 'positionMode', 'sizing', 'maxNotional', 'maxLeverage'] as const;

const follower = z
  .strictObject(
    {
      id: z.string({ error: ID_EXPECTED }).regex(ID, { error: ID_EXPECTED }).meta({ description: 'Unique; the journal keeps the follower\'s orders under it, so keep it stable.' }),
      exchange: z.enum(VENUE_NAMES, { error: `one of ${VENUE_NAMES.join(', ')}` }),
      credentials,
      positionMode: z.enum(['oneway', 'hedge'], { error: 'one of oneway, hedge' }).optional().meta({ description: 'Given, the adapter skips discovering it.' }),
      sizing,
      maxNotional: positiveDecimal('the largest notional (quantity × price) of one order, in USDT').optional(),
      maxLeverage: integer(1, MAX_SANE_LEVERAGE, "the highest leverage used, below the master's and the symbol's").optional(),
    },
    objectError('an object', FOLLOWER_KEYS),
  )
  .superRefine(
    (value, context) => {
      // A venue whose keys come with a passphrase needs its variable: a cross-field rule.
      const entry = value as { exchange?: unknown; credentials?: unknown };
      const creds = entry.credentials;
      if (!(PASSPHRASE_VENUES as readonly unknown[]).includes(entry.exchange) || typeof creds !== 'object' || creds === null || Array.isArray(creds)) return;
      if (!('passphrase' in creds) || (creds as { passphrase?: unknown }).passphrase === undefined) {
        context.addIssue({ code: 'custom', path: ['credentials', 'passphrase'], message: VARIABLE_EXPECTED, input: undefined });
      }
    },
    { when: isObjectPayload },
  )
  // The same cross-field rule, for editors.
  .meta({
    allOf: [{ if: { properties: { exchange: { enum: [...PASSPHRASE_VENUES] } }, required: ['exchange'] }, then: { properties: { credentials: { required: ['passphrase'] } } } }],
  });

/** The followers file: `{ "followers": [ … ] }` (and `$schema`, for editors). */
export const followersFileSchema = z
  .strictObject(
    {
      $schema: z.string({ error: 'a string (the URL or path of this schema)' }).optional().meta({ description: 'Where an editor finds this schema; ignored by copy-trader.' }),
      followers: z.array(follower, { error: 'a non-empty array of followers' }).min(1, { error: 'a non-empty array of followers' }),
    },
    objectError('an object', ['$schema', 'followers']),
  )
  .meta({ title: 'copy-trader followers file', description: 'The follower accounts copy-trader copies a master\'s signals to.' });

/** Every field name of the followers file, in the order issues are listed. */
export const FOLLOWER_FIELD_ORDER: readonly string[] = ['$schema', 'followers', ...FOLLOWER_KEYS, ...CREDENTIAL_KEYS, ...SIZING_RULES];

const signalId = z.string({ error: ID_EXPECTED }).regex(ID, { error: ID_EXPECTED }).meta({ description: 'Unique in the file; with the follower id it makes the client order id, so a re-run places nothing twice.' });
const symbol = z.string({ error: 'a symbol such as "BTCUSDT" or "BTC/USDT"' }).regex(SYMBOL, { error: 'a symbol such as "BTCUSDT" or "BTC/USDT"' });
const OPEN_KEYS = ['id', 'action', 'symbol', 'quantity', 'price', 'masterEquity', 'leverage'] as const;
const CLOSE_KEYS = ['id', 'action', 'symbol'] as const;
const REDUCE_KEYS = ['id', 'action', 'symbol', 'quantity', 'masterPositionBefore'] as const;
export const REDUCE_EXPECTED = 'at most masterPositionBefore (a reduce closes part or all of the leg, never more)';

const openFields = {
  id: signalId,
  symbol,
  quantity: positiveDecimal("the master's quantity, in base asset"),
  price: positiveDecimal("the master's fill or reference price: what notional rules and caps are computed at"),
  masterEquity: positiveDecimal("the master's equity in USDT, for the equity sizing rule"),
};

const spotSignal = <A extends 'spotBuy' | 'spotSell'>(action: A) =>
  z.strictObject({ ...openFields, action: z.literal(action), leverage: z.never({ error: 'no leverage on a spot signal' }).optional() }, objectError('an object', OPEN_KEYS));
const futuresSignal = <A extends 'futuresLong' | 'futuresShort'>(action: A) =>
  z.strictObject({ ...openFields, action: z.literal(action), leverage: integer(1, MAX_SANE_LEVERAGE, "the master's leverage") }, objectError('an object', OPEN_KEYS));
const closeSignal = <A extends 'closeLong' | 'closeShort'>(action: A) =>
  z
    .strictObject({ id: signalId, action: z.literal(action), symbol }, objectError('an object', CLOSE_KEYS))
    .meta({ description: "Closes the follower's whole leg, whatever its size." });

/**
 * A partial (or whole) close, as two of the master's quantities rather than their ratio: what a
 * master's fill gives exactly (the fill's quantity, the leg before it), where a ratio such as 1/3
 * has no exact decimal and a follower's quantity floored from `0.3333…` can lose a whole step.
 */
const reduceSignal = <A extends 'reduceLong' | 'reduceShort'>(action: A) =>
  z
    .strictObject(
      {
        id: signalId,
        action: z.literal(action),
        symbol,
        quantity: positiveDecimal("the quantity the master closed, in base asset: the follower closes the same fraction (quantity ÷ masterPositionBefore) of its own leg"),
        masterPositionBefore: positiveDecimal("the master's leg just before this reduce, in base asset; equal to quantity, the follower closes its whole leg"),
      },
      objectError('an object', REDUCE_KEYS),
    )
    .superRefine(
      (value, context) => {
        const { quantity, masterPositionBefore } = value as { quantity?: unknown; masterPositionBefore?: unknown };
        // Only once both fields are good decimals: a bad one is already reported under its own name.
        if (!isDecimal(quantity) || !isDecimal(masterPositionBefore) || quantity.lte(masterPositionBefore)) return;
        context.addIssue({ code: 'custom', path: ['quantity'], message: REDUCE_EXPECTED, input: quantity.toFixed() });
      },
      { when: isObjectPayload },
    )
    .meta({ description: "Closes the fraction quantity ÷ masterPositionBefore of the follower's own leg, floored to the symbol's step." });

/** One schema per action: a line is validated with its action's. */
export const SIGNAL_SCHEMAS = {
  spotBuy: spotSignal('spotBuy'),
  spotSell: spotSignal('spotSell'),
  futuresLong: futuresSignal('futuresLong'),
  futuresShort: futuresSignal('futuresShort'),
  closeLong: closeSignal('closeLong'),
  closeShort: closeSignal('closeShort'),
  reduceLong: reduceSignal('reduceLong'),
  reduceShort: reduceSignal('reduceShort'),
} as const;

/** Every action a signal may carry. */
export const SIGNAL_ACTIONS = ['spotBuy', 'spotSell', 'futuresLong', 'futuresShort', 'closeLong', 'closeShort', 'reduceLong', 'reduceShort'] as const;

/** What a line must be before its action is known: the fields every action shares. */
export const signalHeadSchema = z.looseObject({ id: signalId, action: z.enum(SIGNAL_ACTIONS, { error: `one of ${SIGNAL_ACTIONS.join(', ')}` }), symbol }, { error: 'an object' });

/** One line of the signals file. */
export const signalLineSchema = z
  .discriminatedUnion('action', [SIGNAL_SCHEMAS.spotBuy, SIGNAL_SCHEMAS.spotSell, SIGNAL_SCHEMAS.futuresLong, SIGNAL_SCHEMAS.futuresShort, SIGNAL_SCHEMAS.closeLong, SIGNAL_SCHEMAS.closeShort, SIGNAL_SCHEMAS.reduceLong, SIGNAL_SCHEMAS.reduceShort])
  .meta({ title: 'copy-trader signal', description: 'One line of a copy-trader signals file (JSON Lines: one such object per line).' });

/** Every field name of a signal, in the order issues are listed. */
export const SIGNAL_FIELD_ORDER: readonly string[] = [...OPEN_KEYS, 'masterPositionBefore'];

/** The JSON Schemas published in `schema/`, generated from the definitions above. */
export function configJsonSchemas(): { readonly followers: Record<string, unknown>; readonly signals: Record<string, unknown> } {
  const options = { io: 'input', target: 'draft-2020-12' } as const;
  return {
    followers: z.toJSONSchema(followersFileSchema, options),
    signals: z.toJSONSchema(signalLineSchema, options),
  };
}

/** The files of `schema/`, by name, as `pnpm run schema` writes them. */
export function schemaFileTexts(): Readonly<Record<string, string>> {
  const schemas = configJsonSchemas();
  return {
    'followers.schema.json': `${JSON.stringify(schemas.followers, null, 2)}\n`,
    'signals.schema.json': `${JSON.stringify(schemas.signals, null, 2)}\n`,
  };
}
