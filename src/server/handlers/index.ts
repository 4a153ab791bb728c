import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import { alterConfigsHandler, incrementalAlterConfigsHandler } from './alter-configs.js';
import { createPartitionsHandler } from './create-partitions.js';
import { createTopicsHandler } from './create-topics.js';
import { deleteGroupsHandler } from './delete-groups.js';
import { deleteRecordsHandler } from './delete-records.js';
import { deleteTopicsHandler } from './delete-topics.js';
import { describeClusterHandler } from './describe-cluster.js';
import { describeConfigsHandler } from './describe-configs.js';
import { describeGroupsHandler } from './describe-groups.js';
import { electLeadersHandler } from './elect-leaders.js';
import { fetchHandler } from './fetch.js';
import { findCoordinatorHandler } from './find-coordinator.js';
import { heartbeatHandler } from './heartbeat.js';
import { joinGroupHandler } from './join-group.js';
import { leaveGroupHandler } from './leave-group.js';
import { listGroupsHandler } from './list-groups.js';
import { listOffsetsHandler } from './list-offsets.js';
import { metadataHandler } from './metadata.js';
import { offsetCommitHandler } from './offset-commit.js';
import { offsetDeleteHandler } from './offset-delete.js';
import { offsetFetchHandler } from './offset-fetch.js';
import { alterPartitionReassignmentsHandler, listPartitionReassignmentsHandler } from './partition-reassignments.js';
import { produceHandler } from './produce.js';
import { syncGroupHandler } from './sync-group.js';

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
    findCoordinatorHandler(services),
    joinGroupHandler(services), syncGroupHandler(services), heartbeatHandler(services), leaveGroupHandler(services),
    offsetCommitHandler(services), offsetFetchHandler(services), offsetDeleteHandler(services),
    listGroupsHandler(services), describeGroupsHandler(services), deleteGroupsHandler(services),
  ];
}
