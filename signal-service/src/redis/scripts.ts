/**
 * The Lua scripts of the Redis room store (node-redis `defineScript`: EVALSHA, loaded on first
 * use). Each runs atomically in Redis, so a capacity check and the take of the place it checked
 * are one step however many nodes join at once.
 *
 * Keys (`p` is the prefix, `vc:` by default; one Redis database, not Redis Cluster: the scripts
 * touch keys of several members and nodes at once):
 * - `p room:<room>`      hash, socket id → member JSON `{ id, name, peerId, node, seq }`; `seq`
 *                        orders the members by join (hash order is not join order)
 * - `p room-info:<room>` hash: `capacity`, fixed by the room's first member, and `seq`, the last
 *                        join's number; deleted with the room's last member (the room is gone)
 * - `p members`          hash, socket id → room name (`roomOf`)
 * - `p rooms`            set of non-empty room names (`roomCount`)
 * - `p node:<node>`      set of the socket ids a node holds as members
 * - `p lease:<node>`     a node's lease, `PX` its lease time; gone = the node is dead
 * - `p nodes`            set of node ids that may still hold members
 * - `p lock:<room>`      a room's lock (room-lock.ts)
 *
 * Scripts answer JSON strings (cjson) where the answer has structure; an empty Lua table encodes
 * as `{}`, so readers treat any non-array as an empty list.
 */
import { defineScript, type RedisArgument } from 'redis';

/** Keys of a prefix; see the file comment. */
export const redisKeys = (prefix: string) => ({
  room: (room: string) => `${prefix}room:${room}`,
  roomInfo: (room: string) => `${prefix}room-info:${room}`,
  members: `${prefix}members`,
  rooms: `${prefix}rooms`,
  node: (node: string) => `${prefix}node:${node}`,
  lease: (node: string) => `${prefix}lease:${node}`,
  nodes: `${prefix}nodes`,
  lock: (room: string) => `${prefix}lock:${room}`,
});

/**
 * Removes member `m` (a decoded table) of room key `rk` everywhere; `p` is the prefix. The last
 * member takes the room with it: its name in `rooms` and its info (capacity, join count).
 */
const REMOVE_MEMBER = `
local function remove_member(p, rk, room, m)
  redis.call('HDEL', rk, m.id)
  redis.call('HDEL', p .. 'members', m.id)
  redis.call('SREM', p .. 'node:' .. m.node, m.id)
  if redis.call('EXISTS', rk) == 0 then
    redis.call('SREM', p .. 'rooms', room)
    redis.call('DEL', p .. 'room-info:' .. room)
  end
end
`;

/**
 * Join. KEYS: room hash, members, own node set, own lease, rooms, room info. ARGV: prefix, room,
 * id, name, peerId, node, capacity. Drops members whose node lease is gone (`expired`) and the
 * member of the same peerId (`replaced`, a rejoin) before it checks the capacity. The room's
 * capacity is the one in its info; a joiner that finds nobody present (and replaces nobody)
 * is the room's first member and fixes it with ARGV capacity. Answers the members present in
 * join order (`peers`) and the room's `capacity`.
 */
const JOIN = `${REMOVE_MEMBER}
local p, room, id = ARGV[1], ARGV[2], ARGV[3]
if redis.call('EXISTS', KEYS[4]) == 0 then return cjson.encode({status = 'lease-lost'}) end
if redis.call('HEXISTS', KEYS[2], id) == 1 then return cjson.encode({status = 'already-in-room'}) end
local kept = tonumber(redis.call('HGET', KEYS[6], 'capacity'))
local fields = redis.call('HGETALL', KEYS[1])
local present, expired, replaced = {}, {}, nil
for i = 1, #fields, 2 do
  local m = cjson.decode(fields[i + 1])
  if m.peerId == ARGV[5] then
    remove_member(p, KEYS[1], room, m)
    replaced = m
  elseif redis.call('EXISTS', p .. 'lease:' .. m.node) == 0 then
    remove_member(p, KEYS[1], room, m)
    expired[#expired + 1] = m
  else
    present[#present + 1] = m
  end
end
local capacity = kept
if capacity == nil or (#present == 0 and not replaced) then capacity = tonumber(ARGV[7]) end
if #present >= capacity then return cjson.encode({status = 'room-full', capacity = capacity, expired = expired}) end
table.sort(present, function(a, b) return (a.seq or 0) < (b.seq or 0) end)
redis.call('HSET', KEYS[6], 'capacity', capacity)
local seq = redis.call('HINCRBY', KEYS[6], 'seq', 1)
local member = {id = id, name = ARGV[4], peerId = ARGV[5], node = ARGV[6], seq = seq}
redis.call('HSET', KEYS[1], id, cjson.encode(member))
redis.call('HSET', KEYS[2], id, room)
redis.call('SADD', KEYS[3], id)
redis.call('SADD', KEYS[5], room)
return cjson.encode({status = 'ok', member = member, peers = present, capacity = capacity, replaced = replaced, expired = expired})
`;

