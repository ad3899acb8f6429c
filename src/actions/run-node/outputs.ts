/** The run-node action's output names (checked against action.yml by test/workflows/action-outputs.test.ts). */
export const OUTPUT_STATUS = 'status';
export const OUTPUT_STATE = 'state';
export const OUTPUT_VERDICT = 'verdict';
export const OUTPUT_APPROVAL = 'approval';
export const OUTPUT_EXECUTION_ID = 'execution-id';
export const OUTPUT_ARTIFACT_NAME = 'artifact-name';
export const OUTPUT_REUSED = 'reused';
export const OUTPUT_METADATA = 'metadata';
