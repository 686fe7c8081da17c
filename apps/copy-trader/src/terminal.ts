import { writeFile } from 'node:fs/promises';

import type { CliIo } from './cli-main';
import type { OutputStream } from './session-printer';

/** How tables are drawn on one stream. */
export interface Display {
  /** ANSI colours on the status column. */
  readonly colour: boolean;
  /** Columns a row may take before its note is cut (`verbose`: never cut). */
  readonly width: number;
  /** Every row and every note in full. */
  readonly verbose: boolean;
}

/** The width assumed when the stream is not a terminal (a pipe, a file). */
export const DEFAULT_WIDTH = 100;

/**
 * Colour when `FORCE_COLOR` asks for it (any value but `0` or `false`, even when not a terminal),
 * else never when `NO_COLOR` is set to anything non-empty, else on a terminal. An explicit
 * `FORCE_COLOR` wins over `NO_COLOR`, as in Node's own `tty.getColorDepth`.
 */
export function colourWanted(stream: OutputStream, env: Readonly<Record<string, string | undefined>>): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

export function displayFor(stream: OutputStream, env: Readonly<Record<string, string | undefined>>, verbose: boolean): Display {
  const columns = stream.isTTY === true ? stream.columns : undefined;
  return { colour: colourWanted(stream, env), width: columns !== undefined && columns > 0 ? columns : DEFAULT_WIDTH, verbose };
}

const CODES = { green: 32, yellow: 33, red: 31, cyan: 36 } as const;

/** `text` in a colour, or as it is when colour is off. */
export function paint(text: string, colour: keyof typeof CODES | undefined, display: Pick<Display, 'colour'>): string {
  return colour === undefined || !display.colour ? text : `\x1b[${CODES[colour]}m${text}\x1b[39m`;
}

/** `text` cut to `max` characters, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Where a session command writes: with `--json -` the JSON owns standard output and the tables go to standard error. */
export interface SessionOutput {
  readonly out: OutputStream;
  /** Where `--json -` writes. */
  readonly jsonOut: OutputStream;
  readonly json?: string | undefined;
  readonly verbose: boolean;
  readonly display: Display;
}

export function sessionOutput(io: CliIo, json: string | undefined, verbose: boolean): SessionOutput {
  const out = json === '-' ? io.err : io.out;
  return { out, jsonOut: io.out, json, verbose, display: displayFor(out, io.env, verbose) };
}

/** The JSON report of a session command: nothing without `--json`; `-` writes it to `jsonOut`, a file name to that file. */
export async function writeJsonReport(output: { readonly json?: string | undefined; readonly jsonOut?: OutputStream | undefined; readonly out: OutputStream }, report: unknown): Promise<void> {
  if (output.json === undefined) return;
  const text = `${JSON.stringify(report, null, 2)}\n`;
  if (output.json === '-') (output.jsonOut ?? output.out).write(text);
  else {
    await writeFile(output.json, text);
    output.out.write(`report written to ${output.json}\n`);
  }
}
