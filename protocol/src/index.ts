/**
 * `video-call-protocol`: the contract between `<video-call>` and its signal service, for both
 * sides and for authors of other clients (PROTOCOL.md says the same in prose).
 *
 * Types, plus a few runtime constants and pure functions: the rules and limits (limits.ts), the
 * error codes (errors.ts), the signal kinds (signals.ts), perfect-negotiation roles per pair
 * (roles.ts) and the data-channel messages of a call leg (data-channel.ts). No dependencies, no
 * DOM and no Node APIs: bundling it into a browser adds only these. The types validate nothing:
 * the service checks every payload at run time (signal-service/src/schemas.ts).
 */
export * from './limits.js';
export * from './errors.js';
export * from './room.js';
export * from './signals.js';
export * from './ice.js';
export * from './events.js';
export * from './roles.js';
export * from './data-channel.js';
