/**
 * Entry point: reads the configuration, starts the service, stops cleanly on SIGTERM/SIGINT.
 * Exit status 1 with a readable message when the configuration is invalid or the port is taken,
 * and when a shutdown has to be forced after SHUTDOWN_GRACE_MS (default 5 s).
 */
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { startSignalService } from './server.js';

const bootLogger = pino();
/** How long a shutdown may take before it is forced (exit status 1), ms; `SHUTDOWN_GRACE_MS` for tests. */
const SHUTDOWN_GRACE_MS = /^\d+$/.test(process.env.SHUTDOWN_GRACE_MS ?? '') ? Number(process.env.SHUTDOWN_GRACE_MS) : 5000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const service = await startSignalService(config, { logger });
  logger.info(
    {
      port: service.port,
      ice: config.ice.kind,
      allowedOrigins: config.allowedOrigins ?? 'any',
      roomTickets: Boolean(config.roomTicketSecret),
      limits: { ...config.limits, maxConnections: service.maxConnections },
    },
    `video-call signal service listening on ${service.url}`,
  );
  if (!config.allowedOrigins) {
    logger.warn(
      'ALLOWED_ORIGINS is not set: any web site may embed the widget and connect to this service. ' +
        'Set ALLOWED_ORIGINS to the origins of your pages, e.g. ALLOWED_ORIGINS=https://shop.example.com',
    );
  }
  if (!config.roomTicketSecret) {
    logger.info('ROOM_TICKET_SECRET is not set: anyone who can connect may join any room.');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    service.close().then(() => process.exit(0));
    // Do not hang on a stuck connection; a shutdown that had to be forced is a failure (status 1).
    setTimeout(() => {
      logger.error({ signal, afterMs: SHUTDOWN_GRACE_MS }, 'shutdown did not finish in time: forcing exit');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    process.stderr.write(`Port already in use: set PORT to a free port.\n`);
  } else {
    bootLogger.fatal({ err: error }, 'could not start');
  }
  process.exit(1);
});
