#!/usr/bin/env node
/**
 * `npx video-call-server`: runs the service from environment variables (PORT, HOST,
 * ALLOWED_ORIGINS, …: the README's table), exactly as `npm start` does in the repository
 * (main.ts: start-up checks, logs, shutdown on SIGTERM/SIGINT).
 */
import './main.js';
