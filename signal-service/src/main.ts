/**
 * Entry point: reads the configuration, starts the service, drains and stops on SIGTERM/SIGINT
 * (drain.ts: new connections refused, clients moved to other nodes, then close).
 * Exit status 1 with a readable message when the configuration is invalid (a bad variable, or a
 * rejoin secret file in STATE_DIR that must not be used: rejoin-key.ts) or the port is taken,
 * and when the shutdown did not finish within DRAIN_TIMEOUT_MS (default 25 s).
 */
import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { startSignalService } from './server.js';

const bootLogger = pino();

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const service = await startSignalService(config, { logger });
  logger.info(
    {
      port: service.port,
      ice: config.ice.kind,
      allowedOrigins: config.allowedOrigins ?? 'any',
      roomCapacity: config.roomCapacity,
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
    const afterMs = config.drainTimeoutMs;
    logger.info({ signal, drainTimeoutMs: afterMs }, 'shutting down');
    // Do not hang on a stuck connection; a shutdown that had to be forced is a failure (status 1).
    setTimeout(() => {
      logger.error({ signal, afterMs }, 'shutdown did not finish in time: forcing exit');
      process.exit(1);
    }, afterMs).unref();
    service
      .drain(afterMs)
      .then(async ({ drained }) => {
        await service.close();
        process.exit(drained ? 0 : 1);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
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
