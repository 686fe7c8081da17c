import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventChannel } from './event-channel';

describe('EventChannel', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('delivers to every listener in subscription order until each unsubscribes', () => {
    const channel = new EventChannel<number>();
    const seen: string[] = [];
    expect(channel.active).toBe(false);
    const stopA = channel.subscribe((value) => seen.push(`a${value}`));
    channel.subscribe((value) => seen.push(`b${value}`));
    expect(channel.active).toBe(true);
    channel.emit(1);
    stopA();
    channel.emit(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('keeps delivering when a listener unsubscribes itself during emit', () => {
    const channel = new EventChannel<number>();
    const seen: string[] = [];
    const stop = channel.subscribe(() => {
      seen.push('once');
      stop();
    });
    channel.subscribe(() => seen.push('always'));
    channel.emit(1);
    channel.emit(2);
    expect(seen).toEqual(['once', 'always', 'always']);
  });

  it('does not let a throwing listener break the emitter: the error is re-thrown on a microtask', () => {
    const queued: (() => void)[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => queued.push(task));
    const channel = new EventChannel<number>();
    const after = vi.fn();
    channel.subscribe(() => {
      throw new Error('listener bug');
    });
    channel.subscribe(after);
    expect(() => {
      channel.emit(1);
    }).not.toThrow();
    expect(after).toHaveBeenCalledWith(1);
    expect(queued).toHaveLength(1);
    expect(() => queued[0]?.()).toThrow('listener bug');
  });
});
