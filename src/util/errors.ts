/** Base class for domain errors that map to a Kafka error code by name. */
export class StreamkeeperError extends Error {
  readonly kafkaError: string;
  constructor(kafkaError: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.kafkaError = kafkaError;
  }
}
