import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../start-simulator';

/** The seed every test simulator uses unless told otherwise, so ids and keys repeat run to run. */
export const TEST_SEED = 42;

/** A simulator on a free 127.0.0.1 port with the test seed; the caller closes it. */
export function startTestSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ seed: TEST_SEED, ...options, port: 0, host: '127.0.0.1' });
}

/**
 * One simulator for the whole test file: started in beforeAll, closed in afterAll. Read it through
 * the returned getter inside tests (it does not exist before beforeAll has run).
 */
export function useSimulator(options: SimulatorOptions = {}): () => Simulator {
  let sim: Simulator | undefined;
  beforeAll(async () => {
    sim = await startTestSimulator(options);
  });
  afterAll(async () => {
    await sim?.close();
    sim = undefined;
  });
  return () => {
    if (!sim) throw new Error('useSimulator(): the simulator starts in beforeAll; read it inside a test or hook');
    return sim;
  };
}
