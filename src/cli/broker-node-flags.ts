/**
 * Node options every broker process starts with, as Kafka's start script gives the JVM its heap settings
 * (KAFKA_HEAP_OPTS): used by `cluster up` and the test harness, and written out in the Docker image's entry point
 * (a test keeps the two equal; override it there with --entrypoint). They can only be given on node's command line
 * (NODE_OPTIONS refuses them); STREAMKEEPER_NODE_OPTS replaces them for `cluster up` and the tests.
 *
 * --initial-old-space-size: a fresh V8 heap starts with an old-generation limit of a few MB. Under produce load the
 * broker's Buffers (request frames and socket reads, hundreds of MB/s, each wrapped by small heap objects that
 * outlive a young collection while their request is in flight) hit that limit again and again: 562 full
 * collections in 23 s of P1, a third of the broker's CPU. With 256 MB the same load ran on young collections alone
 * and P1 went from 399 to 623 MB/s on the same machine. It is a starting limit, not a reservation: an idle broker
 * does not grow to it.
 */
export const DEFAULT_BROKER_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=256'];

export function brokerNodeFlags(env: NodeJS.ProcessEnv = process.env): string[] {
  const own = env['STREAMKEEPER_NODE_OPTS'];
  return own === undefined ? [...DEFAULT_BROKER_NODE_FLAGS] : own.split(/\s+/).filter((s) => s.length > 0);
}
