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

export const schema = builder.toSchema({ sortSchema: false });
