/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Assigned to any of `ids`, or (with `unassigned: true`) to nobody. */
export type AssigneeFilter = {
  ids?: Array<string | number> | null | undefined;
  unassigned?: boolean | null | undefined;
};

/** In any of `ids`, or (with `none: true`) in no channel. */
export type ChannelFilter = {
  ids?: Array<string | number> | null | undefined;
  none?: boolean | null | undefined;
};

/** Absent parts do not filter; present parts must all hold. With no filter every status is listed. */
export type ConversationFilter = {
  /** The last reply came from the team (true) or the customer (false). */
  answered?: boolean | null | undefined;
  assignee?: AssigneeFilter | null | undefined;
  botManaged?: boolean | null | undefined;
  channels?: ChannelFilter | null | undefined;
  closed?: boolean | null | undefined;
  created?: TimeRange | null | undefined;
  /** Snoozed now. */
  delayed?: boolean | null | undefined;
  /** Text in the messages (case-insensitive). */
  search?: string | null | undefined;
  /** Only these source ids. */
  sources?: Array<string> | null | undefined;
  /** Any of these statuses. */
  status?: Array<ConversationStatus> | null | undefined;
  tags?: TagFilter | null | undefined;
  /** Last activity within this range. */
  updated?: TimeRange | null | undefined;
};

/** Parley's neutral status; `nativeStatus` keeps the provider's own value. */
export type ConversationStatus =
  | 'CLOSED'
  | 'OPEN'
  | 'PENDING'
  | 'SNOOZED';

export type FilterPart =
  | 'ANSWERED'
  | 'ASSIGNEE'
  | 'BOT_MANAGED'
  | 'CHANNELS'
  | 'CLOSED'
  | 'CREATED'
  | 'DELAYED'
  | 'SEARCH'
  | 'STATUS'
  | 'TAGS'
  | 'UPDATED';

export type PartKind =
  | 'ADMIN_REPLY'
  | 'BOT_REPLY'
  | 'NOTE'
  | 'SYSTEM'
  | 'USER_REPLY';

export type SourceStatus =
  /** The source failed; see `errors` for the code. Re-requesting the same `after` asks it again. */
  | 'FAILED'
  /** The source answered this page completely. */
  | 'OK'
  /** The source answered, but the page stopped early (upstream page budget); the cursor resumes it. */
  | 'PARTIAL'
  /** The source cannot answer part of the filter and was not asked. */
  | 'SKIPPED';

/** `anyOf`: at least one of these tags (or none at all, with `untagged: true`). `allOf`: every one. `untagged` alone: no tags (true) or some tag (false). */
export type TagFilter = {
  allOf?: Array<string> | null | undefined;
  anyOf?: Array<string> | null | undefined;
  untagged?: boolean | null | undefined;
};

export type TimeRange = {
  /** Inclusive. */
  from?: string | null | undefined;
  /** Exclusive. */
  to?: string | null | undefined;
};

export type InboxQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: ConversationFilter | null | undefined;
}>;


export type InboxQuery = { conversations: { totalCount: number | null, sources: Array<{ source: string, status: SourceStatus, reason: string | null, pushedDown: Array<FilterPart>, appliedLocally: Array<FilterPart>, errorCode: string | null, totalCount: number | null, exact: boolean, atMost: number | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, source: string, subject: string | null, status: ConversationStatus, lastUpdate: string, tags: Array<string>, user: { name: string | null, email: string | null } | null, assignee: { name: string | null, isBot: boolean } | null, channel: { name: string | null, type: string | null } | null, lastPart: { kind: PartKind, body: string | null, createdAt: string } | null } }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const InboxDocument = new TypedDocumentString(`
    query Inbox($first: Int, $after: String, $filter: ConversationFilter) {
  conversations(first: $first, after: $after, filter: $filter) {
    totalCount
    sources {
      source
      status
      reason
      pushedDown
      appliedLocally
      errorCode
      totalCount
      exact
      atMost
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        source
        subject
        status
        lastUpdate
        tags
        user {
          name
          email
        }
        assignee {
          name
          isBot
        }
        channel {
          name
          type
        }
        lastPart {
          kind
          body
          createdAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<InboxQuery, InboxQueryVariables>;