import type { EngineApi, StreamSocket } from '../../contract';

/**
 * Closes `socket` once the client has been quiet for `idleMs` of simulator time (when `enforce`);
 * returns what the session calls on each of the client's heartbeats.
 */
export function closeWhenIdle(socket: StreamSocket, engine: EngineApi, idleMs: number, enforce: boolean, reason: string): () => void {
  let last = engine.now();
  const watch = (): void => {
    socket.setTimer(
      () => {
        if (enforce && engine.now() - last >= idleMs) {
          socket.close(1000, reason);
          return;
        }
        watch();
      },
      Math.max(1, last + idleMs - engine.now()),
    );
  };
  watch();
  return () => {
    last = engine.now();
  };
}
