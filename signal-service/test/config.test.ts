/** loadConfig: defaults, each ICE source, and a ConfigError naming each bad variable. */
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';
import { DEFAULT_STUN_URLS } from '../src/ice/static.js';

const TWILIO_SID = `AC${'0123456789abcdef'.repeat(2)}`;

/** Runs loadConfig(env), expects a ConfigError and returns its message. */
function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.name, 'ConfigError');
    return error.message;
  }
  assert.fail(`loadConfig(${JSON.stringify(env)}) did not throw`);
}

describe('loadConfig', () => {
  it('has working defaults: port 3000, info logs, the default STUN server', () => {
    const config = loadConfig({});
    assert.deepEqual(config, {
      port: 3000,
      host: undefined,
      logLevel: 'info',
      ice: { kind: 'static', iceServers: [{ urls: DEFAULT_STUN_URLS }] },
      allowedOrigins: undefined,
      roomCapacity: 2,
      roomTicketSecret: undefined,
      rejoinSecret: undefined,
      stateDir: join(homedir(), '.local', 'state', 'video-call-server'),
      limits: {
        maxConnections: undefined,
        maxConnectionsPerIp: 100,
        newConnectionsPerIp: 200,
        maxEventLoopLagMs: 200,
        maxBufferedBytes: 262_144,
        pingIntervalMs: 25_000,
        pingTimeoutMs: 20_000,
      },
      serveSourceMaps: true,
      trustProxy: { kind: 'none' },
      metricsToken: undefined,
      drainTimeoutMs: 25_000,
    });
    assert.deepEqual(DEFAULT_STUN_URLS, ['stun:stun.l.google.com:19302']);
  });

  it('reads TRUST_PROXY, METRICS_TOKEN and DRAIN_TIMEOUT_MS, and refuses bad values without echoing a token', () => {
    const config = loadConfig({ TRUST_PROXY: 'loopback,10.0.0.0/8', METRICS_TOKEN: 't'.repeat(32), DRAIN_TIMEOUT_MS: '5000' });
    assert.deepEqual(config.trustProxy, { kind: 'list', entries: ['loopback', '10.0.0.0/8'] });
    assert.equal(config.metricsToken, 't'.repeat(32));
    assert.equal(config.drainTimeoutMs, 5000);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '1' }).trustProxy, { kind: 'hops', hops: 1 });
    assert.throws(
      () => loadConfig({ METRICS_TOKEN: 'short-secret', DRAIN_TIMEOUT_MS: '10', TRUST_PROXY: 'proxy.example' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /METRICS_TOKEN: must be at least 16 characters/.test(error.message) &&
        /DRAIN_TIMEOUT_MS: must be a whole number from 100 to 600000/.test(error.message) &&
        /TRUST_PROXY: "proxy\.example" is not an IP address/.test(error.message) &&
        !error.message.includes('short-secret'),
    );
  });

  it('reads the caps, budgets and timings, and refuses values out of range', () => {
    const config = loadConfig({
      MAX_CONNECTIONS: '5000',
      MAX_CONNECTIONS_PER_IP: '20',
      NEW_CONNECTIONS_PER_IP: '10',
      MAX_EVENT_LOOP_LAG_MS: '150',
      MAX_BUFFERED_BYTES: '1048576',
      PING_INTERVAL_MS: '20000',
      PING_TIMEOUT_MS: '10000',
    });
    assert.deepEqual(config.limits, {
      maxConnections: 5000,
      maxConnectionsPerIp: 20,
      newConnectionsPerIp: 10,
      maxEventLoopLagMs: 150,
      maxBufferedBytes: 1_048_576,
      pingIntervalMs: 20_000,
      pingTimeoutMs: 10_000,
    });
    const message = configError({
      MAX_CONNECTIONS: '0',
      MAX_BUFFERED_BYTES: '1000',
      PING_INTERVAL_MS: 'soon',
      MAX_CONNECTIONS_PER_IP: '-1',
    });
    for (const name of ['MAX_CONNECTIONS', 'MAX_BUFFERED_BYTES', 'PING_INTERVAL_MS', 'MAX_CONNECTIONS_PER_IP'])
      assert.match(message, new RegExp(`${name}: must be a whole number`));
  });

  it('serves source maps unless NODE_ENV=production, and as SERVE_SOURCE_MAPS says', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }).serveSourceMaps, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', SERVE_SOURCE_MAPS: 'true' }).serveSourceMaps, true);
    assert.equal(loadConfig({ SERVE_SOURCE_MAPS: '0' }).serveSourceMaps, false);
    assert.match(configError({ SERVE_SOURCE_MAPS: 'maybe' }), /SERVE_SOURCE_MAPS/);
  });

  it('keeps its state in STATE_DIR, else $XDG_STATE_HOME/video-call-server, else ~/.local/state/video-call-server', () => {
    assert.equal(loadConfig({ STATE_DIR: '/var/lib/vc' }).stateDir, '/var/lib/vc');
    assert.equal(loadConfig({ XDG_STATE_HOME: '/home/ann/.state', HOME: '/home/ann' }).stateDir, '/home/ann/.state/video-call-server');
    assert.equal(loadConfig({ HOME: '/home/ann' }).stateDir, '/home/ann/.local/state/video-call-server');
    // The XDG specification ignores a relative XDG_STATE_HOME; an empty variable counts as unset.
    assert.equal(loadConfig({ XDG_STATE_HOME: 'state', HOME: '/home/ann' }).stateDir, '/home/ann/.local/state/video-call-server');
    assert.equal(loadConfig({ STATE_DIR: '', HOME: '/home/ann' }).stateDir, '/home/ann/.local/state/video-call-server');
    assert.match(configError({ STATE_DIR: 'relative/dir' }), /STATE_DIR: must be an absolute path/);
  });

  it('reads ROOM_CAPACITY, 2 to 6 (default 2), and refuses anything else naming the variable', () => {
    assert.equal(loadConfig({}).roomCapacity, 2);
    for (const value of ['2', '4', '6']) assert.equal(loadConfig({ ROOM_CAPACITY: value }).roomCapacity, Number(value));
    for (const value of ['0', '1', '7', '100', '-3', '2.5', '4.0', 'four', ' 4', '0x4', '1e1']) {
      assert.match(configError({ ROOM_CAPACITY: value }), /ROOM_CAPACITY: must be a whole number from 2 to 6/, `ROOM_CAPACITY=${value}`);
    }
  });

  it('takes a REJOIN_SECRET of at least 32 characters', () => {
    assert.equal(loadConfig({ REJOIN_SECRET: 'r'.repeat(32) }).rejoinSecret, 'r'.repeat(32));
    assert.match(configError({ REJOIN_SECRET: 'short' }), /REJOIN_SECRET: must be at least 32 characters/);
  });

  it('reads PORT, HOST and LOG_LEVEL, and ignores unrelated variables', () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PATH: '/usr/bin' });
    assert.equal(config.port, 0);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.logLevel, 'silent');
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '', TWILIO_ACCOUNT_SID: '', ICE_SERVERS: '' });
    assert.equal(config.port, 3000);
    assert.equal(config.ice.kind, 'static');
  });

  for (const port of ['http', '-1', '65536', '80.5']) {
    it(`refuses PORT=${port}`, () => {
      assert.match(configError({ PORT: port }), /PORT/);
    });
  }

  it('refuses an unknown LOG_LEVEL', () => {
    assert.match(configError({ LOG_LEVEL: 'verbose' }), /LOG_LEVEL/);
  });

  it('names every bad variable at once', () => {
    const message = configError({ PORT: 'http', LOG_LEVEL: 'verbose', ICE_TTL_SECONDS: '5' });
    assert.match(message, /PORT/);
    assert.match(message, /LOG_LEVEL/);
    assert.match(message, /ICE_TTL_SECONDS/);
  });

  it('refuses a Twilio account SID without an auth token', () => {
    assert.match(configError({ TWILIO_ACCOUNT_SID: TWILIO_SID }), /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together/);
  });

  it('refuses a malformed Twilio account SID', () => {
    assert.match(configError({ TWILIO_ACCOUNT_SID: 'AC123', TWILIO_AUTH_TOKEN: 'token' }), /TWILIO_ACCOUNT_SID/);
  });

  it('builds a Twilio configuration from SID and token', () => {
    const config = loadConfig({ TWILIO_ACCOUNT_SID: TWILIO_SID, TWILIO_AUTH_TOKEN: 'token', ICE_TTL_SECONDS: '600' });
    assert.deepEqual(config.ice, {
      kind: 'twilio',
      accountSid: TWILIO_SID,
      authToken: 'token',
      ttlSeconds: 600,
      stunUrls: DEFAULT_STUN_URLS,
    });
  });

  it('refuses TURN_URLS without TURN_SECRET', () => {
    assert.match(configError({ TURN_URLS: 'turn:turn.example.org:3478' }), /TURN_URLS and TURN_SECRET must be set together/);
  });

  it('refuses TURN_URLS entries that are not turn: or turns: URLs', () => {
    assert.match(configError({ TURN_URLS: 'http://turn.example.org', TURN_SECRET: 's' }), /TURN_URLS/);
  });

  it('STUN_URLS=none gives no STUN server at all', () => {
    assert.deepEqual(loadConfig({ STUN_URLS: 'none' }).ice, { kind: 'static', iceServers: [] });
  });

  it('builds a TURN REST configuration, splitting the comma list and reading STUN_URLS', () => {
    const config = loadConfig({
      TURN_URLS: 'turn:turn.example.org:3478, turns:turn.example.org:5349',
      TURN_SECRET: 'shared',
      STUN_URLS: 'stun:stun.example.org:3478',
    });
    assert.deepEqual(config.ice, {
      kind: 'turn-rest',
      turnUrls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'],
      secret: 'shared',
      ttlSeconds: 3600,
      stunUrls: ['stun:stun.example.org:3478'],
    });
  });

  it('refuses both TURN and ICE_SERVERS, naming the two sources', () => {
    const message = configError({
      TURN_URLS: 'turn:turn.example.org:3478',
      TURN_SECRET: 'shared',
      ICE_SERVERS: JSON.stringify([{ urls: 'stun:stun.example.org' }]),
    });
    assert.match(message, /choose one ICE server source/);
    assert.match(message, /TURN_URLS and ICE_SERVERS/);
  });

  it('refuses both Twilio and TURN', () => {
    const message = configError({
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: 'token',
      TURN_URLS: 'turn:turn.example.org:3478',
      TURN_SECRET: 'shared',
    });
    assert.match(message, /Twilio and TURN_URLS/);
  });

  it('refuses ICE_SERVERS that is not valid JSON', () => {
    const message = configError({ ICE_SERVERS: '[{urls: stun:x}' });
    assert.match(message, /ICE_SERVERS/);
    assert.match(message, /valid JSON/);
  });

  it('refuses ICE_SERVERS that is JSON but not a non-empty RTCIceServer list', () => {
    assert.match(configError({ ICE_SERVERS: '[]' }), /ICE_SERVERS.*at least one/);
    assert.match(configError({ ICE_SERVERS: '{"urls":"stun:x"}' }), /ICE_SERVERS/);
    assert.match(configError({ ICE_SERVERS: '[{"url":"stun:x"}]' }), /ICE_SERVERS/);
  });

  it('takes a valid ICE_SERVERS list as the static source', () => {
    const iceServers = [{ urls: 'stun:stun.example.org' }, { urls: ['turn:turn.example.org'], username: 'u', credential: 'c' }];
    assert.deepEqual(loadConfig({ ICE_SERVERS: JSON.stringify(iceServers) }).ice, { kind: 'static', iceServers });
  });

  it('refuses ICE_TTL_SECONDS outside 10..86400', () => {
    assert.match(configError({ ICE_TTL_SECONDS: '9' }), /ICE_TTL_SECONDS/);
    assert.equal(loadConfig({ TURN_URLS: 'turn:t.example:3478', TURN_SECRET: 's', ICE_TTL_SECONDS: '10' }).ice.kind, 'turn-rest');
    assert.match(configError({ ICE_TTL_SECONDS: '86401' }), /ICE_TTL_SECONDS/);
  });

  it('reads ALLOWED_ORIGINS as a list of origins, normalized as browsers send them, without duplicates', () => {
    const config = loadConfig({
      ALLOWED_ORIGINS: ' https://shop.example.com, http://localhost:3000 ,HTTPS://Shop.Example.com:443,https://a.example:8443',
    });
    assert.deepEqual(config.allowedOrigins, ['https://shop.example.com', 'http://localhost:3000', 'https://a.example:8443']);
    assert.deepEqual(loadConfig({ ALLOWED_ORIGINS: 'http://[::1]:3000' }).allowedOrigins, ['http://[::1]:3000']);
    assert.equal(loadConfig({ ALLOWED_ORIGINS: '' }).allowedOrigins, undefined, 'empty counts as unset');
  });

  for (const [value, label] of [
    ['https://shop.example.com/', 'a trailing slash'],
    ['https://shop.example.com/embed', 'a path'],
    ['https://shop.example.com?x=1', 'a query'],
    ['https://shop.example.com#top', 'a fragment'],
    ['https://user:pw@shop.example.com', 'credentials'],
    ['shop.example.com', 'no scheme'],
    ['ftp://shop.example.com', 'a scheme other than http(s)'],
    ['file:///tmp/x', 'a file URL'],
    ['*', 'a wildcard'],
    ['null', 'the opaque origin'],
    ['https://', 'no host'],
    ['https://exa mple.com', 'a space in the host'],
    ['https://ok.example, https://bad.example/path', 'one bad entry among good ones'],
    [' , ', 'no entry at all'],
  ] as const) {
    it(`refuses ALLOWED_ORIGINS with ${label}`, () => {
      const message = configError({ ALLOWED_ORIGINS: value });
      assert.match(message, /ALLOWED_ORIGINS/);
    });
  }

  it('names the bad ALLOWED_ORIGINS entry and how an origin is written', () => {
    const message = configError({ ALLOWED_ORIGINS: 'https://ok.example,https://bad.example/path' });
    assert.match(message, /"https:\/\/bad\.example\/path" is not an origin/);
    assert.match(message, /scheme:\/\/host\[:port\]/);
  });

  it('reads ROOM_TICKET_SECRET of at least 32 characters', () => {
    const secret = 's'.repeat(32);
    assert.equal(loadConfig({ ROOM_TICKET_SECRET: secret }).roomTicketSecret, secret);
    assert.equal(loadConfig({}).roomTicketSecret, undefined);
  });

  it('refuses a ROOM_TICKET_SECRET shorter than 32 characters, without echoing it', () => {
    const message = configError({ ROOM_TICKET_SECRET: 'too-short-secret-31-characters!' });
    assert.match(message, /ROOM_TICKET_SECRET: must be at least 32 characters/);
    assert.doesNotMatch(message, /too-short-secret/);
  });
});
