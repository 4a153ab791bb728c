import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import { alterConfigsHandler, incrementalAlterConfigsHandler } from './alter-configs.js';
import { createPartitionsHandler } from './create-partitions.js';
import { createTopicsHandler } from './create-topics.js';
import { deleteRecordsHandler } from './delete-records.js';
import { deleteTopicsHandler } from './delete-topics.js';
import { describeClusterHandler } from './describe-cluster.js';
import { describeConfigsHandler } from './describe-configs.js';
import { electLeadersHandler } from './elect-leaders.js';
import { fetchHandler } from './fetch.js';
import { listOffsetsHandler } from './list-offsets.js';
import { metadataHandler } from './metadata.js';
import { alterPartitionReassignmentsHandler, listPartitionReassignmentsHandler } from './partition-reassignments.js';
import { produceHandler } from './produce.js';

/** Every API this broker serves (ApiVersions is added by the dispatcher from these declarations). */
export function buildHandlers(services: BrokerServices): RequestHandler[] {
  return [
    produceHandler(services),
    fetchHandler(services),
    listOffsetsHandler(services),
    metadataHandler(services),
    createTopicsHandler(services),
    deleteTopicsHandler(services),
    deleteRecordsHandler(services),
    describeConfigsHandler(services),
    alterConfigsHandler(services),
    createPartitionsHandler(services),
    incrementalAlterConfigsHandler(services),
    describeClusterHandler(services),
    electLeadersHandler(services),
    alterPartitionReassignmentsHandler(services), listPartitionReassignmentsHandler(services),
  ];
}
