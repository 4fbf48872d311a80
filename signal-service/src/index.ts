/**
 * video-call-server as a library (the package's main entry).
 *
 * - createSignalService({ server }): mount the service in your own Node HTTP server (mount.ts).
 * - startSignalService(config): run it on a server of its own, as `npx video-call-server` does.
 * - loadConfig(env): the settings from environment variables (README: Environment variables).
 *
 * The command line is bin.ts (`npx video-call-server`).
 */
export { createSignalService, SERVICE_PATHS, type CreateSignalServiceOptions, type MountedSignalService } from './mount.js';
export { startSignalService, type SignalService, type StartOptions } from './server.js';
export { ConfigError, loadConfig, type Config } from './config.js';
export type { IceGrant, IceProvider } from './ice/index.js';
export type { RoomStore } from './rooms.js';
