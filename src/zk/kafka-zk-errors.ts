import { StreamkeeperError } from '../util/errors.js';

/** A controller write was refused because another controller took over (Kafka's ControllerMovedException). */
export class ControllerMovedError extends StreamkeeperError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NOT_CONTROLLER', message, options);
  }
}

export class TopicExistsError extends StreamkeeperError {
  readonly topic: string;
  constructor(topic: string, options?: { cause?: unknown }) {
    super('TOPIC_ALREADY_EXISTS', `Topic '${topic}' already exists.`, options);
    this.topic = topic;
  }
}

/** /brokers/ids/<id> belongs to another live session: two brokers were configured with the same broker.id. */
export class BrokerIdInUseError extends StreamkeeperError {
  readonly brokerId: number;
  constructor(brokerId: number, ownerSessionId: string) {
    super(
      'UNKNOWN_SERVER_ERROR',
      `broker id ${brokerId} already registered by another ZooKeeper session (0x${ownerSessionId}); ` +
        'is another broker running with the same broker.id?',
    );
    this.brokerId = brokerId;
  }
}
