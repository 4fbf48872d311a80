/**
 * A RoomStore for tests that behaves like a remote store (Redis): each operation takes effect at
 * once, but its answer arrives only after a delay. That opens the windows in which a socket's next
 * request, its disconnection or another member's request is handled while the first one waits.
 */
import { MemoryRoomStore, type JoinOutcome, type Joiner, type RoomMember, type RoomStore } from '../src/rooms.js';

/** Milliseconds before an answer, or a function drawing one per call. */
export type Delay = number | (() => number);

/** See the file comment. `delays` may change during a test; `inner` reads the true state at once. */
export class SlowRoomStore implements RoomStore {
  readonly inner = new MemoryRoomStore();
  delays: Partial<Record<'join' | 'leave' | 'roomOf' | 'members', Delay>> = {};

  async join(room: string, joiner: Joiner, capacity: number): Promise<JoinOutcome> {
    return this.#answer('join', await this.inner.join(room, joiner, capacity));
  }

  async leave(id: string): Promise<{ room: string; member: RoomMember } | undefined> {
    return this.#answer('leave', await this.inner.leave(id));
  }

  async roomOf(id: string): Promise<string | undefined> {
    return this.#answer('roomOf', await this.inner.roomOf(id));
  }

  async members(room: string): Promise<RoomMember[]> {
    return this.#answer('members', await this.inner.members(room));
  }

  roomCount(): Promise<number> {
    return this.inner.roomCount();
  }

  async #answer<T>(method: keyof SlowRoomStore['delays'], value: T): Promise<T> {
    const delay = this.delays[method];
    const ms = typeof delay === 'function' ? delay() : (delay ?? 0);
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    return value;
  }
}
