/**
 * Builds the configured IceProvider and wraps it with the STUN fallback: when the provider fails
 * (Twilio unreachable, bad credentials), members still get STUN servers and a `degraded` flag,
 * and the failure is logged once per occurrence with the provider's own message.
 */
import type { Logger } from 'pino';
import type { IceConfig } from '../config.js';
import type { IceServersResult } from 'video-call-protocol';
import type { IceProvider } from './provider.js';
import { DEFAULT_STUN_URLS, StaticIceProvider } from './static.js';
import { TurnRestIceProvider } from './turn-rest.js';
import { TwilioIceProvider, loadTwilio } from './twilio.js';

export type { IceGrant, IceProvider } from './provider.js';

/** Creates the provider `config` names. `twilioApiBaseUrl` is for tests only. */
export function createIceProvider(config: IceConfig, twilioApiBaseUrl?: string): IceProvider {
  switch (config.kind) {
    case 'twilio':
      return new TwilioIceProvider({ ...config, apiBaseUrl: twilioApiBaseUrl });
    case 'turn-rest':
      return new TurnRestIceProvider(config);
    case 'static':
      return new StaticIceProvider(config.iceServers);
  }
}

/**
 * createIceProvider, after loading what the provider needs: the optional `twilio` package for
 * Twilio. Rejects with a ConfigError when Twilio is configured but `twilio` is not installed.
 */
export async function loadIceProvider(config: IceConfig): Promise<IceProvider> {
  if (config.kind === 'twilio') await loadTwilio();
  return createIceProvider(config);
}

/** Asks `provider`, falling back to `fallbackStunUrls` with `degraded: true` when it fails. */
export async function iceServersFor(
  provider: IceProvider,
  memberId: string,
  logger: Logger,
  fallbackStunUrls: string[] = DEFAULT_STUN_URLS,
): Promise<IceServersResult> {
  try {
    return await provider.getIceServers(memberId);
  } catch (error) {
    logger.error({ provider: provider.kind, err: error }, 'ICE provider failed; answering with the STUN fallback');
    return { iceServers: fallbackStunUrls.length ? [{ urls: fallbackStunUrls }] : [], degraded: true };
  }
}
