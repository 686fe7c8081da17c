import { describe, expect, it } from 'vitest';

import { validateConnectionOptions } from './connection-options';
import { ConfigurationError } from './errors';

const credentials = { apiKey: 'key-0123456789', apiSecret: 'secret-0123456789' };

function refusal(options: Record<string, unknown>, requiresPassphrase = false): ConfigurationError {
  try {
    validateConnectionOptions(options, { name: 'acme', requiresPassphrase });
  } catch (error) {
    if (ConfigurationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('validateConnectionOptions', () => {
  it('requires the credentials, and a passphrase where the venue says so', () => {
    expect(refusal({ apiSecret: 's' }).message).toBe('acme: apiKey is required');
    expect(refusal({ ...credentials, passphrase: ' ' }, true).message).toBe('acme: passphrase is required: acme API keys come with a passphrase');
  });

  it('names the field and what it must be, showing only a base URL, blanked', () => {
    expect(refusal({ ...credentials, positionMode: 'both' }).message).toBe('acme: positionMode must be "oneway" or "hedge"');
    const error = refusal({ ...credentials, baseUrl: 'ftp://user:hunter2@proxy.example/x?signature=abc' });
    expect(error.field).toBe('baseUrl');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('signature=abc');
  });

  it('answers the checked options without undefined ones or a blank passphrase a venue does not take', () => {
    expect(validateConnectionOptions({ ...credentials, passphrase: '', testnet: undefined, baseUrl: 'http://127.0.0.1:8899/acme' }, { name: 'acme', requiresPassphrase: false })).toEqual({
      ...credentials,
      baseUrl: 'http://127.0.0.1:8899/acme',
    });
  });
});
