import { builder } from './builder.js';
import './scalars.js';
import './enums.js';
import './source.js';
import './user.js';
import './admin.js';
import './channel.js';
import './conversation-part.js';
import './conversation.js';
import './conversations.js';
import './mutations/reply-to-conversation.js';
import './mutations/set-conversation-status.js';
import './mutations/assign-conversation.js';
import './mutations/update-conversation-tags.js';
import './mutations/mark-conversation-read.js';
import './subscriptions/conversation-events.js';

export const schema = builder.toSchema({ sortSchema: false });
