/**
 * What each provider's native ids look like, per node type. A global id is opaque to
 * clients but not tamper-proof: its native id is checked against its provider's shape
 * before any request is built from it, so a crafted id (`..`, `a/b`, a 10 kB string) is
 * "no such node" without an upstream call.
 */

/** The node types a native id can name, by their GraphQL type name. */
export type NativeIdKind = 'Conversation' | 'ConversationPart' | 'User' | 'Admin' | 'Channel';

export type NativeIdShapes = Readonly<Record<NativeIdKind, RegExp>>;

/** Unsigned decimal ids up to 64 bits (Carrot quest's, Chatwoot's). */
export const DECIMAL_ID = /^[0-9]{1,20}$/;
