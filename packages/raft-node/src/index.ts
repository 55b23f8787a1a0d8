// @cairn/raft-node: the Raft host layer — the pure core (@cairn/raft) driven by a clock, a durable
// LevelDB log, a batching gRPC transport and the application's state machine.
export {
  RaftNode,
  NotLeader,
  type RaftNodeOptions,
  type RaftNodeStatus,
  type RaftRole,
  type StateMachine,
  type AppliedEntry,
  type LeaderChange,
} from './raft-node.js';
export { Transport, TransportFaults, raftService, type TransportOptions } from './transport.js';
export { LatencyProbes, type PhaseSummary } from './latency.js';
