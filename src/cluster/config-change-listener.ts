import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { KafkaZkClient } from '../zk/kafka-zk-client.js';
import { CONFIG_CHANGE_PREFIX, sequenceNumber } from '../zk/paths.js';

const PURGE_AFTER_MS = 15 * 60 * 1000;

/**
 * Kafka's ZkNodeChangeNotificationListener for /config/changes: processes new config_change_<seq> notifications in
 * sequence order (a notification only says "re-read this entity") and purges those older than 15 minutes.
 */
export class ConfigChangeListener {
  readonly #zk: KafkaZkClient;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onTopicChange: (topic: string) => Promise<void>;
  #lastSeq = -1;
  #running = false;
  #busy: Promise<void> = Promise.resolve();

  constructor(opts: { zk: KafkaZkClient; clock: Clock; logger: Logger; onTopicChange: (topic: string) => Promise<void> }) {
    this.#zk = opts.zk;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.#onTopicChange = opts.onTopicChange;
  }

  async start(): Promise<void> {
    this.#running = true;
    await this.#process();
  }

  stop(): void {
    this.#running = false;
  }

  #process(): Promise<void> {
    this.#busy = this.#busy.then(async () => {
      if (!this.#running) return;
      try {
        const children = await this.#zk.getConfigChanges(() => void this.#process());
        for (const name of children) {
          const seq = sequenceNumber(name, CONFIG_CHANGE_PREFIX);
          if (seq <= this.#lastSeq) continue;
          const n = await this.#zk.getConfigChangeNotification(name);
          this.#lastSeq = seq;
          if (n === null) continue;
          if (this.#clock.now() - n.ctime > PURGE_AFTER_MS) {
            await this.#zk.zk.delete(`/config/changes/${name}`, -1).catch(() => {});
            continue;
          }
          const [type, ...rest] = n.entityPath.split('/');
          if (type === 'topics' && rest.length === 1 && rest[0] !== undefined) await this.#onTopicChange(rest[0]);
        }
      } catch (err) {
        this.#logger.warn('processing config change notifications failed', { err: String(err) });
      }
    });
    return this.#busy;
  }
}
