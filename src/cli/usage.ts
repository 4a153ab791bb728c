/** Help texts of the `streamkeeper` command and its subcommands. */

/** Where the perf tools look for brokers when --bootstrap-server is not given. */
export const DEFAULT_BOOTSTRAP_SERVER = 'localhost:9092';

export const MAIN_USAGE = `usage: streamkeeper <command> [options]

A Kafka-compatible broker for Node.js, coordinated by ZooKeeper.

commands:
  broker        run one broker from a server.properties file
  cluster up    start ZooKeeper and N brokers on this machine
  cluster down  stop a cluster started with "cluster up"
  perf produce  measure produce throughput and latency (like kafka-producer-perf-test)
  perf consume  measure fetch throughput (like kafka-consumer-perf-test)

Run "streamkeeper <command> --help" for the options of a command.`;

export const BROKER_USAGE = `usage: streamkeeper broker [--config FILE] [--override KEY=VALUE ...]

Runs one broker until SIGTERM or SIGINT, then shuts it down cleanly (exit status 0).

options:
  --config FILE          a Kafka server.properties file
  --override KEY=VALUE   set one config; may be repeated; wins over the file and the environment
  -h, --help             show this help

Configuration uses Kafka's names (broker.id, listeners, log.dirs, zookeeper.connect, ...). Environment
variables are read as in Confluent's images: KAFKA_ZOOKEEPER_CONNECT=... sets zookeeper.connect
(KAFKA_ prefix dropped, lower-cased, "_" -> ".", "__" -> "_", "___" -> "-").
Precedence: defaults < file < environment < --override.

exit status: 0 after a clean shutdown, 1 when the broker fails, 2 for an invalid configuration.`;

export const CLUSTER_USAGE = `usage: streamkeeper cluster <up|down> [options]

  cluster up     start ZooKeeper and N brokers on this machine
  cluster down   stop a cluster started with "cluster up"

Run "streamkeeper cluster up --help" or "streamkeeper cluster down --help" for their options.`;

export const CLUSTER_UP_USAGE = `usage: streamkeeper cluster up --data-dir DIR [--brokers N] [--port P] [--zookeeper HOST:PORT[/CHROOT]]
                               [--zk-port PORT] [--timeout-s S] [--detach]

Starts brokers 1..N listening on 127.0.0.1 ports P, P+1, ... and waits until each one is registered in
ZooKeeper and its Metadata lists all N brokers. Then prints bootstrap.servers=... and zookeeper.connect=...

options:
  --data-dir DIR     where configs, logs, pids and data live (DIR/broker-<id>/, DIR/zookeeper/)
  --brokers N        number of brokers (default 3)
  --port P           port of broker 1 (default 9092)
  --zookeeper CONN   use this ZooKeeper instead of starting one
  --zk-port PORT     port of the ZooKeeper started here (default 2181, or a free port when 2181 is taken)
  --timeout-s S      how long to wait for the brokers (default 60)
  --override K=V     add a setting to every broker's server.properties; may be repeated
  --detach           return once the cluster is up; stop it later with "cluster down"
  -h, --help         show this help

Without --detach the command stays in the foreground and stops the cluster on Ctrl-C or SIGTERM.
A random streamkeeper.cluster.secret is generated once and kept in DIR/cluster.secret.`;

export const CLUSTER_DOWN_USAGE = `usage: streamkeeper cluster down --data-dir DIR [--timeout-s S]

Sends SIGTERM to every broker of the cluster in DIR, waits (SIGKILL after the timeout), then stops the
ZooKeeper server if "cluster up" started it.

options:
  --data-dir DIR   the data directory given to "cluster up"
  --timeout-s S    how long to wait for each process before SIGKILL (default 30)
  -h, --help       show this help`;

export const PERF_USAGE = `usage: streamkeeper perf <produce|consume> [options]

  perf produce   send N records of S bytes to a topic and report throughput and latency
  perf consume   read N records of a topic and report throughput

Run "streamkeeper perf produce --help" or "streamkeeper perf consume --help" for their options.`;

export const PERF_PRODUCE_USAGE = `usage: streamkeeper perf produce --topic T --num-records N --record-size S --throughput R|-1
                                [--acks 0|1|all] [--batch-size B] [--linger-ms L] [--compression none|gzip]
                                [--bootstrap-server HOST:PORT[,...]] [--max-in-flight K]

Sends N records of S random bytes (no key) to the partitions of T, round robin by batch, speaking the Kafka
protocol directly (Produce v9) with up to K requests in flight per leader. Prints progress every 5 s and a
final line with records/sec, MB/sec and the latency percentiles (from sending a request to its
acknowledgement, counted once for every record of the batch). Batches are built once and sent again and
again, with fresh timestamps every second; the broker still checks, appends and replicates each one.

options:
  --topic T                  the topic (it must exist, or the brokers must auto-create topics)
  --num-records N            records to send
  --record-size S            bytes in each record's value
  --throughput R             records per second; -1 for as fast as possible
  --acks 0|1|all             acknowledgement (default all); with 0 no response comes, only the send rate counts
  --batch-size B             bytes of records in one batch, before compression (default 16384)
  --linger-ms L              with --throughput, how long a batch waits for more records (default 0)
  --compression none|gzip    batch compression (default none)
  --bootstrap-server H:P     brokers to ask for metadata (default ${DEFAULT_BOOTSTRAP_SERVER})
  --max-in-flight K          requests outstanding per broker connection (default 5)
  --request-timeout-ms T     the Produce timeout given to the broker (default 30000)
  -h, --help                 show this help

Retriable errors are retried up to 3 times (the leader is looked up again when it moved); the final line
counts records that failed for good. exit status: 0 when every record was acknowledged, 1 otherwise.`;

export const PERF_CONSUME_USAGE = `usage: streamkeeper perf consume --topic T --messages N [--bootstrap-server HOST:PORT[,...]]
                                [--fetch-max-bytes B] [--fetch-size S] [--timeout-ms T] [--max-in-flight K]

Reads every partition of T from its first offset with Fetch v11 (no consumer group) until N records have
arrived, with up to K fetches in flight per leader. Prints progress every 5 s and a final line with
records/sec, MB/sec (record batches as received), the time to the first record, records and MB.

options:
  --topic T                  the topic
  --messages N               records to read
  --fetch-max-bytes B        max_bytes of each Fetch request (default 52428800)
  --fetch-size S             bytes asked of each partition per Fetch, max.partition.fetch.bytes (default 1048576)
  --timeout-ms T             give up when no record arrives for T ms (default 10000)
  --bootstrap-server H:P     brokers to ask for metadata (default ${DEFAULT_BOOTSTRAP_SERVER})
  --max-in-flight K          fetches outstanding per broker connection (default 5)
  -h, --help                 show this help

exit status: 0 when N records were read, 1 when the timeout passed first.`;
