/**
 * Everything Parley can do to a conversation; a provider declares the subset it can. A leaf
 * module: provider declarations name actions without reaching the model through the contract.
 */
export const WRITE_ACTIONS = ['REPLY', 'NOTE', 'OPEN', 'PENDING', 'SNOOZE', 'CLOSE', 'ASSIGN', 'UNASSIGN', 'TAG', 'UNTAG', 'MARK_READ'] as const;
export type WriteAction = (typeof WRITE_ACTIONS)[number];
