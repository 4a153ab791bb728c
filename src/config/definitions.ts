import { atLeast, between, def, matching, oneOf } from './config-types.js';
import type { ConfigDef, ValueOfDef } from './config-types.js';
import { SECURITY_PROTOCOLS } from './listeners.js';

/** Long.MAX_VALUE, Kafka's "never" for flush and compaction intervals. */
export const LONG_MAX_TEXT = '9223372036854775807';

const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] as const;
const VERSION = matching(/^\d+\.\d+(\.\d+)?(-IV\d+)?$/, 'a Kafka version such as 2.8 or 2.8-IV1');
const ZK_CONNECT = matching(/^[^\s,/]+(,[^\s,/]+)*(\/\S*)?$/, 'host:port[,host:port...][/chroot]');
const D = { dynamic: true } as const;

/**
 * Kafka's broker configuration (names, types and defaults of Kafka 2.8/3.3 `KafkaConfig`), plus Streamkeeper's own
 * `streamkeeper.*` keys. Keys that Streamkeeper accepts for compatibility but does not act on say so in their doc.
 */
export const BROKER_CONFIG_DEFINITIONS = {
  // ---- broker identity and ZooKeeper ----
  'broker.id': def('int', '-1', 'high', 'The broker id; -1 lets ZooKeeper generate one above reserved.broker.max.id', {
    validator: atLeast(-1),
  }),
  'broker.id.generation.enable': def('boolean', 'true', 'medium', 'Generate a broker id when broker.id is -1'),
  'reserved.broker.max.id': def('int', '1000', 'medium', 'Largest id a user may configure; generated ids start above it', {
    validator: atLeast(0),
  }),
  'broker.rack': def('string', null, 'medium', 'Rack of the broker, used for rack-aware replica assignment'),
  'zookeeper.connect': def('string', null, 'high', 'ZooKeeper connect string host:port[,host:port...][/chroot]', {
    required: true,
    validator: ZK_CONNECT,
  }),
  'zookeeper.session.timeout.ms': def('int', '18000', 'high', 'ZooKeeper session timeout', { validator: atLeast(1) }),
  'zookeeper.connection.timeout.ms': def('int', null, 'high', 'Max wait to connect to ZooKeeper; defaults to the session timeout', {
    validator: atLeast(1),
  }),
  'zookeeper.set.acl': def('boolean', 'false', 'high', 'Create znodes with secure ACLs'),
  'zookeeper.max.in.flight.requests': def('int', '10', 'high', 'Max unacknowledged ZooKeeper requests', {
    validator: atLeast(1),
  }),

  // ---- listeners and sockets ----
  listeners: def('string', 'PLAINTEXT://:9092', 'high', 'Comma-separated NAME://host:port listeners; empty host = all interfaces', D),
  'advertised.listeners': def('string', null, 'high', 'Listeners published to clients and other brokers; defaults to listeners', D),
  'listener.security.protocol.map': def(
    'string',
    SECURITY_PROTOCOLS.map((p) => `${p}:${p}`).join(','),
    'low',
    'Listener name to security protocol map, NAME:PROTOCOL,...',
    D,
  ),
  'inter.broker.listener.name': def('string', null, 'medium', 'Listener used between brokers; defaults by security.inter.broker.protocol'),
  'security.inter.broker.protocol': def('string', 'PLAINTEXT', 'medium', 'Security protocol between brokers', {
    validator: oneOf(...SECURITY_PROTOCOLS),
  }),
  'socket.request.max.bytes': def('int', '104857600', 'high', 'Largest request the socket server accepts', {
    validator: atLeast(1),
  }),
  'socket.send.buffer.bytes': def('int', '102400', 'high', 'SO_SNDBUF of server sockets; -1 = OS default'),
  'socket.receive.buffer.bytes': def('int', '102400', 'high', 'SO_RCVBUF of server sockets; -1 = OS default'),
  'num.network.threads': def('int', '3', 'high', 'Accepted for compatibility; Node.js uses one event loop', {
    validator: atLeast(1),
    dynamic: true,
  }),
  'num.io.threads': def('int', '8', 'high', 'Accepted for compatibility; ignored', { validator: atLeast(1), dynamic: true }),
  'queued.max.requests': def('int', '500', 'high', 'Requests queued per connection before reading pauses', {
    validator: atLeast(1),
  }),
  'connections.max.idle.ms': def('long', '600000', 'medium', 'Close connections idle this long'),
  'request.timeout.ms': def('int', '30000', 'medium', 'Timeout of requests this broker sends', { validator: atLeast(0) }),
  'background.threads': def('int', '10', 'high', 'Accepted for compatibility; ignored', { validator: atLeast(1), dynamic: true }),

  // ---- topics ----
  'num.partitions': def('int', '1', 'medium', 'Default partition count of auto-created topics', { validator: atLeast(1) }),
  'default.replication.factor': def('int', '1', 'medium', 'Default replication factor of auto-created topics', {
    validator: atLeast(1),
  }),
  'min.insync.replicas': def('int', '1', 'high', 'Least ISR size for acks=all produce', { validator: atLeast(1), dynamic: true }),
  'auto.create.topics.enable': def('boolean', 'true', 'high', 'Create a topic when metadata for an unknown one is requested'),
  'delete.topic.enable': def('boolean', 'true', 'high', 'Allow topic deletion'),
  'compression.type': def('string', 'producer', 'high', 'Final compression of topics; producer keeps the batch as sent', {
    validator: oneOf(...COMPRESSION_TYPES),
    dynamic: true,
  }),

  // ---- logs ----
  'log.dirs': def('string', null, 'high', 'Comma-separated log directories; overrides log.dir'),
  'log.dir': def('string', '/tmp/kafka-logs', 'high', 'Log directory used when log.dirs is not set'),
  'log.segment.bytes': def('int', '1073741824', 'high', 'Largest size of a log segment', { validator: atLeast(14), dynamic: true }),
  'log.roll.ms': def('long', null, 'high', 'Roll a new segment after this long; overrides log.roll.hours', {
    validator: atLeast(1),
    dynamic: true,
  }),
  'log.roll.hours': def('int', '168', 'high', 'Roll a new segment after this many hours', { validator: atLeast(1), dynamic: true }),
  'log.roll.jitter.ms': def('long', null, 'high', 'Max jitter subtracted from the roll time', { validator: atLeast(0), dynamic: true }),
  'log.roll.jitter.hours': def('int', '0', 'high', 'Max jitter in hours', { validator: atLeast(0), dynamic: true }),
  'log.retention.ms': def('long', null, 'high', 'Retention time; overrides minutes and hours; -1 = unlimited', D),
  'log.retention.minutes': def('int', null, 'high', 'Retention time in minutes; overrides hours', D),
  'log.retention.hours': def('int', '168', 'high', 'Retention time in hours', D),
  'log.retention.bytes': def('long', '-1', 'high', 'Largest partition size before old segments are deleted; -1 = unlimited', D),
  'log.retention.check.interval.ms': def('long', '300000', 'medium', 'How often retention is checked', {
    validator: atLeast(1),
  }),
  'log.cleanup.policy': def('list', 'delete', 'medium', 'Default cleanup policy: delete and/or compact', {
    validator: oneOf('compact', 'delete'),
    dynamic: true,
  }),
  'log.index.interval.bytes': def('int', '4096', 'medium', 'Bytes between offset index entries', { validator: atLeast(0), dynamic: true }),
  'log.index.size.max.bytes': def('int', '10485760', 'medium', 'Largest size of an offset index', { validator: atLeast(4), dynamic: true }),
  'log.flush.interval.messages': def('long', LONG_MAX_TEXT, 'high', 'Messages accumulated before a flush', {
    validator: atLeast(1),
    dynamic: true,
  }),
  'log.flush.interval.ms': def('long', null, 'high', 'Max time data waits before a flush; defaults to the scheduler interval', D),
  'log.flush.scheduler.interval.ms': def('long', LONG_MAX_TEXT, 'high', 'How often the flusher checks logs'),
  'log.flush.offset.checkpoint.interval.ms': def('int', '60000', 'high', 'How often the recovery point is checkpointed', {
    validator: atLeast(0),
  }),
  'log.segment.delete.delay.ms': def('long', '60000', 'high', 'Delay before a deleted segment file is removed', {
    validator: atLeast(0),
    dynamic: true,
  }),
  'log.preallocate': def('boolean', 'false', 'medium', 'Preallocate segment files', D),
  'log.message.timestamp.type': def('string', 'CreateTime', 'medium', 'CreateTime or LogAppendTime', {
    validator: oneOf('CreateTime', 'LogAppendTime'),
    dynamic: true,
  }),
  'log.message.timestamp.difference.max.ms': def('long', LONG_MAX_TEXT, 'medium', 'Max CreateTime skew accepted', {
    validator: atLeast(0),
    dynamic: true,
  }),
  'log.message.downconversion.enable': def('boolean', 'true', 'low', 'Down-convert for old fetchers', D),
  'log.message.format.version': def('string', '2.8-IV1', 'medium', 'Message format version (only v2 batches are written)', {
    validator: VERSION,
  }),
  'num.recovery.threads.per.data.dir': def('int', '1', 'high', 'Accepted for compatibility; ignored', {
    validator: atLeast(1),
    dynamic: true,
  }),
  'message.max.bytes': def('int', '1048588', 'high', 'Largest record batch accepted', { validator: atLeast(0), dynamic: true }),

  // ---- log cleaner ----
  'log.cleaner.enable': def('boolean', 'true', 'medium', 'Run the log cleaner (compaction)'),
  'log.cleaner.threads': def('int', '1', 'medium', 'Cleaner threads', { validator: atLeast(0), dynamic: true }),
  'log.cleaner.backoff.ms': def('long', '15000', 'medium', 'Sleep when there is nothing to clean', { validator: atLeast(0), dynamic: true }),
  'log.cleaner.delete.retention.ms': def('long', '86400000', 'medium', 'How long tombstones are kept', {
    validator: atLeast(0),
    dynamic: true,
  }),
  'log.cleaner.min.cleanable.ratio': def('double', '0.5', 'medium', 'Dirty ratio that makes a log eligible for cleaning', {
    validator: between(0, 1),
    dynamic: true,
  }),
  'log.cleaner.min.compaction.lag.ms': def('long', '0', 'medium', 'Least age of a record before compaction', {
    validator: atLeast(0),
    dynamic: true,
  }),
  'log.cleaner.max.compaction.lag.ms': def('long', LONG_MAX_TEXT, 'medium', 'Most age of a record before compaction', {
    validator: atLeast(1),
    dynamic: true,
  }),
  'log.cleaner.dedupe.buffer.size': def('long', '134217728', 'medium', 'Memory for the cleaner\'s key map (accepted; the map is sized by keys)', {
    validator: atLeast(0),
  }),
  'log.cleaner.io.buffer.size': def('int', '524288', 'medium', 'Cleaner I/O buffer (accepted; not used)', { validator: atLeast(0) }),
  'log.cleaner.io.buffer.load.factor': def('double', '0.9', 'medium', 'Cleaner key map load factor (accepted; not used)'),
  'log.cleaner.io.max.bytes.per.second': def('double', '1.7976931348623157E308', 'medium', 'Cleaner I/O throttle (accepted; not used)'),

  // ---- replication ----
  'replica.lag.time.max.ms': def('long', '30000', 'high', 'A follower that has not caught up this long leaves the ISR'),
  'replica.fetch.max.bytes': def('int', '1048576', 'medium', 'Bytes fetched per partition by followers', { validator: atLeast(0) }),
  'replica.fetch.response.max.bytes': def('int', '10485760', 'medium', 'Bytes per follower fetch response', {
    validator: atLeast(0),
  }),
  'replica.fetch.min.bytes': def('int', '1', 'high', 'Least bytes a follower fetch waits for'),
  'replica.fetch.wait.max.ms': def('int', '500', 'medium', 'Longest wait of a follower fetch'),
  'replica.fetch.backoff.ms': def('int', '1000', 'medium', 'Sleep after a follower fetch error', { validator: atLeast(0) }),
  'replica.socket.timeout.ms': def('int', '30000', 'high', 'Socket timeout of follower fetches'),
  'replica.socket.receive.buffer.bytes': def('int', '65536', 'high', 'Receive buffer of follower connections'),
  'replica.high.watermark.checkpoint.interval.ms': def('long', '5000', 'high', 'How often high watermarks are checkpointed'),
  'num.replica.fetchers': def('int', '1', 'high', 'Follower fetcher connections per source broker', D),
  'unclean.leader.election.enable': def('boolean', 'false', 'high', 'Allow an out-of-sync replica to become leader', D),
  'auto.leader.rebalance.enable': def('boolean', 'true', 'high', 'Move leadership back to preferred replicas'),
  'leader.imbalance.per.broker.percentage': def('int', '10', 'high', 'Imbalance percentage that triggers a rebalance'),
  'leader.imbalance.check.interval.seconds': def('long', '300', 'high', 'How often leader imbalance is checked', {
    validator: atLeast(1),
  }),
  'controlled.shutdown.enable': def('boolean', 'true', 'medium', 'Move leadership away before shutting down'),
  'controlled.shutdown.max.retries': def('int', '3', 'medium', 'Controlled shutdown attempts'),
  'controlled.shutdown.retry.backoff.ms': def('long', '5000', 'medium', 'Wait between controlled shutdown attempts'),
  'controller.socket.timeout.ms': def('int', '30000', 'medium', 'Timeout of controller-to-broker requests'),
  'inter.broker.protocol.version': def('string', '2.8-IV1', 'medium', 'Inter-broker protocol version', { validator: VERSION }),

  // ---- consumer groups and offsets ----
  'offsets.topic.num.partitions': def('int', '50', 'high', 'Partitions of __consumer_offsets', { validator: atLeast(1) }),
  'offsets.topic.replication.factor': def('short', '3', 'high', 'Replication factor of __consumer_offsets', {
    validator: atLeast(1),
  }),
  'offsets.topic.segment.bytes': def('int', '104857600', 'high', 'Segment size of __consumer_offsets', { validator: atLeast(1) }),
  'offsets.retention.minutes': def('int', '10080', 'high', 'How long offsets of an empty group are kept', {
    validator: atLeast(1),
  }),
  'offsets.retention.check.interval.ms': def('long', '600000', 'high', 'How often stale offsets are removed', {
    validator: atLeast(1),
  }),
  'offsets.commit.timeout.ms': def('int', '5000', 'high', 'Wait for an offset commit to replicate', { validator: atLeast(1) }),
  'offsets.topic.compression.codec': def('int', '0', 'high', 'Compression of offset commits (accepted; commits are written uncompressed)'),
  'offsets.load.buffer.size': def('int', '5242880', 'high', 'Batch size when loading offsets', { validator: atLeast(1) }),
  'offset.metadata.max.bytes': def('int', '4096', 'high', 'Largest metadata string of an offset commit'),
  'group.initial.rebalance.delay.ms': def('int', '3000', 'medium', 'Wait for more members before the first rebalance'),
  'group.min.session.timeout.ms': def('int', '6000', 'medium', 'Smallest session timeout a member may ask for'),
  'group.max.session.timeout.ms': def('int', '1800000', 'medium', 'Largest session timeout a member may ask for'),
  'group.max.size': def('int', '2147483647', 'medium', 'Most members in one group', { validator: atLeast(1) }),

  // ---- transactions (accepted; transactions are not implemented) ----
  'transaction.state.log.replication.factor': def('short', '3', 'high', 'Replication factor of __transaction_state', {
    validator: atLeast(1),
  }),
  'transaction.state.log.min.isr': def('int', '2', 'high', 'min.insync.replicas of __transaction_state', {
    validator: atLeast(1),
  }),
  'transaction.state.log.num.partitions': def('int', '50', 'high', 'Partitions of __transaction_state', { validator: atLeast(1) }),
  'transaction.state.log.segment.bytes': def('int', '104857600', 'high', 'Segment size of __transaction_state', {
    validator: atLeast(1),
  }),
  'transactional.id.expiration.ms': def('int', '604800000', 'high', 'Expiry of idle transactional ids', { validator: atLeast(1) }),
  'transaction.max.timeout.ms': def('int', '900000', 'high', 'Largest transaction timeout', { validator: atLeast(1) }),

  // ---- Streamkeeper ----
  'streamkeeper.cluster.secret': def('password', null, 'high', 'Shared secret with which brokers authenticate each other'),
  'streamkeeper.log.level': def('string', 'info', 'medium', 'Log level: error, warn, info or debug', {
    validator: oneOf('error', 'warn', 'info', 'debug'),
  }),
  'streamkeeper.metrics.port': def('int', '-1', 'low', 'Reserved for a metrics endpoint (not implemented yet); -1 = disabled', {
    validator: between(-1, 65535),
  }),
} as const satisfies Record<string, ConfigDef>;

export type BrokerConfigDefinitions = typeof BROKER_CONFIG_DEFINITIONS;
export type BrokerConfigName = keyof BrokerConfigDefinitions;
/** The typed value of broker config `K` (null when Kafka has no default and it is not set). */
export type ValueOf<K extends BrokerConfigName> = ValueOfDef<BrokerConfigDefinitions[K]>;

export function isBrokerConfigName(name: string): name is BrokerConfigName {
  return Object.hasOwn(BROKER_CONFIG_DEFINITIONS, name);
}

/** The definition of a broker config, or undefined when the name is unknown. */
export function brokerConfigDefinition(name: string): ConfigDef | undefined {
  return isBrokerConfigName(name) ? BROKER_CONFIG_DEFINITIONS[name] : undefined;
}

/** Every broker config definition with its name, in table order. */
export function brokerConfigDefinitions(): ({ name: BrokerConfigName } & ConfigDef)[] {
  return (Object.keys(BROKER_CONFIG_DEFINITIONS) as BrokerConfigName[]).map((name) => ({
    name,
    ...BROKER_CONFIG_DEFINITIONS[name],
  }));
}
