/**
 * The emulated SafeSquid node and the lab (docs/protocol.md,
 * docs/emulator.md): what tests, the demo and the benchmark import.
 */
export { startLab, Lab, type LabOptions, type LabNodeOverrides } from "./lab.js";
export { EmulatedNode, DEFAULT_BUILD, type NodeOptions, type NodeStatus } from "./node.js";
export { Faults, type FaultScope } from "./faults.js";
export { DIALECTS, isDialect, type Dialect } from "./dialect.js";
export type { CapturedRequest } from "./capture.js";
export type { SyncAttempt } from "./sync.js";
export { ListenError, labAddresses } from "./addresses.js";
export type { LabInventory } from "./lab-inventory.js";
export type { TlsMaterial } from "./tunnel.js";
export { MASTER_CONFIG } from "./defaults/master-config.js";
export { FACTORY_CONFIG } from "./defaults/factory-config.js";
export { STARTUP_DEFAULTS } from "./defaults/startup-defaults.js";
