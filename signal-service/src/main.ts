/**
 * Entry point: reads the configuration, starts the service, stops cleanly on SIGTERM/SIGINT.
 * Exit status 1 with a readable message when the configuration is invalid or the port is taken.
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
    { port: service.port, ice: config.ice.kind, allowedOrigins: config.allowedOrigins ?? 'any', roomTickets: Boolean(config.roomTicketSecret) },
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
    // Do not hang on a stuck connection.
    setTimeout(() => process.exit(0), 5000).unref();
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