/**
 * Leave. KEYS: members. ARGV: prefix, id, "1" to leave only when the member's node lease is gone
 * (the sweep of a dead node). Answers `[room, memberJson]`, or nil when `id` is in no room (or
 * its node is alive and ARGV[3] is "1").
 */
const LEAVE = `${REMOVE_MEMBER}
local p, id = ARGV[1], ARGV[2]
local room = redis.call('HGET', KEYS[1], id)
if not room then return nil end
local rk = p .. 'room:' .. room
local json = redis.call('HGET', rk, id)
if not json then
  redis.call('HDEL', KEYS[1], id)
  return nil
end
local m = cjson.decode(json)
if ARGV[3] == '1' and redis.call('EXISTS', p .. 'lease:' .. m.node) == 1 then return nil end
remove_member(p, rk, room, m)
return {room, json}
`;

/** Renew. KEYS: lease, nodes. ARGV: lease ms, node. Answers 1 when the lease still existed, 0 when it had lapsed. */
const RENEW_LEASE = `
local had = redis.call('EXISTS', KEYS[1])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return had
`;

/** Dead nodes. KEYS: nodes. ARGV: prefix. Answers the registered nodes whose lease is gone. */
const DEAD_NODES = `
local dead = {}
for _, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'lease:' .. n) == 0 then dead[#dead + 1] = n end
end
return dead
`;

/**
 * Forget a node. KEYS: nodes, node set, lease. ARGV: node, "1" to forget it even with a lease
 * (its own graceful close). Unregisters the node once it holds no member; answers 1 when it did.
 */
const FORGET_NODE = `
if ARGV[2] ~= '1' and redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
redis.call('SREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[3])
return 1
`;

/** Unlock. KEYS: lock. ARGV: token. Deletes the lock only while it is still this holder's. */
const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const args = (values: RedisArgument[]) => values;

/** The scripts, for `createClient({ scripts })`. */
export const ROOM_SCRIPTS = {
  vcJoin: defineScript({
    SCRIPT: JOIN,
    NUMBER_OF_KEYS: 6,
    parseCommand(parser, keys: string[], argv: string[]) {
      for (const key of keys) parser.pushKey(key);
      parser.push(...args(argv));
    },
    transformReply: undefined as unknown as () => string,
  }),
  vcLeave: defineScript({
    SCRIPT: LEAVE,
    NUMBER_OF_KEYS: 1,
    parseCommand(parser, key: string, argv: string[]) {
      parser.pushKey(key);
      parser.push(...args(argv));
    },
    transformReply: undefined as unknown as () => [string, string] | null,
  }),
  vcRenewLease: defineScript({
    SCRIPT: RENEW_LEASE,
    NUMBER_OF_KEYS: 2,
    parseCommand(parser, keys: string[], argv: string[]) {
      for (const key of keys) parser.pushKey(key);
      parser.push(...args(argv));
    },
    transformReply: undefined as unknown as () => number,
  }),
  vcDeadNodes: defineScript({
    SCRIPT: DEAD_NODES,
    NUMBER_OF_KEYS: 1,
    parseCommand(parser, key: string, prefix: string) {
      parser.pushKey(key);
      parser.push(prefix);
    },
    transformReply: undefined as unknown as () => string[],
  }),
  vcForgetNode: defineScript({
    SCRIPT: FORGET_NODE,
    NUMBER_OF_KEYS: 3,
    parseCommand(parser, keys: string[], argv: string[]) {
      for (const key of keys) parser.pushKey(key);
      parser.push(...args(argv));
    },
    transformReply: undefined as unknown as () => number,
  }),
  vcUnlock: defineScript({
    SCRIPT: UNLOCK,
    NUMBER_OF_KEYS: 1,
    parseCommand(parser, key: string, token: string) {
      parser.pushKey(key);
      parser.push(token);
    },
    transformReply: undefined as unknown as () => number,
  }),
};
