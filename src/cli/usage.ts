/** Help texts of the `streamkeeper` command and its subcommands. */

export const MAIN_USAGE = `usage: streamkeeper <command> [options]

A Kafka-compatible broker for Node.js, coordinated by ZooKeeper.

commands:
  broker        run one broker from a server.properties file
  cluster up    start ZooKeeper and N brokers on this machine
  cluster down  stop a cluster started with "cluster up"

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
