// The followers both bench clients build from the simulator accounts bench/fan-out.ts writes: one
// ratio-1 follower per account, its credentials in environment variables named K<n>, S<n>, P<n>.
/**
 * `{ configs, env, baseUrls }` for `createFollowers(configs, { env, baseUrls, extra })`. `Decimal` is
 * the caller's, loaded lazily, so the ccxt side of fan-out-client.mjs loads none of xport.
 */
export function benchFollowers(accounts, url, Decimal) {
  const env = {};
  const configs = accounts.map((account, index) => {
    env[`K${index}`] = account.apiKey;
    env[`S${index}`] = account.secret;
    if (account.passphrase !== undefined) env[`P${index}`] = account.passphrase;
    return {
      id: `f${index}`,
      exchange: account.venue,
      credentials: { apiKey: `K${index}`, apiSecret: `S${index}`, passphrase: account.passphrase === undefined ? undefined : `P${index}` },
      positionMode: 'oneway',
      sizing: { rule: 'ratio', ratio: new Decimal(1) },
    };
  });
  const baseUrls = Object.fromEntries(accounts.map((account) => [account.venue, `${url}/${account.venue}`]));
  return { configs, env, baseUrls };
}
