import { createParleyClient } from './client.js';
import { describeSources, readInboxPage, walkInbox } from './inbox.js';

/**
 * `node --import tsx examples/typed-client/src/main.ts [url]` against a running gateway
 * (`npm start` serves the sandbox at the default URL). PARLEY_KEY is the API key, if any.
 */
const url = process.argv[2] ?? 'http://127.0.0.1:4000/graphql';
const client = createParleyClient({ url, ...(process.env.PARLEY_KEY ? { apiKey: process.env.PARLEY_KEY } : {}) });

let pageNumber = 0;
for await (const { page, errors } of walkInbox(client, { first: 5, pages: 2 })) {
  pageNumber += 1;
  console.log(`page ${pageNumber}: ${page.edges.length} conversations${page.pageInfo.hasNextPage ? ', more after' : ''}`);
  for (const { node } of page.edges) console.log(`  ${node.lastUpdate}  ${node.source}  ${node.status}  ${node.subject ?? '(no subject)'}`);
  for (const error of errors) console.log(`  missing: ${error.extensions?.source} (${error.extensions?.code})`);
}

const open = await readInboxPage(client, { first: 5, filter: { status: ['OPEN'], assignee: { unassigned: true } } });
console.log('open and unassigned:');
for (const line of describeSources(open.page)) console.log(`  ${line}`);
